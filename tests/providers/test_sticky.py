import pytest

from report_samples import META, failing, passing, run_of
from testrelay.providers.sticky import decide, is_ours, marker, with_marker
from testrelay.render import render
from testrelay.report import build

GREEN = build(run_of(passing("a")), meta=META)
RED = build(run_of(failing("a")), meta=META)


def test_the_comment_template_ends_with_the_marker_of_its_key():
    body = render(RED, "comment.md.j2")
    assert body.rstrip().endswith(marker("default")) and is_ours(body, "default")
    assert not is_ours(body, "nightly")


def test_keys_cannot_break_out_of_the_html_comment():
    line = marker("a --> <script>")
    assert line.startswith("<!-- testrelay:comment key=a") and line.count("-->") == 1 and "<script" not in line


@pytest.mark.parametrize(
    ("mode", "report", "existing", "expected"),
    [
        ("always", GREEN, None, "create"),
        ("always", RED, "old", "update"),
        ("off", RED, None, "skip"),
        ("failures", GREEN, None, "skip"),
        ("failures", RED, None, "create"),
        ("failures", GREEN, "old red comment", "update"),  # no stale failure left standing
        ("changes", GREEN, None, "skip"),
        ("changes", RED, None, "create"),
    ],
)
def test_when_to_post(mode, report, existing, expected):
    assert decide(mode, report, existing, render(report, "comment.md.j2")) == expected


def test_an_unchanged_comment_is_not_edited_even_if_its_time_moved():
    body = render(RED, "comment.md.j2")
    later = body.replace("2026-11-26 14:03 UTC", "2026-11-26 15:44 UTC")
    assert later != body
    assert decide("always", RED, body, later) == "skip"


def test_with_marker_adds_the_marker_once():
    body = with_marker("### Tests passed\n\n", "nightly")
    assert body == f"### Tests passed\n\n{marker('nightly')}\n"
    assert with_marker(body, "nightly") == body
    assert with_marker(body, "default").endswith(f"{marker('nightly')}\n\n{marker('default')}\n")


@pytest.mark.parametrize("mode", ["always", "failures", "changes"])
def test_without_a_report_a_comment_posts_as_always_does(mode):
    assert decide(mode, None, None, "hello") == "create"
    assert decide(mode, None, "old", "hello") == "update"
    assert decide(mode, None, "hello\n", "hello") == "skip"
    assert decide("off", None, None, "hello") == "skip"
