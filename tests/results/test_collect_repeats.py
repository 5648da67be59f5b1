"""collect() names each file once, however many patterns (or brace alternatives) reach it."""

from __future__ import annotations

from pathlib import Path

from testrelay.results.collect import collect


def test_a_file_reached_several_ways_is_listed_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/r.xml", "a/s.xml", "t.xml"):
        (tmp_path / name).write_text("<testsuite/>")
    found = collect(["a/{r,r,s}.xml", "**/r.xml", "a/r.xml", "{a,a}/*.xml", "**/*.xml"], str(tmp_path))
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found.files] == ["a/r.xml", "a/s.xml", "t.xml"]
    assert found.unmatched == ()


def test_relative_and_dotted_matches_under_the_current_directory_are_one_path(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "r.xml").write_text("<testsuite/>")
    monkeypatch.chdir(tmp_path)
    found = collect(["./d/r.xml", "d/../d/*.xml", "d/*.xml"])
    assert found.files == ("d/r.xml",)
