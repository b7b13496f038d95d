"""``report`` and ``query``: packaged reports and users' own SPARQL, read-only."""

from __future__ import annotations

import click

from claimledger.cli import complete
from claimledger.cli.options import (
    case_option,
    format_option,
    ledger_option,
    open_ledger,
    page_options,
)
from claimledger.cli.output import emit_json, emit_rows, emit_table
from claimledger.errors import InputError

TABLE_FORMATS = ("table", "csv", "tsv", "json", "markdown")
REPORT_FORMATS = (*TABLE_FORMATS, "sparql-csv", "sparql-tsv", "sparql-json")


@click.command()
@click.argument("name", required=False, shell_complete=complete.reports)
@click.option("--list", "list_", is_flag=True,
              help="List the reports and what they answer (needs no ledger).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A report parameter (repeatable).")
@case_option
@page_options
@ledger_option
@format_option(*REPORT_FORMATS, default="table",
               help="table, markdown, csv, tsv or json (the table's columns, with slugs), or "
                    "the W3C SPARQL results formats sparql-csv, sparql-tsv, sparql-json.")
@click.option("--raw", is_flag=True,
              help="csv/tsv: the plain W3C format, text cells not neutralised for spreadsheets.")
def report(name, list_, params, case, limit, offset, ledger_dir, wait, fmt, raw):
    """Run a packaged report (a SPARQL query) on the ledger.

    --limit and --offset give one page of the report's rows, in its order; stderr says when
    more follow.

    \b
    Example:
      claimledger report --list
      claimledger report single-anecdote
      claimledger report impact --param source=nds-sources --format csv
      claimledger report unsourced --case kunduz-2021
      claimledger report single-anecdote --limit 100 --offset 100
    """
    from claimledger.query import reports
    if list_ or not name:
        specs = reports.available()
        if fmt == "json":
            emit_json([{"name": s.name, "description": s.description,
                        "params": [p.name for p in s.params]} for s in specs])
        else:
            rows = [[s.name, ", ".join(f"{p.name}=" for p in s.params), s.description]
                    for s in specs]
            emit_rows(["report", "params", "answers"], rows, max_width=100)
        return
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"{item!r} is not KEY=VALUE", argument="--param")
        if key in values:
            raise InputError(f"{key} is given twice (once is enough: which value did you mean?)",
                             argument="--param")
        values[key] = value
    reports.load(name)  # an unknown report is refused before the ledger is opened
    with open_ledger(ledger_dir, wait=wait) as ledger:
        result = reports.run(ledger, name, values, case=case, limit=limit, offset=offset)
        emit_table(ledger, result, fmt, report=True, raw=raw)
        if result.more:
            click.echo(f"(more: --offset {offset + len(result.rows)})", err=True)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@ledger_option
@format_option(*TABLE_FORMATS, "turtle", "trig", "nquads", default=None,
               help="For SELECT and ASK: table, csv, tsv, json (W3C SPARQL results formats), "
                    "markdown [default: table]; for CONSTRUCT and DESCRIBE: turtle, trig, "
                    "nquads [default: turtle].")
@click.option("--timeout", type=float, default=None, metavar="SECONDS",
              help="Stop the query after this long [default: 60].")
@click.option("--max-memory", "max_memory", type=int, default=None, metavar="MIB",
              help="Stop the query if it needs more memory than this [default: 4096].")
@click.option("--raw", is_flag=True,
              help="csv/tsv: the plain W3C format, text cells not neutralised for spreadsheets.")
def query(file, ledger_dir, wait, fmt, timeout, max_memory, raw):
    """Run your own SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query (FILE, or - for stdin).

    Updates are refused: writes go through the recording commands so the rules are enforced.
    SERVICE is refused: a query never reaches the network. The ledger's prefixes are
    predeclared. The query runs in a process of its own and is stopped (exit 2) when it
    runs over its time or memory limit.

    \b
    Example:
      echo 'SELECT ?c WHERE { ?c cl:status cl:status-contested }' | claimledger query -
    """
    from claimledger.query.user import read_query
    from claimledger.query.worker import run_user_query
    source = click.open_file("-", "rb") if file == "-" else file
    text = read_query(source)
    outcome = run_user_query(ledger_dir, text, timeout=timeout, max_memory=max_memory,
                             wait=wait, on_wait=lambda m: click.echo(m, err=True))
    result = outcome.value
    if isinstance(result, bool):
        if fmt == "json":
            emit_json({"head": {}, "boolean": result})
        else:
            click.echo("true" if result else "false")
        return
    if isinstance(result, list):  # CONSTRUCT / DESCRIBE triples: Turtle unless told otherwise
        from claimledger.query.user import serialize_triples
        click.echo(serialize_triples(result, fmt or "turtle", outcome.names.prefixes), nl=False)
        return
    emit_table(outcome.names, result, fmt or "table", raw=raw)
