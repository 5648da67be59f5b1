"""Each template run end to end: the command and the variables are read out of the template itself
(its YAML or Jenkinsfile), put on top of that CI's recorded environment (tests/fixtures/env/), and
`testrelay run` goes through the CLI against the Prism mock of that CI's API. A template that passes a
variable testrelay does not know, forgets the token, or runs another command fails here."""

from __future__ import annotations

import json
import logging
import os
import re
import shlex
from pathlib import Path

import pytest

from templates_ci.tools import ROOT, TEMPLATES, load_yaml
from testrelay.cli import main
from testrelay.providers.http import ApiClient

ENV_FIXTURES = ROOT / "tests" / "fixtures" / "env"
CI_PREFIXES = ("GITHUB_", "GITLAB_", "CI_", "INPUT_", "TESTRELAY_", "SYSTEM_", "BUILD_", "AGENT_", "JENKINS_",
               "JOB_", "CHANGE_", "GIT_", "TF_")
CI_NAMES = {"CI", "TF_BUILD", "GITLAB_CI", "JENKINS_URL", "BRANCH_NAME", "RUN_DISPLAY_URL"}
JUNIT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<testsuite name="cart" tests="3" failures="1" skipped="1" time="0.4">\n'
    '  <testcase classname="tests.test_cart" name="test_total" file="tests/test_cart.py" line="12" time="0.2">\n'
    '    <failure message="expected 3, got 4">AssertionError: expected 3, got 4</failure>\n'
    "  </testcase>\n"
    '  <testcase classname="tests.test_cart" name="test_empty" time="0.1"/>\n'
    '  <testcase classname="tests.test_cart" name="test_coupon"><skipped message="not yet"/></testcase>\n'
    "</testsuite>\n"
)


def entrypoint_args() -> list[str]:
    """What the container's entrypoint hands to the CLI (the image's ENTRYPOINT runs this shim)."""
    [line] = [line for line in (ROOT / "entrypoint").read_text().splitlines() if line.startswith("exec ")]
    words = shlex.split(line.removeprefix("exec "))
    assert words[:1] == ["testrelay"] and words[-1] == "$@", line
    return words[1:-1]


def cli_args(command: str) -> list[str]:
    words = shlex.split(command)
    assert Path(words[0]).name == "testrelay", command
    return words[1:]


class Calls(list):
    def has(self, method: str, path: str) -> bool:
        return any(m == method and re.fullmatch(path, p) for m, p in self)


@pytest.fixture
def ci(monkeypatch, tmp_path, caplog):
    """Empties the CI variables of the machine running the tests, works in a fresh folder, records each
    API call, and returns a function that applies a recorded CI environment plus the template's."""
    for name in list(os.environ):
        if name.startswith(CI_PREFIXES) or name in CI_NAMES:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    calls = Calls()
    original = ApiClient.request

    async def recording(self, method, url, **kwargs):
        calls.append((method, url.split("?")[0].lstrip("/")))
        return await original(self, method, url, **kwargs)

    monkeypatch.setattr(ApiClient, "request", recording)
    caplog.set_level(logging.WARNING)

    def apply(fixture: str, template_env: dict[str, str]) -> dict:
        recorded = json.loads((ENV_FIXTURES / fixture).read_text(encoding="utf-8"))
        for name, value in {**recorded["env"], **template_env}.items():
            monkeypatch.setenv(name, value)
        if "event_file" in recorded:
            monkeypatch.setenv("GITHUB_EVENT_PATH", str(ENV_FIXTURES / recorded["event_file"]))
        return recorded

    apply.calls = calls
    return apply


def results_at(pattern: str) -> Path:
    """Writes the result file where the template's glob looks for it."""
    folder = Path(pattern.split("*")[0] or ".")
    path = folder / "pytest.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(JUNIT, encoding="utf-8")
    return path


def assert_clean_run(caplog, secrets: list[str]) -> dict:
    report = json.loads(Path("testrelay-report/report.json").read_text(encoding="utf-8"))
    assert report["results"]["tests"] == 3 and report["results"]["failed"] == 1
    unknown = [r.getMessage() for r in caplog.records if "is not a testrelay option" in r.getMessage()]
    assert not unknown, unknown
    logged = caplog.text + Path("testrelay-report/report.md").read_text(encoding="utf-8")
    for secret in secrets:
        assert secret not in logged
    return report


# GitHub -------------------------------------------------------------------------------------------


