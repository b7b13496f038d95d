"""``scale``: the verdict scales a ledger rates claims on — claimledger's own and its outlet's."""

from __future__ import annotations

from pathlib import Path

import click

from claimledger import render
from claimledger.cli import complete
from claimledger.cli.input import read_text_file
from claimledger.cli.options import format_option, reading, writing
from claimledger.cli.output import emit_json, emit_rows, emit_write


@click.group()
def scale():
    """Adopt and show verdict scales (SKOS concept schemes of ratings)."""


@scale.command("add")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--name", default=None, help="Short name of the scale [default: the file's stem].")
@click.option("--default", "default", is_flag=True,
              help="Look ratings up on this scale first when a verdict names none.")
@writing
@format_option("text", "json")
def scale_add(ledger, file, name, default, reason, fmt):
    """Adopt the verdict scale in FILE (Turtle: one skos:ConceptScheme and its ratings).

    Every rating needs a skos:prefLabel and a cl:normalisedRating (cl:normalised-true,
    -false, -mixture or -other), which decides the status a verdict with it sets.

    \b
    Example:
      claimledger scale add politifact.ttl --name politifact --default
    """
    text = read_text_file(file, argument="FILE")
    name = name or (Path(file).stem if file != "-" else None)
    result = ledger.scales.add(text, name=name or "", default=default, reason=reason)
    emit_write(ledger, result, fmt, f"adopted scale {name}")


@scale.command("default")
@click.argument("name", shell_complete=complete.scales)
@writing
@format_option("text", "json")
def scale_default(ledger, name, reason, fmt):
    """Make NAME the scale ratings are looked up on first (claimledger: its own).

    \b
    Example:
      claimledger scale default politifact
    """
    result = ledger.scales.set_default(name, reason=reason)
    emit_write(ledger, result, fmt, f"default scale: {name}")


@scale.command("list")
@reading
@format_option("text", "json")
def scale_list(ledger, fmt):
    """List the verdict scales: claimledger's own, then the adopted ones.

    \b
    Example:
      claimledger scale list
    """
    scales = ledger.scales.list()
    if fmt == "json":
        emit_json([render.scale_data(s) for s in scales])
        return
    rows = [[s.name, "yes" if s.default else "", len(s.ratings), s.label] for s in scales]
    emit_rows(["scale", "default", "ratings", "title"], rows)


@scale.command("show")
@click.argument("name", default="claimledger", shell_complete=complete.scales)
@reading
@format_option("text", "json")
def scale_show(ledger, name, fmt):
    """Show a scale's ratings, each with its normalised rating and the status it sets.

    \b
    Example:
      claimledger scale show politifact
    """
    found = ledger.scales.get(name)
    if fmt == "json":
        emit_json(render.scale_data(found))
        return
    rows = [[r.notation or "", r.label, r.value or "", r.normalised, r.status]
            for r in found.ratings]
    click.echo(f"{found.name}: {found.label} <{found.iri}>\n", nl=False)
    emit_rows(["notation", "rating", "value", "normalised", "status"], rows)
