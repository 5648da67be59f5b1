"""The GitLab component: the job after `---` against GitLab's CI schema, and its `spec: inputs:` header,
which that schema does not describe, checked for the shape GitLab's component docs give."""

from __future__ import annotations

import re

import pytest

from templates_ci.tools import TEMPLATES, check_jsonschema, load_yaml

COMPONENT = TEMPLATES / "gitlab" / "testrelay.yml"
INPUT_REF = re.compile(r"\$\[\[\s*inputs\.([\w-]+)\s*\]\]")


def parts() -> tuple[str, str]:
    header, separator, body = COMPONENT.read_text(encoding="utf-8").partition("\n---\n")
    assert separator, "a component's spec header ends with a `---` line"
    return header, body


def spec_inputs() -> dict[str, dict]:
    return load_yaml(parts()[0])["spec"]["inputs"]


def job() -> tuple[str, dict]:
    [(name, body)] = load_yaml(parts()[1]).items()
    return name, body


@pytest.fixture
def body_file(tmp_path):
    path = tmp_path / "testrelay.yml"
    path.write_text(parts()[1], encoding="utf-8")
    return path


def test_job_matches_gitlabs_ci_schema(body_file):
    proc = check_jsonschema("vendor.gitlab-ci", [body_file], "--data-transform", "gitlab-ci")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_refuses_a_broken_job(tmp_path):
    # Proof that the schema check reads the job: a `when` GitLab does not know fails it.
    path = tmp_path / "broken.yml"
    path.write_text(parts()[1].replace("when: always\n", "when: sometimes\n", 1), encoding="utf-8")
    proc = check_jsonschema("vendor.gitlab-ci", [path], "--data-transform", "gitlab-ci")
    assert proc.returncode == 1, proc.stdout + proc.stderr


def test_header_is_only_a_spec_with_described_inputs():
    header = load_yaml(parts()[0])
    assert list(header) == ["spec"]
    inputs = spec_inputs()
    assert {"files", "stage", "image", "token_variable", "job_name"} <= set(inputs)
    allowed = {"default", "description", "options", "regex", "type"}
    for name, spec in inputs.items():
        assert set(spec) <= allowed, name
        assert spec.get("description"), f"input {name} has no description"
        # Every input has a default, so `include:` works with no inputs at all.
        assert "default" in spec, name
        if "options" in spec:
            assert spec["default"] in spec["options"], name


def test_every_input_is_used_and_every_use_is_declared():
    used = set(INPUT_REF.findall(parts()[1]))
    assert used == set(spec_inputs())


def test_job_runs_the_image_with_testrelay_variables():
    name, body = job()
    assert name == "$[[ inputs.job_name ]]"
    assert body["stage"] == "$[[ inputs.stage ]]"
    assert body["image"]["name"] == "$[[ inputs.image ]]"
    # The image's entrypoint runs testrelay; GitLab's runner needs it cleared to run the script.
    assert body["image"]["entrypoint"] == [""]
    assert body["script"] == ["testrelay run"]
    variables = body["variables"]
    assert all(key.startswith("TESTRELAY_") for key in variables)
    assert variables["TESTRELAY_FILES"] == "$[[ inputs.files ]]"
    assert variables["TESTRELAY_TOKEN"] == "${$[[ inputs.token_variable ]]}"


def test_token_variable_names_a_variable_testrelay_reads():
    assert spec_inputs()["token_variable"]["default"] == "GITLAB_TOKEN"


def test_job_runs_on_merge_requests_and_the_default_branch_after_failed_tests():
    _, body = job()
    assert "when" not in body, "GitLab refuses a job-level `when` beside `rules`"
    conditions = {rule["if"]: rule.get("when") for rule in body["rules"]}
    assert conditions == {
        '$CI_PIPELINE_SOURCE == "merge_request_event"': "always",
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH": "always",
    }


def test_artifacts_keep_the_report_and_feed_gitlabs_test_widget():
    _, body = job()
    artifacts = body["artifacts"]
    assert artifacts["when"] == "always"
    assert "testrelay-report/" in artifacts["paths"]
    assert artifacts["reports"]["junit"] == "$[[ inputs.files ]]"


def test_default_stage_comes_after_the_test_jobs():
    # The job reads the test jobs' artifacts, so it cannot share their stage.
    assert spec_inputs()["stage"]["default"] == ".post"
