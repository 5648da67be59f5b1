"""Pieces the benchmark generators share: deterministic names and stack traces."""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

__all__ = ["FAIL_EVERY", "TRACE_BYTES", "class_name", "escape", "generator_main", "quoteattr", "stack_trace"]

FAIL_EVERY = 10  # one case in ten fails: 10%
TRACE_BYTES = 2048

_PACKAGES = ("billing", "accounts", "search", "orders", "auth", "shipping", "catalog", "reports")
_CLASSES = ("ServiceTest", "ControllerTest", "RepositoryTest", "MapperTest", "ValidatorTest", "ClientTest")
_FRAMES = (
    "org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)",
    "org.junit.jupiter.api.AssertEquals.failNotEqual(AssertEquals.java:197)",
    "org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:182)",
    "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
    "java.base/java.lang.reflect.Method.invoke(Method.java:568)",
    "org.junit.platform.commons.util.ReflectionUtils.invokeMethod(ReflectionUtils.java:727)",
    "org.junit.jupiter.engine.execution.MethodInvocation.proceed(MethodInvocation.java:60)",
    "org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor.execute(TestMethodTestDescriptor.java:135)",
)


def class_name(i: int) -> str:
    """The class a case belongs to: a few hundred classes, as in a large Java or .NET code base."""
    return f"com.example.{_PACKAGES[i % len(_PACKAGES)]}.module{i % 37}.{_CLASSES[i % len(_CLASSES)]}"


def stack_trace(rng: random.Random, owner: str, size: int = TRACE_BYTES) -> str:
    """A plausible trace of about `size` characters, different from case to case."""
    lines = [f"org.opentest4j.AssertionFailedError: expected: <{rng.randint(100, 599)}> but was: <500>"]
    lines.append(f"\tat {owner}.check{rng.randint(1, 99)}({owner.rsplit('.', 1)[-1]}.java:{rng.randint(10, 900)})")
    n = len(lines[0]) + len(lines[1])
    while n < size:
        frame = f"\tat {rng.choice(_FRAMES)}"
        lines.append(frame)
        n += len(frame) + 1
    return "\n".join(lines)[:size]


def generator_main(
    doc: str | None,
    write_big: Callable[[str, int], int],
    write_many: Callable[[str, int, int], int],
    argv: list[str] | None = None,
) -> int:
    """The command line of a generator: `big OUT [--cases N]` or `many DIR [--files N --cases-per-file N]`."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    big = sub.add_parser("big", help="one file of many cases")
    big.add_argument("out")
    big.add_argument("--cases", type=int, default=1_000_000)
    many = sub.add_parser("many", help="a directory of many small files")
    many.add_argument("out")
    many.add_argument("--files", type=int, default=5_000)
    many.add_argument("--cases-per-file", type=int, default=20)
    args = parser.parse_args(argv)
    if args.what == "big":
        size = write_big(args.out, args.cases)
        print(f"{args.out}: {args.cases:,} cases, {size / 1e6:,.1f} MB")
    else:
        size = write_many(args.out, args.files, args.cases_per_file)
        print(f"{args.out}: {args.files:,} files of {args.cases_per_file} cases, {size / 1e6:,.1f} MB")
    return 0
