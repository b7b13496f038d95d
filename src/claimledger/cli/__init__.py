"""The ``claimledger`` command line: thin click wrappers over the library.

One module per command group, joined here with ``add_command``; shared options in
:mod:`.options`, printing in :mod:`.output`, errors mapped to exit codes in :mod:`.base`.
Each command parses its options, calls one library function and renders the result.
"""

from __future__ import annotations

import gc

import click

from claimledger import __version__
from claimledger.cli import (
    audit,
    backup,
    capture,
    cases,
    claims,
    evidence,
    interchange,
    keys,
    policies,
    remote,
    reports,
    scales,
    setup,
    sources,
    web,
)
from claimledger.cli import validate as validate_module
from claimledger.cli.base import LedgerGroup


@click.group(cls=LedgerGroup, context_settings={"help_option_names": ["-h", "--help"],
                                                 "max_content_width": 100})
@click.version_option(__version__, prog_name="claimledger")
def cli() -> None:
    """Record claims, their sources and evidence; derive corroboration; check sourcing rules.

    A ledger is a directory (./ledger unless --ledger or CLAIMLEDGER_LEDGER say otherwise).
    Every write names its agent (--agent or CLAIMLEDGER_AGENT) and is kept in a tamper-evident
    audit trail.

    \b
    Example:
      export CLAIMLEDGER_AGENT=jdoe
      claimledger init --base https://example.org/desk/
      claimledger source add wsj-2021 --title "Wall Street Journal report" --reliability B
      claimledger claim list
    """


for command in (setup.init, setup.prefix, sources.source, claims.claim, evidence.evidence,
                interchange.import_, interchange.export, validate_module.validate,
                policies.policy, scales.scale, cases.case, reports.report, reports.query,
                audit.log, audit.verify, audit.migrate, backup.backup, backup.restore,
                remote.remote, remote.push, remote.pull, web.serve, web.user, keys.key,
                keys.bundle, keys.verify_bundle):
    cli.add_command(command)
for command in (capture.source_fetch, capture.source_recheck, capture.source_captures):
    sources.source.add_command(command)


def main() -> None:
    """Entry point of the ``claimledger`` console script."""
    try:
        cli(prog_name="claimledger")
    except BrokenPipeError:  # the reader went away (`… | head`), even while completing
        import os
        import sys

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    finally:
        # The process ends here: the garbage collector need not walk every object of every
        # module on the way out (a tenth of a one-write process). Files are still closed
        # and flushed as the interpreter shuts down.
        gc.freeze()
