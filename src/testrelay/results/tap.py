"""TAP, the Test Anything Protocol, versions 12 to 14, read as a stream of lines.

How cases are counted, the way `prove` and node's test runner count them:
- every test point is a case, except a point that closes a subtest: its subtest's
  points are the cases, and the point itself counts only when it fails while none of
  its subtest's points did (a crashed child, a wrong child plan);
- `# SKIP` is skipped whether the point says ok or not ok;
- `# TODO` marks a known-broken test: failing is expected, so a failing TODO counts as
  skipped (not a failure), and a passing TODO counts as passed;
- tests the plan promised but the stream never showed count as errors, with a warning;
- `Bail out!` is one error case; the tests it cut off are not counted again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .formats import Format, Head
from .jsonsource import TextBuffer, Warnings, iter_lines
from .model import Result, ResultFile, TestCase, TestSuite
from .xmlsource import DEFAULT_MAX_BYTES

NAME = "tap"

_VERSION = re.compile(r"TAP version (\d+)\s*$", re.I)
_PLAN = re.compile(r"1\.\.(\d+)\s*(?:#\s*(.*))?$")
_POINT = re.compile(r"(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$")
_BAIL = re.compile(r"Bail out!\s*(.*)$", re.I)
_PRAGMA = re.compile(r"pragma [+-]\w+")
_SUBTEST = re.compile(r"#\s*Subtest(?::\s*(.*))?$", re.I)
_DIRECTIVE = re.compile(r"(skip|todo)\S*(?:\s+(.*))?$", re.I)
_TIME = re.compile(r"\btime\s*=\s*([\d.]+)\s*(ms|s)?\b", re.I)
_AT_LINE = re.compile(r"\bat (\S+) line (\d+)")
_LOCATION = re.compile(r"^(.*?):(\d+)(?::\d+)?$")
_DIAG_LIMIT = 64 * 1024


@dataclass(slots=True)
class Point:
    ok: bool
    number: int
    description: str
    directive: str | None  # "skip" or "todo"
    reason: str
    line: int
    time: float | None = None
    yaml: TextBuffer | None = None
    yaml_line: int = 0
    comments: TextBuffer | None = None
    children: Level | None = None


@dataclass(slots=True)
class Level:
    depth: int
    name: str | None = None
    plan: int | None = None
    plan_line: int = 0
    skip_all: str | None = None
    points: list[Point] = field(default_factory=list)
    bailed: bool = False


def _split_directive(text: str) -> tuple[str, str]:
    """Description and directive part, split at the first `#` not escaped with a backslash."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "\\#":
            out.append(text[i + 1])
            i += 2
            continue
        if ch == "#":
            return "".join(out).strip(), text[i + 1 :].strip()
        out.append(ch)
        i += 1
    return "".join(out).strip(), ""


