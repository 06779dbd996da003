"""GitHub code scanning's documented ingestion rules for SARIF, as a checker.

From "SARIF support for code scanning" (docs.github.com/en/code-security/code-scanning/
integrating-with-code-scanning/sarif-support-for-code-scanning) and its limits table: what a file
must hold for every result to become an alert on the right file and line. `problems(sarif, root)`
lists every rule a file breaks, so a failing test names them all.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

LEVELS = {"note", "warning", "error"}
MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_LOCATIONS = 1_000
MAX_TAGS = 20
DESCRIPTION_LIMIT = 1024
NAME_LIMIT = 255


def _text(obj, key: str) -> str | None:
    value = (obj or {}).get(key)
    return value.get("text") if isinstance(value, dict) else None


def _absolute_url(value) -> bool:
    if not isinstance(value, str):
        return False
    parsed = urlparse(value)
    return bool(parsed.scheme) and (bool(parsed.netloc) or parsed.scheme == "file")


def problems(sarif: dict, root: Path | None = None) -> list[str]:
    """Every ingestion rule `sarif` breaks; with `root`, also results whose file does not exist there."""
    out: list[str] = []
    if not sarif.get("$schema"):
        out.append("$schema is required")
    if sarif.get("version") != "2.1.0":
        out.append("version must be 2.1.0")
    runs = sarif.get("runs")
    if not isinstance(runs, list) or not runs:
        return [*out, "runs[] is required"]
    if len(runs) > MAX_RUNS:
        out.append(f"more than {MAX_RUNS} runs")
    for r, run in enumerate(runs):
        out.extend(_run_problems(f"runs[{r}]", run, root))
    return out


def _run_problems(where: str, run: dict, root: Path | None) -> list[str]:
    out: list[str] = []
    driver = (run.get("tool") or {}).get("driver") or {}
    if not driver.get("name"):
        out.append(f"{where}.tool.driver.name is required")
    rules = driver.get("rules")
    if not isinstance(rules, list):
        return [*out, f"{where}.tool.driver.rules[] is required"]
    if len(rules) > MAX_RULES:
        out.append(f"{where}: more than {MAX_RULES} rules")
    for i, rule in enumerate(rules):
        at = f"{where}.rules[{i}]"
        if not rule.get("id"):
            out.append(f"{at}.id is required")
        if len(rule.get("name") or "") > NAME_LIMIT:
            out.append(f"{at}.name is over {NAME_LIMIT} characters")
        for key in ("shortDescription", "fullDescription", "help"):
            text = _text(rule, key)
            if not text:
                out.append(f"{at}.{key}.text is required")
            elif key != "help" and len(text) > DESCRIPTION_LIMIT:
                out.append(f"{at}.{key}.text is over {DESCRIPTION_LIMIT} characters")
        level = (rule.get("defaultConfiguration") or {}).get("level")
        if level is not None and level not in LEVELS:
            out.append(f"{at}.defaultConfiguration.level {level!r} is not note, warning or error")
        if len((rule.get("properties") or {}).get("tags") or []) > MAX_TAGS:
            out.append(f"{at}: more than {MAX_TAGS} tags")
        if not _absolute_url(rule.get("helpUri")):
            out.append(f"{at}.helpUri is missing or not an absolute URI")
    bases = run.get("originalUriBaseIds") or {}
    results = run.get("results")
    if not isinstance(results, list):
        return [*out, f"{where}.results[] is required"]
    if len(results) > MAX_RESULTS:
        out.append(f"{where}: more than {MAX_RESULTS} results")
    for i, result in enumerate(results):
        out.extend(_result_problems(f"{where}.results[{i}]", result, rules, bases, root))
    return out


def _result_problems(at: str, result: dict, rules: list, bases: dict, root: Path | None) -> list[str]:
    out: list[str] = []
    if not _text(result, "message"):
        out.append(f"{at}.message.text is required")
    if result.get("level") is not None and result["level"] not in LEVELS:
        out.append(f"{at}.level {result['level']!r} is not note, warning or error")
    index = result.get("ruleIndex")
    if not isinstance(index, int) or not 0 <= index < len(rules):
        out.append(f"{at}.ruleIndex does not point into tool.driver.rules")
    elif rules[index].get("id") != result.get("ruleId"):
        out.append(f"{at}.ruleIndex names rule {rules[index].get('id')!r}, not ruleId {result.get('ruleId')!r}")
    prints = result.get("partialFingerprints")
    if not isinstance(prints, dict) or not prints or not all(isinstance(v, str) and v for v in prints.values()):
        out.append(f"{at}.partialFingerprints is required (non-empty strings)")
    locations = result.get("locations")
    if not isinstance(locations, list) or not locations:
        return [*out, f"{at}.locations[] needs at least one location"]
    if len(locations) > 10:
        out.append(f"{at}: more than 10 locations")
    if len(result.get("relatedLocations") or []) > MAX_LOCATIONS:
        out.append(f"{at}: more than {MAX_LOCATIONS} related locations")
    physical = locations[0].get("physicalLocation") or {}
    artifact = physical.get("artifactLocation") or {}
    uri = artifact.get("uri")
    if not uri:
        out.append(f"{at}: artifactLocation.uri is required")
    base = artifact.get("uriBaseId")
    if base is not None and base not in bases:
        out.append(f"{at}: uriBaseId {base!r} is not defined in originalUriBaseIds")
    if uri and not urlparse(uri).scheme and (uri.startswith(("./", "../", "/"))):
        out.append(f"{at}: relative uri {uri!r} must be relative to the repository root")
    if uri and root is not None and not urlparse(uri).scheme and not (root / unquote(uri)).is_file():
        out.append(f"{at}: {uri!r} is not a file in the repository")
    region = physical.get("region") or {}
    for key in ("startLine", "startColumn", "endLine", "endColumn"):
        if not isinstance(region.get(key), int) or region[key] < 1:
            out.append(f"{at}: region.{key} is required (a positive integer)")
    if all(isinstance(region.get(k), int) for k in ("startLine", "startColumn", "endLine", "endColumn")):
        start, end = (region["startLine"], region["startColumn"]), (region["endLine"], region["endColumn"])
        if end < start:
            out.append(f"{at}: region ends before it starts")
    return out
