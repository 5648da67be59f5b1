"""Reading XML result files safely: no entities, no DTDs, no network, bounded size.

Runners leave control characters from captured output in their XML, which XML 1.0
forbids. The fast path hands the file straight to lxml; only when lxml trips over
such characters (or bad UTF-8) is the file read again through a cleaning stream,
with a warning, so well-formed files never pay for the cleaning.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from lxml import etree

from ..errors import InputError

T = TypeVar("T")

DEFAULT_MAX_BYTES = 2 * 1024**3
HEAD_BYTES = 8192

# Control characters XML 1.0 forbids, raw or as character references.
_CONTROL = {c: None for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)}
_BAD_CHAR_REF = re.compile(
    r"&#(?:x0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|6553[45]));"
)
_DECL_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([A-Za-z0-9._-]+)\2""")


class MalformedXML(InputError):
    """A result file that is not well-formed XML; carries the position of the fault."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None) -> None:
        where = path if line is None else f"{path}:{line}:{column or 0}"
        super().__init__(f"{where}: {message}", hint="fix or regenerate the file; the other files are still read")
        self.path = path
        self.reason = message
        self.line = line
        self.column = column


# The last small file read whole by read_head(keep_whole=True), so that the parse that follows the
# sniff at once (formats.parse_file) needs no second open or stat: (path, bytes). One entry, taken by
# the first use; the parser reads the very bytes the format was judged by.
_last_whole: tuple[str, bytes] | None = None


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)


def read_head(path: str, size: int = HEAD_BYTES, *, keep_whole: bool = False) -> bytes:
    """The first `size` bytes of the file (all of it if smaller).

    Read with os-level calls: for thousands of small files, a buffered file object
    per file cost more than the read itself.
    """
    global _last_whole
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        head = os.read(fd, size)
        while 0 < len(head) < min(size, st.st_size):  # some file systems read in parts
            more = os.read(fd, size - len(head))
            if not more:
                break
            head += more
        _last_whole = (path, head) if keep_whole and len(head) < size else None  # the whole file
    finally:
        os.close(fd)
    return head


def take_whole(path: str) -> bytes | None:
    """The file's bytes if read_head has just read all of it."""
    global _last_whole
    last, _last_whole = _last_whole, None
    if last is not None and last[0] == path:
        return last[1]
    return None


def sniff_encoding(head: bytes) -> str:
    """The encoding of a document from its BOM, its first bytes, or its declaration."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    m = _DECL_ENCODING.match(head)
    if m:
        name = m.group(3).decode("ascii").lower()
        try:
            codecs.lookup(name)
        except LookupError:
            return "utf-8"
        # A declaration saying UTF-16 on a file without a BOM or NUL bytes is a lie.
        return "utf-8" if name.startswith("utf-16") else name
    return "utf-8"


def head_text(head: bytes) -> str:
    """The start of a file as text, for sniffing its format."""
    return head.decode(sniff_encoding(head), errors="replace").lstrip("\ufeff")


_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")


def root_tag(text: str) -> str | None:
    """The root element's local name, skipping the prolog; None if not XML."""
    pos = 0
    while True:
        m = _PROLOG.match(text, pos)
        if not m:
            break
        pos = m.end()
    m = _ROOT.match(text, pos)
    if not m:
        return None
    return m.group(1).rsplit(":", 1)[-1]


def check_prolog(path: str, head: bytes) -> None:
    """Refuse a file whose prolog declares entities (or a DTD too odd to find the root after)."""
    # No declaration at all in an 8-bit head: nothing to decode and look at. The one-byte search
    # for "!" comes first: it is a memchr, where a search for "<!" crawls through every "<".
    if (b"!" not in head or b"<!" not in head) and b"\x00" not in head:
        return
    text = head_text(head)
    if "<!ENTITY" in text or ("<!DOCTYPE" in text and root_tag(text) is None):
        raise MalformedXML(path, "entity and DTD declarations are not allowed in result files (XML entity attack?)")


def check_size(path: str, max_bytes: int) -> int:
    size = os.path.getsize(path)
    if size > max_bytes:
        raise InputError(
            f"{path}: file is {size / 1024**2:,.0f} MiB, over the limit of {max_bytes / 1024**2:,.0f} MiB",
            hint="raise `max_file_size` in the config if this file is expected",
        )
    return size


class _CleaningReader:
    """A file-like object that yields the document as UTF-8 with forbidden characters removed."""

    def __init__(self, path: str) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        head = self._fh.read(HEAD_BYTES)
        self._fh.seek(0)
        self._decoder = codecs.getincrementaldecoder(sniff_encoding(head))(errors="replace")
        self._first = True
        self._pending = ""
        self._buffer = b""
        self._eof = False

    def _next_chunk(self) -> bytes:
        raw = self._fh.read(1 << 20)
        text = self._pending + self._decoder.decode(raw, final=not raw)
        self._pending = ""
        if raw:
            # A character reference cut at the chunk end is finished by the next chunk.
            amp = text.rfind("&", max(0, len(text) - 12))
            if amp != -1 and ";" not in text[amp:]:
                text, self._pending = text[:amp], text[amp:]
        else:
            self._eof = True
        text = _BAD_CHAR_REF.sub("", text).translate(_CONTROL).replace("\ufffd", "?")
        data = text.encode("utf-8")
        if self._first:
            self._first = False
            data = data.lstrip(codecs.BOM_UTF8)
            data = _DECL_ENCODING.sub(rb"\1\2UTF-8\2", data, count=1)
        return data

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._buffer) < size):
            self._buffer += self._next_chunk()
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def close(self) -> None:
        self._fh.close()


def _iterparse(source: Any, events: tuple[str, ...], tag: Any) -> Iterator[tuple[str, Any]]:
    return etree.iterparse(
        source,
        events=events,
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_xml(
    path: str,
    consume: Callable[[Iterator[tuple[str, Any]]], T],
    *,
    events: tuple[str, ...] = ("end",),
    tag: Any = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[T, list[str]]:
    """Stream `path` through lxml's iterparse into `consume`; returns its value and warnings.

    `consume` may be called twice: a file with forbidden control characters is read
    again through the cleaning stream. Raises MalformedXML or InputError.
    """
    check_size(path, max_bytes)
    try:
        head = read_head(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    check_prolog(path, head)
    try:
        with open(path, "rb") as fh:
            return consume(_iterparse(fh, events, tag)), []
    except etree.XMLSyntaxError as exc:
        first_error = exc
    # libxml2 words the same fault differently by context, so any syntax error gets
    # one more try through the cleaning stream; the first error is the one reported.
    reader = _CleaningReader(path)
    try:
        value = consume(_iterparse(reader, events, tag))
    except etree.XMLSyntaxError:
        raise _malformed(path, first_error) from None
    finally:
        reader.close()
    return value, [cleaned_warning(path)]


def cleaned_warning(path: str) -> str:
    return f"{path}: removed control characters or invalid bytes that XML does not allow"


def _malformed(path: str, exc: etree.XMLSyntaxError) -> MalformedXML:
    line, column = exc.position if exc.position and exc.position[0] > 0 else (None, None)
    message = re.sub(r",? line \d+, column \d+\s*$", "", str(exc.msg or exc)).strip()
    if "huge text node" in message:
        message += " (a text node over 10 MB, probably captured output; trim the runner's output)"
    if "Document is empty" in message or "no element found" in message:
        message = "empty or truncated XML document"
    return MalformedXML(path, message, line, column)
