"""What `tilint check` does to raw findings after the cache: suppressions and per-file ignores.

The result cache stores what the rules found in a file's bytes; everything that depends on where the
file sits or on comments a person wrote (directives, per-file-ignores, then baseline and --diff in
their own modules) is applied afterwards, so changing those never needs a re-analysis.
"""

from __future__ import annotations

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
