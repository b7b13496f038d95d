"""``import`` and ``export``: a ledger in and out as standard RDF."""

from __future__ import annotations

from pathlib import Path

import click

from claimledger.cli.options import format_option, reading, writing
from claimledger.cli.output import emit_write


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--input-format", "input_format", default=None,
              type=click.Choice(["turtle", "trig", "ntriples", "nquads", "jsonld", "rdfxml"]),
              help="The file's RDF format [default: from its extension].")
@click.option("--max-size", "max_size", type=click.IntRange(min=0), default=None,
              metavar="BYTES",
              help="Refuse files larger than this [default: 256 MiB].")
@writing
@format_option("text", "json")
def import_(ledger, file, input_format, max_size, reason, fmt):
    """Import an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) as one write.

    All or nothing: a syntax error, a remote JSON-LD context or a broken sourcing rule
    anywhere in the file writes nothing. Derived facts are recomputed.

    \b
    Example:
      claimledger import data/taliban-isis-rivalry.trig
    """
    from claimledger.interchange import MAX_IMPORT_BYTES, import_file
    max_bytes = MAX_IMPORT_BYTES if max_size is None else max_size  # --max-size 0 means 0
    result = import_file(ledger, file, fmt=input_format, max_bytes=max_bytes, reason=reason)
    if result.event is None:
        message = (f"imported {Path(file).name}: nothing to add — the ledger already holds "
                   "all of it; nothing was written")
    else:
        message = f"imported {Path(file).name}: {result.added} triples added"
    emit_write(ledger, result, fmt, "\n  ".join([message, *result.notes]))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle", "jsonld"]),
              default="trig", show_default=True,
              help="trig/nquads/jsonld: ledger and audit trail; turtle: current state only.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout.")
@reading
def export(ledger, fmt, output):
    """Export the ledger as RDF.

    \b
    Example:
      claimledger export --format trig -o ledger.trig
    """
    from claimledger.interchange import export as do_export
    from claimledger.interchange import export_to_file
    if output:
        export_to_file(ledger, output, fmt=fmt)
    else:
        stream = click.get_binary_stream("stdout")
        do_export(ledger, stream, fmt=fmt)
        stream.flush()
