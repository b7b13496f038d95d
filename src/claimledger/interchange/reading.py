"""Helpers the interchange formats share: reading single values and the verdict in force, and
making slugs from outside names."""

from __future__ import annotations

import re
import unicodedata

from pyoxigraph import NamedNode

from claimledger.core.ledger import LedgerCore
from claimledger.model import vocab as V
from claimledger.rules import corroboration
from claimledger.store.base import Term


def one(ledger: LedgerCore, s: Term, p: NamedNode) -> Term | None:
    """A value of ``p`` on ``s`` (the first the store gives), or None."""
    return next((t.object for t in ledger.store.triples(s, p, None)), None)


def verdict_in_force(ledger: LedgerCore, claim: NamedNode) -> NamedNode | None:
    """The verdict in force on ``claim`` — the latest not withdrawn, as corroboration reads it
    (:func:`claimledger.rules.corroboration.verdict_in_force`) — or None."""
    found = []
    for t in ledger.store.triples(claim, V.VERDICT_LINK, None):
        verdict = t.object
        status = V.Status.find(one(ledger, verdict, V.VERDICT_VALUE))
        when = one(ledger, verdict, V.GENERATED_AT_TIME)
        if status is not None:
            found.append(corroboration.VerdictFacts(
                verdict, status, when.value if when is not None else "",
                withdrawn=one(ledger, verdict, V.RETRACTION_LINK) is not None))
    best = corroboration.verdict_in_force(found)
    return best.iri if best is not None else None  # type: ignore[return-value]


def slugify(text: str, *, limit: int = 60) -> str:
    """An ASCII slug from any text: ``"L'État a menti !"`` → ``l-etat-a-menti``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", " ", ascii_text).lower().split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or (words[0][:limit] if words else "item")
