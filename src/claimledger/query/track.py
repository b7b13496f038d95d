"""A source's track record: the ``source-record`` report's figures for one source, fast.

The report counts every source at once (15 s on 100,000 claims, measured); a source page
needs one row. :func:`track_record` runs ``queries/source-track.rq`` — the report's definition
written from the bound source outward — and returns the same figures as the report's row.
"""

from __future__ import annotations

from pyoxigraph import Literal

from claimledger import resources
from claimledger.core.ledger import LedgerCore
from claimledger.model import vocab as V
from claimledger.records.claim_pages import values_clause

#: The report's status columns, in its order.
COLUMNS = ("corroborated", "single_source", "contested", "unsourced", "refuted", "retracted")


def track_record(ledger: LedgerCore, slug: str) -> dict[str, int]:
    """``{"claims": n, "corroborated": n, …}`` for source ``slug``: the claims it supports
    and how many of them have each status now (all zero when it supports none).

    :raises NotFoundError: if there is no such source.
    """
    node = ledger.resolve("source", slug, argument="SOURCE")
    figures = dict.fromkeys(("claims",) + COLUMNS, 0)
    text = resources.query("source-track").replace(
        "WHERE {\n", "WHERE {\n" + values_clause({"source": node}), 1)
    for row in ledger.store.query(text):
        token = V.Status.find(row["status"])
        count = row["claims"]
        if token is not None and isinstance(count, Literal):
            figures[token.replace("-", "_")] += int(count.value)
            figures["claims"] += int(count.value)
    return figures
