"""A help page for every rule, for SARIF's helpUri and reviewdog's code.url.

A rule's first source with a URL is its help page: that is where the advice comes from. A built-in
rule without one links to its entry in docs/rules.md in tilint's repository, at the tag of the
running version (`v0.1.0`), so the page matches the rules the finding came from and never moves.
The repository is the `Repository` URL in tilint's package metadata (`[project.urls]` in
pyproject.toml): an organisation that hosts its own copy of tilint sets it there. A rule from an
organisation's own rule file links to that file: inside GitHub Actions to the file on GitHub at the
commit being checked, elsewhere to the file itself.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from tilint import __version__
from tilint.formatters.paths import repository_path, source_root
from tilint.ruleset import Rule, builtin_rules_dir

RULES_DOC = "docs/rules.md"
#: used when the package metadata has no Repository URL (a source tree run without installing)
FALLBACK_REPOSITORY = "https://github.com/OWNER/tilint"


@lru_cache(maxsize=1)
def repository_url() -> str:
    """tilint's repository, from the installed package's Project-URL metadata."""
    from importlib import metadata

    try:
        urls = metadata.metadata("tilint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository" and url.strip():
            return url.strip().rstrip("/")
    return FALLBACK_REPOSITORY


def rule_anchor(rule_id: str) -> str:
    """The anchor GitHub gives the heading "### `rule-id`" in docs/rules.md."""
    return re.sub(r"[^\w\- ]", "", rule_id.lower()).replace(" ", "-")


def rules_page_url(rule_id: str) -> str:
    return f"{repository_url()}/blob/v{__version__}/{RULES_DOC}#{rule_anchor(rule_id)}"


def is_builtin(rule: Rule) -> bool:
    if not rule.origin:
        return True
    try:
        return Path(rule.origin).resolve().parent == builtin_rules_dir().resolve()
    except OSError:
        return False


def help_uri(rule: Rule) -> str:
    for source in rule.sources:
        if source.url:
            return source.url
    if is_builtin(rule):
        return rules_page_url(rule.id)
    return _rule_file_url(rule)


def pseudo_rule_uri(rule_id: str) -> str:
    """Rules that are not in a rule file (unused-suppression) are documented in docs/ci.md."""
    return f"{repository_url()}/blob/v{__version__}/docs/ci.md#inline-suppressions"


def _rule_file_url(rule: Rule) -> str:
    origin = Path(rule.origin).resolve()
    server, repository, sha = (
        os.environ.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    )
    if server and repository and sha:
        relative = repository_path(str(origin), source_root())
        if relative is not None:
            return f"{server.rstrip('/')}/{repository}/blob/{sha}/{relative}" + (f"#L{rule.line}" if rule.line else "")
    return origin.as_uri()
