"""Configuration: tilint.toml / .tilint.toml / [tool.tilint], discovery, validation and globs."""

from __future__ import annotations

import json

import pytest
from ci_support import FIXTURES, RULES, fast_cli, run_check  # noqa: F401  (fixture)

from tilint.config.globs import GlobSet
from tilint.config.project import Config, ConfigError, find_config, load_config, resolve_config

CASES = "We hold 40 cases.\n"
HARD = "Hard to reach families.\n"

pytestmark = pytest.mark.usefixtures("fast_cli")


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- discovery ---------------------------------------------------------------------------------------
def test_nearest_config_upwards_is_found(tmp_path):
    write(tmp_path / "tilint.toml", "")
    (tmp_path / "docs" / "deep").mkdir(parents=True)
    assert find_config(tmp_path / "docs" / "deep") == (tmp_path / "tilint.toml").resolve()


def test_discovery_stops_at_the_repository_root(tmp_path):
    write(tmp_path / "tilint.toml", "")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    assert find_config(repo / "docs") is None


def test_tilint_toml_wins_over_dot_file_and_pyproject_in_the_same_folder(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.tilint]\n")
    write(tmp_path / ".tilint.toml", "")
    assert find_config(tmp_path).name == ".tilint.toml"
    write(tmp_path / "tilint.toml", "")
    assert find_config(tmp_path).name == "tilint.toml"


def test_pyproject_without_tool_tilint_is_skipped(tmp_path):
    write(tmp_path / "tilint.toml", 'fail-on = "error"\n')
    child = tmp_path / "sub"
    write(child / "pyproject.toml", "[tool.black]\nline-length = 80\n")
    assert find_config(child) == (tmp_path / "tilint.toml").resolve()


def test_pyproject_tool_table_takes_the_same_keys(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.tilint]\nfail-on = "error"\nselect = ["test-case"]\n')
    config = load_config(path)
    assert config.fail_on == "error" and config.select == ["test-case"]


def test_no_config_gives_defaults(tmp_path):
    (tmp_path / ".git").mkdir()
    assert resolve_config(start=tmp_path) == Config()
    write(tmp_path / "tilint.toml", 'fail-on = "error"\n')
    assert resolve_config(no_config=True, start=tmp_path).fail_on is None


# -- validation --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('fial-on = "error"\n', "fial-on"),
        ('fail-on = "fatal"\n', "fail-on"),
        ("select = 3\n", "select"),
        ('exclude = ["ok", 4]\n', "exclude"),
        ('per-file-ignores = ["x"]\n', "per-file-ignores"),
        ('[severity]\ntest-case = "loud"\n', "severity.test-case"),
        ('rules = ["missing.yaml"]\n', "rules"),
        ("model = 7\n", "model"),
    ],
)
def test_a_bad_key_or_value_names_the_file_and_the_key(tmp_path, text, key):
    path = write(tmp_path / "tilint.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and key in str(info.value)


def test_invalid_toml_is_a_config_error(tmp_path):
    path = write(tmp_path / "tilint.toml", "select = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(path)


def test_rule_paths_are_relative_to_the_config_file(tmp_path):
    write(tmp_path / "cfg" / "house.yaml", "rules: []\n")
    config = load_config(write(tmp_path / "cfg" / "tilint.toml", 'rules = ["house.yaml"]\n'))
    assert config.rules == [str(tmp_path / "cfg" / "house.yaml")]


# -- globs ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.html", "a/b/page.html", True),
        ("drafts", "docs/drafts/x.md", True),
        ("drafts/", "docs/drafts/x.md", True),
        ("/drafts", "docs/drafts/x.md", False),
        ("/docs/*.md", "docs/x.md", True),
        ("/docs/*.md", "docs/sub/x.md", False),
        ("docs/**/*.md", "docs/a/b/x.md", True),
        ("docs/**/*.md", "docs/x.md", True),
        ("x?.md", "x1.md", True),
        ("x[0-9].md", "xa.md", False),
    ],
)
def test_globs_follow_gitignore_rules(tmp_path, pattern, path, expected):
    assert GlobSet([pattern], tmp_path).matches(tmp_path / path) is expected


