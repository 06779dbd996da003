"""No file can hang a run: every check has a per-file time limit, a crash costs one file, and
workers end with the process that started them.

The hangs here are real: a rule whose regular expression backtracks for ever (a rule pack shared
between organisations is untrusted input), and, in-process, a loop inside C code that no signal
handler can interrupt. Every test bounds itself (subprocess timeouts, short --file-timeout).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tilint.cli import main
from tilint.engine import Linter
from tilint.ruleset import load_ruleset
from tilint.run.limits import MIN_FILES_PER_WORKER, Limits
from tilint.run.local import CheckJob, check_files
from tilint.run.single import ResultCache

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "rules" / "basic.yaml"

SLOW_RULE = textwrap.dedent(
    """\
    rules:
      - id: slow-regex
        category: people-as-labels
        severity: warning
        message: A rule whose pattern backtracks for ever on some words.
        alternatives: [people]
        rationale: Test.
        sources: [{title: Test, publisher: Test}]
        patterns:
          - tokens: [{LOWER: cases}, {TEXT: {REGEX: "^(a+)+$"}}]
        examples: {flag: [cases aaaa], pass: [No people.]}
    """
)
#: a word on which ^(a+)+$ backtracks through 2**40 ways of splitting it
HANGS = "We hold cases " + "a" * 40 + "b.\n"


def _folder(tmp_path: Path, files: int) -> Path:
    (tmp_path / "slow.yaml").write_text(SLOW_RULE, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(files):
        (docs / f"doc{i:02}.txt").write_text(f"We hold {i} cases aaaa.\n", encoding="utf-8")
    (docs / "hangs.txt").write_text(HANGS, encoding="utf-8")
    return docs


def _tilint(tmp_path: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    env = {**os.environ, "TILINT_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "tilint", *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=timeout, check=False)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_hangs_is_reported_past_its_time_limit_and_the_others_are_checked(tmp_path, jobs):
    docs = _folder(tmp_path, files=2 * MIN_FILES_PER_WORKER)
    started = time.monotonic()
    proc = _tilint(tmp_path, "check", "--no-config", "--rules", "slow.yaml", "--select", "slow-regex",
                   "--format", "json", "--file-timeout", "2", "--jobs", jobs, str(docs))
    assert time.monotonic() - started < 60
    assert proc.returncode == 3, proc.stderr
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert len(files) == 2 * MIN_FILES_PER_WORKER + 1
    hung = files.pop("hangs.txt")
    assert hung["failure"] == "timeout" and "timed out after 2 s (--file-timeout)" in hung["error"]
    assert all(f["error"] is None and [x["rule"] for x in f["findings"]] == ["slow-regex"] for f in files.values())
    assert "hangs.txt: timed out after 2 s" in proc.stderr


def _busy_in_c(self, document):
    """A loop in C that never returns to Python bytecode, so no signal handler could stop it."""
    if "HANG" in document.text:
        sum(range(10**13))
    return _prepare(self, document)


_prepare = Linter.prepare


@pytest.fixture
def hangs_in_c(monkeypatch):
    monkeypatch.setattr(Linter, "prepare", _busy_in_c)


def _paths(tmp_path: Path, files: int) -> list[str]:
    for i in range(files):
        (tmp_path / f"d{i:02}.md").write_text("We hold cases.\n", encoding="utf-8")
    (tmp_path / "hang.md").write_text("HANG with cases.\n", encoding="utf-8")
    return sorted(str(p) for p in tmp_path.glob("*.md"))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_loop_in_c_code_is_stopped_at_the_time_limit(tmp_path, hangs_in_c, jobs):
    linter = Linter(load_ruleset([FIXTURE], builtin=False))
    job = CheckJob(linter, ResultCache(linter, enabled=False), limits=Limits(file_timeout=1))
    started = time.monotonic()
    results = {Path(done.path).name: done.result for done in check_files(job, _paths(tmp_path, 6), jobs)}
    assert time.monotonic() - started < 30
    assert results.pop("hang.md").failure == "timeout"
    assert all(r.error is None and r.findings for r in results.values()) and len(results) == 6


def test_check_file_timeout_reaches_the_pool(tmp_path, hangs_in_c):
    _paths(tmp_path, 2)
    result = CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "--rules", str(FIXTURE),
                                       "--file-timeout", "1", str(tmp_path)])
    assert result.exit_code == 3
    assert "hang.md: timed out after 1 s (--file-timeout)" in result.stderr


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("command", ["check", "audit"])
def test_killing_the_parent_leaves_no_worker_running(tmp_path, command):
    """As an out-of-memory kill or a cancelled CI job does: SIGKILL, so nothing can clean up."""
    docs = _folder(tmp_path, files=2 * MIN_FILES_PER_WORKER)
    args = ["--no-config", "--rules", "slow.yaml", "--select", "slow-regex", "--jobs", "2", "--file-timeout", "600"]
    args += ["-o", str(tmp_path / "out"), "-q"] if command == "audit" else []
    env = {**os.environ, "TILINT_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "tilint", command, *args, str(docs)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        # Wait until the run is down to the one file that hangs, with its workers started.
        assert _wait_for(lambda: len(_children(proc.pid)) >= 2 and _cpu_busy_child(proc.pid)), "no busy worker"
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 10), "a worker outlived its parent"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        for pid in workers:  # whatever the outcome, this test leaves nothing running
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _cpu_busy_child(pid: int) -> bool:
    """Whether one of `pid`'s children has been running (state R) for more than a second of CPU."""
    ticks = os.sysconf("SC_CLK_TCK")
    for child in _children(pid):
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if (int(fields[11]) + int(fields[12])) / ticks > 1.0:
            return True
    return False
