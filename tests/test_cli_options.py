"""Options shared by several commands are one option each: the same names, help and meaning."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from tilint.cli import main

SHARED = {
    "--rules": ["check", "fix", "annotate", "audit", "serve", "rules", "explain", "evaluate"],
    "--select": ["check", "fix", "annotate", "audit", "serve"],
    "--ignore": ["check", "fix", "annotate", "audit", "serve"],
    "--model": ["check", "fix", "annotate", "audit", "serve"],
    "--config": ["check", "fix", "annotate", "audit", "serve"],
    "--no-config": ["check", "fix", "annotate", "audit", "serve"],
    "--exclude": ["check", "fix", "audit"],
    "--jobs": ["check", "audit"],
    "--max-size": ["check", "audit"],
}


def _option(command: str, name: str) -> click.Option:
    for param in main.commands[command].params:
        if isinstance(param, click.Option) and name in param.opts:
            return param
    raise AssertionError(f"{command} has no {name}")


@pytest.mark.parametrize("name", sorted(SHARED))
def test_a_shared_option_has_one_help_text_and_default_everywhere(name):
    options = [_option(command, name) for command in SHARED[name]]
    assert len({option.help for option in options}) == 1
    assert len({repr(option.default) for option in options}) == 1


def test_check_exclude_adds_to_the_configuration_relative_to_each_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs" / "old").mkdir(parents=True)
    for name in ("docs/a.md", "docs/old/b.md", "docs/c.txt"):
        (tmp_path / name).write_text("We hold 40 cases.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--no-config", "--no-cache", "--format", "json", "--exclude", "/old", "--exclude", "*.txt",
               "docs"]
    )
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["docs/a.md"]
