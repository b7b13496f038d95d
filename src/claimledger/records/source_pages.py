"""One page of the source list, streamed in the store's order.

``source list`` reads and sorts every source with its derivations (15 s for the 25,000 sources
of the 100,000-claim benchmark ledger, measured on a loaded machine); a page of 50 needs the
slugs of 50 sources, read as they stream from the store's index, and then each of those
through :meth:`claimledger.records.sources.Sources.get` — the same record ``source show``
prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claimledger.core.ledger import LedgerCore
from claimledger.errors import InputError
from claimledger.model import vocab as V
from claimledger.records.claim_pages import MAX_LIMIT
from claimledger.records.sources import SourceRecord, Sources


@dataclass
class SourcePage:
    rows: list[SourceRecord] = field(default_factory=list)
    offset: int = 0
    limit: int = 50
    more: bool = False


def source_page(ledger: LedgerCore, *, offset: int = 0, limit: int = 50) -> SourcePage:
    """The sources from ``offset``, at most ``limit``, in the store's order.

    :raises InputError: for an offset or a page size out of range.
    """
    if not isinstance(offset, int) or offset < 0:
        raise InputError(f"{offset!r} is not an offset (give 0 or more)", argument="--offset")
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"{limit!r} is not a page size (give 1 to {MAX_LIMIT})",
                         argument="--limit")
    rows = list(ledger.store.query(
        f"SELECT ?source WHERE {{ ?source a <{V.SOURCE.value}> }} "
        f"LIMIT {limit + 1} OFFSET {offset}"))
    sources = Sources(ledger)
    page = SourcePage(offset=offset, limit=limit, more=len(rows) > limit)
    page.rows = [sources.get(ledger.slug(r["source"])) for r in rows[:limit]]
    return page
