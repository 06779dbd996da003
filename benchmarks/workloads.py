"""The texts the speed benchmarks check: the real-world corpus, a worst case and a scaled copy.

    python benchmarks/workloads.py worst-case DIR [--words 50000]   # write the worst case to DIR

The worst case is the opposite of real prose, where a few paragraphs in a thousand hold a
candidate: every paragraph is made of the rules' own flag examples, so every paragraph reaches
spaCy and every stage after it.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "realworld"
WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
#: flag examples per paragraph of the worst case
EXAMPLES_PER_PARAGRAPH = 4


def words_in(paths: list[str]) -> int:
    """Words as people count them ("hard-to-reach" is one)."""
    return sum(len(WORD.findall(Path(p).read_text("utf-8", errors="replace"))) for p in paths)


def realworld_files(corpus: Path) -> list[str]:
    """The 18F handbook (Markdown) and Opticks (plain text): prose unrelated to commissioning."""
    files = [*sorted(str(p) for p in (corpus / "18f-handbook").glob("*.md")), str(corpus / "opticks.txt")]
    missing = [f for f in files if not Path(f).is_file()]
    if missing or len(files) < 2:
        raise SystemExit(f"no realworld corpus at {corpus} (give its folder as the first argument)")
    return files


def flag_examples() -> list[str]:
    """Every flag example of the built-in rules, in catalogue order."""
    from tilint.ruleset import load_ruleset

    return [example for rule in load_ruleset() for example in rule.examples.get("flag", [])]


def write_worst_case(folder: Path, words: int = 50_000, files: int = 20) -> list[str]:
    """`files` Markdown files of about `words` words in all, every paragraph a few flag examples
    of different rules. Returns their paths."""
    examples = flag_examples()
    if not examples:
        raise SystemExit("the rule set has no flag examples to build a worst case from")
    folder.mkdir(parents=True, exist_ok=True)
    per_file = max(1, words // files)
    paths, index = [], 0
    for number in range(files):
        paragraphs, count = [], 0
        while count < per_file:
            chosen = [examples[(index + k) % len(examples)] for k in range(EXAMPLES_PER_PARAGRAPH)]
            index += EXAMPLES_PER_PARAGRAPH
            paragraph = " ".join(chosen)
            paragraphs.append(paragraph)
            count += len(WORD.findall(paragraph))
        path = folder / f"worst-{number:02d}.md"
        path.write_text(f"# Worst case {number}\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")
        paths.append(str(path))
    return paths


def write_scaled(files: list[str], folder: Path, copies: int) -> list[str]:
    """`copies` copies of `files`, each copy's files starting with a line naming the copy, so no
    two files have the same content (a result cache cannot shorten the run)."""
    out = []
    for copy in range(copies):
        target = folder / f"copy-{copy:03d}"
        target.mkdir(parents=True, exist_ok=True)
        for number, source in enumerate(files):
            path = Path(source)
            destination = target / f"{number:04d}-{path.name}"
            text = path.read_text("utf-8", errors="replace")
            destination.write_text(f"Copy {copy} of {path.name}.\n\n{text}", "utf-8")
            out.append(str(destination))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    worst = sub.add_parser("worst-case", help="write the worst-case corpus")
    worst.add_argument("folder", type=Path)
    worst.add_argument("--words", type=int, default=50_000)
    args = parser.parse_args()
    paths = write_worst_case(args.folder, args.words)
    print(f"wrote {len(paths)} files, {words_in(paths):,} words, to {args.folder}")


if __name__ == "__main__":
    main()
