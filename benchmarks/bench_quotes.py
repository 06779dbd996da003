"""Quotation-heavy paragraphs: checking time must grow linearly with the paragraph.

Mentions (tilint.engine.mentions) pair quotation marks once per paragraph; the old check counted
the straight quotes before every match, so a long paragraph full of quotes and candidate terms
took time in the square of its length (issue #14 measured 25 s at 16,000 characters). This script
checks paragraphs of n and 4n characters in the same run and prints the time ratio, which stays
near 4 (wall and CPU) when the work is linear.

    python benchmarks/bench_quotes.py [--chars 16000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

from tilint.document import Document
from tilint.engine import Linter
from tilint.ruleset import load_ruleset

#: straight quotes that never sit right around a term, between terms every rule set flags
PIECES = ['" ', "cases ", "!! ", "hard to reach ", '"', " service users, ", "' ", "\u201cquoted\u201d ", "?? "]


def paragraph(chars: int) -> str:
    text, i = [], 0
    while sum(map(len, text)) < chars:
        text.append(PIECES[i % len(PIECES)])
        i += 1
    return "".join(text)[:chars]


def timed(linter: Linter, text: str, repeat: int) -> tuple[float, float]:
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        linter.check(Document("bench.txt", text))
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=16000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    linter = Linter(load_ruleset())
    linter.check(Document("warm.txt", paragraph(2000)))  # load spaCy and build matchers outside the measurement
    small = timed(linter, paragraph(args.chars), args.repeat)
    large = timed(linter, paragraph(4 * args.chars), args.repeat)
    print(f"{args.chars:>7} chars: wall {small[0]:.3f} s, cpu {small[1]:.3f} s")
    print(f"{4 * args.chars:>7} chars: wall {large[0]:.3f} s, cpu {large[1]:.3f} s")
    print(f"ratio for 4x the text: wall {large[0] / small[0]:.1f}, cpu {large[1] / small[1]:.1f} (linear: about 4)")


if __name__ == "__main__":
    main()
