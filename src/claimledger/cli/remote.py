"""``remote``: a ledger kept on a SPARQL server — what the server was found to do."""

from __future__ import annotations

import click

from claimledger import audit, render
from claimledger.cli.options import format_option, reading
from claimledger.cli.output import emit_json
from claimledger.errors import InputError


@click.group()
def remote():
    """A ledger kept on a SPARQL 1.1 server (see: claimledger init --endpoint)."""


@remote.command("status")
@reading
@format_option("text", "json")
def remote_status(ledger, fmt):
    """Show where the ledger lives and what its server can do (measured at init).

    \b
    Example:
      claimledger remote status --ledger desk
    """
    config = getattr(ledger.store, "config", None)
    if config is None:
        raise InputError("this ledger is kept in its directory, not on a server "
                         "(see: claimledger init --endpoint)", argument="--ledger")
    head = audit.head(ledger.store, ledger.base)
    data = {"endpoint": config.endpoint, "update_endpoint": config.updates,
            "store_endpoint": config.store_endpoint, "graph": ledger.base,
            "state_graph": ledger.store.state.value, "events": head.sequence,
            "head": head.hash, "probe": config.probe}
    if fmt == "json":
        emit_json(data)
        return
    pairs = [(k.replace("_", " "), v) for k, v in data.items() if k != "probe"]
    pairs += [(f"server: {k.replace('_', ' ')}", v) for k, v in sorted(config.probe.items())]
    click.echo(render.fields(pairs), nl=False)
