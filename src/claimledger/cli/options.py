"""Options every command shares, and opening the ledger for a command."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from claimledger import settings
from claimledger.cli.base import remember_format

if TYPE_CHECKING:
    from claimledger.ledger import Ledger


def _check_wait(ctx: click.Context, param, value: float | None) -> float | None:
    """``--wait`` is a number of seconds, 0 or more, even for a command that never waits."""
    return None if value is None else settings.lock_timeout(value)


def ledger_option(f: Callable) -> Callable:
    f = click.option("--wait", "wait", type=float, default=None, metavar="SECONDS",
                     callback=_check_wait,
                     help="How long to wait for another process using the ledger "
                          "[default: 30; env: CLAIMLEDGER_LOCK_TIMEOUT].")(f)
    return click.option("--ledger", "ledger_dir", type=click.Path(file_okay=False), default=None,
                        help="The ledger directory [default: ./ledger; env: CLAIMLEDGER_LEDGER].")(f)


def format_option(*choices: str, default: str = "text", help: str = "Output format.") -> Callable:
    """``--format``: remembered before the other options are read, so that even a usage error
    comes as JSON when ``--format json`` is asked for."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default,
                        show_default=True, is_eager=True, callback=remember_format, help=help)


def agent_option(f: Callable) -> Callable:
    return click.option("--agent", default=None,
                        help="Who is writing: a name, CURIE or IRI [env: CLAIMLEDGER_AGENT].")(f)


def reason_option(*, required: bool = False, help: str | None = None) -> Callable:
    return click.option("--reason", required=required,
                        help=help or "Why you are making this change (kept in the audit trail).")


def _wait_note(message: str) -> None:
    click.echo(message, err=True)


def open_ledger(ledger_dir: str | None, *, write: bool = False, agent: str | None = None,
                wait: float | None = None) -> Ledger:
    from claimledger.ledger import Ledger  # the library, loaded when a command runs

    return Ledger.open(ledger_dir, write=write, agent=agent, timeout=wait, on_wait=_wait_note)


def reading(f: Callable) -> Callable:
    """Open the ledger read-only for the command as ``ledger``."""
    @ledger_option
    @functools.wraps(f)
    def wrapper(ledger_dir, wait, **kwargs):
        with open_ledger(ledger_dir, wait=wait) as ledger:
            return f(ledger=ledger, **kwargs)
    return wrapper


def writing(f: Callable | None = None, *, reason_required: bool = False,
            reason_help: str | None = None) -> Callable:
    """Open the ledger for writing for the command as ``ledger``; adds --agent, --reason and
    --sign."""
    def decorate(f: Callable) -> Callable:
        @ledger_option
        @agent_option
        @reason_option(required=reason_required, help=reason_help)
        @click.option("--sign", "sign", is_flag=True,
                      help="Refuse to write unless the write is signed with your key "
                           "[writes are signed whenever your key is found].")
        @functools.wraps(f)
        def wrapper(ledger_dir, wait, agent, sign, **kwargs):
            agent = settings.require_agent(agent)

            def command():
                with open_ledger(ledger_dir, write=True, agent=agent, wait=wait) as ledger:
                    ledger.require_signature = sign
                    return f(ledger=ledger, **kwargs)
            # another writer of a shared ledger got there first: nothing was written, so the
            # whole command (which reads the ledger again) runs again
            from claimledger.core.ledger import retrying

            return retrying(command)
        return wrapper
    return decorate(f) if f is not None else decorate


def case_option(f: Callable) -> Callable:
    """``--case SLUG``: only what is tagged into that case."""
    from claimledger.cli import complete

    return click.option("--case", "case", default=None, metavar="CASE",
                        shell_complete=complete.cases,
                        help="Only what is tagged into this case.")(f)


def page_options(f: Callable) -> Callable:
    """``--limit N`` and ``--offset N``: one page of a long list."""
    f = click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
                     metavar="N", help="Skip the first N.")(f)
    return click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
                        help="Show at most N [default: all].")(f)
