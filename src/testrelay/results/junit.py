"""JUnit XML, in every dialect runners write, read in one streaming pass.

The file goes through pyexpat (`expat_source`), not a tree: each start and end
tag is one call here, attributes arrive as a dict, and text is collected only
inside result, output and retry elements. A case becomes a TestCase when its
element ends, so memory holds about one compact record per case whatever the
file size. The handlers keep a stack of open suites, the open case's attributes
and its result children; suites, retries, declared counts and dialect clues are
`junit_document`'s work.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from .expat_source import read_expat
from .formats import Format, Head
from .frozen_twin import file_of
from .junit_case_factory import CaseTwin
from .junit_dialect import SAMPLE, detect
from .junit_document import RETRY_TAGS, Document, Frame, local, status_result
from .junit_spec_file import with_spec_files
from .junit_values import parse_int
from .model import Result, ResultFile, TestCase, TestSuite
from .xmlsource import DEFAULT_MAX_BYTES

_CHECK_NS = "http://check.sourceforge.net/ns"  # the C `check` framework: its own module reads it
_SUITE_TAGS = frozenset({"testsuite", "testsuites"})
_CASE_TEXT = frozenset({"failure", "error", "skipped", "disabled", "system-out", "system-err"})
_SKIP_TAGS = frozenset({"skipped", "disabled"})
_SUITE_TEXT = frozenset({"system-out", "system-err", "error", "failure"})
# Compiled here, not by re.search per file: a timestamp in the root puts a ":" in most heads.
_ROOT_START = re.compile(r"<(?:[\w.-]+:)?testsuites?\b")


def sniff(head: Head) -> bool:
    root = head.root
    if root != "testsuite" and root != "testsuites":
        return False
    text = head.text
    # Asked of every JUnit file: no slice, call or attribute read it can do without.
    if text.find(":", 0, 200) < 0:
        start = text.find("<" + root)
    else:
        m = _ROOT_START.search(text)
        start = m.start() if m else -1
    root_tag = text[start : text.find(">", start) + 1] if start >= 0 else text
    return _CHECK_NS not in root_tag


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    # An idle reader if there is one; a parse running meanwhile (another thread) builds its own.
    try:
        reader = _idle.pop()
    except IndexError:
        reader = _Reader()
    try:
        (suites, dialect, warnings), xml_warnings = read_expat(
            path, partial(reader.ready, path), max_bytes=max_bytes, fast=True
        )
    finally:
        _idle.append(reader)
    return file_of(path, "junit", suites, dialect, tuple(xml_warnings + warnings))


FORMAT = Format("junit", sniff, parse)
Read = tuple[list[TestSuite], str, list[str]]  # a document's suites, dialect and warnings
_idle: list[_Reader] = []
_SPENT = Document("")  # what a reader holds between documents


class _Reader:
    """The expat handlers for JUnit documents, built once and set back to a clean start for each one.

    `_Reader(path)` is a target for one document; `junit.parse` keeps idle readers and asks each
    for `ready(path)`, so the handlers (closures, see `_handlers`) are not built again per file.
    """

    __slots__ = ("attach", "ready", "release", "result")

    def __init__(self, path: str | None = None) -> None:
        # Instance attributes, not methods: the closures hold no reference back to the reader.
        self.ready, target = _handlers()
        self.attach, self.release, self.result = target.attach, target.release, target.result
        if path is not None:
            self.ready(path)

    def begin(self, path: str) -> _Reader:
        """Ready for the document at `path`, with nothing left of the one read before."""
        self.ready(path)
        return self


class _Target:
    """What `ready(path)` gives read_expat: the reader's handlers, without the reader."""

    __slots__ = ("attach", "release", "result")

    def __init__(self, attach: Callable[[Any], None], release: Callable[[], None], result: Callable[[], Read]) -> None:
        self.attach, self.release, self.result = attach, release, result


