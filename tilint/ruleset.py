"""Load and validate the YAML rule set.

Rules are data: this module turns YAML files into typed `Rule` objects and refuses anything it does
not understand, naming the file and line, because a silently ignored typo in a rule file means a
phrase nobody is warned about.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

WORD = re.compile(r"[^\W_]+")


class _RuleLoader(_Loader):
    """YAML 1.2 booleans: only true/false. Rule files are full of words such as on, off, yes and no,
    which YAML 1.1 would silently turn into booleans."""


_RuleLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
_RuleLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class RuleFileError(Exception):
    """One or more problems in rule files; each line of the message names a file and line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    year: int | None = None
    url: str | None = None
    note: str | None = None

    def cite(self) -> str:
        year = f", {self.year}" if self.year else ""
        return f"{self.publisher}, {self.title}{year}"


REWRITE_LEVELS = ("suggested", "safe")


@dataclass(frozen=True)
class Rewrite:
    """A replacement for a rule's flagged words that keeps the sentence grammatical.

    `level` "suggested": a tracked change a person accepts or rejects (the best wording may depend
    on the sentence); "safe": right in every context, so `tilint fix --write` applies it unreviewed.
    `phrases` says which flagged words it replaces (every match of the rule when empty); `to` is
    written for the base form of the phrase and re-inflected to fit the words found (see
    tilint.engine.rewrite), or given as explicit `singular` and `plural` forms. `examples` are
    (sentence, rewritten sentence) pairs, each run as a test.
    """

    to: str | None = None
    singular: str | None = None
    plural: str | None = None
    phrases: tuple[str, ...] = ()
    level: str = "suggested"
    before_nouns: bool = False
    examples: tuple[tuple[str, str], ...] = ()

    @property
    def safe(self) -> bool:
        return self.level == "safe"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"phrases": list(self.phrases)}
        data["to"] = self.to if self.to is not None else {"singular": self.singular, "plural": self.plural}
        data.update(level=self.level, before_nouns=self.before_nouns,
                    examples=[{"text": text, "becomes": becomes} for text, becomes in self.examples])
        return data


@dataclass
class Rule:
    id: str
    category: str
    severity: str
    message: str
    alternatives: list[str]
    rationale: str
    sources: list[Source]
    patterns: list[dict[str, Any]]
    examples: dict[str, list[str]]
    exceptions: list[Any] = field(default_factory=list)
    context: dict[str, Any] | None = None
    quoted: str = "skip"
    framing: str = "risk"
    fix: str = "never"
    override: bool = False
    origin: str = ""
    line: int = 0
    rewrites: list[Rewrite] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"{self.origin}:{self.line}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "alternatives": list(self.alternatives),
            "rationale": self.rationale,
            "sources": [{k: v for k, v in vars(s).items() if v is not None} for s in self.sources],
            "fix": self.fix,
            "rewrites": [rewrite.to_json() for rewrite in self.rewrites],
            "examples": {"flag": list(self.examples["flag"]), "pass": list(self.examples["pass"])},
            "origin": self.origin,
        }


@dataclass
class Framing:
    """Vocabularies for the document-level summary, merged from every file that has them."""

    strengths: list[str] = field(default_factory=list)
    risk: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    principles: dict[str, list[str]] = field(default_factory=dict)
    document_rule: Rule | None = None


@dataclass
class RuleSet:
    rules: dict[str, Rule]
    framing: Framing
    files: list[str]
    digest: str
    #: named word lists (`lists:` sections, merged across files), referenced as <name> in phrases
    #: and as {LIST: name} in token patterns
    lists: dict[str, list[str]] = field(default_factory=dict)
    #: extra mention cues (`mentions:` sections): before, after, definitions
    mentions: dict[str, list[str]] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.rules.values())

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        if rule_id in self.rules:
            return self.rules[rule_id]
        doc_rule = self.framing.document_rule
        if doc_rule is not None and doc_rule.id == rule_id:
            return doc_rule
        return None

    def all_rules(self) -> list[Rule]:
        """Pattern rules plus the document-level rule, in catalogue order."""
        rules = list(self.rules.values())
        if self.framing.document_rule is not None:
            rules.append(self.framing.document_rule)
        return rules

    def categories(self) -> set[str]:
        return {rule.category for rule in self.all_rules()}


