from __future__ import annotations

import io
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testrelay import log
from testrelay.log import CILog, RedactingFilter, Secrets


def writer(provider: str) -> tuple[CILog, io.StringIO, Secrets]:
    stream, secrets = io.StringIO(), Secrets()
    return CILog(provider, stream, secrets=secrets, clock=lambda: 1764165781.9), stream, secrets


# ---- escaping -----------------------------------------------------------------------------------


def test_github_escaping_of_data_and_properties():
    assert log.github_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert log.github_property("C:\\src\\a,b.py\n%") == "C%3A\\src\\a%2Cb.py%0A%25"


def test_azure_escaping_of_data_and_properties():
    assert log.azure_data("100% [ok];\nx") == "100%AZP25 [ok];%0Ax"
    assert log.azure_property("a;b]c%\r") == "a%3Bb%5Dc%AZP25%0D"


# ---- groups -------------------------------------------------------------------------------------


def test_github_group():
    out, stream, _ = writer("github")
    with out.group("Parse 3 files"):
        out.write("inside")
    assert stream.getvalue() == "::group::Parse 3 files\ninside\n::endgroup::\n"


def test_github_nested_group_becomes_a_heading():
    out, stream, _ = writer("github")
    with out.group("outer"), out.group("inner"):
        pass
    assert stream.getvalue() == "::group::outer\ninner\n::endgroup::\n"


def test_azure_group():
    out, stream, _ = writer("azure")
    with out.group("Publish"):
        pass
    assert stream.getvalue() == "##[group]Publish\n##[endgroup]\n"


def test_gitlab_collapsed_section():
    out, stream, _ = writer("gitlab")
    with out.group("Parse results: 3 files"):
        out.write("inside")
    assert stream.getvalue() == (
        "\x1b[0Ksection_start:1764165781:testrelay_1_parse_results_3_files[collapsed=true]\r\x1b[0K"
        "Parse results: 3 files\n"
        "inside\n"
        "\x1b[0Ksection_end:1764165781:testrelay_1_parse_results_3_files\r\x1b[0K\n"
    )


def test_gitlab_sections_get_unique_names():
    out, stream, _ = writer("gitlab")
    for _ in range(2):
        with out.group("same"):
            pass
    text = stream.getvalue()
    assert "testrelay_1_same[collapsed=true]" in text and "testrelay_2_same[collapsed=true]" in text


@pytest.mark.parametrize("provider", ["jenkins", "local"])
def test_plain_group(provider):
    out, stream, _ = writer(provider)
    with out.group("Publish"):
        out.write("x")
    assert stream.getvalue() == "Publish\nx\n"


def test_group_closes_when_the_body_raises():
    out, stream, _ = writer("github")
    with pytest.raises(RuntimeError), out.group("g"):
        raise RuntimeError("boom")
    assert stream.getvalue().endswith("::endgroup::\n")
    assert out.depth == 0


# ---- annotations --------------------------------------------------------------------------------


def test_github_annotation_with_file_line_title_and_escaping():
    out, stream, _ = writer("github")
    out.annotate("error", "expected 200\ngot 500 (100%)", file="tests/a,b.py", line=12, title="test_login: api")
    assert stream.getvalue() == (
        "::error file=tests/a%2Cb.py,line=12,title=test_login%3A api::expected 200%0Agot 500 (100%25)\n"
    )


def test_github_annotation_without_properties():
    out, stream, _ = writer("github")
    out.annotate("notice", "all good")
    assert stream.getvalue() == "::notice::all good\n"


def test_github_caps_per_level_and_says_how_many_were_left_out():
    out, stream, _ = writer("github")
    shown = [out.annotate("error", f"e{i}") for i in range(13)]
    shown += [out.annotate("warning", f"w{i}") for i in range(11)]
    out.finish()
    lines = stream.getvalue().splitlines()
    assert shown.count(True) == 20 and shown.count(False) == 4
    assert sum(line.startswith("::error::") for line in lines) == 10
    assert sum(line.startswith("::warning::") for line in lines) == 10
    assert lines[-1].startswith("4 more annotations not shown")
    assert sum("more annotation" in line for line in lines) == 1


def test_github_job_cap_of_fifty():
    out, _, _ = writer("github")
    out.shown = {"error": 9, "warning": 9, "notice": 32}  # as if earlier writes reached the job cap
    assert out.annotate("error", "one more") is False
    assert out.dropped == 1


def test_finish_is_silent_when_nothing_was_dropped():
    out, stream, _ = writer("github")
    out.annotate("error", "x")
    out.finish()
    assert "more annotation" not in stream.getvalue()


