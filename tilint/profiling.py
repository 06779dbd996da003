"""Profiles of a real run: TILINT_PROFILE=DIR makes every tilint process write one.

A check does its work in worker processes (tilint.run.pool), and the program ends with os._exit
(tilint.cli.common.exit_with), so `python -m cProfile -m tilint` sees only the main process, which
mostly waits. With TILINT_PROFILE set to a folder, the main process and each worker profile
themselves with cProfile and write `<role>-<pid>.prof` there as they end; `pstats.Stats(*files)`
adds them up (docs/performance.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ENV = "TILINT_PROFILE"

_active: dict[str, Any] = {}


def start(role: str) -> None:
    """Profile this process from now on, as `role` ("main", "worker"), when TILINT_PROFILE is set.

    A forked worker inherits the parent's profiler half-way through its run; it is replaced by a
    fresh one, so each file holds only its own process's work.
    """
    folder = os.environ.get(ENV)
    if not folder:
        return
    import cProfile

    previous = _active.pop("profile", None)
    if previous is not None:
        previous.disable()
    profile = cProfile.Profile()
    _active.update(profile=profile, role=role, folder=folder, pid=os.getpid())
    profile.enable()


def stop() -> None:
    """Write this process's profile, if it is profiling itself (never raises: a profile that
    cannot be written must not fail the run)."""
    profile = _active.get("profile")
    if profile is None or _active.get("pid") != os.getpid():
        return
    profile.disable()
    _active.pop("profile", None)
    try:
        folder = Path(_active["folder"])
        folder.mkdir(parents=True, exist_ok=True)
        profile.dump_stats(str(folder / f"{_active['role']}-{os.getpid()}.prof"))
    except OSError:
        pass
