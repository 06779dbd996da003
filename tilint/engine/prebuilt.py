"""The built-in rule set, parsed and compiled when the wheel is built, shipped inside it.

A first run on a machine (every CI job, every upgrade, pre-commit's first commit) has no cache
folder, and parsing, validating and compiling the built-in rules costs seconds of CPU (spaCy's
tokenizer and lemminflect spell out every phrase) before the first file is read. setup.py runs
`python -m tilint.engine.prebuilt PACKAGE_DIR` on the package as it goes into the wheel, which
writes both results next to this module; an installed tilint then loads them in milliseconds.

They are used only when they are exactly what tilint would build itself: the same rule files
(their names' and bytes' hash) and the same tool fingerprint (tilint's code, spaCy's and
lemminflect's versions, the cache format; tilint.cachedir.tool_fingerprint). Anything else (an
edited rule file, a development checkout, another spaCy) falls back to building them, as before,
with the cache folder keeping the result.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tilint.engine.compiler import CompiledRules
from tilint.ruleset import RuleSet

#: the shipped file, next to this module
FILENAME = "builtin-rules.pickle"
#: bump when the shipped file changes shape
FORMAT = 1


@dataclass
class Prebuilt:
    format: int
    #: tool_fingerprint() of the package it was built for
    fingerprint: str
    #: RuleSet.digest of the built-in rule files
    digest: str
    #: where the rule files were when it was built: rule origins are moved to where they are now
    rules_dir: str
    #: the pickled RuleSet and CompiledRules, each unpickled afresh when asked for (callers may
    #: change what they are given)
    ruleset: bytes
    compiled: bytes


def shipped_path() -> Path:
    return Path(__file__).resolve().parent / FILENAME


@lru_cache(maxsize=1)
def _load() -> Prebuilt | None:
    """The shipped file when it matches this installation, else None (never raises)."""
    path = shipped_path()
    if not path.is_file():
        return None
    from tilint.cachedir import read_pickle, tool_fingerprint

    prebuilt = read_pickle(path, Prebuilt)
    if prebuilt is None or prebuilt.format != FORMAT or prebuilt.fingerprint != tool_fingerprint():
        return None
    return prebuilt


def builtin_ruleset(digest: str, rules_dir: Path) -> RuleSet | None:
    """The shipped built-in rule set if its files hash to `digest`, its rules' origins pointing
    into `rules_dir` (where the files are now)."""
    prebuilt = _load()
    if prebuilt is None or prebuilt.digest != digest:
        return None
    ruleset = _unpickled(prebuilt.ruleset, RuleSet)
    if ruleset is not None and prebuilt.rules_dir != str(rules_dir):
        _move_origins(ruleset, prebuilt.rules_dir, str(rules_dir))
    return ruleset


def compiled_rules(ruleset: RuleSet) -> CompiledRules | None:
    """The shipped compiled rules if `ruleset` is the shipped built-in rule set."""
    prebuilt = _load()
    if prebuilt is None or prebuilt.digest != ruleset.digest:
        return None
    return _unpickled(prebuilt.compiled, CompiledRules)


def _unpickled(data: bytes, expected: type):
    try:
        value = pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return value if isinstance(value, expected) else None


def _move_origins(ruleset: RuleSet, old: str, new: str) -> None:
    def moved(origin: str) -> str:
        return new + origin[len(old) :] if origin.startswith(old) else origin

    for rule in ruleset.all_rules():
        rule.origin = moved(rule.origin)
    ruleset.files = [moved(f) for f in ruleset.files]


def build(package: Path) -> Path:
    """Parse and compile the built-in rules of the tilint package at `package` (which must be the
    one imported) and write the shipped file into it."""
    from tilint.cachedir import tool_fingerprint
    from tilint.engine.compiler import compile_ruleset
    from tilint.ruleset import builtin_rules_dir, load_ruleset

    imported = Path(__file__).resolve().parent.parent
    if imported != package.resolve():
        raise SystemExit(f"prebuilt: tilint is imported from {imported}, not from {package}")
    ruleset = load_ruleset(use_cache=False)
    path = shipped_path()
    write(path, ruleset, compile_ruleset(ruleset), builtin_rules_dir(), tool_fingerprint())
    return path


def write(path: Path, ruleset: RuleSet, compiled: CompiledRules, rules_dir: Path, fingerprint: str) -> None:
    """Write the shipped file for this rule set, compiled, whose files are in `rules_dir`."""
    from tilint.cachedir import atomic_write_bytes

    prebuilt = Prebuilt(
        format=FORMAT,
        fingerprint=fingerprint,
        digest=ruleset.digest,
        rules_dir=str(rules_dir),
        ruleset=pickle.dumps(ruleset, protocol=pickle.HIGHEST_PROTOCOL),
        compiled=pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL),
    )
    atomic_write_bytes(path, pickle.dumps(prebuilt, protocol=pickle.HIGHEST_PROTOCOL))
    _load.cache_clear()


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m tilint.engine.prebuilt PACKAGE_DIR")
    written = build(Path(argv[0]))
    print(f"prebuilt: wrote {written} ({written.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    # The module run as a script is __main__: pickle the class under its importable name.
    from tilint.engine.prebuilt import main as _main

    _main(sys.argv[1:])
