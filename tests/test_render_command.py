import json

import pytest

from report_samples import META, baseline_and_current
from testrelay import cli
from testrelay.report import build, to_document


@pytest.fixture
def report_json(tmp_path):
    base, now = baseline_and_current()
    path = tmp_path / "report.json"
    path.write_text(json.dumps(to_document(now, build(now, baseline=base, meta=META))))
    return path


def test_prints_the_comment_by_default(report_json, capsys):
    assert cli.main(["render", str(report_json)]) == 0
    out = capsys.readouterr().out
    first = out.split("\n", 1)[0]
    assert first == "### ❌ Test results: 2 failed, 1 error · 1,202 passed (2 new failures, 1 fixed since `main`)"
    assert out.rstrip("\n").endswith("<!-- testrelay:comment key=default -->")


def test_named_template_and_output_file(report_json, tmp_path, capsys):
    out_file = tmp_path / "summary.md"
    assert cli.main(["render", str(report_json), "--template", "summary.md.j2", "-o", str(out_file)]) == 0
    assert capsys.readouterr().out == ""
    assert out_file.read_text().startswith("## ❌ Test results:")


def test_user_templates_folder(report_json, tmp_path, capsys):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "comment.md.j2").write_text("{{ report.totals.tests|num }} tests")
    assert cli.main(["render", str(report_json), "--templates", str(folder)]) == 0
    assert capsys.readouterr().out == "1,205 tests\n"


def test_destination_picks_its_template_and_limit(report_json, capsys):
    assert cli.main(["render", str(report_json), "--destination", "status"]) == 0
    out = capsys.readouterr().out
    assert out == "2 failed, 1 error, 1,202 passed · 2 new since main · 1 fixed · 2m 00s\n"


def test_limit(report_json, capsys):
    assert cli.main(["render", str(report_json), "--template", "summary.md.j2", "--limit", "1500"]) == 0
    out = capsys.readouterr().out
    assert len(out) <= 1501 and "Left out to fit" in out


def test_missing_file(tmp_path, capsys):
    assert cli.main(["render", str(tmp_path / "nope.json")]) == 3
    err = capsys.readouterr().err
    assert "nope.json: no such file" in err and "Traceback" not in err


def test_not_json_and_not_a_report(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    assert cli.main(["render", str(bad)]) == 3
    assert "bad.json: not valid JSON (line 1" in capsys.readouterr().err
    other = tmp_path / "other.json"
    other.write_text('{"results": {}}')
    assert cli.main(["render", str(other)]) == 3
    assert "other.json: no \"report\" object" in capsys.readouterr().err


def test_missing_template_is_a_template_error(report_json, capsys):
    assert cli.main(["render", str(report_json), "--template", "nope.md.j2"]) == 5
    assert "template 'nope.md.j2' not found in" in capsys.readouterr().err


def test_bad_limit_and_folder(report_json, tmp_path, capsys):
    assert cli.main(["render", str(report_json), "--limit", "0"]) == 2
    assert "--limit" in capsys.readouterr().err
    assert cli.main(["render", str(report_json), "--templates", str(tmp_path / "none")]) == 2
    assert "--templates" in capsys.readouterr().err


def test_limit_and_destination_exclude_each_other(report_json, capsys):
    with pytest.raises(SystemExit):
        cli.main(["render", str(report_json), "--limit", "10", "--destination", "status"])