class _Parser:
    def __init__(self, path: str, warnings: Warnings) -> None:
        self.path = path
        self.warnings = warnings
        self.root = Level(depth=0)
        self.stack: list[Level] = [self.root]
        self.pending_names: dict[int, str] = {}
        self.last: Point | None = None
        self.last_depth = 0
        self.yaml_indent: int | None = None
        self.bail: tuple[str, int] | None = None
        self.version: int | None = None
        self.seen_tap = False

    # -- levels ---------------------------------------------------------------

    def _push_to(self, depth: int) -> None:
        while len(self.stack) - 1 < depth:
            d = len(self.stack)
            self.stack.append(Level(depth=d, name=self.pending_names.pop(d - 1, None)))

    def _close_orphans(self, keep: int) -> None:
        """Close levels deeper than `keep` that no test point closed: each becomes a point of its parent."""
        while len(self.stack) - 1 > keep:
            child = self.stack.pop()
            parent = self.stack[-1]
            number = len(parent.points) + 1
            ok = not _level_failed(child)
            point = Point(ok, number, child.name or "subtest", None, "", 0, children=child)
            parent.points.append(point)

    # -- lines ----------------------------------------------------------------

    def feed(self, number: int, line: str) -> bool:
        """Read one line; False once the stream is over (bailed out)."""
        line = line.expandtabs(4) if "\t" in line[: len(line) - len(line.lstrip())] else line
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if self.yaml_indent is not None and self._yaml_line(number, line, body, indent):
            return True
        if not body.strip():
            return True
        body = body.rstrip()
        if body == "---" and self.last is not None and indent == self.last_depth * 4 + 2:
            self.yaml_indent = indent
            self.last.yaml = TextBuffer(_DIAG_LIMIT)
            self.last.yaml_line = number
            return True
        if indent % 4:
            return True  # not TAP: the spec says to pass such lines over
        depth = indent // 4
        m = _BAIL.match(body)
        if m:
            self._bail_out(m.group(1).strip(), number)
            return False
        m = _POINT.match(body)
        if m:
            self._point(m, depth, number)
            return True
        m = _PLAN.match(body)
        if m:
            self._plan(m, depth, number)
            return True
        if body.startswith("#"):
            self._comment(body, depth)
            return True
        m = _VERSION.match(body)
        if m and depth == 0 and self.version is None:
            self.version = int(m.group(1))
            self.seen_tap = True
        return True

    def _yaml_line(self, number: int, line: str, body: str, indent: int) -> bool:
        """Feed a line to the open YAML block; False when the line is not part of it."""
        assert self.last is not None and self.last.yaml is not None and self.yaml_indent is not None
        if body.rstrip() == "..." and indent == self.yaml_indent:
            self.yaml_indent = None
            return True
        if not body.strip() or indent >= self.yaml_indent:
            self.last.yaml.append(line[self.yaml_indent :] + "\n")
            return True
        self.warnings.add(f"YAML block opened on line {self.last.yaml_line} has no closing `...`", number)
        self.yaml_indent = None
        return False

    def _point(self, m: re.Match[str], depth: int, number: int) -> None:
        self.seen_tap = True
        self._push_to(depth)
        children: Level | None = None
        if len(self.stack) - 1 > depth:
            self._close_orphans(depth + 1)
            children = self.stack.pop()
        level = self.stack[-1]
        description, directive_text = _split_directive(m.group(3))
        directive, reason = None, ""
        time = None
        if directive_text:
            d = _DIRECTIVE.match(directive_text)
            if d:
                directive, reason = d.group(1).lower(), (d.group(2) or "").strip()
            t = _TIME.search(directive_text)
            if t:
                time = float(t.group(1)) / (1.0 if (t.group(2) or "ms").lower() == "s" else 1000.0)
        # Test numbers are optional: an unnumbered point follows the one before it.
        previous = level.points[-1].number if level.points else 0
        test_number = int(m.group(2)) if m.group(2) is not None else previous + 1
        point = Point(m.group(1) == "ok", test_number, description, directive, reason, number, time, children=children)
        level.points.append(point)
        self.pending_names.pop(depth, None)
        self.last = point
        self.last_depth = depth

    def _plan(self, m: re.Match[str], depth: int, number: int) -> None:
        self.seen_tap = True
        self._push_to(depth)
        self._close_orphans(depth)
        level = self.stack[-1]
        if level.plan is not None:
            self.warnings.add(f"a second plan at this level (the first is on line {level.plan_line}); ignored", number)
            return
        level.plan = int(m.group(1))
        level.plan_line = number
        if level.plan == 0 and m.group(2):
            d = _DIRECTIVE.match(m.group(2))
            level.skip_all = (d.group(2) or "").strip() if d else m.group(2).strip()

    def _comment(self, body: str, depth: int) -> None:
        m = _SUBTEST.match(body)
        if m:
            name = (m.group(1) or "").strip()
            if depth > len(self.stack) - 1 and (depth - 1) not in self.pending_names:
                # The child-indented form (Test::More): the comment opens the subtest it names.
                self.pending_names[depth - 1] = name
                self._push_to(depth)
            else:
                # The parent-indented form (TAP 14, node): node writes one before every test, leaves
                # too, so a name already waiting one level up opens this level and this one is the next test's.
                self._push_to(depth)
                self.pending_names[depth] = name
            return
        # Diagnostics after a failing point (Test::More's "#   Failed test ...") explain it.
        last = self.last
        if last is not None and not last.ok and depth == self.last_depth and not last.children:
            if last.comments is None:
                last.comments = TextBuffer(_DIAG_LIMIT)
            last.comments.append(body.lstrip("#").rstrip() + "\n")

    def _bail_out(self, reason: str, number: int) -> None:
        self.seen_tap = True
        self.bail = (reason, number)
        for level in self.stack:
            level.bailed = True

    def finish(self) -> Level:
        if self.yaml_indent is not None and self.last is not None:
            self.warnings.add(f"YAML block opened on line {self.last.yaml_line} has no closing `...` (truncated?)")
        self._close_orphans(0)
        return self.root


