"""The click group that turns claimledger's errors into messages and exit codes, in one place.

Errors the library raises on purpose (:class:`ClaimLedgerError`) become a one-line message on
stderr and their exit code: 2 for bad input or an unusable ledger, 1 for a broken sourcing
rule or a failed ``verify``. An unexpected error exits with 3 and asks for a bug report;
``CLAIMLEDGER_DEBUG=1`` shows its traceback.
"""

from __future__ import annotations

import logging
import os
import sys

import click

from claimledger import render
from claimledger.errors import ClaimLedgerError

INTERNAL_ERROR = 3


class LedgerGroup(click.Group):
    """A click group that maps claimledger's errors to messages and exit codes."""

    def invoke(self, ctx: click.Context):
        if not os.environ.get("CLAIMLEDGER_DEBUG"):
            # rdflib logs a warning with a traceback for every ill-typed literal it reads (one
            # imported from a file, say): a diagnostic for developers, not output for users.
            logging.getLogger("rdflib.term").setLevel(logging.ERROR)
        try:
            return super().invoke(ctx)
        except ClaimLedgerError as exc:
            click.echo(render.terminal(f"Error: {exc.message}", keep="\n"), err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was written by the interrupted command", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # The reader of our output went away (`claimledger claim list | head`): not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # a bug: say so plainly, without a traceback by default
            if os.environ.get("CLAIMLEDGER_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                       "nothing was written. Please report this; set CLAIMLEDGER_DEBUG=1 to see "
                       "the traceback.", err=True)
            ctx.exit(INTERNAL_ERROR)
