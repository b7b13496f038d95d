"""Printing results: writes, tables, JSON, progress. The text itself comes from
:mod:`claimledger.render`; this module decides where it goes (stdout, stderr)."""

from __future__ import annotations

import sys
import time

import click

from claimledger import render
from claimledger.errors import InputError


def emit_write(ledger, result, fmt: str, message: str) -> None:
    """Print what a write did: the message and status changes to stdout, warnings to stderr."""
    if fmt == "json":
        click.echo(render.to_json(render.write_data(ledger, result, message)), nl=False)
        return
    text, warnings = render.write_text(ledger, result, message)
    click.echo(text, nl=False)
    for line in warnings:
        click.echo(line, err=True)


def emit_json(value: object) -> None:
    click.echo(render.to_json(value), nl=False)


def emit_table(ledger, result, fmt: str, *, raw: bool = False) -> None:
    """A table: W3C results formats (csv and tsv neutralised for spreadsheets unless
    ``raw``), markdown, or an aligned table for the terminal."""
    if fmt in ("csv", "tsv"):
        fn = render.sparql_csv if fmt == "csv" else render.sparql_tsv
        click.echo(fn(result.columns, result.rows, raw=raw), nl=False)
        return
    if fmt == "json":
        click.echo(render.sparql_json(result.columns, result.rows), nl=False)
        return
    if fmt in ("turtle", "trig", "nquads"):
        raise InputError(f"--format {fmt} is for CONSTRUCT queries; this is a SELECT",
                         argument="--format")
    keep = [i for i, c in enumerate(result.columns) if c not in result.hidden]
    headers = [result.columns[i] for i in keep]
    rows = [[None if row[i] is None else ledger.compact(row[i]) for i in keep] for row in result.rows]
    if fmt == "markdown":
        click.echo(render.markdown(headers, rows), nl=False)
    else:
        click.echo(render.table(headers, rows, max_width=80), nl=False)
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


class Progress:
    """A progress bar on stderr that appears only once the work has taken a second."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if time.monotonic() - self.start < 1.0 and not self.shown:
            return
        self.shown = True
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