def github_action_env(workflow: str, token: str) -> dict[str, str]:
    """What GitHub gives the container: one INPUT_<NAME> per `with:` key, and the defaults of action.yml."""
    action = load_yaml(ROOT / "action.yml")
    [step] = [s for job in load_yaml(TEMPLATES / "github" / workflow)["jobs"].values()
              for s in job["steps"] if s.get("uses") == "testrelay/testrelay@v1"]
    inputs = {name: spec.get("default") for name, spec in action["inputs"].items()}
    inputs.update(step.get("with", {}))
    defaults = {"${{ github.token }}": token}
    given = {name: value for name, value in inputs.items() if value is not None}
    env = {f"INPUT_{name.upper()}": str(defaults.get(value, value)) for name, value in given.items()}
    assert action["runs"] == {"using": "docker", "image": "Dockerfile"}, "args would change the command"
    return {**env, **step.get("env", {})}


def test_github_tests_workflow_on_a_pull_request(ci, contract, caplog):
    token = "ghs_templateEndToEnd000000000000000"
    env = github_action_env("tests.yml", token)
    recorded = ci("github_pull_request.json", {**env, "TESTRELAY_API_URL": contract("github")})
    results_at(env["INPUT_FILES"])
    assert main(entrypoint_args()) == 1  # one failure, and the template's fail_on: failures
    assert_clean_run(caplog, [token])
    repo = recorded["env"]["GITHUB_REPOSITORY"]
    assert ci.calls.has("POST", f"repos/{repo}/check-runs")
    assert ci.calls.has("POST", f"repos/{repo}/issues/{recorded['expected']['pr_number']}/comments")


def test_github_fork_safe_report_on_workflow_run(ci, contract, caplog):
    token = "ghs_templateEndToEnd000000000000001"
    env = github_action_env("report-fork-safe.yml", token)
    recorded = ci("github_workflow_run_fork.json", {**env, "TESTRELAY_API_URL": contract("github")})
    results_at(env["INPUT_FILES"])  # where download-artifact put the first workflow's upload
    assert main(entrypoint_args()) == 0  # fail_on: nothing; the tests' own workflow shows red
    assert_clean_run(caplog, [token])
    repo, sha = recorded["env"]["GITHUB_REPOSITORY"], recorded["expected"]["head_sha"]
    # workflow_run.pull_requests is empty for a fork: the pull request is looked up by the head SHA.
    assert ci.calls.has("GET", f"repos/{repo}/commits/{sha}/pulls")
    assert ci.calls.has("POST", f"repos/{repo}/check-runs")


# GitLab -------------------------------------------------------------------------------------------


def gitlab_job(inputs: dict[str, str] | None = None) -> dict:
    """The component's job as GitLab reads it after `include:` with these inputs (defaults elsewhere)."""
    header, _, body = (TEMPLATES / "gitlab" / "testrelay.yml").read_text(encoding="utf-8").partition("\n---\n")
    values = {name: spec["default"] for name, spec in load_yaml(header)["spec"]["inputs"].items()}
    values.update(inputs or {})
    text = re.sub(r"\$\[\[\s*inputs\.([\w-]+)\s*\]\]", lambda m: str(values[m.group(1)]), body)
    [job] = load_yaml(text).values()
    return job


def gitlab_expand(value: str, env: dict[str, str]) -> str:
    """GitLab's expansion of $NAME and ${NAME} in a job's variables."""
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: env.get(m.group(1) or m.group(2), ""), value)


def test_gitlab_component_in_a_merge_request_pipeline(ci, contract, caplog, monkeypatch):
    token = "glpat-templateEndToEnd0003"
    job = gitlab_job({"token_variable": "REPORT_GITLAB_TOKEN"})
    recorded = json.loads((ENV_FIXTURES / "gitlab_merge_request.json").read_text(encoding="utf-8"))
    project_env = {**recorded["env"], "REPORT_GITLAB_TOKEN": token}
    project_env.pop("GITLAB_TOKEN")  # only the variable the input names holds the token
    variables = {name: gitlab_expand(str(value), project_env) for name, value in job["variables"].items()}
    assert variables["TESTRELAY_TOKEN"] == token
    ci("gitlab_merge_request.json", {**variables, "REPORT_GITLAB_TOKEN": token,
                                     "TESTRELAY_API_URL": contract("gitlab") + "/api/v4"})
    monkeypatch.delenv("GITLAB_TOKEN")
    results_at(variables["TESTRELAY_FILES"])
    [command] = job["script"]
    assert main(cli_args(command)) == 1
    assert_clean_run(caplog, [token])
    project = recorded["env"]["CI_PROJECT_ID"]
    assert ci.calls.has("POST", rf"projects/{project}/statuses/\w+")
    assert ci.calls.has("POST", f"projects/{project}/merge_requests/{recorded['env']['CI_MERGE_REQUEST_IID']}/notes")


