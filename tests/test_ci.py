from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from support.ci_env import recorded_env
from testrelay import ci
from testrelay.ci import CIContext, apply_config, detect
from testrelay.ci.jenkins import repository_from_url
from testrelay.config import load

FIXTURES = Path(__file__).parent / "fixtures" / "env"
RECORDED = sorted(p for p in FIXTURES.glob("*.json") if not p.name.endswith(".event.json"))


def recorded(name: str) -> tuple[dict[str, str], dict]:
    env, data = recorded_env(name)
    return env, data["expected"]


@pytest.mark.parametrize("fixture", [p.name for p in RECORDED])
def test_recorded_environment(fixture):
    env, expected = recorded(fixture)
    ctx = detect(env)
    actual = {key: getattr(ctx, key) for key in expected}
    assert actual == expected


def test_all_required_environments_are_recorded():
    names = {p.stem for p in RECORDED}
    assert {
        "github_push",
        "github_pull_request",
        "github_workflow_run_fork",
        "gitlab_branch",
        "gitlab_merge_request",
        "gitlab_merged_result",
        "jenkins_freestyle",
        "jenkins_multibranch_pr",
        "azure_ci_build",
        "azure_pr_azure_repos",
        "azure_pr_github_repo",
        "none",
    } <= names


@pytest.mark.parametrize("fixture", [p.name for p in RECORDED if not p.name.startswith("none")])
def test_exactly_one_detector_claims_each_recorded_ci(fixture):
    env, expected = recorded(fixture)
    claimed = [cls.name for cls in ci.DETECTORS if cls(env).detect()]
    assert claimed == [expected["provider"]]


def test_pull_request_head_sha_is_not_the_merge_commit():
    env, _ = recorded("github_pull_request.json")
    ctx = detect(env)
    assert ctx.head_sha != env["GITHUB_SHA"]
    assert ctx.is_pull_request


def test_unreadable_event_payload_warns_and_falls_back(tmp_path, caplog):
    env, _ = recorded("github_pull_request.json")
    broken = tmp_path / "event.json"
    broken.write_text("{not json", encoding="utf-8")
    env["GITHUB_EVENT_PATH"] = str(broken)
    with caplog.at_level(logging.WARNING):
        ctx = detect(env)
    assert ctx.head_sha == env["GITHUB_SHA"] and ctx.pr_number == "57"
    assert "GITHUB_EVENT_PATH" in caplog.text


def test_issue_comment_on_a_pull_request(tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"issue": {"number": 9, "pull_request": {"url": "x"}}}), encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "issue_comment", "GITHUB_EVENT_PATH": str(event)}
    assert detect(env).pr_number == "9"


def test_github_token_kinds():
    base = {"GITHUB_ACTIONS": "true"}
    assert detect({**base, "GITHUB_TOKEN": "ghp_x1"}).token_kind == "personal"
    assert detect({**base, "GITHUB_TOKEN": "github_pat_x1"}).token_kind == "personal"
    assert detect({**base, "GITHUB_TOKEN": "ghs_x1"}).token_kind == "app"
    both = detect({**base, "GITHUB_TOKEN": "ghs_env", "INPUT_TOKEN": "ghs_input"})
    assert (both.token, both.token_source) == ("ghs_input", "INPUT_TOKEN")


def test_gitlab_without_a_token():
    ctx = detect({"GITLAB_CI": "true", "CI_PROJECT_ID": "1"})
    assert ctx.token is None and ctx.token_kind is None
    assert ctx.api_url == "https://gitlab.com/api/v4"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/acme/payments.git", "acme/payments"),
        ("git@github.com:acme/payments.git", "acme/payments"),
        ("ssh://git@gitlab.example.org:2222/group/sub/project.git", "group/sub/project"),
        ("https://github.com/acme/payments/pull/17", "acme/payments"),
        ("https://gitlab.com/group/project/-/merge_requests/4", "group/project"),
        ("https://bitbucket.example.com/projects/P/repos/r/pull-requests/8", "projects/P/repos/r"),
        ("", None),
    ],
)
def test_repository_from_url(url, expected):
    assert repository_from_url(url) == expected


# ---- secrets ----------------------------------------------------------------------------------------


def test_token_is_redacted_in_repr_str_and_dict():
    env, _ = recorded("azure_ci_build.json")
    secret = env["SYSTEM_ACCESSTOKEN"]
    ctx = detect(env)
    assert ctx.token == secret
    for text in (repr(ctx), str(ctx), json.dumps(ctx.to_dict())):
        assert secret not in text
    assert ctx.to_dict()["token"] == "***"
    assert ctx.to_dict()["token_source"] == "SYSTEM_ACCESSTOKEN"


# ---- configuration overrides ------------------------------------------------------------------------


def test_config_token_and_api_url_override_detection(tmp_path):
    env, _ = recorded("gitlab_branch.json")
    env["TESTRELAY_API_URL"] = "https://gitlab-proxy.example.org/api/v4/"
    env["INPUT_TOKEN"] = "glpat-fromInput"
    config = load(cli={}, env=env, cwd=tmp_path)
    ctx = detect(env, config)
    assert ctx.token == "glpat-fromInput"
    assert ctx.token_source == "INPUT_TOKEN"
    assert ctx.token_kind == "private"
    assert ctx.api_url == "https://gitlab-proxy.example.org/api/v4"


def test_job_token_passed_through_config_is_still_a_job_token(tmp_path):
    env, _ = recorded("gitlab_branch.json")
    config = load(cli={"token": env["CI_JOB_TOKEN"]}, env={}, cwd=tmp_path)
    ctx = detect(env, config)
    assert (ctx.token_source, ctx.token_kind) == ("--token", "job")


def test_apply_config_on_an_existing_context(tmp_path):
    config = load(cli={"token": "t0ken-value", "username": "deploy"}, env={}, cwd=tmp_path)
    ctx = apply_config(CIContext(provider="jenkins", username="ci-bot"), config)
    assert (ctx.token, ctx.username, ctx.token_source) == ("t0ken-value", "deploy", "--token")


def test_config_without_overrides_leaves_the_context_alone(tmp_path):
    env, _ = recorded("jenkins_freestyle.json")
    assert detect(env, load(cli={}, env={}, cwd=tmp_path)) == detect(env)


def test_provider_local_keeps_what_the_ci_told(tmp_path):
    env, expected = recorded("github_pull_request.json")
    ctx = detect(env, load(cli={"provider": "local"}, env={}, cwd=tmp_path))
    assert ctx.provider == "local"
    assert ctx.head_sha == expected["head_sha"]


def test_provider_chosen_by_config_outside_its_ci(tmp_path):
    config = load(cli={"provider": "gitlab", "api_url": "https://gl.example/api/v4"}, env={}, cwd=tmp_path)
    ctx = detect({"CI_PROJECT_ID": "7", "CI_MERGE_REQUEST_IID": "3"}, config)
    assert (ctx.provider, ctx.project_id, ctx.pr_number) == ("gitlab", "7", "3")
    assert ctx.api_url == "https://gl.example/api/v4"


def test_context_is_immutable_and_comparable():
    env, _ = recorded("azure_pr_azure_repos.json")
    first, second = detect(env), detect(env)
    assert first == second
    with pytest.raises(AttributeError):
        first.pr_number = "1"  # type: ignore[misc]
