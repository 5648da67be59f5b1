"""GitLab's words for states, and the project and package names it accepts in a URL."""

import pytest

from testrelay.providers.gitlab_status import (
    describe_summary,
    gitlab_state,
    package_part,
    project_ref,
    repeated_transition,
    short_description,
    state_of_summary,
)


@pytest.mark.parametrize(("word", "conclusion", "state"), [
    ("pending", None, "pending"),
    ("queued", None, "pending"),
    ("in_progress", None, "running"),
    ("success", None, "success"),
    ("failure", None, "failed"),
    ("error", None, "failed"),
    ("cancelled", None, "canceled"),
    ("completed", "failure", "failed"),
    ("completed", "neutral", "success"),
    ("completed", None, "success"),
    ("Running", None, "running"),
])
def test_states(word, conclusion, state):
    assert gitlab_state(word, conclusion) == state


def test_an_unknown_state_names_the_valid_ones():
    with pytest.raises(ValueError, match="unknown status 'exploded'; use one of pending, running"):
        gitlab_state("exploded")


def test_summary_decides_and_describes_the_final_state():
    summary = {"total_tasks": 1204, "task_statuses": {"passed": 1200, "failed": 3, "error": 1}, "duration": 252}
    assert state_of_summary(summary) == "failed"
    assert state_of_summary({"task_statuses": {"passed": 4, "failed": 0}}) == "success"
    assert describe_summary(summary) == "1,204 tests: 1,200 passed, 3 failed, 1 error · 252.0 s"


@pytest.mark.parametrize(("project", "ref"), [
    ("51234567", "51234567"),
    (51234567, "51234567"),
    ("group/sub/project", "group%2Fsub%2Fproject"),
    ("/group/project/", "group%2Fproject"),
    ("group/my.project", "group%2Fmy.project"),
])
def test_project_ref(project, ref):
    assert project_ref(project) == ref


@pytest.mark.parametrize(("value", "cleaned"), [
    ("1290001", "1290001"),
    ("c0ffee:Test results", "c0ffee-Test-results"),
    ("../../etc/passwd", "etc-passwd"),
    ("report.md", "report.md"),
    ("junit (1).xml", "junit-1-.xml"),
    ("a..b", "a.b"),
    ("///", "fallback"),
])
def test_package_parts_keep_to_what_gitlab_accepts(value, cleaned):
    assert package_part(value, "fallback") == cleaned


def test_only_a_repeat_of_the_same_state_counts_as_done():
    assert repeated_transition("Cannot transition status via :run from :running (Reason(s): ...)", "running")
    assert repeated_transition("Cannot transition status via :enqueue from :pending", "pending")
    assert not repeated_transition("Cannot transition status via :enqueue from :running", "pending")
    assert not repeated_transition("404 Commit Not Found", "running")


def test_descriptions_fit_gitlab_column():
    assert short_description("a\nb") == "a b"
    long = short_description("x" * 400)
    assert len(long) == 255 and long.endswith("…")
