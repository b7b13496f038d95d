"""``remote``: a ledger kept on a SPARQL server — what the server was found to do."""

from __future__ import annotations

import click

from claimledger import render
from claimledger.cli.options import format_option, ledger_option, reading
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
    from claimledger import audit

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


def _remote_options(f):
    f = click.option("--store-endpoint", default=None, metavar="URL",
                     help="Its Graph Store Protocol endpoint, if any.")(f)
    return click.option("--update-endpoint", default=None, metavar="URL",
                        help="The server's SPARQL 1.1 Update endpoint [default: ENDPOINT].")(f)


@click.command("push")
@click.argument("endpoint", metavar="ENDPOINT")
@_remote_options
@reading
@format_option("text", "json")
def push(ledger, endpoint, update_endpoint, store_endpoint, fmt):
    """Copy the whole ledger (state and audit trail) to the SPARQL server at ENDPOINT.

    It goes under the ledger's base IRI, which the server must not hold yet; the copy is
    verified there (the same head hash) or removed. Then `claimledger init --endpoint
    ENDPOINT --graph BASE` connects a directory to it.

    \b
    Example:
      claimledger push http://127.0.0.1:7878/query --update-endpoint http://127.0.0.1:7878/update
    """
    from claimledger.interchange.sharing import push as do_push
    from claimledger.store.config import RemoteConfig

    report = do_push(ledger, RemoteConfig(endpoint=endpoint, update_endpoint=update_endpoint,
                                          store_endpoint=store_endpoint))
    _copied(report, fmt, f"pushed {report.events} events, {report.quads} quads to {endpoint} "
                         f"(graph {report.base})")


@click.command("pull")
@click.argument("endpoint", metavar="ENDPOINT")
@click.option("--graph", required=True, metavar="IRI",
              help="The ledger on the server: the IRI its graphs are named under (its base).")
@_remote_options
@ledger_option
@format_option("text", "json")
def pull(endpoint, graph, update_endpoint, store_endpoint, ledger_dir, wait, fmt):
    """Copy a whole ledger from the SPARQL server at ENDPOINT into a new directory (--ledger),
    verified to the same head hash, history and all.

    \b
    Example:
      claimledger pull http://127.0.0.1:7878/query --graph https://example.org/desk/ \\
          --ledger desk-copy
    """
    from claimledger.interchange.sharing import pull as do_pull
    from claimledger.store.config import RemoteConfig

    report = do_pull(RemoteConfig(endpoint=endpoint, update_endpoint=update_endpoint,
                                  store_endpoint=store_endpoint, graph=graph),
                     ledger_dir, timeout=wait)
    _copied(report, fmt, f"pulled {report.events} events, {report.quads} quads "
                         f"(base {report.base})")


def _copied(report, fmt: str, message: str) -> None:
    if fmt == "json":
        emit_json({"message": message, "base": report.base, "events": report.events,
                   "quads": report.quads, "head": report.head})
    else:
        click.echo(f"{message}\nhead: {report.head}")
