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


def test_action_inputs_cover_every_option_and_only_the_token_has_a_default():
    inputs = action_inputs()
    assert list(inputs) == [option.name for option in OPTIONS]
    assert all(spec["required"] is False for spec in inputs.values())
    assert [name for name, spec in inputs.items() if "default" in spec] == ["token"]
    assert "Default: 20" in inputs["max_failures"]["description"]
    assert "always, changes, failures, off" in inputs["comment_mode"]["description"]


def test_empty_inputs_do_not_hide_the_file(tmp_path):
    # GitHub passes every declared input; those the workflow leaves out arrive empty.
    (tmp_path / "testrelay.yml").write_text("title: Nightly\nmax_failures: 5\nstrict: true\n", encoding="utf-8")
    passed = {f"INPUT_{name.upper()}": spec.get("default", "") for name, spec in action_inputs().items()}
    passed["INPUT_TOKEN"] = "ghs_workflowToken"
    cfg = load(cli={}, env=passed, cwd=tmp_path)
    assert (cfg.title, cfg.max_failures, cfg.strict) == ("Nightly", 5, True)
    assert cfg.token == "ghs_workflowToken"
    changed = load(cli={}, env={**passed, "INPUT_MAX_FAILURES": "20"}, cwd=tmp_path)
    assert changed.max_failures == 20  # a value the step sets wins, even when it is the default


@pytest.mark.skipif(not ACTION.exists(), reason="no action.yml in this checkout")
def test_action_yml_inputs_are_known_options():
    declared = yaml.safe_load(ACTION.read_text(encoding="utf-8")).get("inputs", {})
    unknown = [name for name in declared if name.replace("-", "_") not in BY_NAME]
    assert unknown == []


@pytest.mark.skipif(not ACTION.exists(), reason="no action.yml in this checkout")
def test_action_yml_defaults_are_the_generated_ones():
    declared = yaml.safe_load(ACTION.read_text(encoding="utf-8")).get("inputs", {})
    generated = action_inputs()
    mismatched = {
        name: (spec.get("default"), generated[name].get("default"))
        for name, spec in declared.items()
        if name in generated and spec.get("default") != generated[name].get("default")
    }
    assert mismatched == {}
