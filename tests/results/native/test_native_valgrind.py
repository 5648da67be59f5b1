from __future__ import annotations

from testrelay.results.model import Result
from testrelay.results.native import valgrind


def test_each_error_is_a_failed_case_named_by_kind_and_place(fixture):
    parsed = valgrind.parse(fixture("valgrind.xml"))
    assert parsed.dialect == "memcheck"
    (suite,) = parsed.suites
    assert suite.name == "valgrind-memcheck"
    assert abs(suite.duration - 1.25) < 1e-9
    cases = {case.name: case for case in parsed.cases()}
    assert set(cases) == {"InvalidRead at decode.c:57", "Leak_DefinitelyLost at palette.c:12"}
    read = cases["InvalidRead at decode.c:57"]
    assert read.result is Result.FAILED and read.message == "Invalid read of size 4"
    assert (read.file, read.line, read.classname) == ("/work/src/decode.c", 57, "./build/imgconv")
    assert "    at 0x1091A4: decode_row (/work/src/decode.c:57)" in read.details
    assert "    by 0x1092F0: main (/work/src/main.c:23)" in read.details
    assert "Address 0x4a8e068 is 0 bytes after a block of size 40 alloc'd" in read.details
    assert "(seen 3 times)" in read.details


def test_leak_is_placed_past_the_allocator(fixture):
    leak = next(c for c in valgrind.parse(fixture("valgrind.xml")).cases() if c.name.startswith("Leak"))
    assert leak.message == "64 bytes in 1 blocks are definitely lost in loss record 1 of 1"
    assert (leak.file, leak.line) == ("/work/src/palette.c", 12)


def test_clean_run_is_one_passing_case(write_xml):
    path = write_xml(
        "clean.xml",
        "<valgrindoutput><protocolversion>4</protocolversion><tool>memcheck</tool>"
        "<args><argv><exe>/opt/app/bin/server</exe></argv></args>"
        "<status><state>RUNNING</state><time>00:00:00:00.050 </time></status>"
        "<status><state>FINISHED</state><time>00:00:01:02.550 </time></status>"
        "<errorcounts></errorcounts></valgrindoutput>",
    )
    (case,) = valgrind.parse(path).cases()
    assert (case.name, case.result) == ("server", Result.PASSED)
    assert abs(case.duration - 62.5) < 1e-9


def test_fatal_signal_is_an_error(write_xml):
    path = write_xml(
        "crash.xml",
        "<valgrindoutput><tool>memcheck</tool><args><argv><exe>./app</exe></argv></args>"
        "<fatal_signal><tid>1</tid><signo>11</signo><signame>SIGSEGV</signame><stack><frame><ip>0x1</ip>"
        "<obj>/app</obj><fn>run</fn><dir>/src</dir><file>run.c</file><line>5</line></frame></stack>"
        "</fatal_signal></valgrindoutput>",
    )
    (case,) = valgrind.parse(path).cases()
    assert case.result is Result.ERROR and case.name == "fatal signal SIGSEGV"
    assert (case.file, case.line) == ("/src/run.c", 5)
