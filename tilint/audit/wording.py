"""The audit's closing lines in the terminal, in plain words: "Audited 301 documents: 1,519 findings ..."."""

from __future__ import annotations

from typing import Any


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def summary_lines(summary: dict[str, Any], report: str) -> list[str]:
    """What `tilint audit` prints when it is done: the headline, the change, where the report is."""
    line = (
        f"Audited {plural(summary['documents_checked'], 'document')}: {plural(summary['findings'], 'finding')} "
        f"({summary['findings_per_1k_words']:,.1f} per 1,000 words)"
    )
    risk = summary["risk_only_documents"]
    if risk:
        line += f"; {plural(risk, 'document')} {'describes' if risk == 1 else 'describe'} people only through risk"
    else:
        line += "; no document describes people only through risk"
    if summary["errors"]:
        line += f"; {plural(summary['errors'], 'file')} could not be checked"
    line += "."
    reused = summary.get("resumed", 0) + summary.get("from_cache", 0)
    if reused:
        line += f" {reused:,} unchanged since an earlier run {'was' if reused == 1 else 'were'} not analysed again."
    lines = [line]
    comparison = summary.get("comparison")
    if comparison:
        then, now, documents = comparison["then"], comparison["now"], comparison["documents"]
        lines.append(
            f"Since the earlier audit: findings per 1,000 words {then['findings_per_1k_words']:,.1f} -> "
            f"{now['findings_per_1k_words']:,.1f}; risk-only documents {then['risk_only_documents']:,} -> "
            f"{now['risk_only_documents']:,}; {documents['improved']:,} improved, {documents['worse']:,} worse, "
            f"{documents['new']:,} new, {documents['gone']:,} gone."
        )
    lines.append(f"Report: {report}")
    return lines
