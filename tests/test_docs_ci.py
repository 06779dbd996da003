"""docs/ci.md's examples are real: following them does what the text says."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from ci_support import fast_cli, run_check  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("fast_cli")

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "ci.md").read_text("utf-8")
_DIRECTIVE = re.compile(r"<!--\s*tilint-.*?-->|^\s*#\s*tilint-\S+.*$", re.M)


def section(title: str) -> str:
    start = DOC.index(f"## {title}\n")
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end != -1 else len(DOC)]


def blocks(text: str, language: str) -> list[str]:
    """The fenced code blocks of `language` in `text` (indented ones too), dedented."""
    found = []
    for match in re.finditer(rf"^( *)```{language}\n(.*?)^\1```", text, flags=re.M | re.S):
        indent = len(match.group(1))
        found.append("\n".join(line[indent:] for line in match.group(2).split("\n")))
    return found


def findings(run) -> list[tuple[int, str]]:
    assert run.exit_code in (0, 1), run.output
    return [(f["line"], f["rule"]) for file in json.loads(run.stdout)["files"] for f in file["findings"]]


@pytest.mark.parametrize(("language", "name"), [("markdown", "example.md"), ("text", "example.txt")])
def test_the_suppression_examples_suppress_real_findings_and_nothing_is_unused(tmp_path, monkeypatch, language, name):
    monkeypatch.chdir(tmp_path)
    (example,) = blocks(section("Inline suppressions"), language)
    (tmp_path / name).write_text(example, encoding="utf-8")
    with_directives = run_check("--format", "json", "--report-unused-disables", name, fixture_rules=False)
    assert findings(with_directives) == []
    (tmp_path / name).write_text(_DIRECTIVE.sub("", example), encoding="utf-8")
    without = findings(run_check("--format", "json", name, fixture_rules=False))
    assert len(without) == example.count("tilint-disable"), without


def test_the_configuration_example_is_accepted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    (config,) = blocks(section("Configuration"), "toml")
    (tmp_path / "tilint.toml").write_text(config, encoding="utf-8")
    (tmp_path / "house-rules").mkdir()
    (tmp_path / "a.md").write_text("We hold 40 cases.\n", encoding="utf-8")
    run = run_check("--format", "json", "a.md", fixture_rules=False)
    assert run.exit_code in (0, 1), run.output


def test_every_rule_or_category_the_doc_names_in_code_exists(builtin_rules):
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    from tilint.filters.postprocess import known_ids

    named: set[str] = set()
    for block in blocks(DOC, "toml"):
        config = tomllib.loads(block)
        named |= {*config.get("select", []), *config.get("ignore", []), *config.get("severity", {})}
        named |= {i for ids in config.get("per-file-ignores", {}).values() for i in ids}
    for block in blocks(DOC, "markdown") + blocks(DOC, "text"):
        for ids in re.findall(r"tilint-(?:disable-next-line|disable-line|disable|enable)((?:[ ,]+\w[\w.-]*)*)", block):
            named |= {i for i in re.split(r"[ ,]+", ids) if i}
    assert named and named <= known_ids(builtin_rules), named - known_ids(builtin_rules)


def documented_commands() -> list[list[str]]:
    """Every `tilint ...` command in docs/ci.md's code (blocks and inline), cut at a pipe or redirect."""
    import shlex

    code = "\n".join(blocks(DOC, "sh") + blocks(DOC, "yaml")) + "\n" + "\n".join(re.findall(r"`([^`\n]+)`", DOC))
    commands = []
    for line in code.splitlines():
        for part in re.split(r"&&|\|\||\|", line.split("#")[0]):
            words = shlex.split(part.strip().removeprefix("- ").replace("${{ github.base_ref }}", "main"))
            if len(words) > 1 and words[0] == "tilint" and words[1] == "check":
                cut = next((i for i, w in enumerate(words) if w in (">", "2>")), len(words))
                commands.append(words[1:cut])
    return commands


def test_every_documented_check_command_parses():
    from tilint.cli import main

    commands = documented_commands()
    assert len(commands) >= 8
    for argv in commands:
        with main.make_context("tilint", list(argv), resilient_parsing=False) as context:
            command = main.get_command(context, argv[0])
            command.make_context(argv[0], list(argv[1:]), parent=context)  # raises on an unknown option


def test_documented_workflows_use_only_the_actions_inputs():
    import yaml

    inputs = set(yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))["inputs"])
    used = []
    for block in blocks(section("GitHub Actions"), "yaml"):
        workflow = yaml.safe_load(block)
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("OWNER/tilint@"):
                    used.append(set(step.get("with", {})))
    assert len(used) >= 2 and all(names <= inputs for names in used), used
