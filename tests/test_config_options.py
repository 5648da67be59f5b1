from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import yaml

from testrelay.config import load
from testrelay.config_options import BY_NAME, OPTIONS, action_inputs, add_arguments

ACTION = Path(__file__).resolve().parents[1] / "action.yml"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser()
    add_arguments(p)
    return p


def test_every_option_has_a_flag_that_overrides_nothing_when_unused(tmp_path):
    args = parser().parse_args([])
    assert {option.name for option in OPTIONS} <= set(vars(args))
    assert all(getattr(args, option.name) is None for option in OPTIONS)
    (tmp_path / "testrelay.yml").write_text("title: From file\nstrict: true\n", encoding="utf-8")
    cfg = load(cli=vars(args), env={}, cwd=tmp_path)
    assert cfg.title == "From file" and cfg.strict is True


def test_flags_reach_the_config(tmp_path):
    args = parser().parse_args(
        ["--files", "a/*.xml", "--files", "b/*.xml", "--no-strict", "--max-failures", "3", "--comment-mode", "off"]
    )
    (tmp_path / "testrelay.yml").write_text("strict: true\n", encoding="utf-8")
    cfg = load(cli=vars(args), env={}, cwd=tmp_path)
    assert cfg.files == ("a/*.xml", "b/*.xml")
    assert (cfg.strict, cfg.max_failures, cfg.comment.mode) == (False, 3, "off")
    assert cfg.origins["strict"] == "--strict"


def test_flag_choices_come_from_the_table():
    with pytest.raises(SystemExit):
        parser().parse_args(["--provider", "circleci"])


def test_action_inputs_cover_every_option_without_defaults():
    inputs = action_inputs()
    assert list(inputs) == [option.name for option in OPTIONS]
    assert all("default" not in spec and spec["required"] is False for spec in inputs.values())
    assert "always, changes, failures, off" in inputs["comment_mode"]["description"]


@pytest.mark.skipif(not ACTION.exists(), reason="no action.yml in this checkout")
def test_action_yml_inputs_are_known_options():
    declared = yaml.safe_load(ACTION.read_text(encoding="utf-8")).get("inputs", {})
    unknown = [name for name in declared if name.replace("-", "_") not in BY_NAME]
    assert unknown == []
