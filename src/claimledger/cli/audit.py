"""``log`` and ``verify``: the audit trail read back, and checked."""

from __future__ import annotations

import sys

import click

from claimledger import render

from claimledger.cli.options import format_option, reading
from claimledger.cli.output import emit_json


@click.command()
@click.argument("slug", required=False)
@reading
@format_option("text", "json")
def log(ledger, slug, fmt):
    """Show the audit trail: every write, or those that touched a claim or source.

    \b
    Example:
      claimledger log kunduz-cooperation
    """
    from claimledger.query.history import log_entries
    entries = log_entries(ledger, slug)
    if fmt == "json":
        emit_json(entries)
        return
    for e in entries:
        why = f" — {e.reason}" if e.reason else ""
        click.echo(render.terminal(f"#{e.sequence} {e.time} {e.agent}: {e.command}{why}"))
        for line in e.details:
            click.echo(render.terminal(f"    {line}"))


@click.command()
@click.option("--expect", default=None, metavar="HASH",
              help="Also check that this hash (verify's head, recorded elsewhere earlier: all "
                   "64 hex digits) is an event of the chain: nothing up to it was rewritten.")
@reading
@format_option("text", "json")
def verify(ledger, expect, fmt):
    """Check the audit trail: hash chain intact, and the ledger equals its replay.

    Exit 0 when all is well; 1, naming what differs, when anything was edited outside
    claimledger.

    \b
    Example:
      claimledger verify
    """
    from claimledger.audit import verify as do_verify
    report = do_verify(ledger.store, ledger.base, expect=expect)
    problems = report.problems
    if fmt == "json":
        emit_json({"ok": not problems, "events": report.events,
                   "head": report.head_hash, "expected_event": report.expected_event,
                   "problems": problems})
    elif not problems:
        click.echo(f"ok: {report.events} events, chain intact, ledger matches its audit trail\n"
                   f"head: {report.head_hash}")
        if report.expected_event is not None:
            click.echo(f"expected: {expect.lower()} is event {report.expected_event} of the "
                       "chain; nothing up to it was rewritten")
    else:
        click.echo(f"FAILED: {len(problems)} problem(s) in {report.events} events", err=True)
        for p in problems:
            click.echo(render.terminal(f"  {p}"), err=True)
    if problems:
        sys.exit(1)
