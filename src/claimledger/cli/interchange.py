"""``import`` and ``export``: a ledger in and out as RDF, CSV, ClaimReview, PROV-O and
nanopublications."""

from __future__ import annotations

from pathlib import Path

import click

from claimledger.cli.options import reading, writing
from claimledger.cli.output import Progress, emit_write
from claimledger.errors import InputError

RDF_INPUTS = ("turtle", "trig", "ntriples", "nquads", "jsonld", "rdfxml")
FILE_INPUTS = RDF_INPUTS + ("csv", "claimreview")
OUTPUTS = ("text", "json")


def _formats(given: tuple[str, ...], input_format: str | None) -> tuple[str | None, str]:
    """The file's format and the output format from ``--format`` given up to twice."""
    files = [f for f in given if f in FILE_INPUTS] + ([input_format] if input_format else [])
    outputs = [f for f in given if f in OUTPUTS]
    if len(files) > 1 or len(outputs) > 1:
        raise InputError("give at most one file format and one output format",
                         argument="--format")
    return (files[0] if files else None), (outputs[0] if outputs else "text")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", multiple=True, type=click.Choice(FILE_INPUTS + OUTPUTS),
              metavar="FORMAT",
              help="The file's format: csv, claimreview, or an RDF format (turtle, trig, "
                   "ntriples, nquads, jsonld, rdfxml) [default: from its extension]; and/or "
                   "the output format, text or json [default: text]. May be given twice.")
@click.option("--input-format", "input_format", default=None, type=click.Choice(RDF_INPUTS),
              help="The file's RDF format (the same as --format with an RDF format).")
@click.option("--max-size", "max_size", type=click.IntRange(min=0), default=None,
              metavar="BYTES",
              help="Refuse files larger than this [default: 256 MiB].")
@writing
def import_(ledger, file, fmt, input_format, max_size, reason):
    """Import a file as one write: RDF (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML),
    a CSV in claimledger's column layout, or schema.org ClaimReview.

    All or nothing: a syntax error, a remote JSON-LD context, a bad CSV row or a broken
    sourcing rule anywhere in the file writes nothing; a CSV's bad rows are all listed, with
    their line, column and reason. Derived facts are recomputed.

    \b
    Example:
      claimledger import data/taliban-isis-rivalry.trig
      claimledger import --format csv desk.csv
      claimledger import --format claimreview factchecks.jsonl
    """
    from claimledger.interchange import MAX_IMPORT_BYTES
    from claimledger.interchange.formats import import_any

    fmt_in, fmt = _formats(fmt, input_format)
    max_bytes = MAX_IMPORT_BYTES if max_size is None else max_size  # --max-size 0 means 0
    progress = Progress("importing")
    try:
        result = import_any(ledger, file, fmt=fmt_in, max_bytes=max_bytes, reason=reason,
                            progress=progress)
    finally:
        progress.finish()
    if result.event is None:
        message = (f"imported {Path(file).name}: nothing to add — the ledger already holds "
                   "all of it; nothing was written")
    else:
        message = f"imported {Path(file).name}: {result.added} triples added"
    emit_write(ledger, result, fmt, "\n  ".join([message, *result.notes]))


@click.command()
@click.option("--format", "fmt",
              type=click.Choice(["trig", "nquads", "turtle", "jsonld", "csv", "claimreview",
                                 "prov", "nanopub"]),
              default="trig", show_default=True,
              help="trig/nquads/jsonld: ledger and audit trail; turtle: current state only; "
                   "csv: claims, sources and evidence in the column layout; claimreview: "
                   "schema.org ClaimReview JSON-LD of the claims under a verdict; prov: the "
                   "provenance as PROV-O (Turtle); nanopub: one nanopublication per claim (TriG).")
@click.option("--all", "every", is_flag=True,
              help="claimreview: a review of every claim, its derived status as the rating.")
@click.option("--delimiter", type=click.Choice([",", ";"]), default=",", show_default=True,
              help="csv: the cell separator (';' for spreadsheets that use a decimal comma).")
@click.option("--sign", is_flag=True,
              help="nanopub: sign each nanopublication with your RSA key (trusty URIs; "
                   "CLAIMLEDGER_RSA_KEY or your key in the key directory).")
@click.option("--agent", default=None, help="With --sign: who signs [env: CLAIMLEDGER_AGENT].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout.")
@reading
def export(ledger, fmt, every, delimiter, sign, agent, output):
    """Export the ledger as RDF, CSV, ClaimReview, PROV-O or nanopublications.

    \b
    Example:
      claimledger export --format trig -o ledger.trig
      claimledger export --format csv -o desk.csv
      claimledger export --format claimreview --all -o reviews.jsonld
      claimledger export --format nanopub --sign -o claims.trig
    """
    from claimledger.interchange.formats import export_any, export_to_file

    if output:
        export_to_file(ledger, output, fmt=fmt, every=every, delimiter=delimiter, sign=sign,
                       agent=agent)
    else:
        stream = click.get_binary_stream("stdout")
        export_any(ledger, stream, fmt=fmt, every=every, delimiter=delimiter, sign=sign,
                   agent=agent)
        stream.flush()
