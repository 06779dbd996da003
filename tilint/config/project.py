"""Project configuration: `tilint.toml`, `.tilint.toml` or `[tool.tilint]` in `pyproject.toml`.

A policy repository keeps its choices (which rules, what fails the build, which files are out of
scope) next to its documents, so every contributor and CI job runs the same check. The file is found
from the working directory upwards, stopping at the repository root (a folder holding `.git`); the
first folder with one of the three files wins. The same keys are allowed at the top level of
`tilint.toml` and under `[tool.tilint]`. Any unknown key or bad value is a `ConfigError` naming the
file and the key, because a silently ignored typo in CI config is worse than a failed build.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilint.config.globs import GlobSet
from tilint.findings import SEVERITIES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

#: file names looked for in each folder, in order
CONFIG_NAMES = ("tilint.toml", ".tilint.toml", "pyproject.toml")
KEYS = ("select", "ignore", "rules", "fail-on", "exclude", "per-file-ignores", "severity", "model")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass
class Config:
    """Settings from one configuration file (all empty when there is none)."""

    path: Path | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    #: extra rule files or folders, already resolved against the config file's folder
    rules: list[str] = field(default_factory=list)
    fail_on: str | None = None
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    model: str | None = None
    _per_file: list[tuple[GlobSet, set[str]]] | None = field(default=None, repr=False, compare=False)

    @property
    def folder(self) -> Path:
        """Where relative globs and rule paths start: the config file's folder (else the cwd)."""
        return self.path.parent if self.path is not None else Path.cwd()

    @property
    def label(self) -> str:
        return str(self.path) if self.path is not None else "configuration"

    def excluder(self) -> GlobSet | None:
        """A matcher for `exclude`, or None when nothing is excluded."""
        return GlobSet(self.exclude, self.folder) if self.exclude else None

    def ignored_for(self, path: str) -> set[str]:
        """Rule ids and categories that `per-file-ignores` switches off for `path`."""
        if self._per_file is None:
            self._per_file = [
                (GlobSet([glob], self.folder), set(ids)) for glob, ids in self.per_file_ignores.items()
            ]
        ids: set[str] = set()
        for globs, rules in self._per_file:
            if globs.matches(path):
                ids.update(rules)
        return ids

    def rule_references(self) -> list[tuple[str, list[str]]]:
        """(key, ids) pairs naming rules or categories, to check against the loaded rule set."""
        refs = [("select", self.select or []), ("ignore", self.ignore or [])]
        refs += [(f"per-file-ignores.{pattern!r}", ids) for pattern, ids in self.per_file_ignores.items()]
        refs.append(("severity", list(self.severity)))
        return refs


def find_config(start: Path | None = None) -> Path | None:
    """The nearest configuration file from `start` upwards, stopping at the repository root."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _has_tool_section(path)):
                return path
        if (candidate / ".git").exists():
            return None
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "tilint" in data["tool"]


def load_config(path: Path) -> Config:
    """Parse and validate one configuration file."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    prefix = ""
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "tilint" not in tool:
            raise ConfigError(f"{path}: no [tool.tilint] table")
        data, prefix = tool["tilint"], "tool.tilint."
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: tool.tilint: must be a table")
    return _parse(path, data, prefix)


def resolve_config(explicit: str | None = None, no_config: bool = False, start: Path | None = None) -> Config:
    """--config PATH, else discovery from `start`; --no-config (or nothing found) gives defaults."""
    if no_config:
        return Config()
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        return load_config(path.resolve())
    found = find_config(start)
    return load_config(found) if found is not None else Config()


# -- validation -------------------------------------------------------------------------------------
def _parse(path: Path, data: dict[str, Any], prefix: str) -> Config:
    def bad(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{path}: {prefix}{key}: {problem}")

    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise bad(unknown[0], f"unknown key (known keys: {', '.join(KEYS)})")
    config = Config(path=path)
    if "select" in data:
        config.select = _string_list(data["select"], bad, "select")
    if "ignore" in data:
        config.ignore = _string_list(data["ignore"], bad, "ignore")
    if "rules" in data:
        config.rules = [str(path.parent / item) for item in _string_list(data["rules"], bad, "rules")]
        for item in config.rules:
            if not Path(item).exists():
                raise bad("rules", f"{item}: no such file or folder")
    if "fail-on" in data:
        config.fail_on = _severity(data["fail-on"], bad, "fail-on")
    if "exclude" in data:
        config.exclude = _string_list(data["exclude"], bad, "exclude")
    if "per-file-ignores" in data:
        table = data["per-file-ignores"]
        if not isinstance(table, dict):
            raise bad("per-file-ignores", "must be a table of glob = [rule ids or categories]")
        config.per_file_ignores = {
            str(glob): _string_list(ids, bad, f"per-file-ignores.{glob!r}") for glob, ids in table.items()
        }
    if "severity" in data:
        table = data["severity"]
        if not isinstance(table, dict):
            raise bad("severity", "must be a table of rule id = error|warning|info")
        config.severity = {
            str(rule): _severity(level, bad, f"severity.{rule}") for rule, level in table.items()
        }
    if "model" in data:
        if not isinstance(data["model"], str) or not data["model"].strip():
            raise bad("model", "must be the name of an installed spaCy pipeline")
        config.model = data["model"].strip()
    return config


def _string_list(value: Any, bad, key: str) -> list[str]:
    """A list of non-empty strings; a single string is split on commas (as on the command line)."""
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad(key, "must be a list of strings")
    items = [item.strip() for item in value]
    if any(not item for item in items):
        raise bad(key, "empty string in list")
    return items


def _severity(value: Any, bad, key: str) -> str:
    if value not in SEVERITIES:
        raise bad(key, f"must be one of {', '.join(SEVERITIES)} (got {value!r})")
    return value
