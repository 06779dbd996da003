"""Profiling tilint as a program: the documented ways in (docs/performance.md) write profiles.

The console script ends with os._exit, skipping interpreter teardown, and the files are checked in
worker processes; TILINT_PROFILE=DIR makes every process write its own profile, and a profiler
watching the main process (python -m cProfile) makes it exit normally so that its profile is
written too.
"""

from __future__ import annotations

import os
import pstats
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(str(p) for p in (ROOT / "corpora" / "samples").glob("*.md"))


def test_tilint_profile_writes_one_profile_per_process_covering_the_checks(tmp_path):
    folder = tmp_path / "profiles"
    done = subprocess.run(
        [sys.executable, "-m", "tilint", "check", "--jobs", "2", "-q", *SAMPLES],
        capture_output=True, text=True, cwd=tmp_path, check=False,
        env={**os.environ, "TILINT_PROFILE": str(folder)},
    )
    assert done.returncode in (0, 1), done.stderr
    written = sorted(p.name.split("-")[0] for p in folder.glob("*.prof"))
    assert written.count("main") == 1 and written.count("worker") >= 1
    functions = {name for _, _, name in pstats.Stats(*map(str, folder.glob("*.prof"))).stats}
    assert "open_path" in functions  # a file was read in a worker, and that worker's profile says so


def test_python_m_cprofile_writes_the_main_process_profile(tmp_path):
    profile = tmp_path / "check.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "tilint", "check", "-q", SAMPLES[0]],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert done.returncode == 0, done.stderr
    functions = {name for _, _, name in pstats.Stats(str(profile)).stats}
    assert "check_files" in functions
