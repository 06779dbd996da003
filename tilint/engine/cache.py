"""The compiled-rules cache: compile once per rule-set change, load in milliseconds after."""

from __future__ import annotations

import hashlib

from tilint.cachedir import cache_dir, read_pickle, tool_fingerprint, write_pickle
from tilint.engine.compiler import CompiledRules, compile_ruleset
from tilint.ruleset import RuleSet

__all__ = ["load_compiled"]


def load_compiled(ruleset: RuleSet, use_cache: bool = True) -> CompiledRules:
    if not use_cache:
        return compile_ruleset(ruleset)
    from tilint.engine.prebuilt import compiled_rules

    shipped = compiled_rules(ruleset)  # built with the wheel
    if shipped is not None:
        return shipped
    key = hashlib.sha256(f"{tool_fingerprint()}|{ruleset.digest}".encode()).hexdigest()[:32]
    path = cache_dir() / "compiled" / f"{key}.pickle"
    compiled = read_pickle(path, CompiledRules)
    if compiled is None:
        compiled = compile_ruleset(ruleset)
        write_pickle(path, compiled)
    return compiled
