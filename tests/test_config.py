from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from testrelay import config
from testrelay.config import OPTIONS, Config, load
from testrelay.config_options import split_patterns
from testrelay.errors import ConfigError


def write(tmp_path: Path, text: str, name: str = "testrelay.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, *, cli=None, env=None) -> str:
    with pytest.raises(ConfigError) as info:
        load(cli=cli or {}, env=env or {}, cwd=tmp_path)
    return str(info.value)


def test_defaults_without_any_source(tmp_path):
    cfg = load(cli={}, env={}, cwd=tmp_path)
    assert cfg == Config()
    assert cfg.files[-1] == "!**/node_modules/**"
    assert cfg.comment.mode == "always" and cfg.comment.key == "default"
    assert cfg.check_name == cfg.title == "Test results"
    assert cfg.max_failures == 20 and cfg.max_file_size == 2048 and cfg.max_file_bytes == 2048 * 1024 * 1024
    assert cfg.strict is False and cfg.fail_on_empty is True
    assert cfg.config is None


def test_dataclass_defaults_agree_with_the_option_table():
    cfg = Config()
    for option in OPTIONS:
        if option.name == "check_name":
            continue  # defaults to the title, resolved in load()
        assert cfg.get(option.name) == option.default, option.name


PRECEDENCE = [
    # option, yaml text, env value, input value, cli value, expected at each level
    ("max_failures", "max_failures: 5", "6", "7", 8, (5, 6, 7, 8)),
    (
        "comment_mode",
        "comment:\n  mode: changes",
        "failures",
        "off",
        "always",
        ("changes", "failures", "off", "always"),
    ),
    (
        "title",
        "title: From file",
        "From env",
        "From input",
        "From flag",
        ("From file", "From env", "From input", "From flag"),
    ),
    ("strict", "strict: true", "false", "yes", False, (True, False, True, False)),
]


@pytest.mark.parametrize(("name", "yaml_text", "env_value", "input_value", "cli_value", "expected"), PRECEDENCE)
def test_each_source_overrides_the_one_below(tmp_path, name, yaml_text, env_value, input_value, cli_value, expected):
    write(tmp_path, yaml_text + "\n")
    env_only = {f"TESTRELAY_{name.upper()}": env_value}
    with_input = {**env_only, f"INPUT_{name.upper()}": input_value}
    levels = [
        load(cli={}, env={}, cwd=tmp_path),
        load(cli={}, env=env_only, cwd=tmp_path),
        load(cli={}, env=with_input, cwd=tmp_path),
        load(cli={name: cli_value}, env=with_input, cwd=tmp_path),
    ]
    assert tuple(cfg.get(name) for cfg in levels) == expected
    assert [cfg.origins[name] for cfg in levels] == [
        "testrelay.yml",
        f"TESTRELAY_{name.upper()}",
        f"INPUT_{name.upper()}",
        "--" + name.replace("_", "-"),
    ]


def test_a_source_that_does_not_mention_an_option_leaves_the_lower_value(tmp_path):
    write(tmp_path, "title: Nightly\nfail_on: errors\n")
    cfg = load(cli={"fail_on": None}, env={"INPUT_MAX_FAILURES": "3"}, cwd=tmp_path)
    assert (cfg.title, cfg.fail_on, cfg.max_failures) == ("Nightly", "errors", 3)


def test_empty_inputs_count_as_not_given(tmp_path):
    # GitHub sets every declared input; unused ones are empty strings.
    write(tmp_path, "title: Nightly\n")
    cfg = load(cli={}, env={"INPUT_TITLE": "", "TESTRELAY_TITLE": "  "}, cwd=tmp_path)
    assert cfg.title == "Nightly"


def test_hyphenated_input_names_are_read(tmp_path):
    cfg = load(cli={}, env={"INPUT_FAIL-ON-EMPTY": "false", "INPUT_COMMENT-MODE": "off"}, cwd=tmp_path)
    assert cfg.fail_on_empty is False and cfg.comment.mode == "off"


def test_check_name_follows_the_title_unless_set(tmp_path):
    assert load(cli={"title": "Unit"}, env={}, cwd=tmp_path).check_name == "Unit"
    assert load(cli={"title": "Unit", "check_name": "ci/unit"}, env={}, cwd=tmp_path).check_name == "ci/unit"


def test_files_input_one_per_line_or_comma_separated(tmp_path):
    lines = load(cli={}, env={"INPUT_FILES": "build/TEST-*.xml\n  !build/skip/**\n\nout/*.trx\n"}, cwd=tmp_path)
    assert lines.files == ("build/TEST-*.xml", "!build/skip/**", "out/*.trx")
    commas = load(cli={}, env={"TESTRELAY_FILES": "a/*.xml, b/{x,y}.xml"}, cwd=tmp_path)
    assert commas.files == ("a/*.xml", "b/{x,y}.xml")


def test_files_in_yaml_as_list_and_from_cli_as_list(tmp_path):
    write(tmp_path, "files:\n  - reports/**/*.xml\n  - '!reports/old/**'\n")
    assert load(cli={}, env={}, cwd=tmp_path).files == ("reports/**/*.xml", "!reports/old/**")
    assert load(cli={"files": ["x.xml", "y.xml"]}, env={}, cwd=tmp_path).files == ("x.xml", "y.xml")


def test_split_patterns_keeps_brace_commas():
    assert split_patterns("**/{unit,it}/*.xml,c.xml") == ("**/{unit,it}/*.xml", "c.xml")


def test_explicit_config_file_is_read_and_must_exist(tmp_path):
    write(tmp_path, "title: Default file\n")
    write(tmp_path, "title: Chosen file\n", name="ci.yml")
    cfg = load(cli={"config": "ci.yml"}, env={}, cwd=tmp_path)
    assert cfg.title == "Chosen file" and cfg.config == "ci.yml"
    via_input = load(cli={}, env={"INPUT_CONFIG": "ci.yml"}, cwd=tmp_path)
    assert via_input.title == "Chosen file"
    message = error_of(tmp_path, cli={"config": "missing.yml"})
    assert message.startswith("--config: missing.yml does not exist")


def test_empty_yaml_file_is_fine(tmp_path):
    write(tmp_path, "# nothing yet\n")
    assert load(cli={}, env={}, cwd=tmp_path).title == "Test results"


# ---- errors -----------------------------------------------------------------------------------------


def test_choice_error_names_file_path_and_allowed_values(tmp_path):
    write(tmp_path, "comment:\n  mode: sometimes\n")
    assert error_of(tmp_path) == "testrelay.yml: comment.mode: 'sometimes' is not one of always, changes, failures, off"


def test_whole_number_error_names_the_input(tmp_path):
    assert error_of(tmp_path, env={"INPUT_MAX_FAILURES": "ten"}) == "INPUT_MAX_FAILURES: 'ten' is not a whole number"


def test_minimum_is_enforced(tmp_path):
    message = error_of(tmp_path, env={"TESTRELAY_MAX_FAILURES": "-1"})
    assert message.startswith("TESTRELAY_MAX_FAILURES: -1 is too small")


def test_bool_error(tmp_path):
    message = error_of(tmp_path, env={"TESTRELAY_STRICT": "maybe"})
    assert message.startswith("TESTRELAY_STRICT: 'maybe' is not true or false")


def test_cli_flag_error_names_the_flag(tmp_path):
    assert error_of(tmp_path, cli={"fail_on": "sometimes"}).startswith("--fail-on: 'sometimes' is not one of nothing")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("max_failures: [1, 2]\n", "testrelay.yml: max_failures: expected a whole number, got a list"),
        ("strict: 3\n", "testrelay.yml: strict: expected true or false, got the number 3"),
        ("title: true\n", "testrelay.yml: title: expected a string, got true/false"),
        ("files: {a: 1}\n", "testrelay.yml: files: expected a list of glob patterns, got a mapping"),
        ("files: [1]\n", "testrelay.yml: files: expected a list of glob patterns, got the number 1 in the list"),
        ("comment: always\n", "testrelay.yml: comment: expected a mapping with mode, key, got str"),
        ("- a\n- b\n", "testrelay.yml: expected a mapping of options at the top level, got list"),
    ],
)
def test_wrong_type_names_the_expected_type(tmp_path, text, expected):
    write(tmp_path, text)
    assert error_of(tmp_path) == expected


