"""Valgrind's XML output (`valgrind --xml=yes --xml-file=out.xml ./program`): root valgrindoutput.

Each distinct error Valgrind found is an `<error>` with kind (InvalidRead,
Leak_DefinitelyLost, ...), what (or xwhat/text for leaks), a stack of frames
(ip, obj, fn, dir, file, line) and optional auxwhat with a second stack;
errorcounts says how often each one happened. Each error is a failed case named
by its kind and where in the program it happened (the first frame outside
Valgrind's own preloaded allocator); a crash (fatal_signal) is an error case; a
run without either is one passing case. The status times (RUNNING, FINISHED)
give the run's duration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

from ..formats import Format, Head
from ..model import Result, ResultFile, TestCase, TestSuite
from ..xmlsource import DEFAULT_MAX_BYTES
from ._common import Events, Parsed, child, child_text, children, expect_root, line_number, local, parse_with, release

NAME = "valgrind"


def sniff(head: Head) -> bool:
    return head.root == "valgrindoutput"


def _clock(value: str) -> float | None:
    """Valgrind's elapsed time 'dd:hh:mm:ss.mmm' as seconds."""
    parts = value.strip().split(":")
    try:
        days, hours, minutes, secs = (float(p) for p in parts[-4:]) if len(parts) >= 4 else (0, 0, 0, float(parts[-1]))
    except ValueError:
        return None
    return ((days * 24 + hours) * 60 + minutes) * 60 + secs


@dataclass(frozen=True)
class _Frame:
    ip: str
    obj: str
    fn: str
    file: str | None
    line: int | None

    @classmethod
    def of(cls, el: Any) -> _Frame:
        file, directory = child_text(el, "file"), child_text(el, "dir")
        return cls(
            ip=child_text(el, "ip"),
            obj=child_text(el, "obj"),
            fn=child_text(el, "fn"),
            file=(os.path.join(directory, file) if directory else file) if file else None,
            line=line_number(child_text(el, "line")),
        )

    def __str__(self) -> str:
        where = f" ({self.file}:{self.line})" if self.file and self.line else f" ({self.file or self.obj})"
        return f"{self.ip}: {self.fn or '???'}{where}"

    @property
    def is_valgrind(self) -> bool:
        return "vgpreload" in self.obj or (self.file or "").rsplit("/", 1)[-1].startswith("vg_replace_")


def _stack_lines(stack: Any) -> tuple[list[_Frame], list[str]]:
    frames = [_Frame.of(f) for f in children(stack, "frame")]
    return frames, [f"    {'at' if i == 0 else 'by'} {frame}" for i, frame in enumerate(frames)]


def _where(frames: list[_Frame]) -> _Frame | None:
    own = [f for f in frames if not f.is_valgrind]
    return next((f for f in own if f.file), own[0] if own else (frames[0] if frames else None))


def _error_case(el: Any, program: str, suite: str) -> tuple[str, TestCase]:
    kind = child_text(el, "kind") or "error"
    what = child_text(el, "what")
    if not what:
        xwhat = child(el, "xwhat")
        what = child_text(xwhat, "text") if xwhat is not None else ""
    lines = [what]
    frames: list[_Frame] = []
    for item in el:
        name = local(item.tag)
        if name == "stack":
            found, text = _stack_lines(item)
            frames = frames or found
            lines.extend(text)
        elif name == "auxwhat":
            lines.append(" " + (item.text or "").strip())
    place = _where(frames)
    if place is None:
        title = kind
    elif place.file and place.line:
        title = f"{kind} at {os.path.basename(place.file)}:{place.line}"
    else:
        title = f"{kind} in {place.fn or place.ip}"
    case = TestCase(
        name=title,
        classname=program,
        suite=suite,
        file=place.file if place else None,
        line=place.line if place else None,
        result=Result.FAILED,
        message=what or kind,
        details="\n".join(lines),
    )
    return child_text(el, "unique"), case


def _signal_case(el: Any, program: str, suite: str) -> TestCase:
    name = child_text(el, "signame") or f"signal {child_text(el, 'signo')}"
    stack = child(el, "stack")
    frames, lines = _stack_lines(stack) if stack is not None else ([], [])
    place = _where(frames)
    return TestCase(
        name=f"fatal signal {name}",
        classname=program,
        suite=suite,
        file=place.file if place else None,
        line=place.line if place else None,
        result=Result.ERROR,
        message=f"the program died of {name}",
        details="\n".join([f"{name}", *lines]),
    )


def parse(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ResultFile:
    def consume(events: Events) -> Parsed:
        root, events = expect_root(path, events, ("valgrindoutput",), "Valgrind XML output")
        tool = "memcheck"
        program = ""
        errors: list[tuple[str, TestCase]] = []
        crashes: list[TestCase] = []
        counts: dict[str, int] = {}
        times: dict[str, float] = {}
        for event, el in events:
            if event != "end":
                continue
            kind = local(el.tag)
            parent = el.getparent()
            top = parent is root
            if kind == "tool" and top:
                tool = (el.text or "").strip() or tool
            elif kind == "exe" and parent is not None and local(parent.tag) == "argv":
                program = (el.text or "").strip()
            elif kind == "status" and top:
                seconds = _clock(child_text(el, "time"))
                if seconds is not None:
                    times[child_text(el, "state")] = seconds
            elif kind == "error" and top:
                errors.append(_error_case(el, program, f"valgrind-{tool}"))
                release(el)
            elif kind == "fatal_signal" and top:
                crashes.append(_signal_case(el, program, f"valgrind-{tool}"))
            elif kind == "pair" and parent is not None and local(parent.tag) == "errorcounts":
                count = line_number(child_text(el, "count"))
                if count:
                    counts[child_text(el, "unique")] = count
        suite = f"valgrind-{tool}"
        cases = [_counted(case, counts.get(unique, 1)) for unique, case in errors] + crashes
        duration = max(times.get("FINISHED", 0.0) - times.get("RUNNING", 0.0), 0.0)
        if not cases:
            cases = [
                TestCase(
                    name=os.path.basename(program) or "valgrind", classname=program, suite=suite, duration=duration
                )
            ]
        return Parsed([TestSuite.of(suite, cases, duration=duration or None)], dialect=tool)

    return parse_with(path, NAME, consume, max_bytes=max_bytes)


def _counted(case: TestCase, count: int) -> TestCase:
    if count <= 1:
        return case
    return replace(case, details=f"{case.details}\n(seen {count} times)")


FORMAT = Format(NAME, sniff, parse)
