import re

import pytest

from report_samples import META, failing, green_run, passing, run_of
from testrelay.budget import DEFAULT_TEMPLATES, DESTINATIONS, Limit, Unit, fit, hard_cut
from testrelay.render import render
from testrelay.report import ReportMeta, build

URL = "https://ci.example.com/runs/9/report.md"
TRACE = "\n".join(f"    at com.example.service.Handler.step{i}(Handler.java:{i}) // {'x' * 30}" for i in range(125))


def big_report(n: int = 2000, trace: str = TRACE):
    assert len(trace) > 10_000
    cases = [failing(f"test_case_{i}", suite=f"suite{i % 17}", message=f"Boom {i}: <x> | `y`", details=trace)
             for i in range(n)]
    cases += [passing(f"ok_{i}", suite=f"suite{i % 17}", duration=i / 10) for i in range(500)]
    return build(run_of(*cases), max_failures=n, meta=META)


BIG = big_report(1500)


def blocks_are_whole(text: str) -> None:
    """No fence left open, <details> balanced, and every table has its header and delimiter rows."""
    fence = None
    depth = 0
    table: list[str] = []
    for line in [*text.split("\n"), ""]:
        m = re.match(r"^(`{3,})", line)
        if fence is None and m:
            fence = m.group(1)
            continue
        if fence is not None:
            if m and line.strip() == fence:
                fence = None
            continue
        depth += line.count("<details>") - line.count("</details>")
        assert depth >= 0
        if line.startswith("|"):
            table.append(line)
        elif table:
            assert len(table) >= 3 and re.match(r"^\|[:\-| ]+\|$", table[1]), table[:3]
            assert all(row.count(" | ") == table[0].count(" | ") for row in table[2:])
            table = []
    assert fence is None and depth == 0


def test_destination_limits():
    assert DESTINATIONS["github-comment"] == Limit(65_536)
    assert DESTINATIONS["github-check-summary"] == Limit(65_535)
    assert DESTINATIONS["gitlab-note"] == Limit(1_000_000)
    assert DESTINATIONS["azure-comment"] == Limit(150_000)
    assert DESTINATIONS["job-summary"] == Limit(1_048_576, Unit.BYTES)
    assert DESTINATIONS["status"] == Limit(140)
    assert set(DEFAULT_TEMPLATES) == set(DESTINATIONS)


def test_fits_already_is_left_alone():
    report = build(green_run(), meta=META)
    assert fit(report, "summary.md.j2", 65_535) == render(report, "summary.md.j2")


@pytest.mark.parametrize("destination", sorted(DESTINATIONS))
def test_thousands_of_failures_fit_every_destination(destination):
    limit = DESTINATIONS[destination]
    template = DEFAULT_TEMPLATES[destination]
    text = fit(BIG, template, limit, full_report_url=URL)
    assert limit.measure(text) <= limit.size
    if template.endswith(".md.j2"):
        blocks_are_whole(text)
        assert text.count("<details><summary>❌") >= 1
        assert re.search(r"Left out to fit: .*failure details.*\[Full report\]\(" + re.escape(URL) + r"\)", text)
        # Using the room: the next failure would not have fitted.
        assert limit.size - limit.measure(text) < 5_000
    if template == "comment.md.j2":
        assert text.rstrip("\n").split("\n")[-1] == "<!-- testrelay:comment key=default -->"
        assert "slowest" not in text  # the comment never shows them, so does not claim to have left them out


def test_first_step_drops_only_the_slowest_and_names():
    report = build(run_of(*(passing(f"t{i}", suite=f"s{i % 3}", duration=i) for i in range(40)),
                          failing("test_x")), meta=META)
    full = render(report, "summary.md.j2")
    assert "### Slowest tests" in full
    text = fit(report, "summary.md.j2", len(full) - 1)
    assert "### Slowest tests" not in text and "### Suites (4)" in text
    assert "<details><summary>❌" in text
    assert "Left out to fit: slowest tests." in text
    assert len(text) <= len(full) - 1


