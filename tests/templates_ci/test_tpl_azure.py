"""The Azure Pipelines steps template and the pipeline that uses it: Azure's schema, shellcheck on the
bash steps, and the token mapping and conditions that make the report run."""

from __future__ import annotations

import re

from templates_ci.tools import TEMPLATES, check_jsonschema, load_yaml, run_tool

AZURE = TEMPLATES / "azure"
STEPS = AZURE / "testrelay-steps.yml"
PIPELINE = AZURE / "azure-pipelines.yml"
SCHEMA_ARGS = ("--data-transform", "azure-pipelines", "--regex-variant", "python")


def flat_steps(items: list) -> list[dict]:
    """Steps with `${{ if ... }}:` insertions opened up."""
    out: list[dict] = []
    for item in items:
        [key] = item if len(item) == 1 else [None]
        if key and key.startswith("${{"):
            out.extend(flat_steps(item[key]))
        else:
            out.append(item)
    return out


def template_steps() -> list[dict]:
    return flat_steps(load_yaml(STEPS)["steps"])


def report_steps() -> list[dict]:
    return [step for step in template_steps() if "bash" in step]


def test_template_and_pipeline_match_azures_schema():
    proc = check_jsonschema("vendor.azure-pipelines", [STEPS, PIPELINE], *SCHEMA_ARGS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_refuses_a_broken_step(tmp_path):
    # Proof that the schema check reads the steps: a misspelt step keyword fails it.
    path = tmp_path / "broken.yml"
    path.write_text(STEPS.read_text(encoding="utf-8").replace("    condition:", "    conditon:", 1), encoding="utf-8")
    proc = check_jsonschema("vendor.azure-pipelines", [path], *SCHEMA_ARGS)
    assert proc.returncode == 1, proc.stdout + proc.stderr


def test_bash_steps_pass_shellcheck(tmp_path):
    for index, step in enumerate(report_steps()):
        # $(Name) is an Azure macro, replaced before bash runs; give shellcheck what bash will see.
        script = re.sub(r"\$\((\w+(?:\.\w+)+)\)", "/agent/macro", step["bash"])
        path = tmp_path / f"step{index}.sh"
        path.write_text("#!/usr/bin/env bash\n" + script, encoding="utf-8")
        proc = run_tool("shellcheck", ["--severity=style", path])
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_parameters_are_declared_with_defaults_and_all_used():
    parameters = {p["name"]: p for p in load_yaml(STEPS)["parameters"]}
    assert {"files", "install", "image", "failOn"} <= set(parameters)
    for name, spec in parameters.items():
        assert "default" in spec and spec.get("type") == "string", name
        if "values" in spec:
            assert spec["default"] in spec["values"], name
    used = set(re.findall(r"parameters\.(\w+)", STEPS.read_text(encoding="utf-8")))
    assert used == set(parameters)


def test_every_install_method_has_a_report_step():
    parameters = {p["name"]: p for p in load_yaml(STEPS)["parameters"]}
    text = STEPS.read_text(encoding="utf-8")
    for method in parameters["install"]["values"]:
        assert f"${{{{ if eq(parameters.install, '{method}') }}}}:" in text, method
    assert len(report_steps()) == len(parameters["install"]["values"])


def test_report_steps_map_the_token_and_run_after_failed_tests():
    for step in report_steps():
        assert step["condition"] == "succeededOrFailed()"
        env = step["env"]
        assert env["SYSTEM_ACCESSTOKEN"] == "$(System.AccessToken)"
        assert env["TESTRELAY_FILES"] == "${{ parameters.files }}"
        assert env["TESTRELAY_FAIL_ON"] == "${{ parameters.failOn }}"
        assert env["TESTRELAY_PROVIDER"] == "azure"
        # The token reaches the script through env only, never on a command line.
        assert "AccessToken" not in step["bash"]


def test_publish_test_results_runs_beside_the_report():
    [publish] = [step for step in template_steps() if step.get("task") == "PublishTestResults@2"]
    assert publish["condition"] == "succeededOrFailed()"
    assert publish["inputs"]["testResultsFiles"] == "${{ parameters.files }}"
    assert publish["inputs"]["failTaskOnFailedTests"] is False
    [keep] = [step for step in template_steps() if "publish" in step]
    assert keep["publish"].endswith("/testrelay-report")
    assert keep["condition"] == "succeededOrFailed()"


def test_pipeline_validates_pull_requests_and_uses_the_template_with_known_parameters():
    doc = load_yaml(PIPELINE)
    assert doc["pr"]["branches"]["include"]
    declared = {p["name"] for p in load_yaml(STEPS)["parameters"]}
    [use] = [step for step in doc["steps"] if "template" in step]
    assert (AZURE / use["template"]).resolve() == STEPS.resolve()
    assert set(use["parameters"]) <= declared
    test_step = doc["steps"].index(next(s for s in doc["steps"] if "pytest" in s.get("bash", "")))
    assert test_step < doc["steps"].index(use)
