"""Every packaged template, rendered under StrictUndefined for the cases a reader meets."""

import re

import pytest

from report_samples import META, baseline_and_current, failing, flaky, green_run, passing, run_of
from testrelay.render import render
from testrelay.report import Report, ReportMeta, build
from testrelay.results.model import TestRun

TEMPLATES = ("comment.md.j2", "summary.md.j2", "status.txt.j2", "description.html.j2")
WEIRD = "test_" + "a|b`c<d>*e_[f](g)~h\\" * 200
WEIRD_MESSAGE = "AssertionError: got `<script>` | </details> <!-- testrelay:comment key=x --> **bold**"


def _weird_run() -> TestRun:
    trace = "Traceback\n```\n</details>\n````\n<script>alert(1)</script>\n" + "frame\n" * 30
    return run_of(failing(WEIRD, suite="s|u`ite<x>", message=WEIRD_MESSAGE, details=trace), passing("ok"))


def scenarios() -> dict[str, Report]:
    base, now = baseline_and_current()
    return {
        "green": build(green_run(), meta=META),
        "green-table": build(green_run(), meta=META, show_table=True),
        "failed-baseline": build(now, baseline=base, meta=META),
        "failed-no-baseline": build(now, meta=META),
        "no-tests": build(TestRun(), meta=META),
        "flaky": build(run_of(flaky("test_button"), passing("test_a")), meta=META),
        "weird": build(_weird_run(), meta=META, title="Unit | `tests` <b>"),
        "bare-meta": build(now, baseline=base, meta=ReportMeta()),
    }


SCENARIOS = scenarios()


def rendered(template: str, name: str) -> str:
    return render(SCENARIOS[name], template)


def _outside_fences(text: str) -> list[str]:
    lines, fence = [], None
    for line in text.split("\n"):
        m = re.match(r"^(`{3,})", line)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None and m and m.group(1) == fence and line.strip() == fence:
            fence = None
        elif fence is None:
            lines.append(line)
    assert fence is None, "a code block is left open"
    return lines


def assert_valid_markdown(text: str) -> None:
    depth = 0
    for line in _outside_fences(text):
        opens, closes = line.count("<details>"), line.count("</details>")
        depth += opens - closes
        assert depth in (0, 1), f"<details> nested or closed twice at: {line!r}"
        if opens:
            assert "<summary>" in line and "</summary>" in line
    assert depth == 0


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_renders_without_leaks(template, name):
    text = rendered(template, name)
    assert text.strip()
    for leak in ("None", "undefined", "Undefined", "{{", "{%", "[]", "()", "Changes("):
        assert leak not in text, f"{leak!r} leaked into {template} for {name}"
    if template.endswith(".md.j2"):
        assert_valid_markdown(text)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_comment_ends_with_the_marker(name):
    lines = rendered("comment.md.j2", name).rstrip("\n").split("\n")
    assert lines[-1] == f"<!-- testrelay:comment key={SCENARIOS[name].meta.comment_key} -->"
    assert sum("<!-- testrelay:comment" in line for line in lines) == 1


def test_comment_failed_with_baseline():
    text = rendered("comment.md.j2", "failed-baseline")
    first = text.split("\n", 1)[0]
    assert first == "### ❌ Test results: 2 failed, 1 error · 1,202 passed (2 new failures, 1 fixed since `main`)"
    assert "<sub>1,205 tests in 1 file · 2m 00s · [run #123](https://ci.example.com/runs/123) · " \
           "[full report](https://ci.example.com/runs/123/report.md)</sub>" in text
    assert "| this run | 1,205 ▲1 | 1,202 | 2 | 1 ▲1 | 0 | 2m 00s |" in text
    assert "| `main` | 1,204 | 1,202 | 2 | 0 | 0 | 2m 00s |" in text
    assert "**New failures (2)** · fixed (1) · flaky (1 passed on retry) · added (2) · removed (1)" in text
    assert text.count("<details>") == 3
    summaries = re.findall(r"<summary>(.*)</summary>", text)
    assert "(new)" in summaries[0] and "(new)" in summaries[1] and "(new)" not in summaries[2]
    assert "updated 2026-11-26 14:03 UTC for `abc1234`" in text


def test_comment_without_baseline_leaves_delta_out():
    text = rendered("comment.md.j2", "failed-no-baseline")
    assert text.split("\n", 1)[0] == "### ❌ Test results: 2 failed, 1 error · 1,202 passed"
    assert "▲" not in text and "▼" not in text and "since" not in text and "`main`" not in text
    assert "(new)" not in text and "New failures" not in text and "fixed (" not in text
    assert "flaky (1 passed on retry)" in text
    assert "| this run |" in text and text.count("| ") > 0
    assert len([line for line in text.split("\n") if line.startswith("| ")]) == 2  # header + this run


