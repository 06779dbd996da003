"""`tilint audit DIR --out NEW --compare OLD`: how the language changed since an earlier audit.

The earlier audit is read from its output folder (summary.json and documents.jsonl, the files an
audit always writes, so a comparison works across tilint versions and machines). Documents are
matched by their path relative to the audited folder, so moving the whole folder does not matter;
a document left unmatched is then matched to one with the same content (renamed), and failing that
to the most similar one (renamed and edited: word 3-gram sketches, tilint.audit.similarity), so a
renamed tender is followed rather than counted as one gone and one new.

Each matched document is then:
- "improved": no longer risk-only, or (risk-only or not as before) fewer findings per 1,000 words;
- "worse": newly risk-only, or more findings per 1,000 words;
- "unchanged": the same number of findings and the same framing;
- "unreadable": could not be checked in one of the audits;
and the rest are "new" (only now) or "gone" (only then). Departments are formed the same way on
both sides (this audit's --group-by applied to the earlier paths), so the two can be compared even
when the earlier audit was grouped differently.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilint.audit.grouping import Grouping
from tilint.audit.journal import Journal, per_thousand
from tilint.audit.outputs import SEVERITY_WEIGHTS, Group, Totals, write_csv
from tilint.audit.similarity import RENAMED, best_matches
from tilint.ruleset import RuleSet

STATUSES = ("worse", "improved", "new", "gone", "unreadable", "unchanged")
CHANGE_COLUMNS = [
    "status",
    "department",
    "path",
    "previous_path",
    "matched_by",
    "similarity",
    "findings_then",
    "findings_now",
    "per_1k_then",
    "per_1k_now",
    "risk_only_then",
    "risk_only_now",
    "labelling_weighted_then",
    "labelling_weighted_now",
]


class CompareError(Exception):
    """The folder given to --compare is not a readable audit output; the message says why."""


@dataclass
class Doc:
    """One document's figures in one audit: all a comparison needs, small enough for 100,000."""

    path: str
    relative: str
    sha256: str | None
    error: bool
    words: int = 0
    findings: int = 0
    risk_only: bool = False
    describes_people: bool = False
    weighted: int = 0
    principles: frozenset[str] = frozenset()
    rules: dict[str, int] = field(default_factory=dict)
    sketch: list[int] = field(default_factory=list)

    @property
    def per_1k(self) -> float:
        return per_thousand(self.findings, self.words)


@dataclass
class Previous:
    folder: Path
    summary: dict[str, Any]
    documents: list[Doc]


@dataclass
class Side(Group):
    """Headline figures of one audit (or of one department in it): a Group, with principles."""

    principles: Counter = field(default_factory=Counter)
    principles_covered: int = 0

    def add_doc(self, doc: Doc) -> None:
        if doc.error:
            self.count(error=True)
            return
        self.count(
            words=doc.words,
            findings=doc.findings,
            risk_only=doc.risk_only,
            describes_people=doc.describes_people,
            weighted=doc.weighted,
        )
        self.principles.update(doc.principles)
        self.principles_covered += len(doc.principles)

    def principle_share(self, name: str) -> float:
        return round(self.principles.get(name, 0) / self.documents, 4) if self.documents else 0.0

    @property
    def mean_principles(self) -> float:
        return round(self.principles_covered / self.documents, 2) if self.documents else 0.0

    def to_json(self, principle_names: list[str]) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "unreadable": self.errors,
            "words": self.words,
            "findings": self.findings,
            "findings_per_1k_words": self.per_1k,
            "risk_only_documents": self.risk_only,
            "documents_describing_people": self.describes_people,
            "risk_only_share": self.risk_only_share,
            "mean_principles_covered": self.mean_principles,
            "principle_coverage": {name: self.principle_share(name) for name in principle_names},
        }


