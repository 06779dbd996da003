"""Speed of `tilint check` against bare spaCy tokenisation of the same text, in the same run.

Machines here are shared and noisy, so the numbers that matter are ratios measured side by side:
tilint must be at least as fast as spaCy's tokenizer alone (import included), and at least 10x
faster than the alex linter. Also reports peak memory and the wall time of a check of one small
clean file (what a pre-commit hook pays on every commit).

    python benchmarks/bench_check.py [REALWORLD_DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "realworld"
#: measured on these machines (issue #2): alex 11 on the 18F handbook + Opticks
ALEX_WORDS_PER_SECOND = 24_000
WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")

_MEASURED = """
import resource, runpy, sys, time
start = time.perf_counter()
code = 0
try:
    {body}
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 0
finally:
    sys.stdout.flush()
    print(f"BENCH {{time.perf_counter() - start:.4f}} {{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}",
          file=sys.stderr)
"""

_TILINT = "sys.argv = ['tilint'] + sys.argv[1:]; runpy.run_module('tilint', run_name='__main__')"
_TOKENISE = (
    "import spacy; nlp = spacy.blank('en'); n = 0\n"
    "    for p in sys.argv[1:]:\n"
    "        n += len(nlp.tokenizer(open(p, encoding='utf-8', errors='replace').read()))"
)


def measured(body: str, args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds including interpreter start, peak RSS MB, exit code) of one child process."""
    script = _MEASURED.format(body=body)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script, *args], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH ")]
    if not line:
        raise SystemExit(f"benchmark child failed:\n{proc.stderr[-2000:]}")
    _, _, rss_kb = line[-1].split()
    return wall, int(rss_kb) / 1024, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    files = [*sorted(str(p) for p in (corpus / "18f-handbook").glob("*.md")), str(corpus / "opticks.txt")]
    words = sum(len(WORD.findall(Path(f).read_text("utf-8", errors="replace"))) for f in files)
    cache = Path(tempfile.mkdtemp(prefix="tilint-bench-"))
    env = {**os.environ, "TILINT_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    try:
        measured(_TILINT, ["check", "--format", "json", files[0]], env)  # compile and cache the rules once
        tilint_runs, token_runs, rss = [], [], []
        for _ in range(args.repeat):
            shutil.rmtree(cache / "results", ignore_errors=True)  # no cached findings: a cold check
            wall, peak, _ = measured(_TILINT, ["check", "--format", "json", *files], env)
            tilint_runs.append(wall)
            rss.append(peak)
            wall, _, _ = measured(_TOKENISE, files, env)
            token_runs.append(wall)
        small = ROOT / "corpora" / "samples" / "family-support-strategy.md"
        small_runs = []
        for _ in range(5):
            shutil.rmtree(cache / "results", ignore_errors=True)
            small_runs.append(measured(_TILINT, ["check", "-q", str(small)], env)[0])
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    tilint_s, token_s = statistics.median(tilint_runs), statistics.median(token_runs)
    alex_s = words / ALEX_WORDS_PER_SECOND
    print(f"corpus: {len(files)} files, {words:,} words (18F handbook + Opticks)")
    print(f"tilint check (cold findings cache): {tilint_s:6.2f} s  {words / tilint_s:>10,.0f} words/s")
    print(f"bare spaCy tokenisation:            {token_s:6.2f} s  {words / token_s:>10,.0f} words/s")
    print(f"alex 11 (reference, {ALEX_WORDS_PER_SECOND:,} words/s):  {alex_s:6.2f} s")
    print(f"ratio tilint vs tokenisation: {token_s / tilint_s:.2f}x  (target >= 1.0x)")
    print(f"ratio tilint vs alex:         {alex_s / tilint_s:.1f}x  (target >= 10x)")
    print(f"peak memory of tilint check:  {max(rss):.0f} MB  (target < 300 MB)")
    print(f"one small clean file:         {statistics.median(small_runs) * 1000:.0f} ms wall (pre-commit hook cost)")


if __name__ == "__main__":
    main()
