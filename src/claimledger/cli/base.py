"""The click group that turns claimledger's errors into messages and exit codes, in one place.

Errors the library raises on purpose (:class:`ClaimLedgerError`) become a one-line message on
stderr and their exit code: 2 for bad input or an unusable ledger, 1 for a broken sourcing
rule or a failed ``verify``. An unexpected error exits with 3 and asks for a bug report;
``CLAIMLEDGER_DEBUG=1`` shows its traceback. With ``--format json`` every error, usage errors
included, is one JSON object on stderr: ``{"error": …, "type": …, "exit_code": …,
"argument": …}`` (and ``"violations"`` for a broken sourcing rule).
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
            if _wants_json(ctx):
                _json_error(exc.message, exc.exit_code, type(exc).__name__,
                            getattr(exc, "argument", None), _violations(exc))
            else:
                click.echo(render.terminal(f"Error: {exc.message}", keep="\n"), err=True)
            ctx.exit(exc.exit_code)
        except click.ClickException as exc:
            if not _wants_json(ctx):
                raise
            _json_error(exc.format_message(), exc.exit_code, "UsageError",
                        getattr(getattr(exc, "param", None), "opts", [None])[0], None)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort):
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
            message = (f"internal error: {type(exc).__name__}: {exc}\n"
                       "nothing was written. Please report this; set CLAIMLEDGER_DEBUG=1 to see "
                       "the traceback.")
            if _wants_json(ctx):
                _json_error(message, INTERNAL_ERROR, "InternalError", None, None)
            else:
                click.echo(message, err=True)
            ctx.exit(INTERNAL_ERROR)


#: Where the chosen ``--format`` is kept for the error handler (``ctx.meta`` is shared by
#: every context of one invocation).
FORMAT_KEY = "claimledger.format"


def remember_format(ctx: click.Context, param, value):
    """An option callback: note the ``--format`` chosen, so that errors follow it."""
    ctx.meta[FORMAT_KEY] = value
    return value


def _wants_json(ctx: click.Context) -> bool:
    return str(ctx.meta.get(FORMAT_KEY, "")).endswith("json")


def _violations(exc: ClaimLedgerError) -> list[dict] | None:
    report = getattr(exc, "report", None)
    if report is None:
        return None
    return [{"focus": r.focus, "rule": r.rule, "severity": r.severity, "message": r.message}
            for r in report.violations]


def _json_error(message: str, code: int, kind: str, argument: str | None,
                violations: list[dict] | None) -> None:
    """With ``--format json``, an error is one JSON object on stderr (and the exit code)."""
    import json

    data: dict = {"error": message, "type": kind, "exit_code": code}
    if argument:
        data["argument"] = argument
    if violations is not None:
        data["violations"] = violations
    click.echo(json.dumps(data, ensure_ascii=False), err=True)