# -- loading -------------------------------------------------------------------------------------
def builtin_rules_dir() -> Path:
    """The built-in rule set, shipped inside the package as tilint.rules.

    From a source checkout imported without installing (the repository on sys.path), the package
    mapping does not exist, so the repository's own rules/ folder is used.
    """
    try:
        return Path(str(resources.files("tilint.rules")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "rules"


def rule_files(path: str | Path) -> list[Path]:
    """A YAML file, or every .yaml/.yml file under a folder, in a stable order."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if path.is_file():
        return [path]
    raise RuleFileError([f"{path}: no such rule file or folder"])


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = json.loads(resources.files("tilint").joinpath("schema/rules.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _node_at(node: yaml.Node, path: list[Any]) -> yaml.Node:
    """The YAML node at a JSON path, to report the line of a schema error."""
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    node = value
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _duplicate_keys(node: yaml.Node, origin: str, problems: list[str]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                problems.append(f"{origin}:{key.start_mark.line + 1}: duplicate key {key.value!r}")
            seen.add(key.value)
            _duplicate_keys(value, origin, problems)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _duplicate_keys(item, origin, problems)


def _describe(path: list[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def required_literals(tokens: list[dict[str, Any]]) -> tuple[frozenset[str], ...]:
    """For each token a pattern requires that names literal words, those words (lowercased).

    The engine finds candidate paragraphs by these words, so a token pattern without any is
    rejected when its file is loaded.
    """
    required = []
    for token in tokens:
        if token.get("OP") not in (None, "1", "+"):
            continue
        for attr in ("LOWER", "ORTH", "TEXT", "NORM"):
            value = token.get(attr)
            values = [value] if isinstance(value, str) else (value or {}).get("IN") if isinstance(value, dict) else None
            if values and all(WORD.fullmatch(v) for v in values):
                required.append(frozenset(v.lower() for v in values))
                break
    return tuple(required)


def _check_regexes(tokens: list[dict[str, Any]], where: str, problems: list[str]) -> None:
    for token in tokens:
        for value in token.values():
            if isinstance(value, dict) and "REGEX" in value:
                try:
                    re.compile(value["REGEX"])
                except re.error as exc:
                    problems.append(f"{where}: invalid REGEX {value['REGEX']!r}: {exc}")


def _rewrite(data: dict[str, Any]) -> Rewrite:
    to = data["to"]
    return Rewrite(
        to=to if isinstance(to, str) else None,
        singular=None if isinstance(to, str) else to["singular"],
        plural=None if isinstance(to, str) else to["plural"],
        phrases=tuple([data["phrase"]] if isinstance(data.get("phrase"), str) else data.get("phrase", [])),
        level=data.get("level", "suggested"),
        before_nouns=bool(data.get("before_nouns", False)),
        examples=tuple((example["text"], example["becomes"]) for example in data["examples"]),
    )


def _rewrites(data: dict[str, Any]) -> list[Rewrite]:
    """The rule's rewrites; the older `fix: safe` means a safe rewrite to the first alternative."""
    if "rewrites" in data:
        return [_rewrite(item) for item in data["rewrites"]]
    alternatives = data.get("alternatives") or []
    if data.get("fix") == "safe" and alternatives:
        return [Rewrite(to=alternatives[0], level="safe")]
    return []


def _check_rewrites(item: dict[str, Any], rule_node: yaml.Node, origin: str, problems: list[str]) -> None:
    for index, rewrite in enumerate(item.get("rewrites", [])):
        where = f"{origin}:{_node_at(rule_node, ['rewrites', index]).start_mark.line + 1}"
        forms = [rewrite["to"]] if isinstance(rewrite["to"], str) else list(rewrite["to"].values())
        if any("[" in form or "]" in form for form in forms):
            problems.append(
                f"{where}: rule {item['id']!r}: a rewrite goes into the text as written; placeholders "
                "such as [name] belong in alternatives"
            )
        phrases = rewrite.get("phrase", [])
        for phrase in [phrases] if isinstance(phrases, str) else phrases:
            if not WORD.search(phrase):
                problems.append(f"{where}: rule {item['id']!r}: a rewrite's phrase needs at least one word")


def _make_rule(data: dict[str, Any], origin: str, line: int) -> Rule:
    rewrites = _rewrites(data)
    return Rule(
        id=data["id"],
        category=data.get("category", "document-framing"),
        severity=data.get("severity", "warning"),
        message=data["message"].strip(),
        alternatives=list(data.get("alternatives", [])),
        rationale=data["rationale"].strip(),
        sources=[Source(**s) for s in data["sources"]],
        patterns=list(data.get("patterns", [])),
        examples=data.get("examples", {"flag": [], "pass": []}),
        exceptions=list(data.get("exceptions", [])),
        context=data.get("context"),
        quoted=data.get("quoted", "skip"),
        framing=data.get("framing", "risk"),
        fix="safe" if any(rewrite.safe for rewrite in rewrites) else "never",
        override=bool(data.get("override", False)),
        origin=origin,
        line=line,
        rewrites=rewrites,
    )


def parse_rule_file(
    path: Path, text: str | None = None
) -> tuple[list[Rule], dict[str, Any] | None, list[str], dict[str, Any]]:
    """Rules, framing data, problems and the file's other sections (`lists`, `mentions`) found in
    one file. Never raises for content errors."""
    origin = str(path)
    problems: list[str] = []
    try:
        text = path.read_text("utf-8") if text is None else text
    except (OSError, UnicodeDecodeError) as exc:
        return [], None, [f"{origin}: cannot read rule file: {exc}"], {}
    try:
        root = yaml.compose(text, Loader=_RuleLoader)
        data = yaml.load(text, Loader=_RuleLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return [], None, [f"{origin}{line}: invalid YAML: {reason}"], {}
    if root is None:
        return [], None, [f"{origin}: empty rule file"], {}
    _duplicate_keys(root, origin, problems)
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        node = _node_at(root, list(error.absolute_path))
        problems.append(
            f"{origin}:{node.start_mark.line + 1}: {_describe(list(error.absolute_path))}: {error.message}"
        )
    if problems:
        return [], None, problems, {}

    rules: list[Rule] = []
    for index, item in enumerate(data.get("rules", [])):
        rule_node = _node_at(root, ["rules", index])
        line = rule_node.start_mark.line + 1
        for p_index, pattern in enumerate(item["patterns"]):
            where = f"{origin}:{_node_at(rule_node, ['patterns', p_index]).start_mark.line + 1}"
            if "tokens" in pattern:
                if not required_literals(pattern["tokens"]) and not any(
                    "LIST" in token and token.get("OP") in (None, "1") for token in pattern["tokens"]
                ):
                    problems.append(
                        f"{where}: rule {item['id']!r}: a token pattern needs at least one required token "
                        "with a literal LOWER/ORTH/TEXT word (or IN list of words)"
                    )
                _check_regexes(pattern["tokens"], where, problems)
        _check_rewrites(item, rule_node, origin, problems)
        for e_index, exception in enumerate(item.get("exceptions", [])):
            if isinstance(exception, dict):
                where = f"{origin}:{_node_at(rule_node, ['exceptions', e_index]).start_mark.line + 1}"
                _check_regexes(exception["tokens"], where, problems)
        rules.append(_make_rule(item, origin, line))
    framing = data.get("framing")
    if framing and "document_rule" in framing:
        framing = dict(framing)
        node = _node_at(root, ["framing", "document_rule"])
        framing["document_rule"] = _make_rule(framing["document_rule"], origin, node.start_mark.line + 1)
    extras = {key: data[key] for key in ("lists", "mentions") if key in data}
    if "lists" in extras:
        extras["list_lines"] = {
            name: _node_at(root, ["lists", name]).start_mark.line + 1 for name in extras["lists"]
        }
    return rules, framing, problems, extras


def load_ruleset(extra: list[str | Path] | tuple = (), builtin: bool = True, use_cache: bool = True) -> RuleSet:
    """Load the built-in rules (unless `builtin` is False) plus extra files or folders.

    Parsing and validating YAML costs far more than checking a small file, so a validated rule set
    is cached by the hash of its files' names and bytes. Raises RuleFileError listing every problem
    in every file, so a user fixes them in one pass.
    """
    paths: list[Path] = []
    problems: list[str] = []
    builtin_paths = rule_files(builtin_rules_dir()) if builtin else []
    for item in extra:
        try:
            paths.extend(rule_files(item))
        except RuleFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RuleFileError(problems)
    paths = builtin_paths + paths
    digest = hashlib.sha256()
    contents: list[bytes] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RuleFileError([f"{path}: cannot read rule file: {exc.strerror or exc}"]) from None
        contents.append(data)
        digest.update(str(path.name).encode() + b"\0" + data + b"\0")
    key = digest.hexdigest()
    if use_cache and len(paths) == len(builtin_paths) and builtin:
        from tilint.engine.prebuilt import builtin_ruleset

        shipped = builtin_ruleset(key, builtin_rules_dir())
        if shipped is not None:
            return shipped
    cached_path = None
    if use_cache:
        from tilint.cachedir import cache_dir, read_pickle, tool_fingerprint

        name = hashlib.sha256(f"{tool_fingerprint()}|{key}|{[str(p) for p in paths]}".encode()).hexdigest()[:32]
        cached_path = cache_dir() / "rulesets" / f"{name}.pickle"
        cached = read_pickle(cached_path, RuleSet)
        if cached is not None:
            return cached
    ruleset = _build(paths, contents, len(builtin_paths), key)
    if cached_path is not None:
        from tilint.cachedir import write_pickle

        write_pickle(cached_path, ruleset)
    return ruleset


def _build(paths: list[Path], contents: list[bytes], builtin_count: int, digest: str) -> RuleSet:
    problems: list[str] = []
    rules: dict[str, Rule] = {}
    framing = Framing()
    lists: dict[str, list[str]] = {}
    list_origins: dict[str, str] = {}
    mentions: dict[str, list[str]] = {}
    for number, (path, data) in enumerate(zip(paths, contents, strict=True)):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(f"{path}: rule files must be UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        file_rules, file_framing, file_problems, extras = parse_rule_file(path, text)
        problems.extend(file_problems)
        for name, items in extras.get("lists", {}).items():
            lists.setdefault(name, [])
            lists[name].extend(item for item in items if item not in lists[name])
            list_origins.setdefault(name, f"{path}:{extras['list_lines'][name]}")
        for key, cues in extras.get("mentions", {}).items():
            mentions.setdefault(key, []).extend(cues)
        for rule in file_rules:
            if rule.id in rules:
                previous = rules[rule.id]
                if rule.override and number >= builtin_count:
                    rules[rule.id] = rule
                    continue
                problems.append(
                    f"{rule.location}: duplicate rule id {rule.id!r} (also at {previous.location}); "
                    "add 'override: true' to replace a built-in rule"
                )
                continue
            rules[rule.id] = rule
        if file_framing:
            framing.strengths.extend(file_framing.get("strengths", []))
            framing.risk.extend(file_framing.get("risk", []))
            framing.people.extend(file_framing.get("people", []))
            for name, cues in file_framing.get("principles", {}).items():
                framing.principles.setdefault(name, []).extend(cues)
            if file_framing.get("document_rule") is not None:
                framing.document_rule = file_framing["document_rule"]
    if not problems:
        problems.extend(check_lists(lists, list_origins, list(rules.values())))
    if problems:
        raise RuleFileError(problems)
    return RuleSet(
        rules=rules, framing=framing, files=[str(p) for p in paths], digest=digest, lists=lists, mentions=mentions
    )


# -- named word lists ----------------------------------------------------------------------------
#: a reference to a named list inside a phrase: "vulnerable <people>"
LIST_REFERENCE = re.compile(r"<([a-z][a-z0-9_-]*)>")
#: at most this many phrases or token patterns from one entry once its lists are spelled out
MAX_LIST_EXPANSION = 2000


class ListError(ValueError):
    """A list reference that cannot be spelled out (unknown list, a cycle, too many phrases)."""


def expand_phrase(phrase: str, lists: dict[str, list[str]], _seen: tuple[str, ...] = ()) -> list[str]:
    """The phrase with every <name> replaced by each item of that list (items may refer to other
    lists), in order: "vulnerable <people>" -> "vulnerable children", "vulnerable young people", ..."""
    match = LIST_REFERENCE.search(phrase)
    if match is None:
        return [phrase]
    name = match.group(1)
    if name not in lists:
        raise ListError(f"the list <{name}> is not defined in any rule file's lists: section")
    if name in _seen:
        raise ListError(f"the list <{name}> refers to itself (through {' -> '.join((*_seen, name))})")
    out: list[str] = []
    for item in lists[name]:
        for spelled in expand_phrase(item, lists, (*_seen, name)):
            out.extend(expand_phrase(phrase[: match.start()] + spelled + phrase[match.end() :], lists, _seen))
            if len(out) > MAX_LIST_EXPANSION:
                raise ListError(f"{phrase!r} spells out to more than {MAX_LIST_EXPANSION} phrases")
    return list(dict.fromkeys(out))


def list_items(name: str, lists: dict[str, list[str]]) -> list[str]:
    """Every phrase of a list, with the lists its items refer to spelled out."""
    return expand_phrase(f"<{name}>", lists)


def expand_token_lists(
    tokens: list[dict[str, Any]], lists: dict[str, list[str]], forms_of=lambda word: {word}
) -> list[list[dict[str, Any]]]:
    """A token pattern with each {LIST: name} token replaced by the list's items.

    One-word items become one token ({LOWER: {IN: [...]}}, with the `forms_of` its last word:
    the compiler passes its noun inflections, so "child" also matches "children"); an item of
    several words becomes that many tokens, so the pattern is spelled out once per such item.
    With OP "?" the list may also be absent.
    """
    variants: list[list[dict[str, Any]]] = [[]]
    for token in tokens:
        if "LIST" not in token:
            options = [[token]]
        else:
            single: set[str] = set()
            options = []
            for item in list_items(token["LIST"], lists):
                words = item.lower().split()
                if not words:
                    continue
                *first, last = words
                forms = sorted(set(forms_of(last)) | {last})
                if not first and WORD.fullmatch(last):
                    single.update(forms)
                else:
                    options.append([{"LOWER": w} for w in first] + [{"LOWER": {"IN": forms}}])
            if single:
                options.insert(0, [{"LOWER": {"IN": sorted(single)}}])
            if token.get("OP") == "?":
                options.append([])
        variants = [done + option for done in variants for option in options]
        if len(variants) > MAX_LIST_EXPANSION:
            raise ListError(f"a token pattern spells out to more than {MAX_LIST_EXPANSION} patterns")
    return [v for v in variants if v]


def _entry_phrases(rule: Rule) -> list[str]:
    phrases = [term for entry in rule.patterns for term in entry.get("terms", [])]
    phrases += [e for e in rule.exceptions if isinstance(e, str)]
    context = rule.context or {}
    phrases += [e for kind in ("any", "none") for e in context.get(kind, []) if isinstance(e, str)]
    return phrases


def _entry_token_patterns(rule: Rule) -> list[list[dict[str, Any]]]:
    patterns = [entry["tokens"] for entry in rule.patterns if "tokens" in entry]
    patterns += [e["tokens"] for e in rule.exceptions if isinstance(e, dict)]
    context = rule.context or {}
    patterns += [e["tokens"] for kind in ("any", "none") for e in context.get(kind, []) if isinstance(e, dict)]
    return patterns


def check_lists(lists: dict[str, list[str]], origins: dict[str, str], rules: list[Rule]) -> list[str]:
    """Problems with named lists and the references to them, each naming a file and line."""
    problems = []
    for name in lists:
        try:
            list_items(name, lists)
        except ListError as exc:
            problems.append(f"{origins[name]}: list {name!r}: {exc}")
    if problems:
        return problems
    for rule in rules:
        try:
            for phrase in _entry_phrases(rule):
                expand_phrase(phrase, lists)
            for tokens in _entry_token_patterns(rule):
                expanded = expand_token_lists(tokens, lists)
                if any("LIST" in token for token in tokens) and not all(map(required_literals, expanded)):
                    raise ListError("a token pattern needs a required literal word once its lists are spelled out")
        except ListError as exc:
            problems.append(f"{rule.location}: rule {rule.id!r}: {exc}")
    return problems
