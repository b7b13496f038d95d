"""The ``source fetch`` and ``source recheck`` workflow: download first, without holding the
ledger, then open it for writing and record (:meth:`claimledger.records.snapshots.Snapshots.record`).

A slow or dripping server thus never keeps the ledger's lock from other analysts; the files
are written, and the write made, while the lock is held.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from claimledger.errors import ConflictError, InputError
from claimledger.model import terms
from claimledger.records.snapshots import CaptureResult

if TYPE_CHECKING:
    from claimledger.capture.fetch import Capture, Gone
    from claimledger.net.http import Policy


def download(url: str, policy: Policy, *, gone_ok: bool = False,
             on_progress: Callable[[int, int | None], None] | None = None) -> Capture | Gone:
    """:func:`claimledger.capture.fetch.fetch`, with a gone page returned as :class:`Gone`
    when ``gone_ok``."""
    from claimledger.capture.fetch import Gone, fetch, moment
    from claimledger.net.errors import RequestFailed

    try:
        return fetch(url, policy, on_progress=on_progress)
    except RequestFailed as exc:
        if gone_ok and exc.gone:
            return Gone(url, moment(), exc)
        raise


def fetch_source(path: str | os.PathLike[str] | None, slug: str, url: str | None = None, *,
                 agent: str, policy: Policy, add: dict | None = None,
                 on_progress: Callable[[int, int | None], None] | None = None,
                 wait: float | None = None, on_wait=None, reason: str | None = None
                 ) -> CaptureResult:
    """``source fetch`` (and ``source add --fetch`` with ``add``, the options of
    :meth:`Sources.add`): download without holding the ledger, then record.

    :raises InputError, NotFoundError, RequestFailed: nothing is recorded.
    """
    from claimledger.capture.fetch import fetch
    from claimledger.ledger import Ledger
    from claimledger.net.http import check_url

    with Ledger.open(path, timeout=wait, on_wait=on_wait) as led:
        if add is None:
            target = led.snapshots.target(slug, url)
        else:  # refuse what source add would refuse before downloading anything
            node = led.iri("source", slug)
            if any(True for _ in led.store.triples(node, None, None)):
                raise ConflictError(f"source {slug!r} already exists", argument="SLUG")
            target = check_url(url or "", argument="--url")
            terms.check_iri(target, argument="--url")
    got = fetch(target, policy, on_progress=on_progress)
    with Ledger.open(path, write=True, agent=agent, timeout=wait, on_wait=on_wait) as led:
        if add is not None:
            title = add.pop("title", None) or got.facts.title
            if not title:
                raise InputError("the page declares no title: give --title", argument="--title")
            led.sources.add(slug, title=title, url=url, reason=reason, **add)
        return led.snapshots.record(slug, got, url=url, reason=reason)


def recheck_sources(path: str | os.PathLike[str] | None, slugs: Sequence[str] | None, *,
                    agent: str, policy: Policy, wait: float | None = None, on_wait=None,
                    reason: str | None = None,
                    on_result: Callable[[CaptureResult], None] | None = None
                    ) -> list[CaptureResult]:
    """``source recheck``: each source (``None``: every source fetched before) downloaded
    without holding the ledger, then recorded as its own write. A source that fails in a way
    other than gone is reported in its result's ``error`` and nothing is recorded for it.
    """
    from claimledger.ledger import Ledger
    from claimledger.net.errors import RequestFailed

    with Ledger.open(path, timeout=wait, on_wait=on_wait) as led:
        names = list(slugs) if slugs else led.snapshots.captured_sources()
        targets = [(s, led.snapshots.target(s, recheck=True)) for s in names]
    results = []
    for slug, target in targets:
        try:
            got = download(target, policy, gone_ok=True)
            with Ledger.open(path, write=True, agent=agent, timeout=wait, on_wait=on_wait) as led:
                result = led.snapshots.record(slug, got, command="source recheck", reason=reason)
        except RequestFailed as exc:
            result = CaptureResult(slug, target, error=exc.message)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
