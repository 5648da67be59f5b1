"""Sniffing by root: the SNIFF_ROOTS table changes which sniffers see a file, never the format found.

The table is a promise about each sniffer (it says no to any other root); these tests hold every
entry to it on the real files under tests/ and on their heads with the root swapped, and check that
the shortcuts of `head_of` (one regex for a declaration and root, the cached declared encoding)
give what `root_tag` and `head_text` give.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testrelay.results import formats
from testrelay.results.formats import SNIFF_ROOTS, Head, detect, head_of, sniffer_key, sniffers_for
from testrelay.results.xmlsource import head_text, read_head, root_tag

TESTS = Path(__file__).resolve().parents[1]
FILES = sorted(p for p in TESTS.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _by_every_sniffer(head: Head) -> formats.Format | None:
    """What detect() gave before the table: every sniffer in turn."""
    for fmt in formats.formats():
        if fmt.sniff(head):
            return fmt
    return None


def test_table_names_every_registered_sniffer_and_nothing_else():
    keys = [sniffer_key(fmt.sniff) for fmt in formats.formats()]
    assert sorted(keys) == sorted(SNIFF_ROOTS)
    assert len(set(keys)) == len(keys)


def test_a_junit_file_meets_only_the_junit_sniffer():
    assert [f.name for f in sniffers_for("testsuite")] == ["junit"]
    # Check writes a <testsuites> root too, in its own namespace; its sniffer comes first.
    assert [f.name for f in sniffers_for("testsuites")] == ["check", "junit"]
    assert [f.name for f in sniffers_for("TestRun")] == ["trx", "cppunit"]
    assert sniffers_for("no-format-has-this-root") == ()
    assert "junit" not in [f.name for f in sniffers_for(None)]


def test_a_sniffer_not_in_the_table_sees_every_file(monkeypatch: pytest.MonkeyPatch):
    own = formats.Format("own", lambda head: head.root == "mine", lambda path, **_: None)  # type: ignore[arg-type,return-value]
    junit = formats.by_name("junit")
    assert junit is not None
    registry = (own, junit)
    monkeypatch.setattr(formats, "formats", lambda: registry)
    assert sniffers_for("mine") == (own,)
    assert sniffers_for("testsuite") == (own, junit)
    assert sniffers_for(None) == (own,)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTS)))
def test_every_file_under_tests_is_detected_as_by_every_sniffer(path: Path):
    head = head_of(str(path))
    assert detect(str(path)) is _by_every_sniffer(head)


ROOTS = [*sorted({r for listed in SNIFF_ROOTS.values() for r in listed if r is not None}), "other", None]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTS)))
def test_each_sniffer_says_no_to_a_root_it_does_not_list(path: Path):
    head = head_of(str(path))
    for fmt in formats.formats():
        listed = SNIFF_ROOTS[sniffer_key(fmt.sniff)]
        for root in ROOTS:
            if root not in listed:
                assert not fmt.sniff(Head(head.path, head.text, root)), (fmt.name, root)


@pytest.mark.parametrize(
    "text",
    [
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="a"/>',
        "<?xml version='1.0'?><ns2:testsuites xmlns:ns2='urn:x'/>",
        '<?xml version="1.0"?>\n<!-- written by a tool -->\n<testsuite/>',
        '<?xml version="1.0"?>\n<!DOCTYPE testsuite [<!ELEMENT a ANY>]>\n<testsuite/>',
        '<?xml version="1.0"?><?xml-stylesheet href="a.xsl"?><TestRun/>',
        '<?xml version="1.0" x=">"?><testsuite/>',
        '<?xml version="1.0"?>',
        '<?xml version="1.0"?>\n   <_under.score-1/>',
        "\n\n  <testsuites/>",
        "<testsuite/>",
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<testsuite name='caf\u00e9'/>",
    ],
)
def test_head_of_gives_the_root_and_text_the_general_readers_give(tmp_path: Path, text: str):
    encoding = "iso-8859-1" if "ISO-8859-1" in text else "utf-8"
    path = tmp_path / "r.xml"
    path.write_bytes(text.encode(encoding))
    head = head_of(str(path))
    expected_text = head_text(read_head(str(path)))
    assert head.text == expected_text
    stripped = expected_text.lstrip()
    assert head.root == (root_tag(stripped) if stripped.startswith("<") else None)


def test_the_declared_encoding_is_remembered_per_declaration(tmp_path: Path):
    latin = tmp_path / "latin.xml"
    latin.write_bytes('<?xml version="1.0" encoding="latin-1"?>\n<testsuite name="\u00e9"/>'.encode("latin-1"))
    utf8 = tmp_path / "utf8.xml"
    utf8.write_bytes('<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="\u00e9"/>'.encode())
    for _ in range(2):  # the second time from the remembered declarations
        assert 'name="\u00e9"' in head_of(str(latin)).text
        assert 'name="\u00e9"' in head_of(str(utf8)).text
    bom = tmp_path / "bom.xml"
    bom.write_bytes(codecs.BOM_UTF16_LE + '<?xml version="1.0" encoding="UTF-16"?><testsuite/>'.encode("utf-16-le"))
    assert head_of(str(bom)).root == "testsuite"


_name = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}(:[A-Za-z_][A-Za-z0-9_.-]{0,8})?", fullmatch=True)
_space = st.sampled_from(["", " ", "\n", "\r\n  ", "\t"])
_prolog_item = st.one_of(
    st.builds(lambda v: f'<?xml version="{v}"?>', st.sampled_from(["1.0", "1.1"])),
    st.builds(lambda e: f'<?xml version="1.0" encoding="{e}"?>', st.sampled_from(["UTF-8", "utf-8", "ascii", "bogus"])),
    st.just("<!-- a comment > with a bracket -->"),
    st.just("<?pi data?>"),
    st.just("<!DOCTYPE testsuite>"),
)


@settings(max_examples=150, deadline=None)
@given(items=st.lists(st.tuples(_space, _prolog_item), max_size=3), space=_space, root=_name)
def test_head_of_matches_root_tag_on_generated_prologs(tmp_path_factory, items, space, root):
    text = "".join(s + item for s, item in items) + space + f"<{root} a='1'/>"
    path = tmp_path_factory.mktemp("gen") / "f.xml"
    path.write_bytes(text.encode("utf-8"))
    head = head_of(str(path))
    assert head.text == head_text(read_head(str(path)))
    assert head.root == root_tag(head.text.lstrip())
