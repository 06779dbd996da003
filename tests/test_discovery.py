"""File discovery: which files check, fix and audit walk to, with one glob dialect."""

from __future__ import annotations

from pathlib import Path

from tilint.config.globs import GlobSet
from tilint.run.discovery import OUTPUT_MARKER, Selection, mark_output_folder, walk


def _tree(root: Path, names: list[str]) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("We hold 40 cases.\n", encoding="utf-8")
    return root


def _walked(root: Path, selection: Selection | None = None, paths: list[str] | None = None) -> list[str]:
    return [Path(t.path).relative_to(root).as_posix() for t in walk(paths or [str(root)], selection)]


def test_a_virtual_environment_is_not_walked_into(tmp_path):
    _tree(tmp_path, ["a.md", "env/lib/README.md", "env/pyvenv.cfg"])
    assert _walked(tmp_path) == ["a.md"]


def test_a_folder_marked_as_a_cache_is_not_walked_into(tmp_path):
    _tree(tmp_path, ["a.md", "build/cache/notes.md"])
    (tmp_path / "build" / "cache" / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n", encoding="ascii"
    )
    assert _walked(tmp_path) == ["a.md"]


def test_a_cachedir_tag_without_the_signature_does_not_hide_a_folder(tmp_path):
    _tree(tmp_path, ["docs/a.md"])
    (tmp_path / "docs" / "CACHEDIR.TAG").write_text("not a tag\n", encoding="ascii")
    assert _walked(tmp_path) == ["docs/a.md"]


def test_a_folder_of_tilint_output_is_not_walked_into(tmp_path):
    _tree(tmp_path, ["a.md", "audit/report.html"])
    mark_output_folder(tmp_path / "audit")
    assert (tmp_path / "audit" / OUTPUT_MARKER).is_file()
    assert _walked(tmp_path) == ["a.md"]


def test_a_marked_folder_named_directly_is_still_checked(tmp_path):
    _tree(tmp_path, ["audit/report.html"])
    mark_output_folder(tmp_path / "audit")
    assert _walked(tmp_path, paths=[str(tmp_path / "audit")]) == ["audit/report.html"]


def test_command_line_excludes_are_gitignore_style_under_each_path(tmp_path):
    _tree(tmp_path, ["a.md", "b.txt", "old/c.md", "keep/old/d.md", "keep/e.md"])
    selection = Selection(exclude=("/old", "*.txt"))
    assert _walked(tmp_path, selection) == ["a.md", "keep/e.md", "keep/old/d.md"]
    assert _walked(tmp_path, Selection(exclude=("old/",))) == ["a.md", "b.txt", "keep/e.md"]


def test_a_negated_exclude_brings_a_file_back(tmp_path):
    _tree(tmp_path, ["a.md", "b.md"])
    assert _walked(tmp_path, Selection(exclude=("*.md", "!b.md"))) == ["b.md"]


def test_include_keeps_only_matching_files_but_never_drops_a_named_one(tmp_path):
    _tree(tmp_path, ["tenders/a.md", "tenders/b.txt", "other/c.md"])
    selection = Selection(include=("tenders/*.md",))
    assert _walked(tmp_path, selection) == ["tenders/a.md"]
    named = [str(tmp_path / "other" / "c.md"), str(tmp_path)]
    assert _walked(tmp_path, selection, paths=named) == ["other/c.md", "tenders/a.md"]


def test_configuration_excludes_are_relative_to_the_configuration_folder(tmp_path):
    _tree(tmp_path, ["docs/a.md", "docs/drafts/b.md", "drafts/c.md"])
    selection = Selection(config_exclude=GlobSet(["/docs/drafts"], tmp_path))
    assert _walked(tmp_path, selection) == ["docs/a.md", "drafts/c.md"]
