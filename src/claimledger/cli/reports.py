"""``report`` and ``query``: packaged reports and users' own SPARQL, read-only."""

from __future__ import annotations

import click

from claimledger.cli import complete
from claimledger.cli.options import (case_option, format_option, ledger_option, open_ledger,
                                     reading)
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
@ledger_option
@format_option(*REPORT_FORMATS, default="table",
               help="table, markdown, csv, tsv or json (the table's columns, with slugs), or "
                    "the W3C SPARQL results formats sparql-csv, sparql-tsv, sparql-json.")
def report(name, list_, params, case, ledger_dir, wait, fmt):
    """Run a packaged report (a SPARQL query) on the ledger.

    \b
    Example:
      claimledger report --list
      claimledger report single-anecdote
      claimledger report impact --param source=nds-sources --format csv
      claimledger report unsourced --case kunduz-2021
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
        values[key] = value
    reports.load(name)  # an unknown report is refused before the ledger is opened
    with open_ledger(ledger_dir, wait=wait) as ledger:
        result = reports.run(ledger, name, values, case=case)
        emit_table(ledger, result, fmt, report=True)


@click.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@reading
@format_option(*TABLE_FORMATS, "turtle", "trig", "nquads", default=None,
               help="For SELECT and ASK: table, csv, tsv, json (W3C SPARQL results formats), "
                    "markdown [default: table]; for CONSTRUCT and DESCRIBE: turtle, trig, "
                    "nquads [default: turtle].")
def query(ledger, file, fmt):
    """Run your own SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query (FILE, or - for stdin).

    Updates are refused: writes go through the recording commands so the rules are enforced.
    The ledger's prefixes are predeclared.

    \b
    Example:
      echo 'SELECT ?c WHERE { ?c cl:status cl:status-contested }' | claimledger query -
    """
    from claimledger.query.user import run_user_query
    text = file.read()
    result = run_user_query(ledger, text)
    if isinstance(result, bool):
        if fmt == "json":
            emit_json({"head": {}, "boolean": result})
        else:
            click.echo("true" if result else "false")
        return
    if isinstance(result, list):  # CONSTRUCT / DESCRIBE triples: Turtle unless told otherwise
        from claimledger.query.user import serialize_triples
        click.echo(serialize_triples(result, fmt or "turtle", ledger.prefixes), nl=False)
        return
    emit_table(ledger, result, fmt or "table")