# Jenkins ------------------------------------------------------------------------------------------


def jenkins_parts() -> tuple[dict[str, str], dict[str, str], str]:
    """The Jenkinsfile's environment block, the credential variables withCredentials binds, and the
    command run in the container."""
    text = (TEMPLATES / "jenkins" / "Jenkinsfile").read_text(encoding="utf-8")
    environment = re.search(r"environment \{(.*?)\}", text, re.S).group(1)
    env = dict(re.findall(r"(?m)^\s*(\w+)\s*=\s*'([^']*)'", environment))
    bound = dict(re.findall(r"(usernameVariable|passwordVariable): '(\w+)'", text))
    [command] = re.findall(r"\.inside\([^)]*\)\s*\{\s*sh '([^']+)'", text)
    return env, bound, command


def test_jenkinsfile_post_always_on_a_pull_request_build(ci, contract, caplog, capsys):
    user, token = "ci-bot", "11aa22bb33cc44dd55ee66ff77aa88bb99"
    env, bound, command = jenkins_parts()
    credentials = {bound["usernameVariable"]: user, bound["passwordVariable"]: token}
    # The mock serves one job path segment: the multibranch PR job stands at the top level here.
    ci("jenkins_multibranch_pr.json", {**env, **credentials, "JOB_NAME": "payments-PR-17",
                                       "TESTRELAY_API_URL": contract("jenkins")})
    results_at(env["TESTRELAY_FILES"])
    assert main(cli_args(command)) == 0  # TESTRELAY_FAIL_ON: nothing; the junit step marks the build
    assert_clean_run(caplog, [token])
    assert token not in capsys.readouterr().err
    assert ci.calls.has("POST", "job/payments-PR-17/3/submitDescription")


# Azure Pipelines ----------------------------------------------------------------------------------


def azure_steps() -> list[tuple[str, dict]]:
    """Each install method's report step, with the parameters the example pipeline passes."""
    pipeline = load_yaml(TEMPLATES / "azure" / "azure-pipelines.yml")
    [use] = [step for step in pipeline["steps"] if "template" in step]
    template = load_yaml(TEMPLATES / "azure" / "testrelay-steps.yml")
    values = {p["name"]: p["default"] for p in template["parameters"]}
    values.update(use.get("parameters", {}))
    found = []
    for item in template["steps"]:
        [(key, inner)] = item.items() if len(item) == 1 else [(None, None)]
        method = re.search(r"parameters\.install, '(\w+)'", key or "")
        if method:
            [step] = inner
            found.append((method.group(1), step))
    return [(method, json.loads(re.sub(r"\$\{\{\s*parameters\.(\w+)\s*\}\}", lambda m: str(values[m.group(1)]),
                                       json.dumps(step)))) for method, step in found]


@pytest.mark.parametrize("method", ["docker", "pip"])
def test_azure_steps_on_a_pull_request_build(ci, contract, caplog, monkeypatch, method):
    token = "azureBuildToken000templateEndToEnd"
    [step] = [step for name, step in azure_steps() if name == method]
    macros = {"$(System.AccessToken)": token}
    step_env = {name: macros.get(value, value) for name, value in step["env"].items()}
    recorded = ci("azure_pr_azure_repos.json", {**step_env, "TESTRELAY_API_URL": contract("azure") + "/contoso/"})
    script = step["bash"]
    if method == "docker":
        # Only the variables the script forwards by name reach the container.
        forwarded = re.compile(re.search(r"grep -E '([^']+)'", script).group(1))
        for name in list(os.environ):
            if name.startswith(CI_PREFIXES) and not forwarded.match(name):
                monkeypatch.delenv(name)
        assert os.environ.get("SYSTEM_ACCESSTOKEN") == token, "the script must forward the mapped token"
        assert forwarded.match("TESTRELAY_API_URL")
        assert '"$REPORT_IMAGE"' in script
        args = entrypoint_args()
    else:
        [command] = [line for line in script.splitlines() if re.search(r"/testrelay\" run\b", line)]
        args = cli_args(command.replace('"', ""))
    results_at(step_env["TESTRELAY_FILES"])
    assert main(args) == 1
    assert_clean_run(caplog, [token])
    pr = recorded["env"]["SYSTEM_PULLREQUEST_PULLREQUESTID"]
    assert ci.calls.has("POST", r"_apis/test/runs")
    assert ci.calls.has("POST", rf"_apis/git/repositories/[\w-]+/pullRequests/{pr}/threads")
