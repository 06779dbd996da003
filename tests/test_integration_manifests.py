"""The pre-commit hook and the GitHub Action manifests: valid, complete, and the hook's entry runs."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from ci_support import RULES

ROOT = Path(__file__).resolve().parents[1]


def hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert isinstance(hooks, list)
    return next(h for h in hooks if h["id"] == "tilint")


def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))


def test_pre_commit_hook_declares_the_required_keys():
    spec = hook()
    assert spec["entry"] == "tilint check" and spec["language"] == "python"
    assert spec["types_or"] == ["markdown", "text", "html"] and spec["require_serial"] is False
    assert {"name", "description"} <= set(spec)


def test_pre_commit_hook_files_pattern_keeps_to_formats_tilint_reads():
    import re

    pattern = re.compile(hook()["files"])
    assert all(pattern.search(name) for name in ("a.md", "docs/b.markdown", "c.txt", "d.html", "e.htm"))
    assert not any(pattern.search(name) for name in ("setup.py", "notes.rst", "data.csv"))


def entry_command(entry: str) -> list[str]:
    """The hook's entry as pre-commit would run it in its own environment (here: this one)."""
    program, *args = shlex.split(entry)
    script = Path(sys.executable).with_name(program)
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "tilint", *args]


def test_pre_commit_hook_entry_runs_on_staged_file_names(tmp_path):
    flagged, clean = tmp_path / "flagged.md", tmp_path / "clean.md"
    flagged.write_text("We hold 40 cases.\n", encoding="utf-8")
    clean.write_text("We work alongside families.\n", encoding="utf-8")
    command = [*entry_command(hook()["entry"]), "--rules", RULES, "--select", "test-case"]
    env = {**os.environ, "GITHUB_ACTIONS": "false", "NO_COLOR": "1"}
    failing = subprocess.run([*command, str(flagged), str(clean)], capture_output=True, text=True, env=env)
    assert failing.returncode == 1 and "[test-case]" in failing.stdout
    passing = subprocess.run([*command, str(clean)], capture_output=True, text=True, env=env)
    assert passing.returncode == 0, passing.stderr


def test_action_is_a_composite_action_installing_tilint_from_its_checkout():
    spec = action()
    assert spec["runs"]["using"] == "composite"
    install = next(step for step in spec["runs"]["steps"] if step.get("name") == "Install tilint")
    assert install["env"]["GITHUB_ACTION_PATH"] == "${{ github.action_path }}"
    script = (ROOT / "action" / "install.sh").read_text()
    assert 'pip install --disable-pip-version-check --quiet "$action_path"' in script
    assert all(step.get("shell") == "bash" for step in spec["runs"]["steps"] if "run" in step)
    assert '"check"' in (ROOT / "action" / "run.py").read_text()


def test_action_inputs_have_descriptions_and_defaults():
    inputs = action()["inputs"]
    assert {"paths", "format", "args"} <= set(inputs)
    assert inputs["format"]["default"] in {"github", "sarif"}
    assert all("description" in spec and "default" in spec for spec in inputs.values())


def test_action_passes_inputs_through_the_environment_not_into_the_script():
    """Interpolating ${{ inputs.* }} into a shell script would let a crafted input run commands."""
    run = next(step for step in action()["runs"]["steps"] if step.get("id") == "run")
    assert "${{ inputs." not in run["run"]
    assert set(run["env"].values()) >= {"${{ inputs.paths }}", "${{ inputs.format }}", "${{ inputs.args }}"}


def test_the_ci_guide_shows_both_manifests():
    guide = (ROOT / "docs" / "ci.md").read_text("utf-8")
    assert "id: tilint" in guide and "github/codeql-action/upload-sarif" in guide
    assert "uses: " in guide and "pre-commit" in guide