@dataclass
class Change:
    """One document across the two audits."""

    status: str
    department: str
    then: Doc | None
    now: Doc | None
    matched_by: str = ""
    similarity: float | None = None

    @property
    def delta(self) -> float:
        """Change in findings per 1,000 words (risk-only framing counted as a large step)."""
        before = (self.then.per_1k + 1000 * self.then.risk_only) if self.then and not self.then.error else 0.0
        after = (self.now.per_1k + 1000 * self.now.risk_only) if self.now and not self.now.error else 0.0
        return round(after - before, 2)

    def row(self) -> list[Any]:
        then, now = self.then, self.now

        def figure(doc: Doc | None, value: str) -> Any:
            if doc is None or doc.error:
                return ""
            if value == "risk_only":
                return "true" if doc.risk_only else "false"
            return getattr(doc, value)

        return [
            self.status,
            self.department,
            now.path if now else "",
            then.path if then else "",
            self.matched_by,
            "" if self.similarity is None else self.similarity,
            figure(then, "findings"),
            figure(now, "findings"),
            figure(then, "per_1k"),
            figure(now, "per_1k"),
            figure(then, "risk_only"),
            figure(now, "risk_only"),
            figure(then, "weighted"),
            figure(now, "weighted"),
        ]


@dataclass
class Comparison:
    previous_folder: str
    previous_summary: dict[str, Any]
    principle_names: list[str]
    then: Side
    now: Side
    changes: list[Change]
    #: department -> (then Side, now Side, Counter of statuses)
    departments: dict[str, tuple[Side, Side, Counter]]
    #: rule -> (findings then, findings now)
    rules: dict[str, tuple[int, int]]
    rules_changed: bool
    notes: list[str] = field(default_factory=list)

    @property
    def statuses(self) -> Counter:
        return Counter(change.status for change in self.changes)

    @property
    def renamed(self) -> int:
        return sum(1 for change in self.changes if change.matched_by in ("same content", "similar content"))

    def headline(self) -> dict[str, Any]:
        statuses = self.statuses
        return {
            "previous": self.previous_folder,
            "previous_generated_by": self.previous_summary.get("tool", {}).get("version"),
            "rules_changed": self.rules_changed,
            "then": self.then.to_json(self.principle_names),
            "now": self.now.to_json(self.principle_names),
            "documents": {status: statuses.get(status, 0) for status in STATUSES},
            "renamed": self.renamed,
            "notes": list(self.notes),
        }

    def department_rows(self) -> list[dict[str, Any]]:
        rows = []
        for name, (then, now, statuses) in self.departments.items():
            rows.append(
                {
                    "department": name,
                    "then": then,
                    "now": now,
                    "statuses": statuses,
                    "change": round(now.per_1k - then.per_1k, 2),
                }
            )
        rows.sort(key=lambda r: (-(r["now"].risk_only - r["then"].risk_only), -r["change"], r["department"]))
        return rows

    def rule_rows(self) -> list[tuple[str, int, int, int]]:
        rows = [(rule, then, now, now - then) for rule, (then, now) in self.rules.items() if then or now]
        rows.sort(key=lambda r: (-abs(r[3]), r[0]))
        return rows

    def document_header(self) -> list[str]:
        return list(CHANGE_COLUMNS)

    def document_rows(self) -> list[list[Any]]:
        return [change.row() for change in self.changes]

    def listed(self, status: str, limit: int | None = None) -> list[Change]:
        chosen = [change for change in self.changes if change.status == status]
        return chosen[:limit] if limit is not None else chosen


