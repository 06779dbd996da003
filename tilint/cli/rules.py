"""`tilint rules` and `tilint explain`: what tilint knows, and why."""

from __future__ import annotations

import json
import textwrap

import click

from tilint.cli.common import fail, load_rules_or_exit, rules_option
from tilint.ruleset import Rule


@click.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rules_option
def rules_command(output_format: str, rule_paths: tuple[str, ...]) -> None:
    """List every rule: id, category, severity, message and whether `tilint fix` may apply it."""
    ruleset = load_rules_or_exit(rule_paths)
    rules = ruleset.all_rules()
    if output_format == "json":
        click.echo(json.dumps({"version": 1, "rules": [r.to_json() for r in rules]}, indent=2, ensure_ascii=False))
        return
    width = max(len(r.id) for r in rules) if rules else 10
    current = None
    for rule in sorted(rules, key=lambda r: (r.category, r.id)):
        if rule.category != current:
            current = rule.category
            click.echo(f"\n{current}")
        fix = "  (fix: safe)" if rule.fix == "safe" else ""
        click.echo(f"  {rule.id:<{width}}  {rule.severity:<7}  {rule.message}{fix}")
    click.echo(f"\n{len(rules)} rules. `tilint explain RULE_ID` shows one in full.")


def explain_text(rule: Rule) -> str:
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    lines = [f"{rule.id}  ({rule.category}, {rule.severity})", "", *wrap.wrap(rule.message), ""]
    if rule.alternatives:
        lines += ["You could write instead:", *[f"  - {alt}" for alt in rule.alternatives], ""]
    lines += ["Why it matters:", *wrap.wrap(rule.rationale), "", "Sources:"]
    for source in rule.sources:
        lines.append(f"  - {source.cite()}" + (f"\n    {source.url}" if source.url else ""))
    if rule.examples.get("flag"):
        lines += ["", "Flagged, for example:", *[f"  - {e}" for e in rule.examples["flag"]]]
    if rule.examples.get("pass"):
        lines += ["", "Not flagged, for example:", *[f"  - {e}" for e in rule.examples["pass"]]]
    fix = "may replace it with the first suggestion" if rule.fix == "safe" else "never changes it automatically"
    lines += ["", f"`tilint fix` {fix}.", f"Defined in {rule.location}."]
    return "\n".join(lines)


@click.command()
@click.argument("rule_id")
@rules_option
def explain(rule_id: str, rule_paths: tuple[str, ...]) -> None:
    """Explain a rule: its message, alternatives, rationale, sources and examples."""
    ruleset = load_rules_or_exit(rule_paths)
    rule = ruleset.get(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, [r.id for r in ruleset.all_rules()], n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else " `tilint rules` lists them."
        fail(f"no rule {rule_id!r}.{hint}")
    click.echo(explain_text(rule))


COMMANDS = [rules_command, explain]
