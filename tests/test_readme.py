"""The README documents what the code does: every option, every exit code, both quick-start commands."""

import re
from pathlib import Path

from testrelay.config_options import OPTIONS
from testrelay.errors import EXIT_CODES

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def test_every_option_is_in_the_configuration_table():
    table = section("Configuration")
    for option in OPTIONS:
        assert f"`{'.'.join(option.path)}`" in table, option.name
        assert f"TESTRELAY_{option.name.upper()}" in table, option.name


def test_every_exit_code_is_documented():
    rows = dict(re.findall(r"^\| (\d+) \| (.+) \|$", section("Exit codes"), re.M))
    for name, code in EXIT_CODES.items():
        assert str(code) in rows, name


def test_quick_start_has_two_commands_and_ci_runs_the_second():
    block = re.search(r"```bash\n(.*?)```", section("Quick start"), re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    first = ROOT / commands[0].split()[0]
    assert "testrelay run --config examples/testrelay.yml" in first.read_text() and first.stat().st_mode & 0o111
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
