"""The GitHub Action (action.yml and its scripts in action/), exercised as far as a machine without
GitHub allows: inputs reach the scripts only as environment variables, the cache keys, paths with
spaces, the report file, the step's outputs and the job summary."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ci_support import RULES

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
BIN = Path(sys.executable).parent


def read_outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text("utf-8").splitlines() if "=" in line)


# -- action.yml --------------------------------------------------------------------------------------
def test_no_input_is_pasted_into_a_script():
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]


def test_every_input_reaches_a_step():
    used = " ".join(str(step) for step in ACTION["runs"]["steps"])
    for name in ACTION["inputs"]:
        assert f"inputs.{name}" in used, name


def test_the_scripts_the_action_runs_exist():
    for step in ACTION["runs"]["steps"]:
        for script in re.findall(r"action/[\w.]+", step.get("run", "")):
            assert (ROOT / script).is_file(), script


def test_both_caches_use_the_keys_the_setup_step_computes():
    caches = [s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert {s["with"]["key"] for s in caches} == {
        "${{ steps.setup.outputs.pip-key }}", "${{ steps.setup.outputs.cache-key }}"
    }
    run = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "run")
    assert run["env"]["TILINT_CACHE_DIR"] == "${{ steps.setup.outputs.cache-dir }}"


# -- setup.sh: the cache keys ------------------------------------------------------------------------
def setup(tmp_path: Path, action_path: Path, **env: str) -> dict[str, str]:
    outputs = tmp_path / f"outputs-{len(list(tmp_path.glob('outputs-*')))}"
    environment = {
        **os.environ, "GITHUB_ACTION_PATH": str(action_path), "GITHUB_OUTPUT": str(outputs),
        "RUNNER_OS": "Linux", "GITHUB_SHA": "0123abc", "HOME": str(tmp_path / "home"), "TILINT_PYTHON": sys.executable,
        **env,
    }
    subprocess.run(["bash", str(ROOT / "action" / "setup.sh")], env=environment, check=True)
    return read_outputs(outputs)


@pytest.fixture
def action_copy(tmp_path) -> Path:
    copy = tmp_path / "action path"
    (copy / "rules").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", copy)
    for rule_file in (ROOT / "rules").glob("*.yaml"):
        shutil.copy(rule_file, copy / "rules")
    return copy


def test_cache_keys_name_the_runner_python_version_and_commit(tmp_path, action_copy):
    from tilint import __version__

    keys = setup(tmp_path, action_copy)
    python = f"{sys.implementation.name.replace('cpython', 'CPython')}-{sys.version.split()[0]}"
    assert keys["pip-key"].startswith(f"tilint-pip-Linux-{python}-")
    assert keys["cache-key"].startswith(f"tilint-results-Linux-{__version__}-")
    assert keys["cache-key"].endswith("-0123abc")
    assert keys["cache-key"].startswith(keys["cache-restore"]) and keys["pip-key"].startswith(keys["pip-restore"])
    assert keys["cache-dir"] == str(tmp_path / "home" / ".cache" / "tilint-action" / "results")


def test_cache_keys_are_stable_and_follow_what_changes_the_install(tmp_path, action_copy):
    first, again = setup(tmp_path, action_copy), setup(tmp_path, action_copy)
    assert first == again
    with open(action_copy / "pyproject.toml", "a", encoding="utf-8") as stream:
        stream.write("\n# a new dependency\n")
    changed = setup(tmp_path, action_copy)
    assert changed["pip-key"] != first["pip-key"] and changed["cache-key"] == first["cache-key"]
    (action_copy / "rules" / "extra.yaml").write_text("rules: []\n", encoding="utf-8")
    assert setup(tmp_path, action_copy)["cache-key"] != first["cache-key"]  # new rules, new results


def test_setup_fails_clearly_without_a_python(tmp_path, action_copy):
    outputs = tmp_path / "out"
    run = subprocess.run(
        ["bash", str(ROOT / "action" / "setup.sh")],
        env={**os.environ, "GITHUB_ACTION_PATH": str(action_copy), "GITHUB_OUTPUT": str(outputs),
             "HOME": str(tmp_path), "TILINT_PYTHON": str(tmp_path / "no-python")},
        capture_output=True, text=True,
    )
    assert run.returncode == 2 and "::error title=tilint::No Python found" in run.stdout


# -- run.py: inputs with spaces, the report, outputs and the job summary -----------------------------
@pytest.fixture(scope="module")
def results_cache(tmp_path_factory) -> Path:
    """One result cache for these runs: the same files are checked again and again, as in CI."""
    return tmp_path_factory.mktemp("tilint-cache")


@pytest.fixture
def workspace(tmp_path, results_cache, monkeypatch) -> Path:
    monkeypatch.setenv("TILINT_CACHE_DIR", str(results_cache))
    space = tmp_path / "work space"
    (space / "my docs").mkdir(parents=True)
    (space / "other docs").mkdir()
    (space / "my docs" / "plan one.md").write_text("We hold 40 cases.\n", encoding="utf-8")
    (space / "other docs" / "note.md").write_text("Hard to reach families.\n", encoding="utf-8")
    (space / "ignored.md").write_text("More cases.\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(space)], check=True)
    return space


def run_action(workspace: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, dict[str, str], Path]:
    outputs, summary = workspace.parent / "github_output", workspace.parent / "step_summary.md"
    for file in (outputs, summary):
        file.write_text("", encoding="utf-8")
    env = {
        **os.environ, "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary), "TILINT_BIN": str(BIN),
        "GITHUB_ACTIONS": "true", "NO_COLOR": "1",
        "TILINT_ARGS": f"--rules {shlex.quote(RULES)} --select test-case,test-hard-to-reach",
        **{f"TILINT_{key.upper()}": value for key, value in inputs.items()},
    }
    env.pop("PRE_COMMIT", None)
    run = subprocess.run(
        [sys.executable, str(ROOT / "action" / "run.py")], cwd=workspace, env=env, capture_output=True, text=True
    )
    return run, read_outputs(outputs), summary


def test_paths_one_per_line_may_hold_spaces(workspace):
    run, outputs, _ = run_action(workspace, paths="my docs/plan one.md\nother docs\n", format="concise")
    assert run.returncode == 1, run.stderr
    lines = [line for line in run.stdout.splitlines() if not line.startswith("Running:")]
    assert lines == [
        "my docs/plan one.md:1:12: warning [test-case] \u201ccases\u201d: Cases are people.",
        "other docs/note.md:1:1: error [test-hard-to-reach] \u201cHard to reach\u201d: Hard to reach blames people.",
    ]
    assert outputs == {"exit-code": "1", "report": ""}


def test_paths_on_one_line_may_be_quoted(workspace):
    run, _, _ = run_action(workspace, paths="'my docs/plan one.md' \"other docs\"", format="concise")
    assert "my docs/plan one.md:1:12:" in run.stdout and "other docs/note.md:1:1:" in run.stdout
    assert "ignored.md" not in run.stdout


def test_sarif_goes_to_tilint_sarif_and_the_step_reports_it(workspace):
    import json

    run, outputs, _ = run_action(workspace, paths="my docs", format="sarif")
    assert "Running: " in run.stdout and "--format sarif" in run.stdout
    assert outputs == {"exit-code": "1", "report": "tilint.sarif"}
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads((workspace / "tilint.sarif").read_text("utf-8"))["runs"][0]["results"]]
    assert uris == ["my%20docs/plan%20one.md"]


def test_fail_on_findings_false_passes_the_step_but_reports_the_exit_code(workspace):
    run, outputs, _ = run_action(workspace, paths="my docs", format="github", **{"fail": "false"})
    assert run.returncode == 0 and outputs["exit-code"] == "1"
    assert "::warning file=my docs/plan one.md,line=1,col=12," in run.stdout


def test_an_unreadable_file_fails_the_step_even_with_fail_on_findings_false(workspace):
    run, outputs, _ = run_action(workspace, paths="missing.md", format="github", fail="false")
    assert run.returncode == 2 and outputs["exit-code"] == "2"


def test_the_job_summary_is_written_unless_turned_off(workspace):
    _, _, summary = run_action(workspace, paths="my docs\nother docs", format="github")
    text = summary.read_text("utf-8")
    assert text.startswith("### tilint: 2 findings in 2 files of 2 files checked")
    assert "| my docs/plan one.md:1 | warning | `test-case` | cases |" in text
    _, _, summary = run_action(workspace, paths="my docs", format="github", summary="false")
    assert summary.read_text("utf-8") == ""


def test_args_are_split_like_a_shell_and_never_run(workspace):
    marker = workspace / "pwned"
    _, outputs, _ = run_action(workspace, paths="my docs", format="concise", args=f"--fail-on error; touch {marker}")
    assert not marker.exists()
    assert outputs["exit-code"] == "2"  # "error;" is not a severity: a usage error, not a shell command


# -- install.sh: a runner's own, externally managed Python -------------------------------------------
SYSTEM_PYTHON = Path("/usr/bin/python3")


@pytest.mark.slow
@pytest.mark.skipif(
    not SYSTEM_PYTHON.exists() or not list(Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED")),
    reason="needs a system Python marked EXTERNALLY-MANAGED (PEP 668), as on Debian and Ubuntu runners",
)
def test_python_version_empty_installs_into_a_venv_on_an_externally_managed_system_python(tmp_path):
    """python-version: '' uses the runner's python3; a plain `pip install` there fails (PEP 668)."""
    refused = subprocess.run(
        [str(SYSTEM_PYTHON), "-m", "pip", "install", "--dry-run", "--no-deps", str(ROOT)],
        capture_output=True, text=True,
    )
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stderr
    env = {**os.environ, "PATH": f"{SYSTEM_PYTHON.parent}:{os.environ['PATH']}", "TILINT_PYTHON": ""}
    keys = setup(tmp_path, ROOT, **env)
    assert keys["python"] == str(SYSTEM_PYTHON)
    install = subprocess.run(
        ["bash", str(ROOT / "action" / "install.sh")],
        env={**env, "HOME": str(tmp_path / "home"), "GITHUB_ACTION_PATH": str(ROOT), "PIP_CACHE_DIR": keys["pip-cache"],
             "TILINT_PYTHON": keys["python"], "TILINT_VENV": keys["venv"], "TILINT_BIN": keys["bin"]},
        capture_output=True, text=True, timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    assert install.stdout.strip().endswith("tilint, version " + __import__("tilint").__version__)


def test_expressions_appear_only_where_github_evaluates_them():
    for section in ("inputs", "outputs"):
        for name, spec in ACTION[section].items():
            assert "${{" not in spec.get("description", ""), f"{section}.{name}"
    assert ACTION["outputs"]["tilint"]["value"] == "${{ steps.setup.outputs.bin }}/tilint"
