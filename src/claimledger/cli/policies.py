"""``policy``: a newsroom's own SHACL shapes, stored in the ledger and enforced like the rules."""

from __future__ import annotations

from pathlib import Path

import click

from claimledger import render
from claimledger.cli.options import format_option, reading, writing
from claimledger.cli.output import emit_json, emit_write


@click.group()
def policy():
    """Store a newsroom's own SHACL shapes in the ledger; they are enforced like the rules."""


@policy.command("add")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--name", default=None, help="Name of the policy [default: the file's stem].")
@writing
@format_option("text", "json")
def policy_add(ledger, file, name, reason, fmt):
    """Add the SHACL shapes in FILE as a policy of this ledger.

    \b
    Example:
      claimledger policy add newsroom.ttl --name two-named-sources
    """
    from claimledger.validation import read_shapes_file

    _, text = read_shapes_file(file, argument="FILE")
    name = name or Path(file).stem
    result = ledger.policies.add(name, text, reason=reason)
    emit_write(ledger, result, fmt, f"added policy {name}")


@policy.command("list")
@reading
@format_option("text", "json")
def policy_list(ledger, fmt):
    """List the ledger's policies.

    \b
    Example:
      claimledger policy list
    """
    records = ledger.policies.list()
    if fmt == "json":
        emit_json(records)
        return
    click.echo(render.table(["policy", "shapes", "added by", "added at"],
                     [[r.name, r.shapes, r.recorded_by, r.recorded_at] for r in records]), nl=False)


@policy.command("remove")
@click.argument("name")
@writing
@format_option("text", "json")
def policy_remove(ledger, name, reason, fmt):
    """Stop enforcing a policy (the audit trail keeps what it said).

    \b
    Example:
      claimledger policy remove two-named-sources --reason "superseded"
    """
    result = ledger.policies.remove(name, reason=reason)
    emit_write(ledger, result, fmt, f"removed policy {name}")
