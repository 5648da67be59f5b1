"""The shared JSON/line source: bounding output, encodings, line streams, warnings cap."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from testrelay.results import dart_json, gotest_json, tap
from testrelay.results.jsonsource import TextBuffer, Warnings, clip, iter_json_lines, iter_lines


def test_clip_keeps_head_and_tail_with_a_marker():
    text = "".join(f"{i:05d}\n" for i in range(10000))
    out = clip(text, limit=1000)
    assert out.startswith("00000\n") and out.endswith("09999\n")
    assert "[… 59,000 characters cut by testrelay …]" in out
    assert clip("short", limit=1000) == "short"


@given(st.lists(st.text(max_size=300), max_size=60), st.integers(min_value=2, max_value=500))
@settings(max_examples=150, deadline=None)
def test_text_buffer_matches_clip(pieces, limit):
    buffer = TextBuffer(limit)
    for piece in pieces:
        buffer.append(piece)
    whole = "".join(pieces)
    assert buffer.value() == clip(whole, limit)


def test_warnings_are_capped(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text("not json\n" * 500)
    warnings = Warnings(str(path), limit=10)
    assert list(iter_json_lines(str(path), 10**6, warnings)) == []
    items = warnings.as_tuple()
    assert len(items) == 11 and items[-1].endswith("… and 490 more warnings like these")
    assert items[0] == f"{path}: line 1: not a JSON line, skipped: 'not json'"


def test_crlf_and_utf16_line_streams(tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"ok 1\r\nok 2\r\n")
    assert list(iter_lines(str(crlf), 100, Warnings("x"), skip_undecodable=True)) == [(1, "ok 1"), (2, "ok 2")]
    wide = tmp_path / "wide.txt"
    wide.write_bytes("a\nb\n".encode("utf-16"))
    assert list(iter_lines(str(wide), 100, Warnings("x"), skip_undecodable=True)) == [(1, "a"), (2, "b")]


def test_size_limit_is_an_input_error(tmp_path):
    from testrelay.errors import InputError

    path = tmp_path / "big.jsonl"
    path.write_text("{}\n" * 1000)
    try:
        list(iter_json_lines(str(path), 100, Warnings(str(path))))
    except InputError as exc:
        assert "over the limit" in str(exc) and str(path) in str(exc)
    else:
        raise AssertionError("no error for a file over the size limit")


_tap_line = st.one_of(
    st.sampled_from(["TAP version 14", "1..3", "ok", "not ok 2 - x # TODO", "ok 3 # skip", "  ---", "  ...",
                     "    ok 1 - sub", "    1..2", "# Subtest: s", "Bail out!", "  message: m", "    # Subtest"]),
    st.text(max_size=40),
)


@given(st.lists(_tap_line, max_size=40))
@settings(max_examples=150, deadline=None)
def test_tap_parser_never_crashes(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("tap") / "t.tap"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    rf = tap.parse(str(path))
    assert rf.totals.tests == sum(1 for _ in rf.cases())


_event = st.fixed_dictionaries(
    {},
    optional={
        "Action": st.sampled_from(["run", "pass", "fail", "skip", "output", "pause", "cont", "start", "bogus"]),
        "Package": st.sampled_from(["p", "q"]),
        "Test": st.sampled_from(["TestA", "TestA/x", "TestB", ""]),
        "Output": st.text(max_size=20),
        "Elapsed": st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=3)),
        "type": st.sampled_from(["testStart", "testDone", "error", "print", "suite", "done"]),
        "testID": st.integers(0, 3),
        "test": st.fixed_dictionaries({"id": st.integers(0, 3), "name": st.text(max_size=10)}),
        "result": st.sampled_from(["success", "failure", "error", None]),
        "time": st.integers(0, 100),
    },
)


@given(st.lists(st.one_of(_event, st.integers(), st.lists(st.integers(), max_size=2)), max_size=30))
@settings(max_examples=150, deadline=None)
def test_stream_parsers_never_crash(tmp_path_factory, events):
    path = tmp_path_factory.mktemp("nd") / "e.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in events) + "\n")
    for module in (gotest_json, dart_json):
        rf = module.parse(str(path))
        assert rf.totals.tests == sum(1 for _ in rf.cases())
