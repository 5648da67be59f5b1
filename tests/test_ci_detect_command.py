from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.ci_env import recorded_env
from testrelay import cli

FIXTURES = Path(__file__).parent / "fixtures" / "env"
CI_MARKERS = (
    "GITHUB_",
    "GITLAB_",
    "CI_",
    "TF_BUILD",
    "SYSTEM_",
    "BUILD_",
    "JENKINS_",
    "JOB_",
    "CHANGE_",
    "GIT_",
    "INPUT_",
    "TESTRELAY_",
)


@pytest.fixture
def recorded(monkeypatch, tmp_path):
    """Replace the CI part of the environment with a recorded one, in an empty working directory."""
    import os

    for name in list(os.environ):
        if name.startswith(CI_MARKERS):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)

    def use(fixture: str) -> dict[str, str]:
        env, _ = recorded_env(fixture)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        return env

    return use


def test_json_output_shows_the_token_source_not_the_token(recorded, capsys):
    env = recorded("github_pull_request.json")
    assert cli.main(["detect", "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["provider"] == "github"
    assert data["pr_number"] == "57"
    assert data["head_sha"] == "1234567890abcdef1234567890abcdef12345678"
    assert data["token"] == "***" and data["token_source"] == "GITHUB_TOKEN"
    assert env["GITHUB_TOKEN"] not in out


def test_text_output(recorded, capsys):
    recorded("azure_pr_github_repo.json")
    assert cli.main(["detect"]) == 0
    out = capsys.readouterr().out
    assert "provider: azure\n" in out
    assert "pr_number: 1204\n" in out
    assert "is_fork: True\n" in out
    assert "token: none" in out
    assert "note: no token found" in out


def test_gitlab_job_token_gets_a_note(recorded, capsys):
    env = recorded("gitlab_branch.json")
    assert cli.main(["detect"]) == 0
    out = capsys.readouterr().out
    assert "token: from CI_JOB_TOKEN (job)" in out
    assert "note: CI_JOB_TOKEN cannot post merge-request notes" in out
    assert env["CI_JOB_TOKEN"] not in out


def test_local_without_ci(recorded, capsys):
    recorded("none.json")
    assert cli.main(["detect", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["provider"] == "local"


def test_config_file_token_overrides_and_is_not_printed(recorded, capsys, tmp_path):
    recorded("jenkins_multibranch_pr.json")
    (tmp_path / "testrelay.yml").write_text("token: abcd-from-the-file\nusername: deployer\n", encoding="utf-8")
    assert cli.main(["detect"]) == 0
    out = capsys.readouterr().out
    assert "token: from testrelay.yml (api)" in out and "username: deployer" in out
    assert "abcd-from-the-file" not in out
    assert "job_path: job/team-a/job/payments/job/PR-17" in out


def test_provider_flag_skips_detection(recorded, capsys):
    recorded("gitlab_merge_request.json")
    assert cli.main(["detect", "--json", "--provider", "local"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["provider"] == "local" and data["pr_number"] == "42"


def test_configuration_error_is_one_line_with_exit_code_2(recorded, capsys):
    recorded("none.json")
    assert cli.main(["detect", "--config", "missing.yml"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "testrelay: error: --config: missing.yml does not exist (give the path of a YAML file)"


def test_invalid_environment_value_is_reported(recorded, capsys, monkeypatch):
    recorded("none.json")
    monkeypatch.setenv("TESTRELAY_PROVIDER", "circleci")
    assert cli.main(["detect"]) == 2
    assert "TESTRELAY_PROVIDER: 'circleci' is not one of auto, github" in capsys.readouterr().err


def test_cli_redacts_registered_secrets_from_error_lines(recorded, capsys):
    import logging

    from testrelay.log import SECRETS, RedactingFilter

    recorded("none.json")
    SECRETS.add("hunter2-secret")
    try:
        assert cli.main(["detect", "--config", "hunter2-secret.yml"]) == 2
    finally:
        SECRETS.clear()
    err = capsys.readouterr().err
    assert "hunter2-secret" not in err and "***.yml does not exist" in err
    assert any(isinstance(f, RedactingFilter) for f in logging.getLogger().filters)
