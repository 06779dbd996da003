"""Progress for a long audit: a rich bar on a terminal, a plain line now and then in CI, or nothing.

The bar is refreshed by the audit's own loop (no refresh thread), because the local pool forks its
workers and a fork must not happen while another thread may hold a lock.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class Progress:
    """Counts files done, unreadable and from the cache; shows them as `mode` says.

    mode: "bar" (rich, for a terminal), "lines" (one line every `interval` seconds), "none".
    """

    def __init__(self, total: int, mode: str = "auto", stream: TextIO | None = None, interval: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "bar" if getattr(self.stream, "isatty", lambda: False)() else "lines"
        self.mode = mode
        self.total = total
        self.done = self.errors = self.cached = 0
        self.interval = interval
        self.started = time.monotonic()
        self._last_line = self.started
        self._last_refresh = 0.0
        self._bar = None
        self._task = None

    def __enter__(self) -> Progress:
        if self.mode == "bar":
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("auditing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[errors]} unreadable, {task.fields[cached]} unchanged/cached"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                auto_refresh=False,
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("audit", total=self.total or None, errors=0, cached=0)
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.refresh()
            self._bar.stop()
        elif self.mode == "lines" and self.done:
            self._line()

    def advance(self, error: bool = False, cached: bool = False) -> None:
        self.done += 1
        self.errors += bool(error)
        self.cached += bool(cached)
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, errors=self.errors, cached=self.cached)
        self.tick()

    def tick(self) -> None:
        now = time.monotonic()
        if self._bar is not None:
            if now - self._last_refresh >= 0.1:
                self._bar.refresh()
                self._last_refresh = now
        elif self.mode == "lines" and now - self._last_line >= self.interval:
            self._line()
            self._last_line = now

    def eta(self) -> float | None:
        if not self.done or self.total <= self.done:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed / self.done * (self.total - self.done)

    def _line(self) -> None:
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        eta = self.eta()
        tail = f", ETA {_duration(eta)}" if eta is not None else ""
        self.stream.write(
            f"tilint audit: {self.done}/{self.total} files{share}, {self.errors} unreadable, "
            f"{self.cached} unchanged/cached, {_duration(time.monotonic() - self.started)} elapsed{tail}\n"
        )
        self.stream.flush()