def _level_failed(level: Level) -> bool:
    for point in level.points:
        if point.directive is not None:
            continue
        if not point.ok or (point.children is not None and _level_failed(point.children)):
            return True
    return level.plan is not None and not level.bailed and len(level.points) < level.plan


def _diagnostics(point: Point, warnings: Warnings, path: str) -> dict[str, Any]:
    if point.yaml is None:
        return {}
    try:
        data = yaml.safe_load(point.yaml.value())
    except yaml.YAMLError:
        warnings.add("YAML diagnostics that do not parse; kept as text", point.yaml_line)
        return {}
    return data if isinstance(data, dict) else {}


def _location(diag: dict[str, Any]) -> tuple[str | None, int | None]:
    at = diag.get("at")
    if isinstance(at, dict):
        file = at.get("file") or at.get("fileName") or at.get("filename")
        line = at.get("line") or at.get("lineNumber")
    elif isinstance(at, str) and _LOCATION.match(at):
        m = _LOCATION.match(at)
        assert m is not None
        file, line = m.group(1), m.group(2)
    else:
        file, line = diag.get("file"), diag.get("line")
        loc = diag.get("location")  # node's test runner: "path:line:column"
        if file is None and isinstance(loc, str) and _LOCATION.match(loc):
            m = _LOCATION.match(loc)
            assert m is not None
            file, line = m.group(1), m.group(2)
    try:
        line_number = int(line) if line is not None else None
    except (TypeError, ValueError):
        line_number = None
    return (str(file) if file else None), line_number


def _message(diag: dict[str, Any], comments: str) -> str:
    for key in ("message", "error"):
        value = diag.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict) and isinstance(value.get("message"), str):
            return value["message"].strip()
    for found_key, wanted_key in (("found", "wanted"), ("got", "expect"), ("actual", "expected")):
        if found_key in diag and wanted_key in diag:
            return f"wanted {diag[wanted_key]!r}, found {diag[found_key]!r}"
    for line in comments.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _case(point: Point, path: list[str], suite: str, warnings: Warnings, file_path: str) -> TestCase:
    if point.directive == "skip":
        result = Result.SKIPPED
    elif point.directive == "todo":
        result = Result.PASSED if point.ok else Result.SKIPPED
    else:
        result = Result.PASSED if point.ok else Result.FAILED
    diag = _diagnostics(point, warnings, file_path)
    comments = point.comments.value() if point.comments else ""
    details = "\n".join(part for part in (point.yaml.value() if point.yaml else "", comments) if part)
    message = _message(diag, comments) if result is not Result.PASSED else ""
    if point.directive and result is Result.SKIPPED:
        label = "TODO" if point.directive == "todo" else "SKIP"
        message = f"{label}: {point.reason}" if point.reason else label
        if point.directive == "todo" and not point.ok:
            message += " (failed as expected)"
    file, line = _location(diag)
    if file is None:
        m = _AT_LINE.search(comments)
        if m:
            file, line = m.group(1).rstrip("."), int(m.group(2))
    duration = point.time or 0.0
    ms = diag.get("duration_ms")
    if isinstance(ms, int | float) and not isinstance(ms, bool):
        duration = float(ms) / 1000.0
    return TestCase(
        name=point.description or f"test {point.number}",
        classname=" > ".join(path),
        suite=suite,
        file=file,
        line=line,
        duration=duration,
        result=result,
        message=message,
        details=details if result is not Result.PASSED else "",
    )


