"""``backup`` and ``restore``: a whole ledger copied, audit trail and all, verified on the other
side (the same head hash). Merging another ledger's claims into this one is ``import``."""

from __future__ import annotations

import click

from claimledger.cli.options import format_option, ledger_option, reading
from claimledger.cli.output import emit_json


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@reading
@format_option("text", "json")
def backup(ledger, file, fmt):
    """Write the whole ledger to FILE: state, audit trail, prefixes, base, policies, scales.

    FILE is N-Quads with a header and a trailer (head hash, quad count, SHA-256);
    restore it with `claimledger restore FILE --ledger DIR` or `claimledger init --from FILE`.

    \b
    Example:
      claimledger backup desk-2026-11-30.nq
    """
    from claimledger.interchange.backup import backup as do_backup
    report = do_backup(ledger, file)
    _emit(report, fmt, f"backed up {report.events} events, {report.quads} quads to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@ledger_option
@format_option("text", "json")
def restore(file, ledger_dir, wait, fmt):
    """Restore the backup FILE as a new ledger (in --ledger DIR), and verify it.

    The restored ledger must replay its audit trail to the same head hash as the one backed
    up; otherwise nothing is left behind (exit 1). DIR must be new or empty.

    \b
    Example:
      claimledger restore desk-2026-11-30.nq --ledger desk-copy
    """
    from claimledger.interchange.backup import restore as do_restore
    report = do_restore(file, ledger_dir, timeout=wait)
    _emit(report, fmt, f"restored {report.events} events, {report.quads} quads "
                       f"(base {report.base})")


def _emit(report, fmt: str, message: str) -> None:
    if fmt == "json":
        emit_json({"message": message, "base": report.base, "events": report.events,
                   "quads": report.quads, "head": report.head})
    else:
        click.echo(f"{message}\nhead: {report.head}")
