"""Profiling tilint as a program: the documented way in (docs/performance.md) writes its profile.

The console script normally ends with os._exit, skipping interpreter teardown; a profiler,
tracer or coverage tool watching the process makes it exit normally instead, so what they saw is
written.
"""

from __future__ import annotations

import pstats
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_python_m_cprofile_writes_the_profile_of_a_check(tmp_path):
    profile = tmp_path / "check.prof"
    sample = ROOT / "corpora" / "samples" / "family-support-strategy.md"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "tilint", "check", "--jobs", "1", "-q",
         str(sample)],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert done.returncode == 0, done.stderr
    functions = {name for _, _, name in pstats.Stats(str(profile)).stats}
    assert "check_path" in functions

