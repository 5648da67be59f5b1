"""Pieces the benchmark generators share: deterministic names and stack traces."""

from __future__ import annotations

import random
from xml.sax.saxutils import escape, quoteattr

__all__ = ["FAIL_EVERY", "TRACE_BYTES", "class_name", "escape", "quoteattr", "stack_trace"]

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
