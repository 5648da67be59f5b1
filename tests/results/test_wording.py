from testrelay.results.model import Totals
from testrelay.results.wording import count, seconds, totals_line


def test_counts_agree_with_their_number():
    assert count(1, "error") == "1 error" and count(0, "error") == "0 errors" and count(1204, "test") == "1,204 tests"


def test_durations_read_as_people_write_them():
    assert seconds(4.5) == "4.50s" and seconds(252) == "4m 12s" and seconds(3720) == "1h 02m"


def test_totals_line():
    line = totals_line(Totals(tests=3, passed=1, failed=1, errors=1, skipped=0, duration=1.0, flaky=1))
    assert line == "3 tests, 1 passed, 1 failed, 1 error, 0 skipped, 1 flaky, 1.00s"
