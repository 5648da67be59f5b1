"""The GitHub templates: GitHub's workflow schema, actionlint (with shellcheck, and with the inputs of
this repository's action.yml for `uses: ./`), and the shape each workflow promises in the README."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from templates_ci.tools import ROOT, TEMPLATES, check_jsonschema, find_tool, load_yaml, run_tool

GITHUB = TEMPLATES / "github"
WORKFLOWS = ("tests.yml", "tests-fork-safe.yml", "report-fork-safe.yml")
ACTION = "testrelay/testrelay@v1"


def workflow(name: str) -> dict:
    return load_yaml(GITHUB / name)


def steps(doc: dict) -> list[dict]:
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


def report_steps(doc: dict) -> list[dict]:
    return [step for step in steps(doc) if step.get("uses") == ACTION]


def uses(doc: dict, action: str) -> list[dict]:
    return [step for step in steps(doc) if step.get("uses", "").split("@")[0] == action]


def repo_copy(tmp_path: Path, texts: dict[str, str]) -> Path:
    """A folder laid out like a checkout of this repository, with workflows that use the action as `./`."""
    (tmp_path / ".git").mkdir()
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    shutil.copy(ROOT / "Dockerfile", tmp_path / "Dockerfile")
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, text in texts.items():
        (folder / name).write_text(text.replace(f"uses: {ACTION}", "uses: ./"), encoding="utf-8")
    return tmp_path


def actionlint(repo: Path):
    return run_tool("actionlint", ["-oneline", "-no-color", "-shellcheck", find_tool("shellcheck")], cwd=repo)


def test_workflows_match_githubs_schema():
    proc = check_jsonschema("vendor.github-workflows", [GITHUB / name for name in WORKFLOWS])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_action_yml_matches_the_actions_schema():
    proc = check_jsonschema("vendor.github-actions", [ROOT / "action.yml"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_passes_with_the_action_checked_against_action_yml(tmp_path):
    texts = {name: (GITHUB / name).read_text(encoding="utf-8") for name in WORKFLOWS}
    proc = actionlint(repo_copy(tmp_path, texts))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_refuses_an_input_action_yml_lacks_and_a_script_shellcheck_flags(tmp_path):
    # Proof that the check above looks at action.yml and runs shellcheck: both mistakes are caught.
    text = (GITHUB / "tests.yml").read_text(encoding="utf-8")
    text = text.replace("          fail_on: failures\n", "          fail_on: failures\n          fail_fast: true\n")
    text = text.replace("--junitxml=test-results/pytest.xml", "--junitxml=$RESULTS")
    proc = actionlint(repo_copy(tmp_path, {"tests.yml": text}))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert 'input "fail_fast" is not defined in action "testrelay"' in proc.stdout
    assert "SC2086" in proc.stdout


def test_every_with_key_is_an_input_of_action_yml():
    inputs = set(load_yaml(ROOT / "action.yml")["inputs"])
    for name in WORKFLOWS:
        for step in report_steps(workflow(name)):
            assert set(step.get("with", {})) <= inputs, (name, step)


def test_tests_workflow_has_least_permissions_and_reports_failed_tests():
    doc = workflow("tests.yml")
    assert doc["permissions"] == {"contents": "read", "checks": "write", "pull-requests": "write"}
    assert {"push", "pull_request"} <= set(doc["on"])
    [report] = report_steps(doc)
    assert report["if"] == "${{ !cancelled() }}"
    assert report["with"]["files"]
    [upload] = uses(doc, "actions/upload-artifact")
    assert upload["if"] == "${{ !cancelled() }}"
    assert "testrelay-report/" in upload["with"]["path"]
    # The report comes after the tests, and the upload after the report.
    order = steps(doc)
    assert order.index(report) < order.index(upload)
    assert any("pytest" in step.get("run", "") for step in order[: order.index(report)])


def test_fork_safe_tests_workflow_writes_nothing_and_uploads_results_and_event_file():
    doc = workflow("tests-fork-safe.yml")
    assert doc["permissions"] == {"contents": "read"}
    assert "pull_request" in doc["on"] and "pull_request_target" not in doc["on"]
    assert not report_steps(doc), "the fork's job must not report: its token is read-only"
    uploads = {step["with"]["name"]: step for step in uses(doc, "actions/upload-artifact")}
    assert uploads["event-file"]["with"]["path"] == "${{ github.event_path }}"
    assert "test-results" in uploads["test-results"]["with"]["path"]
    assert all(step["if"] == "${{ !cancelled() }}" for step in uploads.values())


def test_fork_safe_report_workflow_runs_on_the_first_and_downloads_its_artifacts():
    first = workflow("tests-fork-safe.yml")
    doc = workflow("report-fork-safe.yml")
    trigger = doc["on"]["workflow_run"]
    assert trigger["workflows"] == [first["name"]]
    assert trigger["types"] == ["completed"]
    assert doc["permissions"] == {"checks": "write", "pull-requests": "write", "actions": "read"}
    assert not uses(doc, "actions/checkout"), "the privileged workflow must not check out the fork's code"
    [download] = uses(doc, "actions/download-artifact")
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert download["with"]["github-token"] == "${{ github.token }}"
    [report] = report_steps(doc)
    # download-artifact puts each artifact in a folder of its name under `path`.
    assert report["with"]["files"].startswith(f"{download['with']['path']}/test-results/")
    assert "workflow_run.head_sha" in (GITHUB / "report-fork-safe.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", WORKFLOWS)
def test_actions_are_pinned_to_a_major_version(name):
    for step in steps(workflow(name)):
        if "uses" in step and not step["uses"].startswith("./"):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]