def test_azure_logissue():
    out, stream, _ = writer("azure")
    out.annotate("warning", "slow; 12s\nsee log", file="src/app;1.py", line=7, title="perf")
    assert stream.getvalue() == (
        "##vso[task.logissue type=warning;sourcepath=src/app%3B1.py;linenumber=7]perf: slow; 12s%0Asee log\n"
    )


def test_azure_is_not_capped():
    out, stream, _ = writer("azure")
    for i in range(25):
        out.annotate("error", f"e{i}")
    assert stream.getvalue().count("##vso[task.logissue type=error]") == 25


@pytest.mark.parametrize("provider", ["gitlab", "jenkins", "local"])
def test_plain_annotation(provider):
    out, stream, _ = writer(provider)
    out.annotate("error", "boom", file="a.py", line=3, title="t")
    out.annotate("warning", "careful", file="b.py")
    assert stream.getvalue() == "error: a.py:3: t: boom\nwarning: b.py: careful\n"


def test_unknown_level_is_a_programming_error():
    out, _, _ = writer("github")
    with pytest.raises(ValueError):
        out.annotate("fatal", "x")


# ---- masking and redaction ----------------------------------------------------------------------


def test_github_mask_command_and_later_lines_redacted():
    out, stream, _ = writer("github")
    out.mask("ghs_secretValue99")
    out.write("token is ghs_secretValue99")
    assert stream.getvalue() == "::add-mask::ghs_secretValue99\ntoken is ***\n"


def test_azure_setsecret():
    out, stream, _ = writer("azure")
    out.mask("abc%def")
    assert stream.getvalue() == "##vso[task.setsecret]abc%AZP25def\n"


@pytest.mark.parametrize("provider", ["gitlab", "jenkins", "local"])
def test_mask_prints_nothing_where_the_ci_has_no_command(provider):
    out, stream, secrets = writer(provider)
    out.mask("glpat-secret")
    assert stream.getvalue() == ""
    assert secrets.redact("x glpat-secret y") == "x *** y"


def test_multiline_secret_masks_each_line():
    out, stream, _ = writer("github")
    out.mask("line-one\nline-two")
    assert stream.getvalue() == "::add-mask::line-one\n::add-mask::line-two\n"


def test_empty_and_tiny_secrets_are_ignored():
    out, stream, secrets = writer("github")
    out.mask("")
    out.mask(None)
    out.mask("ab")
    assert stream.getvalue() == "" and not secrets


def test_url_encoded_form_is_redacted_too():
    secrets = Secrets()
    secrets.add("p@ss/word+1")
    assert secrets.redact("https://u:p%40ss%2Fword%2B1@host") == "https://u:***@host"


def test_filter_redacts_message_args_and_traceback():
    secrets = Secrets()
    secrets.add("s3cr3t-token")
    logger = logging.getLogger("testrelay.test_log.redaction")
    logger.propagate = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    log.install_redaction(logger, secrets)
    log.install_redaction(logger, secrets)  # a second call adds nothing
    try:
        logger.warning("calling with %s", "Bearer s3cr3t-token")
        try:
            raise RuntimeError("auth failed for s3cr3t-token")
        except RuntimeError:
            logger.exception("request failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "s3cr3t-token" not in text
    assert "calling with Bearer ***" in text and "RuntimeError: auth failed for ***" in text
    assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1


def test_module_functions_use_the_configured_writer(capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setattr(log, "_current", None)
    with log.group("g"):
        log.annotate("warning", "w", file="f.py", line=1)
    log.finish()
    assert capsys.readouterr().out == "::group::g\n::warning file=f.py,line=1::w\n::endgroup::\n"
    assert log.current().provider == "github"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"GITHUB_ACTIONS": "true"}, "github"),
        ({"GITLAB_CI": "true"}, "gitlab"),
        ({"TF_BUILD": "True"}, "azure"),
        ({"JENKINS_URL": "https://ci/"}, "jenkins"),
        ({}, "local"),
    ],
)
def test_provider_from_env(env, expected):
    assert log.provider_from_env(env) == expected


# ---- escaping round-trips, as the runner and the agent decode them ------------------------------


def github_unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def azure_unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3B", ";"), ("%5D", "]"), ("%AZP25", "%")):
        text = text.replace(escaped, raw)
    return text


@given(st.text(alphabet=st.sampled_from("ab%:,;]\r\n0ADZP25"), max_size=40))
def test_github_property_round_trip(value):
    escaped = log.github_property(value)
    assert not set(escaped) & set(":,\r\n")
    assert github_unescape(escaped) == value


@given(st.text(alphabet=st.sampled_from("ab%:,;]\r\n0ADZP25"), max_size=40))
def test_azure_property_round_trip(value):
    escaped = log.azure_property(value)
    assert not set(escaped) & set(";]\r\n")
    assert azure_unescape(escaped) == value
