"""Cold versus warm `tilint check` on a real corpus: what the result cache saves a CI job.

A policy repository is re-checked on every push, and most files have not changed, so a warm run
(every file already in the cache) should cost a small fraction of a cold one: the target is at most
10% of the cold time. Each run is a fresh `tilint check` process, timed from start to exit, with
its own empty TILINT_CACHE_DIR for the cold run. A warm run must not import spaCy; the script checks
that too (with `python -X importtime`).

    python benchmarks/bench_cache.py [CORPUS_DIR] [--repeat N] [-- extra tilint check options]

CORPUS_DIR defaults to ../shared/corpora/realworld next to the repository.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "realworld"
TARGET_RATIO = 0.10


def run_check(
    corpus: Path, cache: Path, extra: list[str], importtime: bool = False
) -> tuple[float, int, str]:
    """(wall seconds, exit code, stderr) of one `tilint check` process."""
    env = {**os.environ, "TILINT_CACHE_DIR": str(cache), "GITHUB_ACTIONS": "false", "NO_COLOR": "1"}
    command = [
        sys.executable,
        *(["-X", "importtime"] if importtime else []),
        "-m",
        "tilint",
        "check",
        "-q",
        *extra,
        str(corpus),
    ]
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - started, proc.returncode, proc.stderr


def slowest_imports(stderr: str, top: int = 8) -> list[tuple[int, str]]:
    """The modules with the largest cumulative import time from `-X importtime` output."""
    rows = []
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = [p.strip() for p in line[len("import time:") :].split("|")]
            if parts[1].isdigit():
                rows.append((int(parts[1]), parts[2]))
    return sorted(rows, reverse=True)[:top]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="Warm runs to time (median reported).")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    extra = argv[split + 1 :]  # options passed to tilint check
    if not args.corpus.is_dir():
        print(f"bench_cache: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    files = sum(1 for p in args.corpus.rglob("*") if p.is_file())
    cache = Path(tempfile.mkdtemp(prefix="tilint-bench-cache-"))
    try:
        cold, code, err = run_check(args.corpus, cache, extra)
        if code not in (0, 1):
            print(f"bench_cache: tilint check exited {code}:\n{err}", file=sys.stderr)
            return 2
        warm_times = [run_check(args.corpus, cache, extra)[0] for _ in range(max(1, args.repeat))]
        warm = statistics.median(warm_times)
        _, _, imports = run_check(args.corpus, cache, extra, importtime=True)
        # One results namespace per rule set: more than one means the rules changed mid-run.
        namespaces = (
            [p for p in (cache / "results").iterdir() if p.is_dir()] if (cache / "results").is_dir() else []
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    ratio = warm / cold
    spacy_loaded = any(name.strip() == "spacy" for _, name in slowest_imports(imports, top=10_000))
    print(f"corpus: {args.corpus} ({files} files)")
    print(f"cold: {cold:.2f} s")
    print(f"warm: {warm:.2f} s (median of {len(warm_times)}: {', '.join(f'{t:.2f}' for t in warm_times)})")
    print(f"warm/cold: {ratio:.1%} (target <= {TARGET_RATIO:.0%})")
    print(f"warm run imports spaCy: {'YES (regression)' if spacy_loaded else 'no'}")
    print("slowest imports in a warm run (cumulative microseconds):")
    for micros, name in slowest_imports(imports):
        print(f"  {micros:>9}  {name.strip()}")
    if len(namespaces) > 1:
        print("WARNING: the rule set changed during the benchmark (warm runs missed the cache); run it again")
        return 2
    return 0 if ratio <= TARGET_RATIO and not spacy_loaded else 1


if __name__ == "__main__":
    sys.exit(main())
