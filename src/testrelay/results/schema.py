"""The one JSON shape of a parse, shared by `testrelay parse --json`, report.json and the library.

Versioned by SCHEMA; a reader refuses a newer major version with a clear message
instead of misreading it. Documented in README.md ("Result JSON").
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from .model import Attempt, Problem, Result, ResultFile, TestCase, TestRun, TestSuite, Totals

SCHEMA = "testrelay/results"
SCHEMA_VERSION = 1


def totals_to_dict(t: Totals) -> dict[str, Any]:
    return {
        "tests": t.tests,
        "passed": t.passed,
        "failed": t.failed,
        "errors": t.errors,
        "skipped": t.skipped,
        "flaky": t.flaky,
        "duration": round(t.duration, 6),
    }


def totals_from_dict(d: dict[str, Any]) -> Totals:
    return Totals(
        tests=int(d.get("tests", 0)),
        passed=int(d.get("passed", 0)),
        failed=int(d.get("failed", 0)),
        errors=int(d.get("errors", 0)),
        skipped=int(d.get("skipped", 0)),
        duration=float(d.get("duration", 0.0)),
        flaky=int(d.get("flaky", 0)),
    )


def case_to_dict(c: TestCase) -> dict[str, Any]:
    d: dict[str, Any] = {"name": c.name, "classname": c.classname, "suite": c.suite, "result": c.result.value}
    d["duration"] = round(c.duration, 6)
    # Empty fields are left out: a million passing cases should not carry a million empty strings.
    for key in ("file", "line", "message", "details", "stdout", "stderr"):
        value = getattr(c, key)
        if value not in (None, ""):
            d[key] = value
    if c.attempts:
        d["attempts"] = [
            {k: v for k, v in (("result", a.result.value), ("duration", a.duration),
                               ("message", a.message), ("details", a.details)) if v not in ("", None)}
            for a in c.attempts
        ]
    if c.flaky:
        d["flaky"] = True
    return d


def case_from_dict(d: dict[str, Any]) -> TestCase:
    return TestCase(
        name=str(d["name"]),
        classname=str(d.get("classname", "")),
        suite=str(d.get("suite", "")),
        file=d.get("file"),
        line=d.get("line"),
        duration=float(d.get("duration", 0.0)),
        result=Result(d.get("result", "passed")),
        message=str(d.get("message", "")),
        details=str(d.get("details", "")),
        stdout=str(d.get("stdout", "")),
        stderr=str(d.get("stderr", "")),
        attempts=tuple(
            Attempt(
                result=Result(a.get("result", "failed")),
                duration=float(a.get("duration", 0.0)),
                message=str(a.get("message", "")),
                details=str(a.get("details", "")),
            )
            for a in d.get("attempts", ())
        ),
    )


def run_to_dict(run: TestRun, *, cases: bool = False) -> dict[str, Any]:
    """The parse as JSON-ready data; with `cases`, every case of every suite too."""
    out: dict[str, Any] = {"schema": SCHEMA, "version": SCHEMA_VERSION}
    out.update(totals_to_dict(run.totals))
    out["files"] = len(run.files)
    out["suites"] = sum(len(f.suites) for f in run.files)
    per_file = []
    for f in run.files:
        entry: dict[str, Any] = {"path": f.path, "format": f.format}
        if f.dialect:
            entry["dialect"] = f.dialect
        entry.update(totals_to_dict(f.totals))
        entry["suites"] = len(f.suites)
        if f.warnings:
            entry["warnings"] = list(f.warnings)
        if cases:
            entry["suite_list"] = [
                {
                    "name": s.name,
                    **totals_to_dict(s.totals),
                    **({"timestamp": s.timestamp} if s.timestamp else {}),
                    **({"duration_declared": round(s.duration, 6)} if s.duration is not None else {}),
                    "cases": [case_to_dict(c) for c in s.cases],
                }
                for s in f.suites
            ]
        per_file.append(entry)
    out["per_file"] = per_file
    out["problems"] = [
        {k: v for k, v in (("path", p.path), ("line", p.line), ("column", p.column),
                           ("message", p.message), ("fatal", p.fatal)) if v is not None}
        for p in run.problems
    ]
    return out


def run_from_dict(d: dict[str, Any], *, source: str = "report.json") -> TestRun:
    """Read back what run_to_dict(cases=True) wrote (a baseline, or `testrelay render` input)."""
    if not isinstance(d, dict) or d.get("schema") != SCHEMA:
        raise InputError(f"{source}: not a testrelay results document (no \"schema\": \"{SCHEMA}\")")
    version = d.get("version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise InputError(
            f"{source}: results schema version {version!r} is newer than this testrelay understands "
            f"({SCHEMA_VERSION})",
            hint="upgrade testrelay",
        )
    files = []
    try:
        for f in d.get("per_file", []):
            suites = [
                TestSuite.of(s["name"], (case_from_dict(c) for c in s.get("cases", ())),
                             timestamp=s.get("timestamp"), duration=s.get("duration_declared"))
                for s in f.get("suite_list", [])
            ]
            rf = ResultFile.of(f["path"], f.get("format", "unknown"), suites,
                               dialect=f.get("dialect"), warnings=tuple(f.get("warnings", ())))
            if not suites:
                # Written without cases: keep the totals the document states.
                rf = ResultFile(path=rf.path, format=rf.format, totals=totals_from_dict(f),
                                dialect=rf.dialect, warnings=rf.warnings)
            files.append(rf)
        problems = [
            Problem(path=p["path"], message=p["message"], line=p.get("line"), column=p.get("column"),
                    fatal=bool(p.get("fatal", True)))
            for p in d.get("problems", [])
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{source}: malformed results document ({exc.__class__.__name__}: {exc})") from None
    return TestRun.of(files, problems)
