"""Benchmark `tilint audit`: parallel speed-up, warm-rerun cost and peak memory on a large folder.

    python benchmarks/bench_audit.py            # 10,000 documents
    python benchmarks/bench_audit.py --n 2000   # quicker

It writes N documents of commissioning-style prose (Markdown and text, 150 to 1,500 words, some
with deficit or risk-only framing) into a temporary folder, then runs `tilint audit` as a child
process four times: --jobs 1 and --jobs 2 on a cold result cache each, a warm rerun into a new
output folder (every file from the content-hash cache), and a rerun into the same folder (every
file resumed from its journal). For each it prints the wall time and the peak memory of the whole
process tree (the sum of the proportional set sizes of the audit and its workers, sampled with psutil),
then the speed-up jobs2/jobs1 (target >= 1.7 on two free cores) and the warm/cold ratio (target
< 10%). It is not a test: timings depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

OPENINGS = [
    "The service will work with {people} across the borough",
    "Providers are expected to support {people} referred by partner agencies",
    "This specification sets out how the council will commission support for {people}",
    "The partnership has agreed priorities for {people} over the next three years",
    "Our early help offer is designed around {people} and the communities they live in",
]
PEOPLE = [
    "children and young people",
    "families",
    "adults with care and support needs",
    "young people",
    "residents",
    "people who use our services",
    "parents and carers",
    "care leavers",
]
MIDDLES = [
    "and will build on the strengths and aspirations that people bring",
    "with a focus on safety, choice and collaboration at every stage",
    "so that support is trauma-informed and delivered in partnership",
    "while meeting the outcomes in the performance framework",
    "through key workers who know each family well",
    "in line with statutory guidance and local safeguarding procedures",
    "using a whole-family approach that values lived experience",
]
FLAGGED = [
    "Service users who are hard to reach will be targeted by the outreach team",
    "Staff will manage challenging behaviour and report non-compliant clients",
    "Offenders and perpetrators will be monitored by the case management team",
    "The provider will hold a caseload of 40 cases of troubled families",
    "Vulnerable young people at risk of exploitation will be identified early",
    "Children in placements who abscond will be reported to the police",
    "Clients who fail to engage will be discharged after three missed appointments",
]
RISK = [
    "Each referral is screened for risk, harm and threat to others",
    "The risk assessment identifies harm, danger and offending behaviour",
    "High-risk families will be escalated where the threat of harm is significant",
]
CLOSINGS = [
    "Progress will be reviewed quarterly with the commissioning team.",
    "The contract will run for three years with an option to extend.",
    "Feedback from people who use the service will shape each review.",
    "Outcomes will be reported to the partnership board.",
]


def sentence(rng: random.Random, flavour: str) -> str:
    if flavour == "flagged" and rng.random() < 0.35:
        return rng.choice(FLAGGED) + "."
    if flavour == "risk" and rng.random() < 0.45:
        return rng.choice(RISK) + "."
    if rng.random() < 0.2:
        return rng.choice(CLOSINGS)
    return f"{rng.choice(OPENINGS).format(people=rng.choice(PEOPLE))}, {rng.choice(MIDDLES)}."


def document(rng: random.Random, index: int, low: int, high: int) -> tuple[str, str]:
    flavour = rng.choices(["plain", "flagged", "risk"], weights=[5, 4, 1])[0]
    words_wanted = rng.randint(low, high)
    markdown = index % 2 == 0
    parts = [f"# Service specification {index}\n" if markdown else f"SERVICE SPECIFICATION {index}\n"]
    words = 0
    section = 1
    while words < words_wanted:
        if rng.random() < 0.15:
            parts.append(f"\n{'## ' if markdown else ''}{section}. Section {section}\n")
            section += 1
        paragraph = " ".join(sentence(rng, flavour) for _ in range(rng.randint(2, 6)))
        words += len(paragraph.split())
        parts.append("\n" + paragraph + "\n")
    return ("md" if markdown else "txt"), "".join(parts)


def generate(folder: Path, n: int, low: int, high: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    total = 0
    for index in range(n):
        sub = folder / f"team-{index % 20:02d}" / f"year-{index % 3 + 2022}"
        sub.mkdir(parents=True, exist_ok=True)
        extension, text = document(rng, index, low, high)
        (sub / f"doc-{index:05d}.{extension}").write_text(text, encoding="utf-8")
        total += len(text.split())
    return total


class TreeMemory:
    """Peak memory of a process and all its descendants, sampled every 100 ms.

    `peak` sums the proportional set size (PSS) of the processes, which counts pages that forked
    workers share with the parent once rather than in every process (summing RSS would count them
    several times); `peak_single` is the largest single resident set.
    """

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak = 0
        self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    @staticmethod
    def _sizes(process) -> tuple[int, int]:
        try:
            info = process.memory_full_info()
            return getattr(info, "pss", info.rss), info.rss
        except Exception:  # no permission for the full info: fall back to RSS
            rss = process.memory_info().rss
            return rss, rss

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            shares, resident = [], []
            for process in processes:
                with contextlib.suppress(psutil.Error):  # it may have just exited
                    share, rss = self._sizes(process)
                    shares.append(share)
                    resident.append(rss)
            if shares:
                self.peak = max(self.peak, sum(shares))
                self.peak_single = max(self.peak_single, max(resident))
            self._stop.wait(0.1)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


#: `tilint audit` with only the given rule files (no built-in rules), for --rules-only
ONLY_RULES = """
import sys
import tilint.cli.audit as command
from tilint.cli import main
real = command.load_rules_or_exit
command.load_rules_or_exit = lambda extra=(), builtin=True: real(extra, builtin=False)
main(sys.argv[1:])
"""


def run_audit(folder: Path, out: Path, cache: Path, jobs: int, extra: list[str], only_rules: bool) -> dict:
    env = {**os.environ, "TILINT_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    program = ["-c", ONLY_RULES] if only_rules else ["-m", "tilint"]
    command = [
        sys.executable,
        *program,
        "audit",
        str(folder),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--quiet",
    ]
    command += extra
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    stdout, stderr = process.communicate()
    memory.stop()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"audit failed ({process.returncode}):\n{stderr}")
    import json

    summary = json.loads((out / "summary.json").read_text())
    return {
        "seconds": elapsed,
        "cpu": cpu,
        "tree_mb": memory.peak / 1e6,
        "largest_mb": memory.peak_single / 1e6,
        "summary": summary,
        "line": stdout.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="documents to generate (default 10,000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--rules", action="append", default=[], metavar="PATH", help="extra rule file (repeatable)")
    parser.add_argument(
        "--rules-only",
        action="store_true",
        help="use only the --rules files, not the built-in set (measures the audit's own overhead: "
        "the cheaper each file, the harder it is to gain from parallel workers)",
    )
    parser.add_argument("--words", default="150-1500", metavar="MIN-MAX", help="words per document")
    args = parser.parse_args()
    extra = [part for path in args.rules for part in ("--rules", path)]
    low, high = (int(part) for part in args.words.split("-"))

    base = Path(tempfile.mkdtemp(prefix="tilint-bench-audit-"))
    try:
        docs = base / "docs"
        started = time.perf_counter()
        words = generate(docs, args.n, low, high)
        print(
            f"generated {args.n:,} documents, {words:,} words in {time.perf_counter() - started:.1f} s "
            f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})"
        )
        runs = {
            "cold, --jobs 1": run_audit(docs, base / "out1", base / "cache1", 1, extra, args.rules_only),
            "cold, --jobs 2": run_audit(docs, base / "out2", base / "cache2", 2, extra, args.rules_only),
            "warm cache, new DIR": run_audit(docs, base / "out3", base / "cache2", 2, extra, args.rules_only),
            "rerun, same DIR": run_audit(docs, base / "out2", base / "cache2", 2, extra, args.rules_only),
        }
        for name, run in runs.items():
            s = run["summary"]
            print(
                f"{name:22} {run['seconds']:7.1f} s (CPU {run['cpu']:6.1f} s)  peak tree PSS {run['tree_mb']:6.0f} MB "
                f"(largest RSS {run['largest_mb']:4.0f} MB)  analysed {s['analysed']:>6} "
                f"cached {s['from_cache']:>6} resumed {s['resumed']:>6} findings {s['findings']:>7}"
            )
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"largest single process (getrusage RUSAGE_CHILDREN): {children:.0f} MB")
        one, two = runs["cold, --jobs 1"]["seconds"], runs["cold, --jobs 2"]["seconds"]
        warm = runs["warm cache, new DIR"]["seconds"]
        print(f"speed-up jobs2/jobs1: {one / two:.2f}x (target >= 1.7x on 2 free cores)")
        # CPU seconds per wall second: how much of the machine each run could get. On a machine
        # busy with other work, --jobs 2 cannot be twice as fast however well the pool scales.
        cpu_one, cpu_two = runs["cold, --jobs 1"]["cpu"], runs["cold, --jobs 2"]["cpu"]
        print(
            f"CPU used: jobs1 {cpu_one:.1f} s ({cpu_one / one:.2f} cores busy), jobs2 {cpu_two:.1f} s "
            f"({cpu_two / two:.2f} cores busy); load average now {os.getloadavg()[0]:.1f}"
        )
        print(
            f"warm/cold ratio: {100 * warm / two:.1f}% (target < 10%); "
            f"same-DIR rerun: {100 * runs['rerun, same DIR']['seconds'] / two:.1f}%"
        )
        identical = (base / "out1" / "findings.csv").read_bytes() == (base / "out2" / "findings.csv").read_bytes()
        print(f"findings.csv identical for --jobs 1 and --jobs 2: {identical}")
        digests = {run["summary"]["rules_digest"] for run in runs.values()}
        if len(digests) > 1:
            print("warning: the rule set changed while the benchmark ran; its runs are not comparable")
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
