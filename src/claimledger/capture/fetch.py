"""Fetching one page: download it under the sources policy, hash it, extract its text.

Nothing here knows the ledger: :func:`fetch` returns a :class:`Capture` (or raises), and
:mod:`claimledger.records.snapshots` stores and records it. The download runs without the
ledger's lock, so a slow server never keeps other analysts waiting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import Literal

from claimledger.capture.extract import ExtractedText, PageFacts, extract
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.net.errors import RequestFailed, display_url
from claimledger.net.http import Client, Policy, Response, check_status, check_url

ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.8"


@dataclass
class Capture:
    """A page as fetched, not yet recorded.

    :param requested_url: the URL asked for.
    :param response: the final response (after redirects).
    :param retrieved_at: when it was complete, an ``xsd:dateTime`` lexical form (UTC, ms).
    :param sha256: hex SHA-256 of the (decoded) body.
    :param text: its extracted text, None for a media type without text.
    :param facts: the title and publication date the page declares.
    """

    requested_url: str
    response: Response
    retrieved_at: str
    sha256: str
    text: ExtractedText | None
    facts: PageFacts


@dataclass
class Gone:
    """A fetch that found the page gone (HTTP 404 or 410, or a host name that no longer
    resolves): recorded by ``source recheck``, the snapshots kept."""

    requested_url: str
    retrieved_at: str
    error: RequestFailed


def fetch(url: str, policy: Policy, *, client: Client | None = None,
          on_progress: Callable[[int, int | None], None] | None = None) -> Capture:
    """Download ``url`` and prepare its snapshot.

    :raises InputError: for a URL that is not http(s).
    :raises RequestFailed: for any failure, a status that is not success included
        (``error.gone`` tells a page that no longer exists).
    """
    check_url(url)
    own = client is None
    client = client or Client(policy)
    try:
        response = client.get(url, accept=ACCEPT, on_progress=on_progress)
    finally:
        if own:
            client.close()
    check_status(response, what="the source's server")
    if response.status in (204, 205) or not response.body:
        raise RequestFailed(f"{display_url(response.url)} answered with no content "
                            f"(HTTP {response.status}); nothing to keep", kind="content",
                            url=display_url(response.url), status=response.status)
    text, facts = extract(response.body, response.content_type, response.charset)
    return Capture(url, response, moment(response), hashlib.sha256(response.body).hexdigest(),
                   text, facts)


def moment(response: Response | None = None) -> str:
    """The time a response was complete (now, without one), as the ledger writes times."""
    if response is None:
        return terms.now_literal().value
    stamp = response.finished.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return terms.canonical(Literal(stamp, datatype=V.XSD_DATETIME)).value
