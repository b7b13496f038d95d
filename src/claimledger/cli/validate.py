"""``validate``: the whole ledger checked against the sourcing rules and its policies."""

from __future__ import annotations

import sys

import click

from claimledger import render
from claimledger.cli.options import format_option, reading
from claimledger.cli.output import Progress, emit_json


@click.command()
@click.option("--shapes", "shape_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra SHACL shapes file to check as well (repeatable).")
@click.option("--min-severity", type=click.Choice(["info", "warning", "violation"]),
              default="info", show_default=True, help="Leave out results below this severity.")
@reading
@format_option("text", "json", "turtle")
def validate(ledger, shape_files, min_severity, fmt):
    """Check the whole ledger against the sourcing rules and its policies.

    Exit 0 when there is no Violation, 1 when there are Violations, 2 on an error.

    \b
    Example:
      claimledger validate --min-severity warning
    """
    from claimledger.validation import ShapeSet, read_shapes_file, validate_store
    extra = [read_shapes_file(f) for f in shape_files]
    shapes = ShapeSet.builtin([*ledger.policy_texts(), *extra])
    progress = Progress("validating")
    report = validate_store(ledger.store, shapes, progress=progress)
    progress.finish()
    shown = report.at_least(min_severity.capitalize())
    if fmt == "json":
        emit_json([r.as_json() for r in shown.sorted().results])
    elif fmt == "turtle":
        click.echo(shown.to_graph().serialize(format="turtle"), nl=False)
    else:
        click.echo(render.validation_text(shown, ledger.compact_text), nl=False)
    if not report.conforms:
        sys.exit(1)
