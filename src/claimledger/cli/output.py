"""Printing results: writes, tables, JSON, progress. The text itself comes from
:mod:`claimledger.render`; this module decides where it goes (stdout, stderr)."""

from __future__ import annotations

import os
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


def terminal_width() -> int | None:
    """The width tables are fitted to: the terminal's when output goes to one, else
    ``$COLUMNS`` if set, else none (a pipe or a file gets whole cells)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        import shutil  # only for a terminal (shutil loads bz2, lzma…)

        return shutil.get_terminal_size().columns
    return None


def emit_rows(headers, rows, *, max_width: int = 60) -> None:
    """An aligned table on stdout, fitted to the terminal."""
    click.echo(render.table(headers, rows, max_width=max_width, width=terminal_width()),
               nl=False)


def emit_more(page) -> None:
    """Say on stderr how to get the next page, when there is one."""
    if page.more:
        click.echo(f"(more: --offset {page.offset + len(page.items)})", err=True)


#: W3C SPARQL 1.1 query results formats, by the name ``--format`` takes.
SPARQL_FORMATS = frozenset({"csv", "tsv", "json"})


def emit_table(ledger, result, fmt: str, *, report: bool = False, raw: bool = False) -> None:
    """A SELECT result on stdout.

    For a report, ``table``, ``markdown``, ``csv``, ``tsv`` and ``json`` all show the table's
    columns with slugs (``json``: one object per row); ``sparql-csv`` / ``sparql-tsv`` /
    ``sparql-json`` are the W3C SPARQL results formats (every projected variable, full IRIs).
    For a user's query, ``csv`` / ``tsv`` / ``json`` are the W3C formats. CSV and TSV cells a
    spreadsheet would run as formulas are neutralised unless ``raw``.
    """
    if not report and fmt in SPARQL_FORMATS:
        fmt = f"sparql-{fmt}"
    if fmt in render.REPORT_FILES:
        click.echo(render.report_file(ledger, result, fmt, raw=raw), nl=False)
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
        click.echo(render.table(headers, rows, max_width=80, width=terminal_width()), nl=False)
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
