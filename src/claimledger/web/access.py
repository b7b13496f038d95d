"""Opening the ledger for one request, and letting it go at once.

The server holds no store between requests: each request opens the ledger — read-only for a
page, read-write for a write — does its work and closes it, so that the CLI keeps working on
the same embedded ledger while the server runs. Opening waits for the ledger's lock as the
CLI does (``--wait``, default 30 s); a ledger still busy then is a 503 page naming who holds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from claimledger.ledger import Ledger
from claimledger.web.config import WebConfig


@contextmanager
def reading(config: WebConfig) -> Iterator[Ledger]:
    """The ledger, open read-only for the block.

    :raises LedgerBusy: when a writer holds it past the wait.
    """
    with Ledger.open(config.ledger, write=False, timeout=config.wait) as ledger:
        yield ledger


@contextmanager
def writing(config: WebConfig, agent: str) -> Iterator[Ledger]:
    """The ledger, open for writing as ``agent`` for the block.

    :raises LedgerBusy: when another process holds it past the wait.
    """
    with Ledger.open(config.ledger, write=True, agent=agent, timeout=config.wait) as ledger:
        yield ledger
