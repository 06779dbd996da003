"""One configured run: what every command checks with, built in one place.

`tilint check`, `fix`, `annotate`, `audit` and `serve` all take the same settings: the project's
configuration file (tilint.toml, .tilint.toml or [tool.tilint]), extra rule files, --select and
--ignore, severities, the spaCy model, the excluded files, per-file ignores and inline
`tilint-disable` comments. They are combined here, once, so an auditor's numbers, a CI job's and
the web page's agree on the same folder.

Command-line options override the file: --select/--ignore replace its `select`/`ignore`, --model its
`model`; --rules and --exclude add to its `rules` and `exclude`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tilint.config.project import Config, ConfigError, resolve_config
from tilint.filters.postprocess import FindingFilter, known_ids
from tilint.ruleset import RuleSet

if TYPE_CHECKING:
    from tilint.engine import Linter


class SettingsError(Exception):
    """A command-line option that names something that does not exist (an unknown rule id or
    category); the message names the option."""


def split_ids(values: tuple[str, ...] | list[str]) -> list[str]:
    """--select a,b --select c -> [a, b, c]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class RunOptions:
    """What the command line asked for; empty values leave the configuration file's choice."""

    rule_paths: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    model: str | None = None
    config_path: str | None = None
    no_config: bool = False
    #: gitignore-style patterns from the command line, matched under each PATH (see run.discovery)
    exclude: tuple[str, ...] = ()
    #: where the configuration file is looked for (upwards); None is the working directory
    start: Path | None = None


@dataclass
class RunSettings:
    """A configured run: the configuration, the rule set, a linter and the finding filter."""

    config: Config
    linter: Linter
    known: set[str]
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    #: the command line's --exclude patterns (the configuration's are in `config.exclude`)
    exclude: tuple[str, ...] = ()

    @property
    def ruleset(self) -> RuleSet:
        return self.linter.ruleset

    def finding_filter(self, report_unused: bool = False) -> FindingFilter:
        """Inline suppressions and per-file ignores, as a picklable callable for workers."""
        return FindingFilter(self.config, frozenset(self.known), report_unused)

    def postprocess(self, result, data: bytes | None) -> None:
        """Apply inline suppressions and per-file ignores to `result` in place, as check does."""
        self.finding_filter()(result, data)

    def selection(self, include: tuple[str, ...] = (), skip: tuple[str, ...] = ()):
        """Which files a walk of folders covers under these settings (see run.discovery)."""
        from tilint.run.discovery import Selection

        return Selection(config_exclude=self.config.excluder(), exclude=self.exclude, include=include, skip=skip)


def configure(
    options: RunOptions = RunOptions(),
    ruleset: RuleSet | None = None,
    load_rules: Callable[[list[str]], RuleSet] | None = None,
) -> RunSettings:
    """The settings for a run. Raises ConfigError (a bad configuration file, or one naming an
    unknown rule), SettingsError (an option naming an unknown rule) and
    tilint.ruleset.RuleFileError (a rule file with errors).

    `ruleset`, when given, is used instead of loading the built-in rules and the extra rule files
    (a program that has already loaded one); the configuration file is still read. `load_rules`
    loads the built-in rules plus the given extra files (default: tilint.ruleset.load_ruleset).
    """
    from tilint.engine import Linter

    config = resolve_config(options.config_path, options.no_config, options.start)
    if ruleset is None:
        if load_rules is None:
            from tilint.ruleset import load_ruleset as load_rules
        ruleset = load_rules([*config.rules, *options.rule_paths])
    known = known_ids(ruleset)
    for key, ids in config.rule_references():
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ConfigError(f"{config.label}: {key}: unknown rule or category: {', '.join(unknown)}")
    given_select, given_ignore = split_ids(options.select), split_ids(options.ignore)
    rule_ids = {r.id for r in ruleset.all_rules()} | ruleset.categories()
    unknown = [i for i in given_select + given_ignore if i not in rule_ids]
    if unknown:
        raise SettingsError(f"--select/--ignore: unknown rule or category: {', '.join(unknown)} (see `tilint rules`)")
    select = given_select or list(config.select or [])
    ignore = given_ignore or list(config.ignore or [])
    linter = Linter(
        ruleset,
        select=select or None,
        ignore=ignore or None,
        model=options.model or config.model,
        severities=config.severity,
    )
    return RunSettings(config, linter, known, select, ignore, tuple(options.exclude))
