"""The place of a .NET failure, read from its stack trace, for TRX, NUnit and xUnit.net."""

from __future__ import annotations

from pathlib import Path

import pytest

from testrelay.results.dotnet_trace import trace_place
from testrelay.results.formats import parse_file
from testrelay.results.model import Result

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("trace", "place"),
    [
        ("   at Shop.Tests.CartTests.RemovesItem() in C:\\build\\Shop.Tests\\CartTests.cs:line 42",
         ("C:\\build\\Shop.Tests\\CartTests.cs", 42)),
        # xunit.assert and the runtime ship with deterministic paths: not the project's code.
        ("   at Xunit.Assert.Equal[T](T expected, T actual) in /_/src/xunit.assert/Asserts/EqualityAsserts.cs:line 95\n"
         "   at Shop.Tests.CartTests.Adds() in /home/runner/work/shop/shop/tests/CartTests.cs:line 17\n"
         "   at Shop.Tests.Helpers.Run() in /home/runner/work/shop/shop/tests/Helpers.cs:line 3",
         ("/home/runner/work/shop/shop/tests/CartTests.cs", 17)),
        ("  at Shop.Tests.CartTests.Adds () [0x00001] in /src/CartTests.cs:12 \r\n", ("/src/CartTests.cs", 12)),
        ("  at Shop.Tests.CartTests.Adds () [0x00001] in <filename unknown>:0", (None, None)),
        ("   at Shop.Tests.CartTests.Adds()\n   at System.RuntimeMethodHandle.InvokeMethod(Object obj)", (None, None)),
        ("   at Shop.Tests.CartTests.Adds() in /src/CartTests.cs:line 0", ("/src/CartTests.cs", None)),
        ("Expected the item in list:2", (None, None)),  # not a frame
        ("", (None, None)),
    ],
    ids=["dotnet", "past-library-frames", "mono", "mono-unknown", "no-symbols", "line-0", "not-a-frame", "empty"],
)
def test_the_first_frame_of_the_projects_code_gives_the_place(trace: str, place: tuple[str | None, int | None]) -> None:
    assert trace_place(trace) == place


def places(path: Path) -> dict[str, tuple[Result, str | None, int | None]]:
    return {c.name: (c.result, c.file, c.line) for s in parse_file(str(path)).suites for c in s.cases}


def test_trx_failures_get_the_place_their_trace_names() -> None:
    got = places(FIXTURES / "trx" / "mstest.trx")
    assert got["Divide_ByZero_Throws"] == (Result.FAILED, "/src/Calc.Tests/CalculatorTests.cs", 42)
    assert all(file is None for result, file, _ in got.values() if result is Result.PASSED)


def test_nunit_failures_get_the_place_and_skips_do_not() -> None:
    got = places(FIXTURES / "nunit" / "nunit3.xml")
    assert got["Total_AppliesDiscount"][1:] == ("/build/Shop.Tests/CartTests.cs", 41)
    # An exception thrown in the code under test is placed where it was thrown.
    assert got["Checkout_EmptyCart_Throws"][1:] == ("/build/Shop/Cart.cs", 88)
    assert all(file is None for result, file, _ in got.values() if result is Result.SKIPPED)
    nunit2 = places(FIXTURES / "nunit" / "nunit2.xml")
    assert nunit2["Withdraw_Overdraft_Fails"][1:] == ("c:\\ci\\work\\Ledger.Tests\\AccountTests.cs", 37)


def test_xunit_v1_reads_the_trace_and_v2_prefers_its_source_attributes() -> None:
    v1 = places(FIXTURES / "xunitnet" / "xunit1.xml")
    assert v1["Total_RoundsHalfUp"] == (Result.FAILED, "C:\\Builds\\Billing\\Billing.Tests\\InvoiceTests.cs", 29)
    v2 = places(FIXTURES / "xunitnet" / "xunit2.xml")
    assert v2["Receive_AddsStock"][1:] == ("/home/runner/work/inventory/tests/Inventory.Tests/WarehouseTests.cs", 18)
    failed = [(name, file, line) for name, (result, file, line) in v2.items() if result is Result.FAILED]
    assert failed and all(file and line for _, file, line in failed)


def test_a_source_attribute_wins_over_the_trace(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text(
        '<assemblies><assembly name="a.dll" total="1" failed="1"><collection name="c">'
        '<test name="T.M" type="T" method="M" result="Fail" source-file="tests/T.cs" source-line="7">'
        "<failure><message>no</message><stack-trace>   at T.M() in /src/Other.cs:line 99</stack-trace></failure>"
        "</test></collection></assembly></assemblies>",
        encoding="utf-8",
    )
    assert places(path)["M"] == (Result.FAILED, "tests/T.cs", 7)