def test_second_step_drops_the_suite_table():
    cases = [passing(f"t{i}", suite=f"suite-with-a-long-name-{i}") for i in range(300)]
    report = build(run_of(*cases, failing("test_x")), meta=META, slowest=0)
    full = render(report, "summary.md.j2")
    text = fit(report, "summary.md.j2", len(full) // 3)
    assert "### Suites" not in text and "<details><summary>❌" in text
    assert "per-suite table" in text


def test_traces_trimmed_when_one_failure_does_not_fit():
    huge = "\n".join(f"frame {i} " + "z" * 90 for i in range(400))
    report = build(run_of(failing("test_big", details=huge), failing("test_other", details=huge)), meta=META)
    text = fit(report, "comment.md.j2", 3_000, full_report_url=URL)
    assert len(text) <= 3_000
    blocks_are_whole(text)
    assert text.count("<details><summary>") == 1
    assert "long stack traces" in text and "1 more failure" in text


def test_byte_limit_counts_utf8():
    report = build(run_of(*(failing(f"prüfung_ü_{i}", message="Fehler: ä" * 20, details="ö" * 3000)
                            for i in range(50))), max_failures=50, meta=META)
    limit = Limit(30_000, Unit.BYTES)
    text = fit(report, "summary.md.j2", limit)
    assert len(text.encode()) <= 30_000 < len(render(report, "summary.md.j2").encode())
    blocks_are_whole(text)


def test_status_fits_even_a_tiny_limit():
    text = fit(BIG, "status.txt.j2", 20)
    assert len(text) <= 20 and text.endswith("…") and "\n" not in text


def test_hard_cut_on_a_line_boundary_outside_blocks(tmp_path):
    # A user template whose bulk does not come from the Report: only a hard cut can shorten it.
    (tmp_path / "wall.md.j2").write_text(
        "# Wall\n\nintro\n\n"
        "| a | b |\n|--|--|\n{% for i in range(200) %}| {{ i }} | x |\n{% endfor %}\n"
        "<details><summary>more</summary>\n\n```text\n{% for i in range(300) %}line {{ i }}\n{% endfor %}```\n\n"
        "</details>\n\nafter\n<!-- testrelay:comment key={{ report.meta.comment_key }} -->\n"
    )
    report = build(green_run(3), meta=META)
    full = render(report, "wall.md.j2", user_dir=tmp_path)
    text = fit(report, "wall.md.j2", len(full) - 50, user_dir=tmp_path, full_report_url=URL)
    assert len(text) <= len(full) - 50
    blocks_are_whole(text)
    lines = text.rstrip("\n").split("\n")
    assert lines[-1] == "<!-- testrelay:comment key=default -->"
    assert lines[-2] == f"<sub>✂️ Cut to fit {len(full) - 50:,} characters; [full report]({URL})</sub>"
    assert "| 199 | x |" in text  # the whole table kept, the <details> below it dropped whole
    assert "<details>" not in text and "line 0" not in text


def test_hard_cut_never_inside_a_fence_table_or_details():
    text = "\n".join([
        "para", "", "| h |", "|--|", "| 1 |", "| 2 |", "", "```", "a", "b", "```", "",
        "<details><summary>s</summary>", "", "x", "</details>", "end",
    ])
    note = "NOTE"
    for size in range(len(note) + 2, len(text) + 10):
        out = hard_cut(text, Limit(size), note=note)
        assert len(out) <= size
        blocks_are_whole(out)
        kept = out.rstrip("\n").split("\n")
        assert kept[-1] == note or out == text
        assert kept[0] in ("para", note)


def test_hard_cut_tiny_limit_keeps_the_marker_when_it_can():
    out = hard_cut("a\nb\n<!-- m -->\n", Limit(12), note="a long note that does not fit")
    assert out == "<!-- m -->\n"


def test_note_says_where_the_full_report_is_without_a_url():
    report = build(run_of(*(failing(f"t{i}", details=TRACE) for i in range(30))), max_failures=30,
                   meta=ReportMeta())
    text = fit(report, "comment.md.j2", 20_000)
    assert len(text) <= 20_000
    assert "The full report is in the job's report.md and report.json." in text


def test_texts_with_an_uploaded_report_link_it_in_every_destination():
    from testrelay.texts import FittedTexts

    uploaded = "https://gitlab.example.com/api/v4/projects/7/packages/generic/testrelay/88/report.md"
    texts = FittedTexts(BIG, provider="gitlab").with_report_url(uploaded)
    assert texts.report.meta.report_url == uploaded and BIG.meta.report_url != uploaded
    for destination in ("gitlab-note", "local-comment", "job-summary"):
        text = texts.text(destination)
        assert f"({uploaded})" in text and f"({BIG.meta.report_url})" not in text, destination
