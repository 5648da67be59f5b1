"""Reading large XML result files through pyexpat, safely and without building a tree.

lxml's iterparse builds an element for every node and hands it to Python, so a
parser that reads each case's attributes already costs 1.5x a bare pass before it
builds anything. pyexpat calls Python once per start and end tag with the
attributes as a dict, and text reaches Python only while a handler asks for it,
which is what a format that wants a few attributes per case and the text of the
rare failure needs.

The guards are defusedxml's: entity declarations (the way to entity bombs and
external entities) are refused, no DTD or external entity is ever loaded, and the
size limit and the prolog check of `xmlsource` apply. A file expat rejects is read
once more through `xmlsource`'s cleaning stream (control characters from captured
output, invalid bytes), with a warning; if that fails too, the first error is reported.
"""

from __future__ import annotations

import gc
import os
import pyexpat
from collections.abc import Callable
from typing import Any, BinaryIO, Protocol, TypeVar

from ..errors import InputError
from . import accelerated
from .accelerated import Refused as _Refused
from .xmlsource import (
    DEFAULT_MAX_BYTES,
    HEAD_BYTES,
    MalformedXML,
    _CleaningReader,
    check_prolog,
    cleaned_warning,
    take_whole,
)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

_BUFFER = 1 << 17  # expat's text buffer and read size: fewer, larger text callbacks
_WHOLE_FILE = 1 << 20  # files up to this size are read in one call
NAMESPACE_SEPARATOR = "}"
_REFUSED = "entity and DTD declarations are not allowed in result files (XML entity attack?)"


class Target(Protocol[T_co]):
    """What reads one document: installs its handlers on a parser, then gives its value.

    A target whose handlers refer to one another (to switch between sets of handlers)
    may also have a `release()` method, called after every parse, that breaks those cycles.
    """

    def attach(self, parser: Any) -> None: ...

    def result(self) -> T_co: ...


def _refuse(*_args: object) -> None:
    raise _Refused


def new_parser(namespaces: bool = False) -> Any:
    """An expat parser that loads nothing from outside and refuses entity declarations.

    With `namespaces`, element names arrive as `uri}local` (`local` outside any namespace).
    """
    parser = pyexpat.ParserCreate(namespace_separator=NAMESPACE_SEPARATOR if namespaces else None)
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.buffer_text = True
    parser.buffer_size = _BUFFER
    return parser


def read_expat(
    path: str,
    new_target: Callable[[], Target[T]],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    namespaces: bool = False,
    fast: bool = False,
) -> tuple[T, list[str]]:
    """Stream `path` through a safe expat parser into a fresh target; its value and warnings.

    `new_target` may be called more than once: a file expat rejects is read again through the
    cleaning stream; `namespaces` as for `new_parser`. With `fast` (the JUnit reader), the
    compiled `accelerated.FastParser` reads the file where this install has it. The cyclic GC
    is paused meanwhile: the records built hold no cycles, and each collection would walk every
    one built so far. Raises MalformedXML or InputError.
    """
    data = take_whole(path)  # a small file sniffed a moment ago: no second open or stat
    if data is not None:
        size = len(data)
    else:
        try:
            size = os.stat(path).st_size
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if size > max_bytes:
        raise InputError(
            f"{path}: file is {size / 1024**2:,.0f} MiB, over the limit of {max_bytes / 1024**2:,.0f} MiB",
            hint="raise `max_file_size` in the config if this file is expected",
        )
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        if data is not None:
            check_prolog(path, data[:HEAD_BYTES])
            return _parse_bytes(path, data, new_target, namespaces, fast)
        return _read(path, size, new_target, namespaces, fast)
    except LookupError as exc:  # pyexpat asks Python's codecs for an encoding expat lacks, and none has it
        name = str(exc).rpartition(": ")[2]
        raise MalformedXML(path, f"the XML declaration names an encoding no codec knows ({name})", 1, 1) from None
    finally:
        if was_enabled:
            gc.enable()


