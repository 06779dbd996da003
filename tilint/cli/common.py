"""Helpers shared by the commands: exit statuses, colour, usage errors, the configured run."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import TYPE_CHECKING

import click

from tilint.ruleset import RuleFileError, RuleSet, load_ruleset

if TYPE_CHECKING:
    from tilint.run.settings import RunOptions, RunSettings

#: exit codes (as yamllint and ruff): findings, and "you need to fix something first"
EXIT_FINDINGS = 1
EXIT_USAGE = 2
#: tilint itself failed on a file (an internal error, a crashed worker, the per-file time limit)
EXIT_FAILED = 3


def use_color(no_color: bool, stream=None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


#: set by the console script (tilint.cli.run); False when commands run inside another program,
#: such as click's test runner
RUNNING_AS_PROGRAM = False


def exit_with(code: int) -> None:
    """End the command with this exit status.

    Run as a program, the process ends at once, output flushed, without tearing the interpreter
    down: freeing spaCy's and the rule set's objects one by one takes a fifth of a second, which
    a pre-commit hook would pay on every commit. Nothing is left to clean up by then: output
    and cache files are written and worker processes have been joined.
    """
    from tilint import profiling

    profiling.stop()  # TILINT_PROFILE's profile of this process, written before it ends
    if not RUNNING_AS_PROGRAM or _observed():
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (`tilint check | head`) has nothing more to take.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _observed() -> bool:
    """Whether a profiler, tracer or coverage tool is watching the process: each writes what it
    saw only as the interpreter exits normally (`python -m cProfile -o out.prof -m tilint ...`)."""
    return sys.getprofile() is not None or sys.gettrace() is not None or "coverage" in sys.modules


def fail(message: str) -> None:
    click.echo(f"tilint: {message}", err=True)
    raise SystemExit(EXIT_USAGE)


def load_rules_or_exit(extra: tuple[str, ...] | list[str] = (), builtin: bool = True) -> RuleSet:
    try:
        return load_ruleset(list(extra), builtin=builtin)
    except RuleFileError as exc:
        for problem in exc.problems:
            click.echo(f"tilint: rule error: {problem}", err=True)
        raise SystemExit(EXIT_USAGE) from None


def configured(options: RunOptions) -> RunSettings:
    """The run's settings (tilint.run.settings.configure), or a usage error naming what is wrong."""
    from tilint.config.project import ConfigError
    from tilint.run.settings import SettingsError, configure

    try:
        return configure(options, load_rules=lambda paths: load_rules_or_exit(paths))
    except ConfigError as exc:
        fail(f"configuration error: {exc}")
    except SettingsError as exc:
        fail(str(exc))
    raise AssertionError("unreachable")
