"""gitignore-style globs relative to a folder, for `exclude` and `per-file-ignores`.

People who keep documents in git already know these rules, so tilint follows them: a pattern
without a slash matches a name at any depth (`drafts`, `*.html`), a pattern with one is anchored to
the config folder (`/archive`, `docs/old/*.md`), a trailing slash matches folders only, `**` spans
folders, `!` re-includes, and the last matching pattern wins. A pattern that matches a folder
matches everything inside it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


def _translate(pattern: str) -> str:
    """The regular expression (for a relative POSIX path) of one gitignore-style pattern."""
    anchored = "/" in pattern
    pattern = pattern.lstrip("/")
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            close = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "^") else i + 1)
            if close == -1:
                out.append(re.escape(ch))
                i += 1
                continue
            body = pattern[i + 1 : close]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = close + 1
        elif ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(ch))
            i += 1
    body = "".join(out)
    return ("" if anchored else "(?:.*/)?") + body


class GlobSet:
    """Ordered gitignore-style patterns, matched against paths relative to `base`."""

    def __init__(self, patterns: list[str], base: Path) -> None:
        self.base = Path(os.path.abspath(base))
        self._rules: list[tuple[re.Pattern[str], bool, bool]] = []  # (regex, negated, folders only)
        for raw in patterns:
            pattern = raw.strip()
            if not pattern or pattern.startswith("#"):
                continue
            negated = pattern.startswith("!")
            if negated:
                pattern = pattern[1:]
            dir_only = pattern.endswith("/")
            pattern = pattern.rstrip("/")
            if pattern:
                self._rules.append((re.compile(_translate(pattern) + r"\Z", re.DOTALL), negated, dir_only))

    def relative(self, path: str | Path) -> str | None:
        """`path` relative to the base folder with forward slashes, or None when outside it."""
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.base)
        except ValueError:
            return None
        text = rel.as_posix()
        return None if text in ("", ".") else text

    def matches(self, path: str | Path) -> bool:
        """True when the last pattern matching `path` or one of its folders is not a negation."""
        rel = self.relative(path)
        if rel is None or not self._rules:
            return False
        parts = rel.split("/")
        is_dir = os.path.isdir(path) if any(d for _, _, d in self._rules) else False
        # A path is excluded when one of its parent folders is, or when it matches itself.
        for depth in range(1, len(parts) + 1):
            candidate = "/".join(parts[:depth])
            candidate_is_dir = depth < len(parts) or is_dir
            verdict = None
            for regex, negated, dir_only in self._rules:
                if dir_only and not candidate_is_dir:
                    continue
                if regex.match(candidate):
                    verdict = not negated
            if verdict and depth < len(parts):
                return True
            if depth == len(parts):
                return bool(verdict)
        return False

    def __call__(self, path: str) -> bool:
        return self.matches(path)
