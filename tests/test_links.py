from testrelay.ci import CIContext
from testrelay.links import full_report_url


def test_each_ci_links_to_its_archived_report():
    assert full_report_url(CIContext(provider="jenkins", run_url="https://ci/job/a/job/b/7/"), "testrelay-report") \
        == "https://ci/job/a/job/b/7/artifact/testrelay-report/report.md"
    assert full_report_url(CIContext(provider="gitlab", job_url="https://gl/g/p/-/jobs/9"), "out dir") \
        == "https://gl/g/p/-/jobs/9/artifacts/file/out%20dir/report.md"
    assert full_report_url(CIContext(provider="github", run_url="https://gh/o/r/actions/runs/5"), "x") \
        == "https://gh/o/r/actions/runs/5#artifacts"
    assert full_report_url(CIContext(provider="azure", run_url="https://dev/o/p/_build/results?buildId=3"), "x") \
        == "https://dev/o/p/_build/results?buildId=3&view=artifacts"


def test_no_link_without_a_ci_page():
    assert full_report_url(CIContext(provider="local"), "testrelay-report") is None
    assert full_report_url(CIContext(provider="jenkins"), "testrelay-report") is None
