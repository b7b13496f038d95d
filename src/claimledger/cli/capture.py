"""``source fetch``, ``source recheck``, ``source captures``: snapshots of sources.

These commands download before they open the ledger for writing (a slow server never holds
its lock), so they open the ledger themselves rather than through :func:`.options.writing`.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable

import click

from claimledger import render, settings
from claimledger.cli.options import _wait_note, agent_option, format_option, ledger_option, \
    reading, reason_option
from claimledger.cli.output import emit_json
from claimledger.errors import InputError


def fetch_options(f: Callable) -> Callable:
    """The options that set what a fetch may do; the command gets ``policy``, a function that
    makes the sources policy from them (and raises InputError for a bad value)."""
    f = click.option("--timeout", "timeout", type=float, default=None, metavar="SECONDS",
                     help="Longest a whole fetch may take [default: 60; env: "
                          "CLAIMLEDGER_FETCH_TIMEOUT].")(f)
    f = click.option("--max-size", "max_size", default=None, metavar="SIZE",
                     help="Largest page kept, after decompression: 20MB, 500kB, bytes "
                          "[default: 20MB; env: CLAIMLEDGER_FETCH_MAX_SIZE].")(f)
    f = click.option("--allow-host", "allow_host", multiple=True, metavar="HOST[:PORT]",
                     help="Allow this one internal host (and port) although its address is "
                          "not public (repeatable; env: CLAIMLEDGER_ALLOW_HOSTS).")(f)
    f = click.option("--allow-private", is_flag=True,
                     help="Allow any address, private and loopback ones included (an "
                          "intranet).")(f)

    @functools.wraps(f)
    def wrapper(allow_private, allow_host, max_size, timeout, **kwargs):
        policy = functools.partial(source_policy, allow_private, allow_host, max_size, timeout)
        return f(policy=policy, **kwargs)
    return wrapper


def source_policy(allow_private: bool, allow_host, max_size: str | None, timeout: float | None):
    """The sources policy from the options and the environment."""
    from claimledger.net.http import Policy

    return Policy.for_sources(
        allow_private=allow_private, allow_hosts=settings.allow_hosts(allow_host),
        max_body=settings.fetch_max_size(max_size),
        deadline=settings.fetch_seconds(timeout, "CLAIMLEDGER_FETCH_TIMEOUT", 60.0,
                                        argument="--timeout"),
        read_timeout=settings.fetch_seconds(None, "CLAIMLEDGER_FETCH_READ_TIMEOUT", 20.0,
                                            argument="CLAIMLEDGER_FETCH_READ_TIMEOUT"))


class ByteProgress:
    """Bytes downloaded, on stderr, only on a terminal and only once a download takes a
    second."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int | None) -> None:
        if not sys.stderr.isatty() or (not self.shown and time.monotonic() - self.start < 1.0):
            return
        self.shown = True
        of = f" of {total / 1e6:.1f} MB" if total else ""
        sys.stderr.write(f"\r{self.label}: {done / 1e6:.1f} MB{of}")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


def emit_capture(result, fmt: str) -> None:
    if fmt == "json":
        emit_json(result)
        return
    text, notes = render.capture_text(result)
    click.echo(text, nl=False)
    for line in notes:
        click.echo(line, err=True)


@click.command("fetch")
@click.argument("slug")
@click.argument("url", required=False)
@fetch_options
@ledger_option
@agent_option
@reason_option()
@format_option("text", "json")
def source_fetch(ledger_dir, wait, agent, slug, url, policy, reason, fmt):
    """Download SLUG's page (URL, else the source's own) and keep a snapshot.

    Records, as one write: the final URL after redirects, HTTP status, content type, time,
    the SHA-256 of the page, its title and publication date when it declares them. The page
    is kept as a WARC file in the ledger directory (identical pages once) with its extracted
    text, which evidence quotes are then found in. Only public addresses are fetched unless
    --allow-host or --allow-private say otherwise.

    \b
    Example:
      claimledger source fetch wsj-2021 https://www.wsj.com/articles/example
    """
    from claimledger.records.fetching import fetch_source

    progress = ByteProgress(f"fetching {slug}")
    try:
        result = fetch_source(ledger_dir, slug, url, agent=settings.require_agent(agent),
                              policy=policy(), on_progress=progress, wait=wait,
                              on_wait=_wait_note, reason=reason)
    finally:
        progress.finish()
    emit_capture(result, fmt)


@click.command("recheck")
@click.argument("slug", required=False)
@click.option("--all", "every", is_flag=True, help="Every source fetched before.")
@fetch_options
@ledger_option
@agent_option
@reason_option()
@format_option("text", "json")
def source_recheck(ledger_dir, wait, agent, slug, every, policy, reason, fmt):
    """Fetch SLUG (or --all sources fetched before) again and compare.

    Unchanged: the check time is recorded. Changed: the new snapshot is kept beside the old
    one and every quote is looked up in it exactly — found, the evidence points at the new
    snapshot too; not found, it is marked orphaned (the old snapshot still shows what was
    said; a near match is only shown as a hint). Gone (404, 410, a host that no longer
    resolves): recorded, the snapshots kept. Each source is its own write; exit 2 if any
    could not be checked.

    \b
    Example:
      claimledger source recheck --all
    """
    from claimledger.records.fetching import recheck_sources

    if every == (slug is not None):
        raise InputError("name one source or give --all", argument="SLUG")
    failed = []

    def show(result) -> None:
        if result.error:
            failed.append(result)
            click.echo(f"{result.source}: not checked: {result.error}", err=True)
        elif fmt == "text":
            emit_capture(result, fmt)

    results = recheck_sources(ledger_dir, [slug] if slug else None,
                              agent=settings.require_agent(agent), policy=policy(), wait=wait,
                              on_wait=_wait_note, reason=reason, on_result=show)
    if fmt == "json":
        emit_json(results)
    elif not results:
        click.echo("no source has been fetched yet (claimledger source fetch SLUG URL)")
    if failed:
        sys.exit(2)


@click.command("captures")
@click.argument("slug", required=False)
@reading
@format_option("text", "json")
def source_captures(ledger, slug, fmt):
    """List the captures of SLUG (or of every source): when, outcome, status, hash, title.

    \b
    Example:
      claimledger source captures wsj-2021
    """
    records = ledger.snapshots.captures(slug)
    if fmt == "json":
        emit_json(records)
        return
    rows = [[c.source, c.capture, c.at, c.outcome, c.status or "", (c.sha256 or "")[:12],
             c.title or c.failure or "", c.url or c.requested_url] for c in records]
    click.echo(render.table(["source", "capture", "retrieved", "outcome", "status", "sha256",
                             "title", "url"], rows), nl=False)
