"""``init`` and ``prefix``: creating a ledger and declaring the prefixes its users type."""

from __future__ import annotations

import click

from claimledger import render, settings
from claimledger.cli.options import agent_option, format_option, ledger_option, reading, writing
from claimledger.cli.output import emit_json, emit_write
from claimledger.errors import InputError


@click.command()
@click.option("--base", default=None, metavar="IRI",
              help="Base IRI under which the ledger mints its IRIs (ends in / or #) "
                   "[default: https://example.org/ledger/].")
@click.option("--endpoint", default=None, metavar="URL",
              help="Keep the ledger on this SPARQL 1.1 query endpoint instead of in the "
                   "directory [env: CLAIMLEDGER_ENDPOINT].")
@click.option("--update-endpoint", default=None, metavar="URL",
              help="The server's SPARQL 1.1 Update endpoint [default: --endpoint; env: "
                   "CLAIMLEDGER_UPDATE_ENDPOINT].")
@click.option("--store-endpoint", default=None, metavar="URL",
              help="The server's Graph Store Protocol endpoint, if any [env: "
                   "CLAIMLEDGER_STORE_ENDPOINT].")
@click.option("--graph", default=None, metavar="IRI",
              help="On a server: the IRI the ledger's graphs are named under — its base "
                   "[default: --base; env: CLAIMLEDGER_GRAPH].")
@click.option("--from", "from_file", default=None, metavar="FILE",
              type=click.Path(dir_okay=False),
              help="Create it as a verified copy of a backup (claimledger backup), history "
                   "and all, instead of empty.")
@ledger_option
@agent_option
@format_option("text", "json")
def init(base, endpoint, update_endpoint, store_endpoint, graph, from_file, ledger_dir, wait,
         agent, fmt):
    """Create a new, empty ledger — in a directory, or on a SPARQL server — or, with --from,
    restore a backup.

    With --endpoint the directory holds only the ledger's configuration; if the server already
    holds a ledger under that graph IRI, the directory is connected to it (another member of
    the desk joining) and nothing is written.

    \b
    Example:
      claimledger init --ledger desk --base https://example.org/desk/ --agent jdoe
      claimledger init --ledger desk --endpoint http://127.0.0.1:7878/query \\
          --update-endpoint http://127.0.0.1:7878/update --graph https://example.org/desk/
      claimledger init --ledger desk-copy --from desk.nq
    """
    import os

    from claimledger.store.config import RemoteConfig

    path = settings.ledger_path(ledger_dir)
    if from_file is not None:
        if base is not None:
            raise InputError("a restored ledger keeps the base of its backup: give --base "
                             "or --from, not both", argument="--base")
        from claimledger.interchange.backup import restore
        report = restore(from_file, path, timeout=wait)
        if fmt == "json":
            emit_json({"ledger": str(path), "base": report.base, "events": report.events,
                       "quads": report.quads, "head": report.head})
        else:
            click.echo(f"created ledger {path} from {from_file} (base {report.base}, "
                       f"{report.events} events)\nhead: {report.head}")
        return
    endpoint = endpoint or os.environ.get("CLAIMLEDGER_ENDPOINT")
    remote = None
    if endpoint:
        remote = RemoteConfig(
            endpoint=endpoint,
            update_endpoint=update_endpoint or os.environ.get("CLAIMLEDGER_UPDATE_ENDPOINT"),
            store_endpoint=store_endpoint or os.environ.get("CLAIMLEDGER_STORE_ENDPOINT"),
            graph=graph or os.environ.get("CLAIMLEDGER_GRAPH"))
    elif update_endpoint or store_endpoint or graph:
        raise InputError("--update-endpoint, --store-endpoint and --graph go with --endpoint",
                         argument="--endpoint")
    from claimledger.ledger import Ledger

    with Ledger.create(path, base=base, agent=settings.require_agent(agent), timeout=wait,
                       remote=remote) as ledger:
        joined = getattr(ledger, "joined", False)
        if fmt == "json":
            emit_json({"ledger": str(path), "base": ledger.base, "endpoint": endpoint,
                       "joined": joined})
        elif joined:
            click.echo(f"connected {path} to the ledger {ledger.base} on {endpoint}")
        elif endpoint:
            click.echo(f"created ledger {ledger.base} on {endpoint} (configuration in {path})")
        else:
            click.echo(f"created ledger {path} (base {ledger.base})")


@click.group()
def prefix():
    """Declare the prefixes you type in CURIEs (ex:Taliban)."""


@prefix.command("add")
@click.argument("name")
@click.argument("iri")
@writing
@format_option("text", "json")
def prefix_add(ledger, name, iri, reason, fmt):
    """Declare NAME: as a prefix for IRI.

    \b
    Example:
      claimledger prefix add ex https://example.org/entity/
    """
    result = ledger.add_prefix(name, iri, reason=reason)
    emit_write(ledger, result, fmt, f"declared prefix {name}: <{iri}>")


@prefix.command("list")
@reading
@format_option("text", "json")
def prefix_list(ledger, fmt):
    """List the prefixes the ledger knows.

    \b
    Example:
      claimledger prefix list
    """
    items = sorted(ledger.prefixes.items())
    if fmt == "json":
        emit_json(dict(items))
    else:
        click.echo(render.table(["prefix", "namespace"], items), nl=False)
