"""What `tilint check` does to raw findings after the cache: suppressions and per-file ignores.

The result cache stores what the rules found in a file's bytes; everything that depends on where the
file sits or on comments a person wrote (directives, per-file-ignores, then baseline and --diff in
their own modules) is applied afterwards, so changing those never needs a re-analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

from tilint.config.project import Config
from tilint.filters.suppressions import UNUSED_CATEGORY, UNUSED_RULE, apply_suppressions
from tilint.findings import FileResult

#: ids a configuration may name besides the rule set's own
PSEUDO_IDS = frozenset({UNUSED_RULE, UNUSED_CATEGORY})


def known_ids(ruleset) -> set[str]:
    """Every rule id and category a suppression or configuration may name."""
    return {r.id for r in ruleset.all_rules()} | set(ruleset.categories()) | PSEUDO_IDS


def filter_result(
    result: FileResult, data: bytes | None, config: Config, report_unused: bool, known: set[str]
) -> None:
    """Apply inline suppressions, then the config's per-file-ignores, to `result` (in place)."""
    if result.error:
        return
    result.findings = apply_suppressions(result.findings, data, result.format, report_unused, known)
    if config.per_file_ignores:
        off = config.ignored_for(result.path)
        if off:
            result.findings = [f for f in result.findings if f.rule not in off and f.category not in off]


@dataclass(frozen=True)
class FindingFilter:
    """`filter_result` with its settings bound: picklable, so a worker process applies it to the
    file it has just read instead of the parent reading the file again."""

    config: Config
    known: frozenset[str]
    report_unused: bool = False

    def __call__(self, result: FileResult, data: bytes | None) -> None:
        filter_result(result, data, self.config, self.report_unused, self.known)

    @property
    def digest(self) -> str:
        """What this filter does, as a short hash: part of the key of anything stored after it."""
        import hashlib
        import json

        ignores = self.config.per_file_ignores
        shape = {
            "per_file_ignores": sorted((glob, sorted(ids)) for glob, ids in ignores.items()),
            "folder": str(self.config.folder) if ignores else "",
            "report_unused": self.report_unused,
        }
        return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:12]
