"""Precision and recall against annotated documents (corpora/gold).

Each document `NAME.md|.txt` has a sidecar `NAME.gold.yaml` listing the phrases a careful
trauma-informed reviewer would flag (`expect`, with counts), the traps that must not be flagged
(`traps`), and whether the document is risk-only. Annotations name phrases, not rule ids, so they
were written from the guidance rather than from tilint's output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tilint.readers import read_document


def _norm(text: str) -> str:
    return re.sub(r"[\s\-\u2010\u2011]+", " ", text.lower()).strip()


@dataclass
class DocumentScore:
    path: str
    true_positives: int = 0
    false_positives: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    traps_flagged: list[str] = field(default_factory=list)
    risk_only_expected: bool | None = None
    risk_only_found: bool | None = None


@dataclass
class Evaluation:
    documents: list[DocumentScore]

    @property
    def true_positives(self) -> int:
        return sum(d.true_positives for d in self.documents)

    @property
    def precision(self) -> float:
        found = self.true_positives + sum(len(d.false_positives) for d in self.documents)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + sum(len(d.missed) for d in self.documents)
        return self.true_positives / expected if expected else 1.0

    @property
    def traps_flagged(self) -> list[tuple[str, str]]:
        return [(d.path, t) for d in self.documents for t in d.traps_flagged]

    @property
    def risk_only_wrong(self) -> list[str]:
        return [
            d.path for d in self.documents
            if d.risk_only_expected is not None and d.risk_only_expected != d.risk_only_found
        ]


def gold_documents(folder: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for sidecar in sorted(folder.glob("*.gold.yaml")):
        stem = sidecar.name[: -len(".gold.yaml")]
        candidates = [p for p in folder.glob(f"{stem}.*") if p != sidecar and not p.name.endswith(".yaml")]
        if candidates:
            pairs.append((candidates[0], sidecar))
    return pairs


def score_document(linter, path: Path, sidecar: Path) -> DocumentScore:
    gold = yaml.safe_load(sidecar.read_text("utf-8")) or {}
    document = read_document(path)
    result = linter.check(document)
    score = DocumentScore(path=str(path), risk_only_expected=gold.get("risk_only"),
                          risk_only_found=bool(result.document.get("risk_only")))
    remaining: list[list] = [[_norm(e["text"]), int(e.get("count", 1)), e["text"]] for e in gold.get("expect") or []]
    traps = [_norm(t) for t in gold.get("traps") or []]
    for finding in result.findings:
        if finding.start is None:
            continue
        text = _norm(finding.text)
        entry = next((e for e in remaining if e[1] > 0 and (e[0] == text)), None) or next(
            (e for e in remaining if e[1] > 0 and (e[0] in text or text in e[0])), None
        )
        if entry is not None:
            entry[1] -= 1
            score.true_positives += 1
            continue
        label = f"{finding.line}:{finding.column} {finding.text!r} [{finding.rule}]"
        score.false_positives.append(label)
        sentence = _norm(document.text[max(0, finding.start - 60): finding.end + 60])
        if any(t and text in t and t in sentence for t in traps):
            score.traps_flagged.append(label)
    score.missed = [f"{e[2]!r} x{e[1]}" for e in remaining if e[1] > 0]
    return score


def evaluate(linter, folder: str | Path) -> Evaluation:
    return Evaluation([score_document(linter, path, sidecar) for path, sidecar in gold_documents(Path(folder))])
