"""Options and helpers shared by several commands."""

from __future__ import annotations

import os
import sys

import click

from tilint.ruleset import RuleFileError, RuleSet, load_ruleset

#: exit codes (as yamllint and ruff): findings, and "you need to fix something first"
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def split_ids(values: tuple[str, ...]) -> list[str]:
    """--select a,b --select c -> [a, b, c]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def use_color(no_color: bool, stream=None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


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


def check_ids(ruleset: RuleSet, ids: list[str], option: str) -> None:
    known = {r.id for r in ruleset.all_rules()} | ruleset.categories()
    unknown = [i for i in ids if i not in known]
    if unknown:
        fail(f"{option}: unknown rule or category: {', '.join(unknown)} (see `tilint rules`)")


rules_option = click.option(
    "--rules", "rule_paths", multiple=True, type=click.Path(), metavar="PATH",
    help="Extra rule file or folder, added to the built-in set (repeatable).",
)