def test_a_later_negation_re_includes_a_file(tmp_path):
    globs = GlobSet(["*.md", "!keep.md"], tmp_path)
    assert globs.matches(tmp_path / "drop.md") and not globs.matches(tmp_path / "keep.md")


def test_paths_outside_the_config_folder_never_match(tmp_path):
    assert not GlobSet(["*.md"], tmp_path / "inner").matches(tmp_path / "other.md")


# -- through the command line --------------------------------------------------------------------
def test_config_select_and_fail_on_apply(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "tilint.toml", 'select = ["test-hard-to-reach"]\nfail-on = "error"\n')
    write(tmp_path / "a.md", CASES + HARD)
    result = run_check("--rules", RULES, "--format", "json", "a.md", fixture_rules=False)
    rules = [f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert rules == ["test-hard-to-reach"] and result.exit_code == 1


def test_fixture_rules_can_come_from_the_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rules = tmp_path / "rules.yaml"
    rules.write_text((FIXTURES / "rules" / "basic.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    write(tmp_path / "tilint.toml", 'rules = ["rules.yaml"]\nselect = ["test-case"]\n')
    write(tmp_path / "a.md", CASES)
    result = run_check("--format", "json", "a.md", fixture_rules=False)
    assert [f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]] == ["test-case"]


def test_command_line_flags_override_the_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "tilint.toml", 'fail-on = "error"\n')
    write(tmp_path / "a.md", CASES)  # test-case is a warning
    assert run_check("a.md").exit_code == 0
    assert run_check("--fail-on", "warning", "a.md").exit_code == 1


def test_severity_overrides_reach_the_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "tilint.toml", '[severity]\ntest-case = "error"\n')
    write(tmp_path / "a.md", CASES)
    finding = json.loads(run_check("--format", "json", "a.md").stdout)["files"][0]["findings"][0]
    assert finding["severity"] == "error"


def test_exclude_skips_walked_and_named_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "tilint.toml", 'exclude = ["archive/"]\n')
    write(tmp_path / "archive" / "old.md", CASES)
    write(tmp_path / "new.md", HARD)
    data = json.loads(run_check("--format", "json", ".", "archive/old.md").stdout)
    assert [f["path"] for f in data["files"]] == ["new.md"]


def test_per_file_ignores_drop_rules_or_categories_for_matching_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "tilint.toml", '[per-file-ignores]\n"legacy/*.md" = ["test-case", "risk-labels"]\n')
    write(tmp_path / "legacy" / "a.md", CASES + HARD)
    write(tmp_path / "b.md", CASES + HARD)
    data = json.loads(run_check("--format", "json", "legacy/a.md", "b.md").stdout)
    found = {f["path"]: [x["rule"] for x in f["findings"]] for f in data["files"]}
    assert found == {"legacy/a.md": [], "b.md": ["test-case", "test-hard-to-reach"]}


def test_an_unknown_rule_id_in_the_config_is_a_usage_error_naming_file_and_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "tilint.toml", '[per-file-ignores]\n"*.md" = ["no-such-rule"]\n')
    write(tmp_path / "a.md", CASES)
    result = run_check("a.md")
    assert result.exit_code == 2
    assert (
        "tilint.toml" in result.stderr
        and "per-file-ignores" in result.stderr
        and "no-such-rule" in result.stderr
    )


def test_a_bad_config_file_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "tilint.toml", "colour = true\n")
    write(tmp_path / "a.md", CASES)
    result = run_check("a.md")
    assert result.exit_code == 2 and "colour" in result.stderr


def test_explicit_config_path_overrides_discovery_and_no_config_ignores_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "tilint.toml", "colour = true\n")  # invalid: would fail if read
    other = write(tmp_path / "ci" / "strict.toml", 'fail-on = "info"\n')
    write(tmp_path / "a.md", "Complex cases need time.\n")  # test-complex-cases is info
    only = ["--rules", RULES, "--select", "test-complex-cases"]
    assert run_check("--config", str(other), *only, "a.md", fixture_rules=False).exit_code == 1
    assert run_check("--no-config", *only, "a.md", fixture_rules=False).exit_code == 0
    assert run_check("--config", "missing.toml", *only, "a.md", fixture_rules=False).exit_code == 2
