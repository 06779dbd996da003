"""Speed and memory of `tilint check`, as ratios to alex and to bare spaCy tokenisation measured in
the same run.

Each scenario is a fresh process, timed from start to exit (wall) and by the CPU it and its
workers used; the scenarios take turns, `--repeat` times, and medians are compared. Sections:

- realworld: the 18F handbook + Opticks, as tilint's first run on a machine (no cache folder at
  all: every CI job, every upgrade), with the compiled rules cached but no results, and warm
  (every result cached); against alex 11 and against spaCy's tokenizer alone, import included.
- worst: every paragraph a candidate, made of the rules' own flag examples (workloads.py).
- small: one small clean file on a first run, and one small file with a candidate with the
  rules compiled (what pre-commit pays per commit).
- memory: `check --format json` on copies of the realworld corpus (1/4 of --memory-words, then
  all of it): the peak memory of the whole process tree, which should stay flat as input grows.

alex is `--alex PATH`, else installed with npm into a scratch folder (npm install alex@11);
without npm its ratios are left out.

    python benchmarks/bench_check.py [REALWORLD_DIR] [--repeat N] [--alex PATH] [--only worst,small]

Targets (issue #16) are printed next to the figures they apply to.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import Run, Series, load, measure, ratio
from workloads import DEFAULT_CORPUS, ROOT, realworld_files, words_in, write_scaled, write_worst_case

SECTIONS = ("realworld", "worst", "small", "memory")
ALEX_VERSION = "11"
SMALL_CLEAN = ROOT / "corpora" / "samples" / "family-support-strategy.md"
SMALL_CANDIDATE = "# Early help\n\nThe service will reach hard to reach families across the borough.\n"
_TOKENISE = (
    "import sys, spacy; nlp = spacy.blank('en'); n = 0\n"
    "for p in sys.argv[1:]:\n"
    "    n += len(nlp.tokenizer(open(p, encoding='utf-8', errors='replace').read()))"
)
TILINT = [sys.executable, "-m", "tilint", "check"]


def find_alex(given: str | None, scratch_root: Path) -> str | None:
    """alex's executable: the one given, else one npm installs into a scratch folder (kept
    between runs in the temporary folder, never in the repository)."""
    if given:
        return given
    npm = shutil.which("npm")
    if npm is None:
        return None
    folder = scratch_root / f"tilint-bench-alex{ALEX_VERSION}"
    executable = folder / "node_modules" / ".bin" / "alex"
    if not executable.exists():
        print(f"installing alex@{ALEX_VERSION} with npm into {folder} ...", file=sys.stderr)
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--prefix", str(folder), "--no-save", "--no-audit", "--no-fund", f"alex@{ALEX_VERSION}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
        )
        if done.returncode != 0 or not executable.exists():
            print(f"npm could not install alex ({done.stderr.strip()[-300:]}); alex is left out", file=sys.stderr)
            return None
    return str(executable)


class Bench:
    """The scratch folders and environment one benchmark run shares."""

    def __init__(self, scratch: Path, alex: str | None) -> None:
        self.scratch = scratch
        self.alex = alex
        self.env = {k: v for k, v in os.environ.items() if k not in ("PRE_COMMIT", "TILINT_CACHE_DIR")}
        self.env.update(NO_COLOR="1", GITHUB_ACTIONS="false")
        self.cwd = scratch / "cwd"  # no tilint.toml above it: the built-in settings
        self.cwd.mkdir()
        self._caches = 0

    def fresh_cache(self) -> Path:
        """An empty, not yet created cache folder: a first run on a machine."""
        self._caches += 1
        return self.scratch / f"cache-{self._caches}"

    def tilint(self, args: list[str], cache: Path, tree_memory: bool = False) -> Run:
        env = {**self.env, "TILINT_CACHE_DIR": str(cache)}
        return measure([*TILINT, *args], env, self.cwd, tree_memory=tree_memory)

    def compiled_cache(self) -> Path:
        """A cache folder holding the compiled rules and no results."""
        cache = self.fresh_cache()
        self.tilint(["-q", str(SMALL_CLEAN)], cache)
        shutil.rmtree(cache / "results", ignore_errors=True)
        return cache

    def tokenise(self, files: list[str]) -> Run:
        return measure([sys.executable, "-c", _TOKENISE, *files], self.env, self.cwd)

    def run_alex(self, files: list[str]) -> Run:
        return measure([self.alex, "--quiet", *files], self.env, self.cwd, ok=(0, 1))


def _rounds(scenarios: dict[str, object], repeat: int) -> dict[str, Series]:
    """Run each scenario once per round, the order rotating between rounds."""
    names = list(scenarios)
    series = {name: Series(name) for name in names}
    for round_number in range(repeat):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            series[name].runs.append(scenarios[name]())
    return series


def _table(title: str, series: dict[str, Series], words: int, tokenise: Series | None, alex: Series | None) -> None:
    print(f"\n{title}")
    print(f"  {'scenario':<36}{'wall s':>8}{'CPU s':>8}{'words/s':>11}   vs alex wall, CPU   vs tokenisation wall, CPU")
    for s in series.values():
        line = f"  {s.name:<36}{s.wall:8.2f}{s.cpu:8.2f}{words / s.wall:11,.0f}"
        if alex is not None and s is not alex:
            line += f"   {ratio(alex.wall, s.wall):>8} {ratio(alex.cpu, s.cpu):>8}"
        elif s is not alex:
            line += f"   {'':>17}"
        if tokenise is not None and s is not tokenise and s is not alex:
            line += f"   {ratio(tokenise.wall, s.wall):>12} {ratio(tokenise.cpu, s.cpu):>8}"
        print(line + f"   ({s.walls})")


def _target(label: str, value: float, goal: float, at_least: bool = True, unit: str = "x") -> None:
    met = value >= goal if at_least else value <= goal
    sign = ">=" if at_least else "<="
    print(f"  target {label}: {value:.2f}{unit} ({sign} {goal:g}{unit}) {'met' if met else 'MISSED'}")


def realworld(bench: Bench, files: list[str], repeat: int) -> None:
    words = words_in(files)
    rules_cached = bench.compiled_cache()
    warm = bench.compiled_cache()
    bench.tilint(["--format", "json", *files], warm)

    def cached() -> Run:
        shutil.rmtree(rules_cached / "results", ignore_errors=True)
        return bench.tilint(["--format", "json", *files], rules_cached)

    scenarios = {
        "tilint first run (no cache folder)": lambda: bench.tilint(["--format", "json", *files], bench.fresh_cache()),
        "tilint first run --jobs 1": lambda: bench.tilint(["--jobs", "1", "--format", "json", *files],
                                                          bench.fresh_cache()),
        "tilint rules cached, no results": cached,
        "tilint warm (results cached)": lambda: bench.tilint(["--format", "json", *files], warm),
        "bare spaCy tokenisation": lambda: bench.tokenise(files),
    }
    if bench.alex:
        scenarios[f"alex {ALEX_VERSION}"] = lambda: bench.run_alex(files)
    series = _rounds(scenarios, repeat)
    tokenise, alex = series["bare spaCy tokenisation"], series.get(f"alex {ALEX_VERSION}")
    _table(f"realworld: {len(files)} files, {words:,} words (18F handbook + Opticks)", series, words, tokenise, alex)
    first = series["tilint first run (no cache folder)"]
    if alex is not None:
        _target("first run vs alex, wall", alex.wall / first.wall, 15)
    _target("first run vs tokenisation, CPU", tokenise.cpu / first.cpu, 1.5)


def worst(bench: Bench, words_wanted: int, repeat: int) -> None:
    files = write_worst_case(bench.scratch / "worst", words_wanted)
    words = words_in(files)
    rules_cached = bench.compiled_cache()

    def cached() -> Run:
        shutil.rmtree(rules_cached / "results", ignore_errors=True)
        return bench.tilint(["--format", "json", *files], rules_cached)

    scenarios = {
        "tilint first run (no cache folder)": lambda: bench.tilint(["--format", "json", *files], bench.fresh_cache()),
        "tilint rules cached, no results": cached,
        "bare spaCy tokenisation": lambda: bench.tokenise(files),
    }
    if bench.alex:
        scenarios[f"alex {ALEX_VERSION}"] = lambda: bench.run_alex(files)
    series = _rounds(scenarios, repeat)
    tokenise, alex = series["bare spaCy tokenisation"], series.get(f"alex {ALEX_VERSION}")
    _table(f"worst case: {len(files)} files, {words:,} words, every paragraph flag examples", series, words,
           tokenise, alex)
    if alex is not None:
        for name in ("tilint first run (no cache folder)", "tilint rules cached, no results"):
            _target(f"worst case vs alex, wall ({name.removeprefix('tilint ')})", alex.wall / series[name].wall, 2)


def small(bench: Bench, repeat: int) -> None:
    candidate = bench.scratch / "small-candidate.md"
    candidate.write_text(SMALL_CANDIDATE, "utf-8")
    rules_cached = bench.compiled_cache()

    def with_candidate() -> Run:
        shutil.rmtree(rules_cached / "results", ignore_errors=True)
        return bench.tilint(["-q", str(candidate)], rules_cached)

    def clean_cached() -> Run:
        shutil.rmtree(rules_cached / "results", ignore_errors=True)
        return bench.tilint(["-q", str(SMALL_CLEAN)], rules_cached)

    scenarios = {
        "small clean file, first run": lambda: bench.tilint(["-q", str(SMALL_CLEAN)], bench.fresh_cache()),
        "small clean file, rules compiled": clean_cached,
        "small file with a candidate, first run": lambda: bench.tilint(["-q", str(candidate)], bench.fresh_cache()),
        "small file with a candidate, rules compiled": with_candidate,
    }
    series = _rounds(scenarios, max(repeat, 5))
    print(f"\nsmall files ({words_in([str(SMALL_CLEAN)])} and {words_in([str(candidate)])} words)")
    for s in series.values():
        print(f"  {s.name:<46}{s.wall * 1000:6.0f} ms wall {s.cpu * 1000:6.0f} ms CPU   ({s.walls})")
    _target("small clean file, first run, wall", series["small clean file, first run"].wall, 0.5, False, " s")
    _target("small file with a candidate, rules compiled, wall",
            series["small file with a candidate, rules compiled"].wall, 0.6, False, " s")


def memory(bench: Bench, files: list[str], words_wanted: int) -> None:
    base_words = words_in(files)
    copies = max(1, round(words_wanted / base_words))
    scaled = write_scaled(files, bench.scratch / "scaled", copies)
    quarter = scaled[: len(files) * max(1, copies // 4)]
    cache = bench.compiled_cache()
    print(f"\nmemory of `check --format json` (peak of the whole process tree, sampled every 20 ms); {load()}")
    figures = []
    for paths in (quarter, scaled):
        shutil.rmtree(cache / "results", ignore_errors=True)
        run = bench.tilint(["--format", "json", *paths], cache, tree_memory=True)
        words = base_words * len(paths) // len(files)
        figures.append((words, run))
        print(f"  {len(paths):>6} files {words:>11,} words: PSS {run.tree_pss:6.0f} MB,"
              f" RSS summed {run.tree_rss:6.0f} MB, largest process {run.max_rss:5.0f} MB;"
              f" {run.wall:.1f} s wall, {run.cpu:.1f} s CPU")
    (small_words, small_run), (large_words, large_run) = figures
    if large_words > small_words:
        growth = (large_run.tree_pss - small_run.tree_pss) / ((large_words - small_words) / base_words)
        print(f"  growth: {growth:+.1f} MB PSS per {base_words:,} words")
    _target(f"peak memory (PSS) at {large_words:,} words", large_run.tree_pss, 250, False, " MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS), help="the realworld corpus folder")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every scenario (medians reported)")
    parser.add_argument("--alex", help=f"alex {ALEX_VERSION} executable (default: npm installs one in a scratch "
                        "folder)")
    parser.add_argument("--no-alex", action="store_true", help="leave alex out")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--worst-words", type=int, default=50_000)
    parser.add_argument("--memory-words", type=int, default=5_000_000)
    args = parser.parse_args()
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    files = realworld_files(Path(args.corpus))
    alex = None if args.no_alex else find_alex(args.alex, Path(tempfile.gettempdir()))
    scratch = Path(tempfile.mkdtemp(prefix="tilint-bench-"))
    print(f"tilint benchmark; {load()}; alex: {alex or 'not measured'}")
    try:
        bench = Bench(scratch, alex)
        if "realworld" in sections:
            realworld(bench, files, args.repeat)
        if "worst" in sections:
            worst(bench, args.worst_words, args.repeat)
        if "small" in sections:
            small(bench, args.repeat)
        if "memory" in sections:
            memory(bench, files, args.memory_words)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nend: {load()}")


if __name__ == "__main__":
    main()
