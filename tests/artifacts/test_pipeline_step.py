"""`testrelay run` keeps the result files and the report in the artifact store, then offers them to the provider."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from testrelay.artifacts import ArtifactHandler
from testrelay.cli import main
from testrelay.errors import PublishError
from testrelay.providers import registry
from testrelay.providers.base import CIProvider, CIProviderFactory, Outcome


class UploadingProvider(CIProvider):
    """Publishes the report; takes artifacts unless told to refuse them."""

    name = "gitlab"
    refuse: str | None = None
    uploads: ClassVar[list[tuple[str, str, bytes]]] = []

    async def initialize(self, config):
        return True

    async def publish(self, report, texts, ctx):
        return Outcome(provider=self.name)

    async def upload_artifact(self, test_run_id, artifact_path, artifact_name):
        if self.refuse:
            raise PublishError(self.refuse)
        type(self).uploads.append((test_run_id, artifact_name, Path(artifact_path).read_bytes()))
        return True

    async def create_test_run(self, data):
        raise NotImplementedError

    update_test_run = add_pr_comment = get_test_run_status = set_build_status = create_test_run


def store_of(workdir: Path) -> ArtifactHandler:
    return ArtifactHandler(workdir / "testrelay-report" / "artifacts")


def test_a_local_run_stores_results_and_report(workdir):
    main(["run", "--config", "examples/testrelay.yml"])
    (run_id,) = {m.test_run_id for m in store_of(workdir).list_artifacts()}
    metas = store_of(workdir).get_artifacts_for_test_run(run_id)
    assert run_id.startswith("local-")
    by_type = {t: sorted(m.name for m in metas if m.artifact_type == t) for t in ("result", "report")}
    assert by_type["report"] == ["report.json", "report.md"]
    assert by_type["result"] == ["dotnet-orders.trx", "jest-web.xml", "pytest-api.xml"]
    report = store_of(workdir).get_artifact_by_name(run_id, "report.json")
    assert Path(report.local_path).read_bytes() == (workdir / "testrelay-report" / "report.json").read_bytes()
    assert all(m.state == "stored" for m in metas)


def test_the_provider_gets_the_stored_files_under_the_ci_run_id(workdir, monkeypatch):
    monkeypatch.setattr(registry, "register_all_providers", lambda: ())
    monkeypatch.setitem(CIProviderFactory._providers, "gitlab", UploadingProvider)
    monkeypatch.setattr(UploadingProvider, "uploads", [])
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.setenv("CI_PIPELINE_ID", "4242")
    main(["run", "--config", "examples/testrelay.yml", "--provider", "gitlab"])
    metas = store_of(workdir).get_artifacts_for_test_run("4242")
    assert len(metas) == 5 and all(m.uploaded and m.provider == "gitlab" for m in metas)
    assert sorted(name for _, name, _ in UploadingProvider.uploads) == sorted(m.name for m in metas)


def test_a_refused_upload_is_a_warning_and_the_files_stay(workdir, monkeypatch, capsys):
    monkeypatch.setattr(registry, "register_all_providers", lambda: ())
    monkeypatch.setitem(CIProviderFactory._providers, "gitlab", UploadingProvider)
    monkeypatch.setattr(UploadingProvider, "refuse", "the package registry is disabled for this project")
    code = main(["run", "--config", "examples/testrelay.yml", "--provider", "gitlab", "--fail-on", "nothing"])
    assert code == 0
    captured = capsys.readouterr()
    assert "5 of 5 artifact(s) not uploaded to gitlab: the package registry is disabled" in captured.out + captured.err
    metas = store_of(workdir).list_artifacts()
    assert len(metas) == 5 and all(m.state == "upload_failed" and "registry is disabled" in m.error for m in metas)
    assert (workdir / "testrelay-report" / "report.md").exists()