def test_unknown_key_suggests_the_nearest(tmp_path):
    write(tmp_path, "max_failure: 3\n")
    assert error_of(tmp_path) == "testrelay.yml: max_failure: unknown option (did you mean 'max_failures'?)"
    write(tmp_path, "comment:\n  mdoe: off\n")
    assert error_of(tmp_path) == "testrelay.yml: comment.mdoe: unknown option (did you mean 'comment.mode'?)"
    write(tmp_path, "colour: blue\n")
    assert error_of(tmp_path) == "testrelay.yml: colour: unknown option"


def test_flat_name_in_the_file_says_to_nest_it(tmp_path):
    write(tmp_path, "comment_mode: off\n")
    assert "write it nested: comment: {mode: ...}" in error_of(tmp_path)


def test_hyphenated_yaml_keys_are_accepted(tmp_path):
    write(tmp_path, "fail-on: errors\nmax-failures: 2\n")
    cfg = load(cli={}, env={}, cwd=tmp_path)
    assert (cfg.fail_on, cfg.max_failures) == ("errors", 2)


def test_invalid_yaml_names_file_line_and_column(tmp_path):
    write(tmp_path, "title: ok\ncomment:\n  mode: [always\n")
    message = error_of(tmp_path)
    assert message.startswith("testrelay.yml:4:1: invalid YAML:")
    write(tmp_path, "title: a\n  bad: indentation: here\n")
    assert error_of(tmp_path).startswith("testrelay.yml:2:")


