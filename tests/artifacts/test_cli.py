"""`testrelay artifacts ...` through the CLI: output, JSON, errors as one line with exit code 8."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testrelay.cli import main
from testrelay.errors import ArtifactError


@pytest.fixture
def cli(tmp_path, capsys):
    store = tmp_path / "store"

    def call(*args: str) -> tuple[int, str, str]:
        code = main(["artifacts", *args[:1], "--dir", str(store), *args[1:]])
        out, err = capsys.readouterr()
        return code, out, err

    return call


def test_upload_list_get_purge(cli, make_file, tmp_path):
    report = make_file('{"ok": true}', "report.json")
    log = make_file("line\n", "build.log")
    code, out, _ = cli("upload", str(report), str(log), "--run", "run-1", "--type", "report")
    assert code == 0 and "run-1\treport.json\treport\t12 B" in out and "stored" in out

    code, out, _ = cli("list", "--run", "run-1", "--json")
    listed = json.loads(out)
    assert code == 0 and [m["name"] for m in listed] == ["report.json", "build.log"]
    assert listed[0]["media_type"] == "application/json" and listed[0]["state"] == "stored"

    code, out, _ = cli("list", "--name", "build.log")
    assert code == 0 and out.count("\n") == 1 and "build.log" in out

    copy = tmp_path / "copy.json"
    code, out, _ = cli("get", "--run", "run-1", "--name", "report.json", "--output", str(copy))
    assert code == 0 and copy.read_text() == '{"ok": true}' and f"file: {copy}" in out

    code, out, _ = cli("purge", "--run", "run-1", "--json")
    assert code == 0 and json.loads(out) == {"entries": 2, "blobs": 2, "bytes_freed": 17}
    code, out, _ = cli("list")
    assert (code, out.strip()) == (0, "no artifacts")


def test_errors_are_one_line_with_exit_code_8(cli, make_file, tmp_path):
    code, _, err = cli("list")
    assert code == ArtifactError.exit_code == 8
    assert err.startswith("testrelay: error: artifacts list: no artifact store at") and err.count("\n") == 1

    code, _, err = cli("upload", str(tmp_path / "missing.xml"), "--run", "r")
    assert code == 8 and "missing.xml: no such file" in err and "Traceback" not in err

    cli("upload", str(make_file("a", "a.txt")), "--run", "r")
    code, _, err = cli("get", "--run", "r", "--name", "nope.txt")
    assert code == 8 and "no artifact 'nope.txt' in test run 'r'" in err and "artifacts list --run" in err

    code, _, err = cli("purge")
    assert code == 8 and "use --run, --older-than DAYS or --max-size MB" in err

    code, _, err = cli("upload", str(make_file("b")), str(make_file("c")), "--run", "r", "--name", "x")
    assert code == 8 and "--name names one file" in err


def test_corrupt_index_says_how_to_rebuild_and_rebuild_fixes_it(cli, make_file, tmp_path):
    cli("upload", str(make_file("a", "a.txt")), "--run", "r")
    (index_file,) = (tmp_path / "store" / "index").glob("*.json")
    index_file.write_text('{"entries": [')
    code, _, err = cli("list", "--run", "r")
    assert code == 8 and "is corrupt" in err and f"testrelay artifacts rebuild --dir {tmp_path / 'store'}" in err
    code, out, _ = cli("rebuild")
    assert code == 0 and "1 run(s), 1 artifact(s)" in out
    code, out, _ = cli("list", "--run", "r")
    assert code == 0 and "a.txt" in out


def test_purge_by_size_from_the_cli(cli, make_file):
    for i in range(3):
        cli("upload", str(make_file(bytes(400_000 + i))), "--run", f"r{i}", "--name", f"big{i}.bin")
    code, out, _ = cli("purge", "--max-size", "1")  # 1 MB: the oldest of the three goes
    assert code == 0 and out.startswith("removed 1 artifact(s) and 1 file(s)")
    code, out, _ = cli("list", "--json")
    assert [m["name"] for m in json.loads(out)] == ["big1.bin", "big2.bin"]
    assert Path(json.loads(out)[0]["local_path"]).stat().st_size == 400_001


@pytest.fixture
def gitlab_provider(monkeypatch, tmp_path):
    from artifact_providers import RecordingProvider

    from testrelay.providers import registry
    from testrelay.providers.base import CIProviderFactory

    for name in ("GITLAB_CI", "GITHUB_ACTIONS", "TF_BUILD", "JENKINS_URL", "TESTRELAY_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(registry, "register_all_providers", lambda: ())

    def install(answer):
        cls = type("GitLabForTest", (RecordingProvider,), {"__init__": lambda self, **config: RecordingProvider.
                                                            __init__(self, answer, **config)})
        monkeypatch.setitem(CIProviderFactory._providers, "gitlab", cls)

    return install


def test_upload_with_a_provider(cli, make_file, gitlab_provider):
    gitlab_provider("https://gitlab.example/packages/1")
    code, out, _ = cli("upload", str(make_file("x", "a.txt")), "--run", "r", "--provider", "gitlab", "--json")
    (meta,) = json.loads(out)
    assert code == 0 and meta["state"] == "uploaded" and meta["remote_ref"] == "https://gitlab.example/packages/1"


def test_refused_upload_exits_8_and_keeps_the_file(cli, make_file, gitlab_provider):
    from testrelay.errors import PublishError

    gitlab_provider(PublishError("403 Forbidden: the package registry is disabled"))
    code, out, err = cli("upload", str(make_file("x", "a.txt")), "--run", "r", "--provider", "gitlab")
    assert code == 8 and "1 of 1 file(s) not uploaded to gitlab: 403 Forbidden" in err and "kept in" in err
    assert "upload_failed (403 Forbidden" in out
    code, out, _ = cli("get", "--run", "r", "--name", "a.txt", "--json")
    assert json.loads(out)[0]["state"] == "upload_failed"
