"""The command line: parses arguments and wires the pieces; no linting logic lives here."""

from __future__ import annotations

import click

from tilint import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="tilint")
def main() -> None:
    """tilint finds deficit and risk-only framing of people in commissioning documents and
    suggests trauma-informed, strengths-based alternatives, each with a reason and a source."""


def run() -> None:
    """The `tilint` console script and `python -m tilint`: `main` run as a program, which lets
    commands end the process without tearing the interpreter down (see common.exit_with)."""
    import os

    from tilint import profiling
    from tilint.cli import common

    # spaCy imports numpy, whose OpenBLAS starts a thread per core that tilint never uses; they
    # cost start-up time and compete with tilint's worker processes for the CPU.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    common.RUNNING_AS_PROGRAM = True
    profiling.start("main")  # only with TILINT_PROFILE set
    try:
        main()
    finally:
        profiling.stop()


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