class _Builder:
    def __init__(self, path: str, warnings: Warnings, bail: tuple[str, int] | None) -> None:
        self.path = path
        self.warnings = warnings
        self.bail = bail
        self.default_suite = os.path.basename(path)

    def cases(self, level: Level, names: list[str]) -> list[TestCase]:
        suite = " > ".join(names) if names else self.default_suite
        out: list[TestCase] = []
        for point in level.points:
            if point.children is None:
                out.append(_case(point, names, suite, self.warnings, self.path))
                continue
            sub = [*names, point.children.name or point.description or f"subtest {point.number}"]
            child_cases = self.cases(point.children, sub)
            out.extend(child_cases)
            child_bad = any(c.result in (Result.FAILED, Result.ERROR) for c in child_cases)
            if not child_cases or (not point.ok and point.directive is None and not child_bad):
                case = _case(point, names, suite, self.warnings, self.path)
                if not child_cases and point.children.skip_all is not None and case.result is Result.PASSED:
                    case = _skipped(case, point.children.skip_all)
                elif case.result is Result.FAILED and not case.message:
                    case = _with_message(case, "subtest failed, but none of its tests did (crashed, or a wrong plan?)")
                out.append(case)
        out.extend(self._missing(level, names, suite))
        return out

    def _missing(self, level: Level, names: list[str], suite: str) -> list[TestCase]:
        where = f"subtest {' > '.join(names)!r}" if names else "the file"
        if level.plan is None:
            if level.depth == 0 and not level.bailed and level.points:
                self.warnings.add("no plan (`1..N`) in the file; it may have been cut short")
            return []
        if level.bailed or len(level.points) >= level.plan:
            if len(level.points) > level.plan:
                self.warnings.add(
                    f"plan of {level.plan} tests in {where}, but {len(level.points)} ran", level.plan_line
                )
            return []
        seen = {p.number for p in level.points}
        missing = [n for n in range(1, level.plan + 1) if n not in seen][: level.plan - len(level.points)]
        self.warnings.add(
            f"plan of {level.plan} tests in {where}, but {len(level.points)} ran; "
            f"{len(missing)} missing counted as errors",
            level.plan_line,
        )
        return [
            TestCase(
                name=f"test {n} (missing)",
                classname=" > ".join(names),
                suite=suite,
                result=Result.ERROR,
                message=f"planned test {n} of {level.plan} never reported a result (crash or early exit?)",
            )
            for n in missing
        ]


def _skipped(case: TestCase, reason: str) -> TestCase:
    return TestCase(
        name=case.name, classname=case.classname, suite=case.suite, file=case.file, line=case.line,
        duration=case.duration, result=Result.SKIPPED, message=f"SKIP: {reason}" if reason else "SKIP",
    )


def _with_message(case: TestCase, message: str) -> TestCase:
    return TestCase(
        name=case.name, classname=case.classname, suite=case.suite, file=case.file, line=case.line,
        duration=case.duration, result=case.result, message=message, details=case.details,
    )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    warnings = Warnings(path)
    parser = _Parser(path, warnings)
    for number, line in iter_lines(path, max_bytes, warnings, skip_undecodable=False):
        if not parser.feed(number, line):
            break
    root = parser.finish()
    builder = _Builder(path, warnings, parser.bail)
    cases = builder.cases(root, [])
    if parser.bail is not None:
        reason, line = parser.bail
        planned = root.plan - len(root.points) if root.plan is not None and root.plan > len(root.points) else 0
        note = f"; {planned} planned tests did not run" if planned else ""
        warnings.add(f"Bail out!{' ' + reason if reason else ''}{note}", line)
        cases.append(
            TestCase(
                name="Bail out!",
                suite=builder.default_suite,
                result=Result.ERROR,
                message=(reason or "the test run stopped early") + note,
            )
        )
    if not parser.seen_tap:
        warnings.add("no TAP test lines found")
    groups: dict[str, list[TestCase]] = {}
    for case in cases:
        groups.setdefault(case.suite, []).append(case)
    suites = [TestSuite.of(name, group) for name, group in groups.items()]
    dialect = f"tap{parser.version}" if parser.version else None
    return ResultFile.of(path, NAME, suites, dialect=dialect, warnings=warnings.as_tuple())


# -- sniffing -----------------------------------------------------------------

_SNIFF_LINES = 40


def sniff(head: Head) -> bool:
    """A TAP version line first, or a stream whose first lines are TAP and little else.

    Plain text with one "ok" line must not pass, so without a version line the first
    significant line must be a plan or a test point, and most top-level lines TAP.
    """
    if head.root is not None:
        return False
    lines = head.text.splitlines()
    if len(head.text) >= 8192 and len(lines) > 1:
        lines.pop()
    significant = [ln.rstrip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if not significant:
        return False
    if _VERSION.match(significant[0].strip()) and not significant[0].startswith(" "):
        return True
    first = significant[0]
    if not (_PLAN.match(first) or _POINT.match(first)):
        return False
    top = [ln for ln in significant[:_SNIFF_LINES] if not ln.startswith(" ")]
    tap = sum(1 for ln in top if _PLAN.match(ln) or _POINT.match(ln) or _BAIL.match(ln) or _PRAGMA.match(ln))
    points = sum(1 for ln in top if _POINT.match(ln))
    plan = _PLAN.match(first)
    if plan and plan.group(1) == "0":
        return len(significant) == 1
    return points >= 1 and (plan is not None or points >= 2) and tap >= 0.8 * len(top)


FORMAT = Format(NAME, sniff, parse)
