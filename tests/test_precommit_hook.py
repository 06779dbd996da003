"""The pre-commit hook works as docs/ci.md documents it: the `rev:` the docs show is the tag the
documented release step creates, and the real `pre-commit` package, installing the hook from a
local clone of this repository at that rev, blocks a commit that adds flagged language."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tilint import __version__

ROOT = Path(__file__).resolve().parents[1]
DOCS = {name: (ROOT / name).read_text("utf-8") for name in ("docs/ci.md", "README.md")}
TAG = f"v{__version__}"


def test_the_package_version_is_the_same_everywhere():
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert re.search(r'^version = "([^"]+)"', pyproject, flags=re.M).group(1) == __version__


@pytest.mark.parametrize("name", sorted(DOCS))
def test_every_documented_rev_and_action_ref_is_the_current_release_tag(name):
    text = DOCS[name]
    refs = re.findall(r"^\s*rev:\s*(\S+)", text, flags=re.M) + re.findall(r"tilint@(v[\w.]+)", text)
    assert refs and set(refs) == {TAG}, refs
    if name == "docs/ci.md":
        release = re.search(r"```sh\n(# after setting.*?)```", text, flags=re.S).group(1)
        assert f'git tag -a {TAG} -m "tilint {__version__}"' in release


def documented_config() -> dict:
    block = re.search(r"## pre-commit\n\n```yaml\n(.*?)```", DOCS["docs/ci.md"], flags=re.S).group(1)
    return yaml.safe_load(block)


def test_the_documented_hook_id_is_the_one_the_repository_defines():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (repo,) = documented_config()["repos"]
    assert [h["id"] for h in repo["hooks"]] == [h["id"] for h in hooks]


def git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.mark.slow
@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the repository's git history")
def test_pre_commit_installs_the_hook_at_the_documented_rev_and_blocks_a_flagged_commit(tmp_path):
    pytest.importorskip("pre_commit")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "TILINT_"))},
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path / "home"),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "TILINT_CACHE_DIR": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }
    # A clone of this repository, released the way docs/ci.md says.
    clone = tmp_path / "tilint"
    assert git("clone", "-q", "--no-hardlinks", str(ROOT), str(clone), cwd=tmp_path, env=env).returncode == 0
    assert git("tag", "-a", TAG, "-m", f"tilint {__version__}", cwd=clone, env=env).returncode == 0
    # A policy repository using the documented configuration, pointed at the clone.
    policy = tmp_path / "policies"
    policy.mkdir()
    git("init", "-q", cwd=policy, env=env)
    config = documented_config()
    config["repos"][0]["repo"] = clone.as_uri()
    (policy / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    installed = subprocess.run([*pre_commit, "install"], cwd=policy, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git("add", ".pre-commit-config.yaml", cwd=policy, env=env)
    assert git("commit", "-qm", "config", cwd=policy, env=env).returncode == 0  # no files for the hook

    (policy / "plan.md").write_text("# Plan\n\nHard to reach families will be supported.\n", encoding="utf-8")
    (policy / "notes.txt").write_text("Every service user has a named worker.\n", encoding="utf-8")
    git("add", "plan.md", "notes.txt", cwd=policy, env=env)
    blocked = git("commit", "-m", "flagged", cwd=policy, env=env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "plan.md:3:1: warning [hard-to-reach]" in output and "notes.txt:1:7: warning [service-user]" in output
    assert "Checked " not in output  # no totals from pre-commit's split runs
    assert "externally-managed" not in output

    (policy / "plan.md").write_text("# Plan\n\nFamilies we have not yet reached will be supported.\n", encoding="utf-8")
    (policy / "notes.txt").write_text("Everyone we support has a named worker.\n", encoding="utf-8")
    git("add", "plan.md", "notes.txt", cwd=policy, env=env)
    passed = git("commit", "-m", "reworded", cwd=policy, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    shutil.rmtree(tmp_path / "pre-commit-home", ignore_errors=True)
