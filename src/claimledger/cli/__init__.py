"""The ``claimledger`` command line: thin click wrappers over the library.

One module per command group, named here in :data:`COMMANDS` and loaded when its command is
asked for; shared options in
:mod:`.options`, printing in :mod:`.output`, errors mapped to exit codes in :mod:`.base`.
Each command parses its options, calls one library function and renders the result.
"""

from __future__ import annotations

import gc

import click

from claimledger import __version__
from claimledger.cli.base import LedgerGroup

#: Every command of the top level: its name, the module of :mod:`claimledger.cli` that holds
#: it and its name there. A command's module is imported when the command is asked for (one
#: write loads one command module, not all of them; ``--help`` and completion load them all).
COMMANDS = {
    "init": ("setup", "init"), "prefix": ("setup", "prefix"), "source": ("sources", "source"),
    "claim": ("claims", "claim"), "evidence": ("evidence", "evidence"),
    "import": ("interchange", "import_"), "export": ("interchange", "export"),
    "validate": ("validate", "validate"), "policy": ("policies", "policy"),
    "scale": ("scales", "scale"), "case": ("cases", "case"), "report": ("reports", "report"),
    "query": ("reports", "query"), "log": ("audit", "log"), "verify": ("audit", "verify"),
    "migrate": ("audit", "migrate"), "backup": ("backup", "backup"),
    "restore": ("backup", "restore"), "remote": ("remote", "remote"), "push": ("remote", "push"),
    "pull": ("remote", "pull"), "serve": ("web", "serve"), "user": ("web", "user"),
    "key": ("keys", "key"), "bundle": ("keys", "bundle"),
    "verify-bundle": ("keys", "verify_bundle"),
}

#: Commands another module adds to a group: ``source fetch``, ``source recheck`` and
#: ``source captures`` live with the other capture code.
EXTRA = {"source": ("capture", ("source_fetch", "source_recheck", "source_captures"))}


class CommandLine(LedgerGroup):
    """The top-level group: :data:`COMMANDS`, each loaded when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            from importlib import import_module

            module, attr = COMMANDS[name]
            command = getattr(import_module(f"{__name__}.{module}"), attr)
            if name in EXTRA:
                extra_module, names = EXTRA[name]
                extra = import_module(f"{__name__}.{extra_module}")
                for extra_name in names:
                    command.add_command(getattr(extra, extra_name))
            self.add_command(command, name)
        return super().get_command(ctx, name)


@click.group(cls=CommandLine, context_settings={"help_option_names": ["-h", "--help"],
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
