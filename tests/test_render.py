import os
from datetime import UTC, datetime

import pytest

from report_samples import META, green_run
from testrelay import render as rd
from testrelay.errors import TemplateError
from testrelay.report import build


@pytest.mark.parametrize(("value", "text"), [(0, "0"), (1204, "1,204"), (1234567, "1,234,567"), (12.0, "12")])
def test_num(value, text):
    assert rd.num(value) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 ms"), (0.85, "850 ms"), (4.2, "4.2s"), (38, "38s"), (252, "4m 12s"), (3720, "1h 02m"),
     (59.6, "1m 00s"), (None, ""), (-1, "0 ms")],
)
def test_duration(seconds, text):
    assert rd.duration(seconds) == text


@pytest.mark.parametrize(("change", "text"), [(2, "▲2"), (-1, "▼1"), (0, ""), (None, ""), (1500, "▲1,500")])
def test_delta(change, text):
    assert rd.delta(change) == text


def test_short_sha():
    assert rd.short_sha("abc1234def567") == "abc1234"
    assert rd.short_sha(None) == ""


def test_md_escapes_metacharacters_and_html():
    out = rd.md("a|b `c` <script>*x*_y_ [l](u)\nnext")
    assert "\n" not in out
    assert "\\|" in out and "\\`c\\`" in out
    assert "<" not in out and "&lt;script&gt;" in out
    assert "\\*x\\*" in out and "\\[l\\]" in out


def test_html_line_escapes():
    assert rd.html_line('<b a="1">x</b>\n&') == "&lt;b a=&#34;1&#34;&gt;x&lt;/b&gt; &amp;"


def test_code_block_fence_longer_than_any_backtick_run():
    content = "before\n```\ninside\n`````\nafter"
    block = rd.code_block(content)
    fence = block.split("\n", 1)[0].removesuffix("text")
    assert fence == "``````"
    assert block.endswith("\n" + fence)
    assert rd.code_block("plain").startswith("```text\nplain\n```")


def test_inline_code_span():
    assert rd.code("main") == "`main`"
    assert rd.code("a`b") == "``a`b``"
    assert rd.code("`x") == "`` `x ``"
    assert rd.code("a|b", in_table=True) == "`a\\|b`"


def test_url_allows_only_http_and_cannot_break_a_link():
    assert rd.url("javascript:alert(1)") == ""
    assert rd.url(None) == ""
    assert rd.url("https://x/a b(c)") == "https://x/a%20b%28c%29"


def test_marker_key_cannot_close_the_comment():
    assert "--" not in rd.marker_key("a-->b")
    assert ">" not in rd.marker_key("a-->b")
    assert rd.marker_key("pr-tests/unit") == "pr-tests/unit"


def test_utc():
    assert rd.utc(datetime(2026, 11, 26, 14, 3, tzinfo=UTC)) == "2026-11-26 14:03 UTC"


def test_user_folder_first_then_packaged(tmp_path):
    (tmp_path / "comment.md.j2").write_text("mine: {{ report.totals.passed|num }}")
    report = build(green_run(), meta=META)
    assert rd.render(report, "comment.md.j2", user_dir=tmp_path) == "mine: 1,204"
    assert "1,204 passed" in rd.render(report, "summary.md.j2", user_dir=tmp_path)


def test_user_template_can_use_packaged_macros(tmp_path):
    (tmp_path / "short.md.j2").write_text('{% import "_macros.md.j2" as m %}{{ m.headline(report) }}')
    assert rd.render(build(green_run(), meta=META), "short.md.j2", user_dir=tmp_path).startswith("✅ Test results:")


def test_missing_template_names_it_and_the_folders(tmp_path):
    with pytest.raises(TemplateError) as err:
        rd.render(build(green_run(3)), "nope.md.j2", user_dir=tmp_path)
    assert "'nope.md.j2'" in str(err.value) and str(tmp_path) in str(err.value)
    assert str(rd.PACKAGED_TEMPLATES) in str(err.value)


def test_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "bad.md.j2").write_text("line one\n{% if report %}\nno end\n")
    with pytest.raises(TemplateError, match=r"bad\.md\.j2:\d+: template syntax error"):
        rd.render(build(green_run(3)), "bad.md.j2", user_dir=tmp_path)


def test_undefined_variable_names_file_and_line(tmp_path):
    (tmp_path / "typo.md.j2").write_text("ok\nfine\n{{ report.totals.pased }}\n")
    with pytest.raises(TemplateError) as err:
        rd.render(build(green_run(3)), "typo.md.j2", user_dir=tmp_path)
    assert "typo.md.j2:3" in str(err.value) and "undefined" in str(err.value)
    assert "pased" in str(err.value)


def test_only_report_is_visible(tmp_path):
    (tmp_path / "env.md.j2").write_text("{{ config }}")
    with pytest.raises(TemplateError, match="undefined"):
        rd.render(build(green_run(3)), "env.md.j2", user_dir=tmp_path)


def test_sandbox_blocks_reaching_past_the_report(tmp_path):
    (tmp_path / "escape.md.j2").write_text("{{ report.__class__.__init__.__globals__ }}")
    with pytest.raises(TemplateError):
        rd.render(build(green_run(3)), "escape.md.j2", user_dir=tmp_path)
    (tmp_path / "mutate.md.j2").write_text("{% set xs = [1] %}{{ xs.append(2) }}")
    with pytest.raises(TemplateError, match=r"mutate\.md\.j2:1: render error"):
        rd.render(build(green_run(3)), "mutate.md.j2", user_dir=tmp_path)


def test_template_that_is_not_utf8(tmp_path):
    (tmp_path / "latin.md.j2").write_bytes(b"caf\xe9 {{ report.title }}")
    with pytest.raises(TemplateError, match=r"'latin\.md\.j2' could not be read"):
        rd.render(build(green_run(3)), "latin.md.j2", user_dir=tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_template(tmp_path):
    path = tmp_path / "locked.md.j2"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(TemplateError, match="could not be read"):
        rd.render(build(green_run(3)), "locked.md.j2", user_dir=tmp_path)


def test_autoescape_only_for_html_templates(tmp_path):
    (tmp_path / "t.html.j2").write_text("{{ report.title }}")
    (tmp_path / "t.md.j2").write_text("{{ report.title }}")
    report = build(green_run(3), title="<i>x</i>")
    assert rd.render(report, "t.html.j2", user_dir=tmp_path) == "&lt;i&gt;x&lt;/i&gt;"
    assert rd.render(report, "t.md.j2", user_dir=tmp_path) == "<i>x</i>"
