from __future__ import annotations

import os
from pathlib import Path

from testrelay.results.collect import collect, expand, split_patterns


def make(root: Path, *paths: str) -> None:
    for p in paths:
        target = root / p
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("<testsuite/>")


def rel(root: Path, files: list[str]) -> list[str]:
    return [os.path.relpath(f, root) for f in files]


def test_globstar_crosses_directories_and_keeps_hidden_ones(tmp_path: Path) -> None:
    make(tmp_path, "a/TEST-one.xml", "a/b/c/TEST-two.xml", ".build/TEST-three.xml", "a/notes.txt")
    files = expand(["**/*.xml"], str(tmp_path))
    assert rel(tmp_path, files) == [".build/TEST-three.xml", "a/TEST-one.xml", "a/b/c/TEST-two.xml"]


def test_results_are_sorted_and_without_duplicates(tmp_path: Path) -> None:
    make(tmp_path, "z.xml", "m/a.xml", "b.xml")
    files = expand(["*.xml", "**/*.xml", "b.xml", "./b.xml"], str(tmp_path))
    assert rel(tmp_path, files) == ["b.xml", "m/a.xml", "z.xml"]


def test_exclusions_and_braces(tmp_path: Path) -> None:
    make(tmp_path, "web/node_modules/dep/junit.xml", "web/junit.xml", "api/results.trx", "api/results.json")
    files = expand(["**/*.{xml,trx}", "!**/node_modules/**"], str(tmp_path))
    assert rel(tmp_path, files) == ["api/results.trx", "web/junit.xml"]


def test_node_modules_is_not_special_unless_excluded(tmp_path: Path) -> None:
    make(tmp_path, "node_modules/pkg/report.xml")
    assert rel(tmp_path, expand(["**/*.xml"], str(tmp_path))) == ["node_modules/pkg/report.xml"]


def test_directories_are_skipped_even_when_named_like_files(tmp_path: Path) -> None:
    make(tmp_path, "reports.xml/inner.xml")
    assert rel(tmp_path, expand(["*.xml", "**/*.xml"], str(tmp_path))) == ["reports.xml/inner.xml"]


def test_each_pattern_that_finds_nothing_is_named(tmp_path: Path) -> None:
    make(tmp_path, "out/junit.xml")
    found = collect(["out/*.xml", "missing/**/*.xml"], str(tmp_path))
    assert rel(tmp_path, list(found.files)) == ["out/junit.xml"]
    assert [u.pattern for u in found.unmatched] == ["missing/**/*.xml"]
    assert "no file matches this pattern" in found.unmatched[0].reason
    assert str(tmp_path) in found.unmatched[0].reason


def test_a_directory_pattern_suggests_a_glob(tmp_path: Path) -> None:
    make(tmp_path, "target/surefire-reports/TEST-a.xml")
    found = collect(["target/surefire-reports"], str(tmp_path))
    assert found.files == ()
    assert "names a directory" in found.unmatched[0].reason
    assert "'target/surefire-reports/**/*.xml'" in found.unmatched[0].reason


def test_a_pattern_emptied_by_exclusions_says_so(tmp_path: Path) -> None:
    make(tmp_path, "node_modules/x/junit.xml")
    found = collect(["**/junit.xml", "!**/node_modules/**"], str(tmp_path))
    assert found.files == ()
    assert "exclusions" in found.unmatched[0].reason and "!**/node_modules/**" in found.unmatched[0].reason


def test_absolute_patterns_and_default_base(tmp_path: Path, monkeypatch) -> None:
    make(tmp_path, "r/a.xml")
    assert expand([str(tmp_path / "r" / "*.xml")], "/") == [str(tmp_path / "r" / "a.xml")]
    monkeypatch.chdir(tmp_path)
    assert expand(["r/*.xml"]) == ["r/a.xml"]


def test_blank_patterns_are_dropped_and_only_exclusions_flagged(tmp_path: Path) -> None:
    assert split_patterns(["a/*.xml", "  ", "", "!b/**", "!"]) == (["a/*.xml", "!"], ["b/**"])
    found = collect(["!**/node_modules/**"], str(tmp_path))
    assert found.nothing_included and found.files == ()


def test_named_files_are_taken_without_a_directory_walk_and_exclusions_still_apply(tmp_path, monkeypatch):
    from testrelay.results import collect as collect_module

    for name in ("a.xml", "b.xml"):
        (tmp_path / name).write_text("<testsuite/>")
    walks = []
    real_glob = collect_module.glob.glob
    monkeypatch.setattr(collect_module.glob, "glob", lambda *a, **k: walks.append(a) or real_glob(*a, **k))
    found = collect_module.collect(["a.xml", "b.xml", "!b.xml"], str(tmp_path))
    assert [os.path.basename(f) for f in found.files] == ["a.xml"]
    assert [u.pattern for u in found.unmatched] == ["b.xml"]
    assert {w[0] for w in walks} == {"b.xml"}  # only the excluded name was walked, to say why it matched nothing


def test_sizes_come_with_the_files_and_only_regular_files_are_kept(tmp_path: Path) -> None:
    make(tmp_path, "a.xml", "sub/b.xml")
    (tmp_path / "big.xml").write_bytes(b"x" * 5000)
    os.mkfifo(tmp_path / "pipe.xml")  # reading a named pipe would wait forever
    (tmp_path / "link.xml").symlink_to(tmp_path / "big.xml")
    (tmp_path / "dangling.xml").symlink_to(tmp_path / "gone.xml")
    found = collect(["**/*.xml", "pipe.xml"], str(tmp_path))
    assert rel(tmp_path, list(found.files)) == ["a.xml", "big.xml", "link.xml", "sub/b.xml"]
    assert found.sizes == (12, 5000, 5000, 12)
    assert [u.pattern for u in found.unmatched] == ["pipe.xml"]


def test_a_pattern_that_finds_only_files_another_found_is_not_unmatched(tmp_path: Path) -> None:
    make(tmp_path, "r/a.xml")
    found = collect(["r/*.xml", "**/a.xml", "r/a.xml"], str(tmp_path))
    assert rel(tmp_path, list(found.files)) == ["r/a.xml"] and found.unmatched == ()