# -- reading the earlier audit ------------------------------------------------------------------------
def load_previous(folder: Path) -> Previous:
    """The earlier audit's summary and per-document figures; CompareError names what is wrong."""
    if not folder.is_dir():
        raise CompareError(f"--compare {folder}: no such folder (give the --out folder of an earlier audit)")
    summary_path, documents_path = folder / "summary.json", folder / "documents.jsonl"
    for needed in (summary_path, documents_path):
        if not needed.is_file():
            raise CompareError(f"--compare {folder}: not a tilint audit output folder ({needed.name} is missing)")
    try:
        summary = json.loads(summary_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise CompareError(f"{summary_path}: cannot read: {exc}") from None
    if not isinstance(summary, dict) or summary.get("tool", {}).get("name") != "tilint":
        raise CompareError(f"{summary_path}: not the summary of a tilint audit")
    records: list[dict[str, Any]] = []
    try:
        with documents_path.open(encoding="utf-8", errors="surrogateescape") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    raise CompareError(f"{documents_path}:{number}: not a JSON record ({exc})") from None
                if not isinstance(record, dict) or "path" not in record:
                    raise CompareError(f"{documents_path}:{number}: not a document record")
                records.append(_slim(record))
    except OSError as exc:
        raise CompareError(f"{documents_path}: cannot read: {exc.strerror or exc}") from None
    roots = summary.get("roots") or _common_root([r["path"] for r in records])
    grouping = Grouping(roots=tuple(roots))
    documents = [_previous_doc(record, grouping) for record in records]
    return Previous(folder=folder, summary=summary, documents=documents)


def _slim(record: dict[str, Any]) -> dict[str, Any]:
    """Only what a comparison needs of a record (its findings reduced to rule counts)."""
    document = record.get("document") or {}
    rules: Counter = Counter()
    weighted = 0
    for finding in record.get("findings") or []:
        if isinstance(finding, dict) and finding.get("rule"):
            rules[finding["rule"]] += 1
            if finding.get("text"):
                weighted += SEVERITY_WEIGHTS.get(finding.get("severity"), 1)
    return {
        "path": str(record["path"]),
        "relative": record.get("relative"),
        "sha256": record.get("sha256"),
        "error": bool(record.get("error")),
        "words": int(record.get("words") or 0),
        "findings": sum(rules.values()),
        "risk_only": bool(document.get("risk_only")),
        "describes_people": bool(document.get("describes_people")),
        "weighted": record.get("labelling_weighted", weighted),
        "principles": frozenset(name for name, count in (document.get("principles") or {}).items() if count),
        "rules": dict(rules),
        "sketch": [int(v) for v in record.get("sketch") or [] if isinstance(v, int)],
    }


def _common_root(paths: list[str]) -> list[str]:
    """For an audit that did not record its roots: the folder all its paths share."""
    folders = [os.path.dirname(os.path.abspath(path)) for path in paths]
    if not folders:
        return []
    try:
        return [os.path.commonpath(folders)]
    except ValueError:  # paths on different drives
        return []


def _previous_doc(record: dict[str, Any], grouping: Grouping) -> Doc:
    relative = record.pop("relative") or grouping.relative(record["path"])
    return Doc(relative=relative, **record)


def _current_docs(journal: Journal) -> list[Doc]:
    docs = []
    for row in journal.by_path("sha256, error, words, findings, risk_only, impact, relative, stats, sketch"):
        stats = json.loads(row["stats"])
        error = bool(row["error"])
        docs.append(
            Doc(
                path=row["path"],
                relative=row["relative"],
                sha256=row["sha256"],
                error=error,
                words=0 if error else row["words"],
                findings=0 if error else row["findings"],
                risk_only=bool(row["risk_only"]),
                describes_people=bool(stats.get("people")),
                weighted=row["impact"],
                principles=frozenset(stats.get("principles") or ()),
                rules=dict(stats.get("rules") or {}),
                sketch=json.loads(row["sketch"]),
            )
        )
    return docs


# -- comparing ------------------------------------------------------------------------------------
def classify(then: Doc, now: Doc) -> str:
    if then.error or now.error:
        return "unreadable"
    if then.risk_only != now.risk_only:
        return "improved" if then.risk_only else "worse"
    if then.findings == now.findings:
        return "unchanged"
    if now.per_1k != then.per_1k:
        return "improved" if now.per_1k < then.per_1k else "worse"
    return "improved" if now.findings < then.findings else "worse"


def match(previous: list[Doc], current: list[Doc]) -> list[tuple[Doc | None, Doc | None, str, float | None]]:
    """(then, now, matched by, similarity): by relative path, then same content, then similar content."""
    old_by_path = {doc.relative: doc for doc in previous}
    pairs: list[tuple[Doc | None, Doc | None, str, float | None]] = []
    unmatched_new: list[Doc] = []
    for doc in current:
        old = old_by_path.pop(doc.relative, None)
        if old is not None:
            pairs.append((old, doc, "path", None))
        else:
            unmatched_new.append(doc)
    old_by_hash: dict[str, list[Doc]] = {}
    for doc in old_by_path.values():
        if doc.sha256:
            old_by_hash.setdefault(doc.sha256, []).append(doc)
    still_new: list[Doc] = []
    for doc in unmatched_new:
        same = old_by_hash.get(doc.sha256 or "")
        if same:
            old = same.pop(0)
            del old_by_path[old.relative]
            pairs.append((old, doc, "same content", 1.0))
        else:
            still_new.append(doc)
    gone = {doc.relative: doc for doc in old_by_path.values() if doc.sketch}
    new = {doc.relative: doc for doc in still_new if doc.sketch}
    renamed = best_matches({k: d.sketch for k, d in gone.items()}, {k: d.sketch for k, d in new.items()}, RENAMED)
    taken_new: set[str] = set()
    for old_key, new_key, score in renamed:
        pairs.append((gone[old_key], new[new_key], "similar content", score))
        del old_by_path[old_key]
        taken_new.add(new_key)
    pairs += [(None, doc, "", None) for doc in still_new if doc.relative not in taken_new]
    pairs += [(doc, None, "", None) for doc in old_by_path.values()]
    return pairs


def compare(previous: Previous, journal: Journal, totals: Totals, ruleset: RuleSet, grouping: Grouping) -> Comparison:
    current = _current_docs(journal)
    principle_names = list(totals.principle_names)
    then, now = Side(), Side()
    for doc in previous.documents:
        then.add_doc(doc)
    for doc in current:
        now.add_doc(doc)
    changes: list[Change] = []
    departments: dict[str, tuple[Side, Side, Counter]] = {}

    def department(name: str) -> tuple[Side, Side, Counter]:
        if name not in departments:
            departments[name] = (Side(), Side(), Counter())
        return departments[name]

    for old, new, matched_by, score in match(previous.documents, current):
        status = classify(old, new) if old is not None and new is not None else ("new" if new is not None else "gone")
        name = grouping.department_of(new.relative if new is not None else old.relative)  # type: ignore[union-attr]
        change = Change(status, name, old, new, matched_by, score)
        changes.append(change)
        group_then, group_now, statuses = department(name)
        if old is not None:
            # an earlier document counts in the department it is in now, so a renamed or moved
            # document's department compares like with like; a gone one in its own
            group_then.add_doc(old)
        if new is not None:
            group_now.add_doc(new)
        statuses[status] += 1
    order = {status: index for index, status in enumerate(STATUSES)}
    changes.sort(
        key=lambda c: (order[c.status], -abs(c.delta), (c.now or c.then).relative)  # type: ignore[union-attr]
    )
    rules: dict[str, tuple[int, int]] = {}
    before = Counter()
    for doc in previous.documents:
        before.update(doc.rules)
    after = Counter()
    for doc in current:
        after.update(doc.rules)
    for rule in sorted(set(before) | set(after)):
        rules[rule] = (before.get(rule, 0), after.get(rule, 0))
    rules_changed = previous.summary.get("rules_digest") != ruleset.digest
    notes = []
    if rules_changed:
        notes.append(
            "The rule set is not the one the earlier audit used, so part of any change may come from the rules "
            "rather than from the documents."
        )
    if not any(doc.sketch for doc in previous.documents) and previous.documents:
        notes.append(
            "The earlier audit recorded no content sketches (an older tilint), so renamed documents were matched "
            "only when their content was identical."
        )
    return Comparison(
        previous_folder=str(previous.folder),
        previous_summary=previous.summary,
        principle_names=principle_names,
        then=then,
        now=now,
        changes=changes,
        departments=departments,
        rules=rules,
        rules_changed=rules_changed,
        notes=notes,
    )


def write_comparison(comparison: Comparison, out: Path, encoding: str = "utf-8-sig") -> None:
    """comparison.json (headline, departments, rules) and changes.csv (one row per document)."""
    data = {
        **comparison.headline(),
        "departments": {
            row["department"]: {
                "then": row["then"].to_json(comparison.principle_names),
                "now": row["now"].to_json(comparison.principle_names),
                "documents": {status: row["statuses"].get(status, 0) for status in STATUSES},
            }
            for row in comparison.department_rows()
        },
        "rules": {
            rule: {"then": then, "now": now, "change": change} for rule, then, now, change in comparison.rule_rows()
        },
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    (out / "comparison.json").write_text(text, encoding="utf-8", errors="surrogateescape")
    write_csv(out / "changes.csv", CHANGE_COLUMNS, comparison.document_rows(), encoding)
