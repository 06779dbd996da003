"""`tilint evaluate`: precision and recall on the annotated gold corpus."""

from __future__ import annotations

import click

from tilint.cli.common import load_rules_or_exit
from tilint.cli.options import rules_option


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False), default="corpora/gold")
@rules_option
@click.option("-v", "--verbose", is_flag=True, help="List every false positive and missed phrase.")
@click.option("--min-precision", type=float, default=0.0, help="Exit 1 below this precision.")
@click.option("--min-recall", type=float, default=0.0, help="Exit 1 below this recall.")
def evaluate(folder, rule_paths, verbose, min_precision, min_recall) -> None:
    """Score tilint against annotated documents in FOLDER (default corpora/gold)."""
    from tilint.engine import Linter
    from tilint.evaluation.gold import evaluate as run_evaluation

    ruleset = load_rules_or_exit(rule_paths)
    result = run_evaluation(Linter(ruleset), folder)
    for doc in result.documents:
        if verbose and (doc.false_positives or doc.missed):
            click.echo(doc.path)
            for item in doc.false_positives:
                click.echo(f"  false positive: {item}")
            for item in doc.missed:
                click.echo(f"  missed: {item}")
    click.echo(f"documents: {len(result.documents)}")
    click.echo(f"precision: {result.precision:.3f}")
    click.echo(f"recall:    {result.recall:.3f}")
    click.echo(f"traps flagged: {len(result.traps_flagged)}")
    for path, trap in result.traps_flagged:
        click.echo(f"  {path}: {trap}")
    wrong = result.risk_only_wrong
    click.echo(f"risk_only wrong: {len(wrong)}" + (f" ({', '.join(wrong)})" if wrong else ""))
    if result.precision < min_precision or result.recall < min_recall:
        raise SystemExit(1)


COMMANDS = [evaluate]