def _read(
    path: str, size: int, new_target: Callable[[], Target[T]], namespaces: bool, fast: bool
) -> tuple[T, list[str]]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    with fh:
        # A small file is read in one call and parsed from memory: for the many-small-files
        # case the calls per file matter more than the bytes.
        source: BinaryIO | bytes = fh.read() if size <= _WHOLE_FILE else fh
        head = source[:HEAD_BYTES] if isinstance(source, bytes) else fh.read(HEAD_BYTES)
        check_prolog(path, head)
        if isinstance(source, bytes):
            return _parse_bytes(path, source, new_target, namespaces, fast)
        fh.seek(0)
        try:
            return _run(path, new_target, fh, namespaces, fast), []
        except pyexpat.ExpatError as exc:
            first_error = exc
        except ValueError as exc:
            _multi_byte_or_raise(exc)
            return _through_cleaning(path, new_target, None, namespaces), []
    return _through_cleaning(path, new_target, first_error, namespaces), [cleaned_warning(path)]


def _parse_bytes(
    path: str, data: bytes, new_target: Callable[[], Target[T]], namespaces: bool, fast: bool = False
) -> tuple[T, list[str]]:
    try:
        return _run(path, new_target, data, namespaces, fast), []
    except pyexpat.ExpatError as exc:
        return _through_cleaning(path, new_target, exc, namespaces), [cleaned_warning(path)]
    except ValueError as exc:
        _multi_byte_or_raise(exc)
        return _through_cleaning(path, new_target, None, namespaces), []


def _multi_byte_or_raise(exc: ValueError) -> None:
    # pyexpat reads only single-byte encodings beside UTF-8/16: Shift_JIS, GBK and the like go
    # through the transcoding stream, which is no fault of the file (and earns no warning).
    if "multi-byte" not in str(exc):
        raise exc


def _through_cleaning(
    path: str, new_target: Callable[[], Target[T]], first: pyexpat.ExpatError | None, namespaces: bool
) -> T:
    # Control characters and invalid bytes are the usual faults, but any error gets one more
    # try: the cleaning stream also fixes what they break later in the document.
    reader = _CleaningReader(path)
    try:
        return _run(path, new_target, reader, namespaces)
    except pyexpat.ExpatError as exc:
        raise _malformed(path, first or exc) from None
    finally:
        reader.close()


def _run(
    path: str,
    new_target: Callable[[], Target[T]],
    source: BinaryIO | _CleaningReader | bytes,
    namespaces: bool,
    fast: bool = False,
) -> T:
    if fast and accelerated.FastParser is not None and not namespaces:
        try:
            return _run_with(path, new_target, source, accelerated.FastParser())
        except pyexpat.ExpatError:
            # A file expat rejects is read again through pyexpat, whose messages, encodings and
            # recovery are the reference; only well-formed files take the fast path to its end.
            if not isinstance(source, bytes):
                source.seek(0)
    return _run_with(path, new_target, source, new_parser(namespaces))


def _run_with(
    path: str, new_target: Callable[[], Target[T]], source: BinaryIO | _CleaningReader | bytes, parser: Any
) -> T:
    target = new_target()
    target.attach(parser)
    try:
        if isinstance(source, bytes):
            parser.Parse(source, True)
        else:
            parser.ParseFile(source)
    except _Refused:
        raise MalformedXML(path, _REFUSED, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1) from None
    finally:
        # The handlers close over the parser: a cycle that, with the collector paused, would
        # keep every parser (and its text buffer) of a many-file run alive until the end.
        parser.StartElementHandler = parser.EndElementHandler = parser.CharacterDataHandler = None
        release = getattr(target, "release", None)
        if release is not None:
            release()
    return target.result()


def _malformed(path: str, exc: pyexpat.ExpatError) -> MalformedXML:
    message = pyexpat.ErrorString(exc.code) if exc.code else str(exc)
    if exc.code in (pyexpat.errors.codes[pyexpat.errors.XML_ERROR_NO_ELEMENTS],):
        message = "empty or truncated XML document"
    return MalformedXML(path, message, exc.lineno, exc.offset + 1)


__all__ = ["HEAD_BYTES", "NAMESPACE_SEPARATOR", "Target", "new_parser", "read_expat"]
