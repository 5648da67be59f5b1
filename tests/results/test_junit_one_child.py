"""The reader's shortcut for a case with one failure, error or skip equals its general way.

`Document.full_case` reads the usual failing case without the loop over children that
`_many_children` runs for any mix; both must give the same record and the same dialect clues.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from testrelay.results.junit_document import Document

messages = st.sampled_from(["", "expected 1 but was 2", "Failed", "=== RUN   TestX\n--- FAIL: TestX", "x" * 300])
texts = st.lists(
    st.sampled_from([
        "", "  \n", "AssertionError: boom\n", "    at Object.<anonymous> (src/app.test.ts:12:5)\n",
        "    main_test.go:41: got 2, want 1\n", "=== RUN   TestX\n", "--- FAIL: TestX (0.00s)\n",
        "tests/test_app.py:7: in test_x\n", "E       assert 1 == 2\n",
    ]),
    max_size=4,
)
names = st.sampled_from(['renders', '"before each" hook for "renders"', "Test suite failed to run", "TestX"])
classnames = st.sampled_from(["app.Test", "src/app.test.ts", "tests/test_app.py", ""])
child_attrs = st.fixed_dictionaries(
    {},
    optional={
        "message": messages,
        "type": st.sampled_from(["AssertionError", "hookFailed", ""]),
        "file": st.sampled_from(["src/app.test.ts", "tests/test_app.py"]),
        "line": st.sampled_from(["12", "x", ""]),
    },
)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["failure", "error", "skipped", "disabled"]),
    child_attrs,
    texts,
    names,
    classnames,
    st.sampled_from([(None, None), ("tests/test_app.py", None), ("src/app.test.ts", 3), (None, 9)]),
    st.sampled_from([{}, {"status": "run"}]),
)
def test_one_child_reads_as_the_general_way_reads_it(tag, attrs, parts, name, classname, place, case_attrs) -> None:
    file, line = place
    short, general = Document("r.xml"), Document("r.xml")
    got = short.full_case(case_attrs, [[tag, dict(attrs), list(parts)]], name, classname, "s", file, line, 0.5)
    want = general._many_children(case_attrs, [[tag, dict(attrs), list(parts)]], name, classname, "s", file, line, 0.5)
    assert got == want
    assert short.clues.failure_types == general.clues.failure_types
    assert short.extra_failures == general.extra_failures
