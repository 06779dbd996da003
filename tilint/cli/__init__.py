"""The command line: parses arguments and wires the pieces; no linting logic lives here."""

from __future__ import annotations

import click

from tilint import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="tilint")
def main() -> None:
    """tilint finds deficit and risk-only framing of people in commissioning documents and
    suggests trauma-informed, strengths-based alternatives, each with a reason and a source."""


def _register() -> None:
    import importlib
    import importlib.util

    for module in ("check", "rules", "evaluate", "fix", "annotate", "audit", "serve"):
        if importlib.util.find_spec(f"tilint.cli.{module}") is None:
            continue
        mod = importlib.import_module(f"tilint.cli.{module}")
        for command in mod.COMMANDS:
            main.add_command(command)


_register()
