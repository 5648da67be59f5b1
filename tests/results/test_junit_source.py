"""The JUnit parser's XML source: what it refuses, what it repairs, which encodings it reads."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from testrelay.errors import InputError
from testrelay.results.formats import head_of, parse_file
from testrelay.results.junit import parse
from testrelay.results.model import Result
from testrelay.results.xmlsource import MalformedXML

SUITE = '<testsuite name="s" tests="2"><testcase name="ok" classname="k"/>{extra}</testsuite>'


def write(tmp_path: Path, text: str | bytes, name: str = "r.xml") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_entity_declarations_are_refused_even_past_the_head(tmp_path: Path) -> None:
    # A comment longer than the 8 KiB head pushes the declaration out of the prolog check's sight.
    padding = "<!--" + "x" * 10_000 + "-->"
    doc = f'<?xml version="1.0"?>{padding}<!DOCTYPE testsuite [<!ENTITY e "boom">]><testsuite name="&e;"/>'
    with pytest.raises(MalformedXML, match="entity and DTD declarations are not allowed") as info:
        parse(write(tmp_path, doc))
    assert info.value.line == 1 and "r.xml" in str(info.value)


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    doc = f'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY l0 "lol">{lol}]><testsuite name="&l9;"/>'
    started = time.perf_counter()
    with pytest.raises(MalformedXML, match="not allowed"):
        parse(write(tmp_path, doc))
    assert time.perf_counter() - started < 1.0


def test_external_entities_and_dtds_are_never_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    # An external DTD: not fetched; the document is read without it.
    doc = f'<?xml version="1.0"?><!DOCTYPE testsuite SYSTEM "file://{secret}">' + SUITE.format(extra="")
    rf = parse(write(tmp_path, doc, "dtd.xml"))
    assert rf.totals.tests == 1
    # A reference to an external entity is refused, never resolved, whatever the head shows.
    padding = "<!--" + "x" * 10_000 + "-->"
    doc = (
        f'<?xml version="1.0"?>{padding}<!DOCTYPE testsuite [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<testsuite name="s"><testcase name="a">&x;</testcase></testsuite>'
    )
    with pytest.raises(MalformedXML) as info:
        parse(write(tmp_path, doc, "ext.xml"))
    assert "TOP SECRET" not in str(info.value)


def test_control_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    extra = '<testcase name="noisy" classname="k"><system-out>bell\x07 and &#x1b;[31m</system-out></testcase>'
    rf = parse(write(tmp_path, SUITE.format(extra=extra)))
    assert rf.totals.tests == 2
    noisy = next(c for c in rf.cases() if c.name == "noisy")
    assert noisy.stdout == "bell and [31m"
    assert len(rf.warnings) == 1 and "control characters" in rf.warnings[0]


def test_malformed_file_reports_the_first_error_position(tmp_path: Path) -> None:
    doc = '<testsuite name="s">\n<testcase name="a">\n</testsuite>\n'
    with pytest.raises(MalformedXML) as info:
        parse(write(tmp_path, doc))
    assert (info.value.line, info.value.column) == (3, 3)
    assert "mismatched tag" in info.value.reason


def test_truncated_and_empty_files_are_malformed(tmp_path: Path) -> None:
    for text in ('<testsuite name="s"><testcase name="a"/>', ""):
        with pytest.raises(MalformedXML, match="empty or truncated XML document"):
            parse(write(tmp_path, text))


def test_size_limit_applies(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="over the limit"):
        parse(write(tmp_path, SUITE.format(extra="")), max_bytes=10)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-8", b"\xef\xbb\xbf"), ("utf-8", b"")],
)
def test_unicode_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    doc = '<?xml version="1.0"?><testsuite name="s"><testcase name="naïve ✓" classname="k"/></testsuite>'
    rf = parse(write(tmp_path, bom + doc.encode(encoding)))
    assert [c.name for c in rf.cases()] == ["naïve ✓"] and rf.warnings == ()


def test_declared_single_byte_encoding(tmp_path: Path) -> None:
    doc = (
        '<?xml version="1.0" encoding="windows-1252"?>'
        '<testsuite name="s"><testcase name="costs €5 – café"><failure message="„quoted“"/></testcase></testsuite>'
    )
    rf = parse(write(tmp_path, doc.encode("cp1252")))
    (case,) = rf.cases()
    assert case.name == "costs €5 – café" and case.message == "„quoted“"
    assert case.result is Result.FAILED and rf.warnings == ()


def test_declared_multi_byte_encoding_is_transcoded(tmp_path: Path) -> None:
    doc = '<?xml version="1.0" encoding="Shift_JIS"?><testsuite name="スイート"><testcase name="テスト"/></testsuite>'
    rf = parse(write(tmp_path, doc.encode("shift_jis")))
    assert [(c.suite, c.name) for c in rf.cases()] == [("スイート", "テスト")] and rf.warnings == ()


@pytest.mark.parametrize(
    "doc",
    [
        '<testsuite name="s"><testcase name="a"/></testsuite>',
        '<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results/></TestRun>',
    ],
)
def test_an_encoding_no_codec_knows_is_a_clear_error(tmp_path: Path, doc: str) -> None:
    path = write(tmp_path, ('<?xml version="1.0" encoding="UTF-d"?>\n' + doc).encode())
    with pytest.raises(MalformedXML, match=r"names an encoding no codec knows \(UTF-d\)") as err:
        parse_file(path)
    assert (err.value.line, err.value.column) == (1, 1)


def test_prefixed_tags_are_read_by_their_local_names(tmp_path: Path) -> None:
    doc = (
        '<j:testsuites xmlns:j="urn:example:junit"><j:testsuite name="s">'
        '<j:testcase name="a"><j:skipped message="later"/></j:testcase>'
        '<j:testcase name="b"><j:error message="boom">trace</j:error></j:testcase>'
        "</j:testsuite></j:testsuites>"
    )
    rf = parse(write(tmp_path, doc))
    results = {c.name: (c.result, c.message) for c in rf.cases()}
    assert results == {"a": (Result.SKIPPED, "later"), "b": (Result.ERROR, "boom")}


def test_a_file_changed_after_sniffing_is_read_as_it_is_now(tmp_path: Path) -> None:
    path = write(tmp_path, SUITE.format(extra=""))
    assert head_of(path).root == "testsuite"  # sniffing keeps the small file's bytes for the parse
    Path(path).write_text(SUITE.format(extra='<testcase name="late" classname="k"/>'), encoding="utf-8")
    assert [c.name for c in parse(path).cases()] == ["ok", "late"]
    assert [c.name for c in parse_file(path).cases()] == ["ok", "late"]