def test_comment_key_rejects_characters_that_break_the_marker(tmp_path):
    message = error_of(tmp_path, env={"INPUT_COMMENT_KEY": "a-->b"})
    assert message.startswith("INPUT_COMMENT_KEY: 'a-->b' may hold only")


def test_errors_are_one_line(tmp_path):
    write(tmp_path, "title: [\n")
    assert "\n" not in error_of(tmp_path)


def test_unknown_env_variable_warns_with_suggestion(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        load(cli={}, env={"TESTRELAY_MAX_FAILUERS": "3", "TESTRELAY_DEBUG": "1", "INPUT_OTHER": "x"}, cwd=tmp_path)
    assert "TESTRELAY_MAX_FAILUERS is not a testrelay option; ignored (did you mean TESTRELAY_MAX_FAILURES?)" in (
        caplog.text
    )
    assert "TESTRELAY_DEBUG" not in caplog.text and "INPUT_OTHER" not in caplog.text


def test_cli_keys_that_are_not_options_are_ignored(tmp_path):
    cfg = load(cli={"command": "run", "verbose": True, "handler": print, "title": "T"}, env={}, cwd=tmp_path)
    assert cfg.title == "T"


# ---- secrets ----------------------------------------------------------------------------------------


def test_token_is_redacted_everywhere(tmp_path):
    secret = "ghs_abcdefSECRET123"
    cfg = load(cli={}, env={"INPUT_TOKEN": secret}, cwd=tmp_path)
    assert cfg.token == secret
    assert secret not in repr(cfg) and secret not in str(cfg) and secret not in str(cfg.to_dict())
    assert "token='***'" in repr(cfg)
    assert cfg.to_dict()["token"] == "***"
    assert cfg.origins["token"] == "INPUT_TOKEN"


def test_token_absent_shows_none(tmp_path):
    assert load(cli={}, env={}, cwd=tmp_path).to_dict()["token"] is None


def test_token_never_appears_in_an_error(tmp_path):
    secret = "glpat-SECRETSECRET"
    message = error_of(tmp_path, env={"TESTRELAY_TOKEN": secret, "TESTRELAY_MAX_FILE_SIZE": "0"})
    assert secret not in message


def test_to_dict_is_nested_like_the_file(tmp_path):
    write(tmp_path, "comment:\n  mode: failures\n  key: unit\n")
    data = load(cli={}, env={}, cwd=tmp_path).to_dict()
    assert data["comment"] == {"mode": "failures", "key": "unit"}
    assert isinstance(data["files"], list)


def test_config_is_frozen(tmp_path):
    cfg = load(cli={}, env={}, cwd=tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.title = "x"  # type: ignore[misc]


def test_option_table_has_help_and_allowed_values():
    for option in OPTIONS:
        assert option.help and option.kind in {"str", "int", "bool", "choice", "list", "path"}
        if option.kind == "choice":
            assert option.default in option.choices
    assert config.OPTIONS is OPTIONS
    names = {option.name for option in OPTIONS}
    assert {"files", "provider", "comment_mode", "comment_key", "fail_on", "token", "fail_on_empty"} <= names


def test_empty_output_dir_from_a_flag_is_refused(tmp_path):
    assert error_of(tmp_path, cli={"output_dir": ""}) == "--output-dir: must not be empty"
