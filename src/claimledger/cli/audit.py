"""``log`` and ``verify``: the audit trail read back, and checked."""

from __future__ import annotations

import sys

import click

from claimledger import render
from claimledger.cli.options import format_option, reading, writing
from claimledger.cli.output import emit_json, emit_write


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
@click.option("--key", "keys", multiple=True, type=click.Path(dir_okay=False), metavar="PUB",
              help="A public key file you trust; every signature must chain to a pinned key. "
                   "May be repeated.")
@click.option("--known-keys", type=click.Path(dir_okay=False), default=None,
              help="A file of public keys you trust [env: CLAIMLEDGER_KNOWN_KEYS].")
@reading
@format_option("text", "json")
def verify(ledger, expect, keys, known_keys, fmt):
    """Check the audit trail: hash chain intact, the ledger equals its replay, and every
    signature holds (who signed what is listed).

    Exit 0 when all is well; 1, naming what differs, when anything was edited outside
    claimledger, a signature is bad, a revoked key signed later, a key was swapped in, or an
    event is unsigned where signing is required.

    \b
    Example:
      claimledger verify
      claimledger verify --key jdoe.pub --expect 3f1c…
    """
    from claimledger.audit import verify as do_verify
    from claimledger.signing.trust import TrustAnchors

    report = do_verify(ledger.store, ledger.base, expect=expect,
                       trust=TrustAnchors.load(keys, known_keys))
    problems = report.problems
    signed = report.signatures
    if fmt == "json":
        emit_json({"ok": not problems, "events": report.events,
                   "head": report.head_hash, "expected_event": report.expected_event,
                   "problems": problems,
                   "signatures": [vars(e) for e in signed.events], "pinned_keys": signed.pinned})
    elif not problems:
        click.echo(f"ok: {report.events} events, chain intact, ledger matches its audit trail\n"
                   f"head: {report.head_hash}")
        if report.expected_event is not None:
            click.echo(f"expected: {expect.lower()} is event {report.expected_event} of the "
                       "chain; nothing up to it was rewritten")
        for line in signed.describe():
            click.echo(line)
    else:
        click.echo(f"FAILED: {len(problems)} problem(s) in {report.events} events", err=True)
        for p in problems:
            click.echo(render.terminal(f"  {p}"), err=True)
    if problems:
        sys.exit(1)


@click.command()
@writing
@format_option("text", "json")
def migrate(ledger, reason, fmt):
    """Bring a ledger written by an older claimledger to the current format (one event).

    Earlier events keep their format and still verify; later ones are hashed by the rules of
    the current format (claimledger's own canonical forms, the same on every store). A
    ledger made before claimledger kept the facts the reports read (the newest evidence of
    each claim, the tallies of status and confidence) gets them, counted once here and kept
    on every write from then on; until then those reports scan the whole ledger.

    \b
    Example:
      claimledger migrate --reason "claimledger 0.2"
    """
    result = ledger.migrate(reason=reason)
    emit_write(ledger, result, fmt, f"migrated the ledger to format {ledger.format_version}, "
                                    f"keeping materialised facts (version {ledger.materialised})")
