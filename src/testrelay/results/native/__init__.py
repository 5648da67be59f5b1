"""The native XML formats of C and C++ test frameworks, one module each.

These are the files Jenkins users feed the xUnit plugin. googletest writes JUnit
XML and is read by the JUnit parser; Check is the one framework here whose root
is `testsuites`, told apart by its namespace.
"""

from __future__ import annotations

from . import boosttest, check, cpptest, cppunit, ctest, cunit, gtester, qtest, unittestpp, valgrind

FORMATS = (
    boosttest.FORMAT,
    cppunit.FORMAT,
    qtest.FORMAT,
    cunit.FORMAT,
    ctest.FORMAT,
    check.FORMAT,
    unittestpp.FORMAT,
    gtester.FORMAT,
    cpptest.FORMAT,
    valgrind.FORMAT,
)

__all__ = ["FORMATS"]
