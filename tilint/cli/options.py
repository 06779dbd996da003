"""Command-line options shared by several commands, each defined once with one help text.

Options that travel together arrive in the command as one value: `run_options` gives a
`tilint.run.settings.RunOptions` (rules, selection, model, configuration file, excludes) and
`execution_options` an `Execution` (workers, per-file time limit, size limit, cache), so a
command's signature lists what is particular to it and the help of `--select` or `--jobs` cannot
drift between commands.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import click

from tilint.run.limits import DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_BYTES, Limits

DEFAULT_MAX_SIZE_MB = DEFAULT_MAX_BYTES // 1_000_000


def _apply(function: Callable, decorators: list[Callable]) -> Callable:
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def grouped(build: Callable[..., Any], name: str, names: list[str], decorators: list[Callable]):
    """A decorator adding `decorators` (click options) to a command, which then receives the
    values of the parameters `names` combined by `build` as one keyword argument `name`."""

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            values = {key: kwargs.pop(key) for key in names}
            kwargs[name] = build(**values)
            return command(*args, **kwargs)

        return _apply(wrapper, decorators)

    return decorate


rules_option = click.option(
    "--rules", "rule_paths", multiple=True, type=click.Path(), metavar="PATH",
    help="Extra rule file or folder, added to the built-in set and the configuration's (repeatable).",
)
select_option = click.option(
    "--select", multiple=True, metavar="IDS",
    help="Only these rules or categories (comma-separated; replaces the configuration's select).",
)
ignore_option = click.option(
    "--ignore", multiple=True, metavar="IDS",
    help="Skip these rules or categories (comma-separated; replaces the configuration's ignore).",
)
model_option = click.option(
    "--model", metavar="NAME", help="An installed trained spaCy pipeline to use instead of the tokenizer.",
)
config_path_option = click.option(
    "--config", "config_path", metavar="PATH",
    help="Configuration file to use instead of finding tilint.toml / [tool.tilint] upwards.",
)
no_config_option = click.option("--no-config", is_flag=True, help="Ignore configuration files.")
exclude_option = click.option(
    "--exclude", multiple=True, metavar="GLOB",
    help="Also skip files and folders matching this gitignore-style pattern, relative to each PATH (repeatable).",
)


def run_options(exclude: bool = False):
    """--rules, --select, --ignore, --model, --config, --no-config (and --exclude), given to the
    command as `run: tilint.run.settings.RunOptions`."""
    names = ["rule_paths", "select", "ignore", "model", "config_path", "no_config"]
    decorators = [rules_option, select_option, ignore_option, model_option, config_path_option, no_config_option]
    if exclude:
        names.append("exclude")
        decorators.append(exclude_option)

    def build(rule_paths, select, ignore, model, config_path, no_config, exclude=()):
        from tilint.run.settings import RunOptions

        return RunOptions(tuple(rule_paths), select, ignore, model, config_path, no_config, tuple(exclude))

    return grouped(build, "run", names, decorators)


@dataclass(frozen=True)
class Execution:
    """How a command runs its files: workers (0 is one per core, when there is enough to share),
    the per-file limits, and whether the result cache is used."""

    jobs: int = 0
    limits: Limits = field(default_factory=Limits)
    use_cache: bool = True


jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
    help="Worker processes; 0 picks one per core when there are enough files to share.",
)
file_timeout_option = click.option(
    "--file-timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_FILE_TIMEOUT,
    show_default=True, metavar="S",
    help="Give up on a file after S seconds; it is reported as a file tilint could not check.",
)
max_size_option = click.option(
    "--max-size", type=click.IntRange(min=1), default=DEFAULT_MAX_SIZE_MB, show_default=True, metavar="MB",
    help="Largest file to read.",
)
NO_CACHE_HELP = "Do not read or write the result cache."


def execution_options(
    jobs: bool = True, timeout: bool = True, max_size: bool = True, cache: bool = True,
    no_cache_help: str = NO_CACHE_HELP,
):
    """The chosen ones of --jobs, --file-timeout, --max-size and --no-cache, given to the command
    as `execution: Execution`. `no_cache_help` says what else --no-cache skips (an audit's journal)."""
    no_cache_option = click.option("--no-cache", is_flag=True, help=no_cache_help)
    chosen = [
        (use, name, decorator) for use, name, decorator in (
            (jobs, "jobs", jobs_option),
            (timeout, "file_timeout", file_timeout_option),
            (max_size, "max_size", max_size_option),
            (cache, "no_cache", no_cache_option),
        ) if use
    ]

    def build(jobs=0, file_timeout=DEFAULT_FILE_TIMEOUT, max_size=DEFAULT_MAX_SIZE_MB, no_cache=False) -> Execution:
        return Execution(jobs, Limits(max_size * 1_000_000, file_timeout), not no_cache)

    return grouped(build, "execution", [name for _, name, _ in chosen], [d for _, _, d in chosen])


quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
no_color_option = click.option("--no-color", is_flag=True, help="No colour (also when NO_COLOR is set).")
