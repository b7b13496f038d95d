"""``serve`` and ``user``: the web page over the ledger, and the desk's users who may log in."""

from __future__ import annotations

import sys

import click

from claimledger import settings
from claimledger.cli.options import format_option, open_ledger
from claimledger.cli.output import emit_json


@click.command()
@click.option("--bind", default="127.0.0.1:8080", show_default=True, metavar="HOST:PORT",
              help="Address to listen on ([::1]:PORT for IPv6; port 0: any free port, "
                   "printed at start).")
@click.option("--ledger", "ledger_dir", type=click.Path(file_okay=False), default=None,
              help="The ledger directory [default: ./ledger; env: CLAIMLEDGER_LEDGER].")
@click.option("--wait", type=float, default=None, metavar="SECONDS",
              help="How long a request waits for another process using the ledger "
                   "[default: 30; env: CLAIMLEDGER_LOCK_TIMEOUT].")
@click.option("--agent", default=None,
              help="Local mode: every write from the page is this agent's "
                   "[env: CLAIMLEDGER_AGENT]. Loopback addresses only.")
@click.option("--desk", is_flag=True,
              help="Desk mode: users log in with the token `claimledger user add` made.")
@click.option("--user-header", default=None, metavar="HEADER",
              help="Desk mode behind a reverse proxy: the header naming the logged-in user "
                   "(trusted only from --trusted-proxy).")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDRESS",
              help="Address of the reverse proxy allowed to send --user-header (repeatable) "
                   "[default: 127.0.0.1, ::1].")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Host name the page is reached by (repeatable) [default on loopback: "
                   "localhost, 127.0.0.1, ::1].")
@click.option("--query-timeout", type=float, default=10.0, show_default=True,
              metavar="SECONDS", help="Longest a /sparql query may run.")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Requests served at once.")
@format_option("text", "json")
def serve(bind, ledger_dir, wait, agent, desk, user_header, trusted_proxies, allowed_hosts,
          query_timeout, threads, fmt):
    """Serve the ledger as a web page: browse, record and report in a browser.

    The CLI keeps working on the same ledger meanwhile: the server opens it for each request
    only. Without --agent or --desk the page is read-only.

    \b
    Example:
      claimledger serve --agent jdoe                 # local mode, http://127.0.0.1:8080/
      claimledger user add alice && claimledger serve --desk --bind 0.0.0.0:8080
    """
    from claimledger.web.config import WebConfig, ledger_dir as absolute, parse_bind

    host, port = parse_bind(bind)
    agent = settings.agent(agent) if not desk else agent
    path = absolute(settings.ledger_path(ledger_dir))
    config = WebConfig(ledger=path, host=host, port=port, agent=agent, desk=desk,
                       user_header=user_header,
                       trusted_proxies=tuple(trusted_proxies) or ("127.0.0.1", "::1"),
                       wait=settings.lock_timeout(wait), query_timeout=query_timeout,
                       allowed_hosts=tuple(allowed_hosts)).check()
    with open_ledger(str(path), wait=wait) as ledger:  # a ledger there, and a usable agent
        if agent:
            ledger.agent_iri(agent)
    from claimledger.web.app import serve as run


    def announce(url: str) -> None:
        if fmt == "json":
            emit_json({"url": url, "ledger": str(path), "mode": config.mode, "agent": agent})
        else:
            click.echo(f"serving {path} on {url} in {config.mode} mode"
                       + (f" (writes as {agent})" if agent else "") + "; Ctrl-C stops", err=True)
        sys.stdout.flush()

    try:
        run(config, threads=threads, announce=announce)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@click.group()
def user():
    """The desk's users: who may log in to `claimledger serve --desk`."""


@user.command("add")
@click.argument("name")
@click.option("--ledger", "ledger_dir", type=click.Path(file_okay=False), default=None,
              help="The ledger directory [default: ./ledger; env: CLAIMLEDGER_LEDGER].")
@click.option("--role", type=click.Choice(["editor", "reader"]), default="editor",
              show_default=True, help="editor: reads and writes; reader: reads only.")
@click.option("--token-file", default=None, metavar="FILE",
              help="Where to write the login token (a new file, mode 0600) "
                   "[default: NAME.token here].")
@format_option("text", "json")
def user_add(name, ledger_dir, role, token_file, fmt):
    """Let NAME log in to the web page; writes the login token to a file only they can read.

    NAME is the agent every write they make is recorded under. The ledger keeps only a hash
    of the token: lose the file and add the user under a new name.

    \b
    Example:
      claimledger user add alice --role editor --token-file alice.token
    """
    from claimledger.web.users import add_user

    path = settings.ledger_path(ledger_dir)
    with open_ledger(str(path)):  # refuse before writing anything if there is no ledger
        pass
    target = token_file or f"{name}.token"
    added, _token = add_user(path, name, role=role, token_file=target)
    if fmt == "json":
        emit_json({"user": added.name, "role": added.role, "token_file": target})
    else:
        click.echo(f"added {added.role} {added.name}; login token in {target} "
                   "(give it to them; it is not stored)")


@user.command("list")
@click.option("--ledger", "ledger_dir", type=click.Path(file_okay=False), default=None,
              help="The ledger directory [default: ./ledger; env: CLAIMLEDGER_LEDGER].")
@format_option("text", "json")
def user_list(ledger_dir, fmt):
    """List the users who may log in, with their roles.

    \b
    Example:
      claimledger user list
    """
    from claimledger import render
    from claimledger.web.users import list_users

    found = list_users(settings.ledger_path(ledger_dir))
    if fmt == "json":
        emit_json(found)
        return
    click.echo(render.table(["user", "role"], [[u.name, u.role] for u in found]), nl=False)
