"""action.yml against the configuration table: one input per option, each default named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from testrelay.config import OPTIONS

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
INPUTS: dict[str, dict] = ACTION["inputs"]
BY_NAME = {option.name: option for option in OPTIONS}


def as_input_text(value: object) -> str:
    """How a config default is spelled as an action input (inputs are always strings)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "\n".join(value)
    return str(value)


def test_every_input_is_a_config_option() -> None:
    assert sorted(set(INPUTS) - set(BY_NAME)) == []


def test_every_config_option_is_an_input() -> None:
    assert sorted(set(BY_NAME) - set(INPUTS)) == []


def test_input_names_reach_config_under_their_variable() -> None:
    # GitHub hands input `x` over as INPUT_X (upper case, hyphens kept), which config reads as option.input_var.
    for name in INPUTS:
        assert f"INPUT_{name.upper()}" == BY_NAME[name].input_var


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_only_the_token_has_a_default_and_descriptions_name_the_others(name: str) -> None:
    # A declared default reaches the container as if the step had set it, hiding testrelay.yml.
    spec = INPUTS.get(name) or {}
    if name == "token":
        assert spec.get("default") == "${{ github.token }}"
        return
    assert "default" not in spec, f"{name}: a default would override testrelay.yml"
    default = BY_NAME[name].default
    if default not in (None, "", ()) and not isinstance(default, tuple):
        assert as_input_text(default) in spec["description"], f"{name}: say the default in the description"


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_input_has_a_description(name: str) -> None:
    description = INPUTS[name].get("description", "")
    assert isinstance(description, str)
    assert len(description.split()) >= 3


@pytest.mark.parametrize("name", sorted(n for n, o in BY_NAME.items() if o.kind == "choice"))
def test_choice_inputs_list_every_choice(name: str) -> None:
    description = INPUTS[name]["description"]
    missing = [choice for choice in BY_NAME[name].choices if choice not in description]
    assert missing == []


def test_runs_as_a_docker_action_built_from_the_dockerfile() -> None:
    assert ACTION["runs"] == {"using": "docker", "image": "Dockerfile"}
    assert (ROOT / ACTION["runs"]["image"]).is_file()


def test_metadata_for_the_marketplace() -> None:
    assert ACTION["name"]
    assert ACTION["description"]
    assert set(ACTION["branding"]) == {"icon", "color"}


def test_pipeline_outputs_are_declared() -> None:
    assert {"json", "conclusion", "report_path"} <= set(ACTION["outputs"])
    assert all(spec.get("description") for spec in ACTION["outputs"].values())