def _handlers() -> tuple[Callable[[str], _Target], _Target]:
    """ready(path), and the attach(parser), release() and result() it readies, over state they share.

    The handlers are closures over local state: they run once per tag, a million times on a
    large file, and a closure cell is cheaper to reach than an attribute. `ready` sets every
    piece of that state back, so nothing one document left can reach the next.
    """
    doc = _SPENT
    intern = doc.strings.setdefault
    twin, case_class, passed = CaseTwin, TestCase, Result.PASSED
    parser: Any = None
    fast: Any = None
    loose: Frame | None = None  # cases outside any suite element
    stack: list[Frame] = []
    frame: Frame | None = None  # the innermost open suite
    cases: list[TestCase] = []
    suite = ""
    sampled: Frame | None = None  # the frame whose first case was offered as a dialect clue
    case: dict[str, str] | None = None  # the open case's attributes
    depth = 0  # elements open inside the case
    kids: list[list[Any]] | None = None  # the case's result, output and retry children
    retry: list[Any] | None = None  # the open retry child
    capture = 0  # the depth (in the case, or outside it) whose element the text goes to
    outside = 0  # elements open inside the current suite that are neither case nor suite
    pending: tuple[str, dict[str, str], list[str]] | None = None  # suite-level element being read
    in_properties = False

    def ready(path: str) -> _Target:
        nonlocal doc, intern, loose, stack, frame, cases, suite, sampled, case, depth, kids, retry, capture
        nonlocal outside, pending, in_properties
        doc = Document(path)
        intern = doc.strings.setdefault
        loose = frame = sampled = None
        stack = []
        cases = []
        suite = ""
        case = kids = retry = pending = None
        depth = capture = outside = 0
        in_properties = False
        return target

    def attach(new_parser: Any) -> None:
        nonlocal parser, fast
        parser = new_parser
        # In each frame, the compiled parser (`accelerated`) offers the first case it meets to
        # `sample`, builds plain cases itself and hands a case whose children are only result and
        # output elements to `close_parsed` (or `close_case`) in one call; every other case still
        # comes to `start`/`end`.
        fast = getattr(new_parser, "fast_cases", None)
        new_parser.StartElementHandler = start
        new_parser.EndElementHandler = end

    def release() -> None:
        nonlocal parser, fast
        parser = fast = None

    def result() -> Read:
        nonlocal doc
        read = doc
        doc = _SPENT  # an idle reader keeps nothing of the document it read
        if loose is not None:
            read.close_frame(loose, None, root=False)
        dialect = detect(read.clues)
        suites = read.suites
        if dialect == "cypress" and read.spec_starts:
            suites = with_spec_files(suites, read.spec_starts)
        return suites, dialect, read.finish_warnings()

    def use(new: Frame | None) -> None:
        nonlocal frame, cases, suite, sampled
        frame = new
        sampled = None
        if new is not None:
            cases, suite = new.cases, new.name
        if fast is not None:
            if new is None:
                fast(None)
            else:
                fast(cases, suite, doc.strings, close_case, close_parsed, sample)

    def sample(attrs: dict[str, str]) -> None:
        """Offer the frame's first case as a dialect clue (once, whoever reads the case)."""
        nonlocal sampled
        if frame is not sampled:
            sampled = frame
            clue_cases = doc.clues.cases
            if len(clue_cases) < SAMPLE:  # the dialect rules look at the first few suites' first cases
                clue_cases.append(doc.clue_attrs(attrs))

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal case, depth, kids, sampled
        if case is not None:
            depth += 1
            case_child(name, attrs)
            return
        if name == "testcase" or (":" in name and local(name) == "testcase"):
            if frame is None:
                use(loose or loose_frame(name, attrs))
            sample(attrs)
            case = attrs
            depth = 0
            kids = None
            return
        suite_child(name, attrs)

    def end(name: str) -> None:
        nonlocal case, depth, capture, retry
        if case is None:
            suite_child_end(name)
            return
        if depth:
            if depth == capture:
                parser.CharacterDataHandler = None
                capture = 0
            if depth == 1:
                retry = None
            depth -= 1
            return
        close_case(case, kids)
        case = None

    def close_case(attrs: dict[str, str], kids: list[list[Any]] | None) -> None:
        """The case element has ended: its record, from its attributes and result/output children."""
        get = attrs.get
        name = get("name") or ""
        classname = get("classname")
        if classname is None:
            classname = get("class") or ""
        classname = intern(classname, classname)
        file = get("file")
        if file is not None:
            file = intern(file, file)
        line: Any = get("line")
        if line is not None:
            try:
                line = int(line)
            except ValueError:
                line = parse_int(line)
        t = get("time")
        if t is None:
            duration = 0.0
        else:
            try:
                duration = float(t)
            except ValueError:
                duration = -1.0
            if not 0.0 <= duration < 1e9:  # also catches nan
                duration = doc.odd_time(t)
        if kids is None:
            plain = get("status") is None and get("disabled") is None
            result = passed if plain else (status_result(get) or passed)
            record = twin(name, classname, suite, file, line, duration, result)
            record.__class__ = case_class
        else:
            record = doc.full_case(attrs, kids, name, classname, suite, file, line, duration)
        cases.append(record)  # records of one test are folded when the suite ends

    def close_parsed(
        attrs: dict[str, str],
        kids: list[list[Any]],
        name: str,
        classname: str,
        file: str | None,
        line: int | None,
        duration: float,
    ) -> None:
        """`close_case` for a case with children whose attribute values the fast path has read already."""
        cases.append(doc.full_case(attrs, kids, name, classname, suite, file, line, duration))

    def case_child(name: str, attrs: dict[str, str]) -> None:
        nonlocal kids, retry, capture
        if depth == 1:
            tag = local(name)
            if tag in _CASE_TEXT:
                parts: list[str] = []
                kid: list[Any] = [tag, attrs, parts]
            elif tag in RETRY_TAGS:
                parts = []
                kid = retry = [tag, attrs, parts, None, False]  # + stackTrace text, has children
            else:
                return
            if kids is None:
                kids = []
            kids.append(kid)
            parser.CharacterDataHandler = parts.append
            capture = 1
        elif depth == 2 and retry is not None:
            # lxml's `el.text` of a retry element is the text before its first child.
            retry[4] = True
            if capture == 1:
                parser.CharacterDataHandler = None
                capture = 0
            if retry[3] is None and local(name) == "stackTrace":
                retry[3] = trace = []
                parser.CharacterDataHandler = trace.append
                capture = 2
        elif depth == 2 and capture == 1 and kids is not None and kids[-1][0] in _SKIP_TAGS:
            # A skip's message is its text before any child element, as lxml's `el.text` gives it.
            parser.CharacterDataHandler = None
            capture = 0

    def loose_frame(name: str, attrs: dict[str, str]) -> Frame:
        nonlocal loose
        if not doc.rooted:
            doc.note_root(name, attrs)
        loose = doc.open_frame("testsuites", {}, None)
        return loose

    def suite_child(name: str, attrs: dict[str, str]) -> None:
        nonlocal outside, pending, capture, in_properties
        tag = local(name) if ":" in name else name  # the call spared for the usual unprefixed name
        if tag in _SUITE_TAGS:
            new = doc.open_frame(tag, attrs, frame)
            new.saved = (frame, outside, in_properties)
            stack.append(new)
            outside = 0
            in_properties = False
            use(new)
            return
        if not doc.rooted:
            doc.note_root(name, attrs)
        outside += 1
        if frame is None:
            return
        if outside == 1:
            if tag == "properties":
                in_properties = True
            elif tag in _SUITE_TEXT:
                parts: list[str] = []
                pending = (tag, attrs, parts)
                parser.CharacterDataHandler = parts.append
                capture = 1
        elif outside == 2 and in_properties:
            prop = attrs.get("name")
            if prop is not None:
                value = attrs.get("value")
                if value:
                    doc.add_property(prop, value)
                else:
                    parts = []
                    pending = (prop, attrs, parts)
                    parser.CharacterDataHandler = parts.append
                    capture = 2

    def suite_child_end(name: str) -> None:
        nonlocal outside, pending, capture, in_properties
        if outside:
            if outside == capture and pending is not None:
                parser.CharacterDataHandler = None
                capture = 0
                what, attrs, parts = pending
                pending = None
                if outside == 1:
                    doc.extra(frame, what, attrs, "".join(parts))  # type: ignore[arg-type]
                else:
                    doc.add_property(what, "".join(parts))
            if outside == 1:
                in_properties = False
            outside -= 1
            return
        if not stack:
            return
        done = stack.pop()
        outer, outside, in_properties = done.saved
        doc.close_frame(done, outer, root=not stack)
        use(outer)
    target = _Target(attach, release, result)
    return ready, target