def test_comment_all_green_is_one_short_line():
    text = rendered("comment.md.j2", "green")
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "✅ **Test results**: 1,204 passed · 12 skipped · 4m 02s"
    assert len(lines) == 3  # the line, the footer, the marker
    assert "|" not in text


def test_comment_all_green_with_table_on_request():
    text = rendered("comment.md.j2", "green-table")
    assert text.startswith("### ✅ Test results: 1,204 passed · 12 skipped\n")
    assert "| this run | 1,216 | 1,204 | 0 | 0 | 12 | 4m 02s |" in text


def test_comment_no_tests():
    text = rendered("comment.md.j2", "no-tests")
    assert text.startswith("### ⚠️ Test results: no tests found\n")
    assert "no test cases in 0 result files" in text
    assert "|" not in text


def test_comment_weird_names_are_escaped():
    text = rendered("comment.md.j2", "weird")
    first = text.split("\n", 1)[0]
    assert first.startswith("### ❌ Unit \\| \\`tests\\` &lt;b&gt;: 1 failed · 1 passed")
    summary = re.search(r"<summary>(.*)</summary>", text).group(1)
    assert "<script>" not in summary and "&lt;script&gt;" in summary
    assert "</details>" not in summary and "<!--" not in summary
    assert "`````text" in text  # the trace holds a run of four backticks
    assert len(summary) < 1_000 and "…</code>" in summary  # a 4,000-character name is shortened
    assert_valid_markdown(text)


def test_summary_is_fuller():
    text = rendered("summary.md.j2", "failed-baseline")
    assert text.startswith("## ❌ Test results: 2 failed, 1 error")
    assert "### Failures (3)" in text
    assert "### Changes since `main`" in text
    assert "<details><summary>Fixed (1)</summary>" in text and "- `tests/test_api.py::test_cart` in api" in text
    assert "### Suites (3)" in text and "| ❌ api | 1,203 | 1,201 | 1 | 1 | 0 | 2m 00s |" in text
    assert "### Slowest tests" in text
    assert "### Flaky (1 passed on retry)" in text and "| `tests/test_ui.py::test_button` | ui | 3 |" in text


def test_summary_lists_only_the_first_names():
    base = run_of(passing("x"))
    now = run_of(*(passing(f"n{i}") for i in range(300)))
    text = render(build(now, baseline=base, meta=META), "summary.md.j2")
    assert "<details><summary>Added (300)</summary>" in text
    assert "- … and 275 more" in text


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_status_is_one_short_line(name):
    text = rendered("status.txt.j2", name)
    assert "\n" not in text and len(text) <= 140


def test_status_texts():
    assert rendered("status.txt.j2", "failed-baseline") == (
        "2 failed, 1 error, 1,202 passed · 2 new since main · 1 fixed · 2m 00s"
    )
    assert rendered("status.txt.j2", "green") == "1,204 passed, 12 skipped · 4m 02s"
    assert rendered("status.txt.j2", "no-tests") == "No tests found"


SAFE_TAGS = {"b", "i", "code", "br", "a", "ul", "li"}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_description_keeps_to_safe_html(name):
    text = rendered("description.html.j2", name)
    for _closing, tag, attrs in re.findall(r"<(/?)([a-zA-Z0-9]+)([^>]*)>", text):
        assert tag.lower() in SAFE_TAGS, f"{tag} is not kept by Jenkins' Safe HTML"
        if attrs.strip():
            assert tag == "a" and re.fullmatch(r' href="https?://[^"<>]*"', attrs), attrs
    assert "<script" not in text.lower() and "<style" not in text.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", text, re.IGNORECASE)
    for tag in ("b", "ul", "li", "code", "a"):
        assert text.count(f"<{tag}>") + text.count(f"<{tag} ") == text.count(f"</{tag}>"), tag


def test_description_content():
    text = rendered("description.html.j2", "failed-baseline")
    assert "<b>❌ Test results: 2 failed, 1 error · 1,202 passed</b> (2 new, 1 fixed since <code>main</code>)" in text
    assert '<a href="https://ci.example.com/runs/123/report.md">full report</a>' in text
    assert text.count("<li>") == 3
    weird = rendered("description.html.j2", "weird")
    assert "&lt;script&gt;" in weird and "<script>" not in weird
