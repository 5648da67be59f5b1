"""The Jenkinsfile: npm-groovy-lint for Groovy syntax (once: it starts a JVM), and the declarative
shape, which the linter does not check, read from the text."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from templates_ci.tools import TEMPLATES, run_tool

JENKINSFILE = TEMPLATES / "jenkins" / "Jenkinsfile"


def text() -> str:
    return JENKINSFILE.read_text(encoding="utf-8")


def code() -> str:
    """The file without // comments, so a word in a comment does not pass for a step."""
    return re.sub(r"(?m)^\s*//.*$|\s//[^'\"\n]*$", "", text())


def block(source: str, head: str) -> str:
    """The body of the first block whose line starts with `head`, braces balanced (head's arguments have none)."""
    match = re.search(rf"(?m)^\s*{head}(?!\w)[^{{]*\{{", source)
    assert match, f"no `{head} {{` block"
    depth, start = 1, match.end()
    for index in range(start, len(source)):
        depth += {"{": 1, "}": -1}.get(source[index], 0)
        if depth == 0:
            return source[start:index]
    raise AssertionError(f"`{head} {{` is not closed")


def test_groovy_lint_finds_no_error(tmp_path):
    if shutil.which("java") is None:
        pytest.fail("java is not on PATH: npm-groovy-lint needs a JDK or JRE (apt-get install default-jre-headless)")
    # A copy in a folder of its own: the linter looks for config files next to what it lints.
    copy = tmp_path / "Jenkinsfile"
    shutil.copy(JENKINSFILE, copy)
    proc = run_tool(
        "npm-groovy-lint",
        ["--noserver", "--failon", "error", "--output", "json", copy],
        cwd=tmp_path,
        timeout=120,
    )
    report = json.loads(proc.stdout[proc.stdout.index("{") :])
    errors = [e for f in report["files"].values() for e in f["errors"] if e["severity"] == "error"]
    assert proc.returncode == 0 and not errors, errors or proc.stdout + proc.stderr
    assert report["summary"]["totalFilesLinted"] == 1


def test_declarative_pipeline_shape():
    source = code()
    assert source.lstrip().startswith("pipeline {")
    pipeline = block(source, "pipeline")
    assert re.search(r"(?m)^\s*agent\s+\S", pipeline)
    stages = block(pipeline, "stages")
    stage = block(stages, r"stage\('Test'\)")
    assert "--junitxml=test-results/" in block(stage, "steps")


def test_post_always_reports_with_bound_credentials():
    always = block(block(code(), "post"), "always")
    assert "withCredentials([usernamePassword(credentialsId: 'jenkins-api-token'," in always
    assert "usernameVariable: 'JENKINS_USER'" in always
    assert "passwordVariable: 'JENKINS_API_TOKEN'" in always
    bound = block(always, "withCredentials")
    assert "testrelay run" in bound, "testrelay must run inside withCredentials to see the token"
    assert "docker.image(env.REPORT_IMAGE).inside('--entrypoint=')" in bound
    assert re.search(r"\bjunit\s+testResults:", always)
    assert re.search(r"\barchiveArtifacts\s+artifacts:\s*'[^']*testrelay-report/\*\*", always)


def test_environment_names_the_image_and_the_result_files():
    environment = block(block(code(), "pipeline"), "environment")
    assert re.search(r"REPORT_IMAGE\s*=\s*'[^']+'", environment)
    assert re.search(r"TESTRELAY_FILES\s*=\s*'test-results/\*\*/\*\.xml'", environment)
