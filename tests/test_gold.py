"""The quality bar on the annotated gold corpus (corpora/gold): documents written for tilint and
annotated from the trauma-informed guidance, not from tilint's output."""

from __future__ import annotations

from pathlib import Path

import pytest

from tilint.evaluation.gold import evaluate, gold_documents

GOLD = Path(__file__).resolve().parent.parent / "corpora" / "gold"


@pytest.fixture(scope="module")
def evaluation(linter):
    return evaluate(linter, GOLD)


def test_the_gold_corpus_is_large_and_varied():
    import yaml

    pairs = gold_documents(GOLD)
    styles = {yaml.safe_load(sidecar.read_text("utf-8"))["style"] for _, sidecar in pairs}
    assert len(pairs) >= 40 and len(styles) >= 5


def test_precision_is_at_least_0_93(evaluation):
    wrong = [fp for d in evaluation.documents for fp in d.false_positives]
    assert evaluation.precision >= 0.93, wrong


def test_recall_is_at_least_0_93(evaluation):
    missed = [f"{d.path}: {m}" for d in evaluation.documents for m in d.missed]
    assert evaluation.recall >= 0.93, missed


def test_no_trap_is_flagged(evaluation):
    assert evaluation.traps_flagged == []


def test_risk_only_is_right_on_every_annotated_document(evaluation):
    assert evaluation.risk_only_wrong == []


def test_the_evaluation_counts_a_missed_phrase(linter, tmp_path):
    (tmp_path / "d.md").write_text("We will support the families.\n", encoding="utf-8")
    (tmp_path / "d.gold.yaml").write_text("style: tender\nexpect:\n  - text: families\n", encoding="utf-8")
    result = evaluate(linter, tmp_path)
    assert result.recall == 0.0 and result.documents[0].missed == ["'families' x1"]
