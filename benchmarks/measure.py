"""Measuring a command the way a user pays for it: one fresh process, wall and CPU time, and the
memory of its whole process tree.

Shared by the benchmark scripts. The machines these run on are shared and noisy, so a figure on
its own says little; the scripts run every scenario in turn, several times, and compare medians
measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    """One process run to its end."""

    wall: float
    #: user + system seconds of the process and every descendant it waited for (tilint's workers)
    cpu: float
    code: int
    #: peak resident memory of the largest single process (MB), from the kernel
    max_rss: float
    #: peaks of the whole process tree's memory, sampled (MB): proportional set size (shared pages
    #: counted once across the tree) and resident set size summed over its processes
    tree_pss: float = 0.0
    tree_rss: float = 0.0


@dataclass
class Series:
    """Repeated runs of one scenario."""

    name: str
    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def walls(self) -> str:
        return ", ".join(f"{r.wall:.2f}" for r in self.runs)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            found.extend(int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split())
        except (OSError, ValueError):
            continue
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB, or zeros when it has gone."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return pss, rss


class TreeSampler(threading.Thread):
    """Samples the memory of a process and all its descendants until stopped (Linux /proc only;
    elsewhere the peaks stay zero). A sample every `interval` seconds can miss a shorter peak."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_pss = self.peak_rss = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            tree, pending = [], [self.pid]
            while pending:
                pid = pending.pop()
                tree.append(pid)
                pending.extend(_children(pid))
            pss = rss = 0
            for pid in tree:
                p, r = _memory_kb(pid)
                pss, rss = pss + p, rss + r
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


def measure(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
            tree_memory: bool = False, ok: tuple[int, ...] = (0, 1)) -> Run:
    """Run `command` to its end with output discarded; raise SystemExit with its error output
    when it exits with a status not in `ok`.

    The child is waited for with wait4, whose resource usage covers the child and the workers it
    waited for: tilint ends without interpreter teardown, so nothing can be measured inside it.
    """
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = TreeSampler(proc.pid) if tree_memory and Path("/proc/self/smaps_rollup").exists() else None
        if sampler is not None:
            sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if sampler is not None:
                sampler.stop()
        wall = time.perf_counter() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            errors.seek(0)
            detail = errors.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"benchmark child failed ({code}): {' '.join(command[:4])} ...\n{detail}")
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        code=code,
        max_rss=usage.ru_maxrss / 1024,
        tree_pss=(sampler.peak_pss / 1024) if sampler else 0.0,
        tree_rss=(sampler.peak_rss / 1024) if sampler else 0.0,
    )


def load() -> str:
    """The machine's load averages and cores, for the report: a ratio measured on a loaded
    machine is still fair, but the absolute times are not."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return f"{os.cpu_count()} cores, load unknown"
    return f"{os.cpu_count()} cores, load {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


def ratio(other: float, ours: float) -> str:
    """How many times faster (or smaller) ours is than other: '12.3x', or '0.8x' when slower."""
    if ours <= 0:
        return "n/a"
    value = other / ours
    return f"{value:.1f}x" if value >= 10 else f"{value:.2f}x"
