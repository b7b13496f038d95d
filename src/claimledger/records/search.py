"""Finding claims: filters, text search and paging for ``claim list`` (and the web page).

A :class:`ClaimFilter` names what to keep; :func:`find_claims` turns it into one SPARQL query
built from fixed fragments — every value the user gave is bound as an RDF term, never pasted
into the text — ordered by claim, with ``LIMIT`` / ``OFFSET`` for the page. The text search
is case- and accent-insensitive (``fold``: ``Kunduz`` finds ``KUNDÛZ``), done on the claims'
statement texts as the store streams them, so a search of a large ledger stops as soon as its
page is full. Claims come by slug when every match is wanted or when few match
(:data:`SORTED_UP_TO`); a page of a longer list follows the store's order (each page sorted
by slug), which stays the same while nothing is written.

Filters (all optional, all must hold):

* ``text``: the statement contains the words, folded (case, accents, punctuation);
* ``source``: evidence of the claim was found in, or is attributed to, that source;
* ``origin``: the claim's counted support traces to that origin (``cl:supportOrigin``);
* ``recorded_from`` / ``recorded_to``: the day the claim was recorded (UTC), inclusive;
* ``published_from`` / ``published_to``: a source its evidence was found in was published in
  that range (a partial date — ``2017``, ``2017-03`` — counts when it overlaps the range);
* ``recorder``: the agent who recorded the claim;
* ``status``, ``confidence``, ``case``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from pyoxigraph import Literal, NamedNode

from claimledger.core.ledger import LedgerCore
from claimledger.errors import InputError
from claimledger.model import terms
from claimledger.model import vocab as V


def fold(text: str) -> str:
    """Text as searches and rating labels compare it: accents and case folded, punctuation and
    runs of spaces made one space (``"Mostly-TRUE"`` and ``"mostly true"`` are the same).

    >>> fold("  KUNDÛZ, Badakhshan! ")
    'kunduz badakhshan'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


@dataclass(frozen=True)
class ClaimFilter:
    """What ``claim list`` keeps (see the module doc); every field is optional."""

    text: str | None = None
    source: str | None = None
    origin: str | None = None
    recorded_from: str | None = None
    recorded_to: str | None = None
    published_from: str | None = None
    published_to: str | None = None
    recorder: str | None = None
    status: str | None = None
    confidence: str | None = None
    case: str | None = None

    @property
    def empty(self) -> bool:
        return all(v is None for v in vars(self).values())


@dataclass
class Page:
    """One page of results: the items, where it starts, and whether more follow."""

    items: list
    offset: int
    limit: int | None
    more: bool


_PREFIXES = """PREFIX cl: <https://w3id.org/claimledger#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
"""
# One fragment per filter; the variables they name are bound, never formatted in.
_FRAGMENTS = {
    "status": "?claim cl:status ?status .",
    "confidence": "?claim cl:confidence ?confidence .",
    "recorder": "?claim prov:wasAttributedTo ?recorder .",
    "case": "?claim cl:inCase ?case .",
    "origin": "?claim cl:supportOrigin ?origin .",
    "source": "{ ?se cl:claim ?claim ; cl:source ?source } UNION "
              "{ ?se cl:claim ?claim ; prov:hadPrimarySource ?source }",
    "recorded": "?claim prov:generatedAtTime ?at . BIND(SUBSTR(STR(?at), 1, 10) AS ?day) "
                "FILTER(?day >= ?recorded_from && ?day <= ?recorded_to)",
    "published": "?pe cl:claim ?claim ; cl:source ?ps . ?ps schema:datePublished ?pub . "
                 "BIND(STR(?pub) AS ?p) "
                 "BIND(IF(STRLEN(?p) = 4, CONCAT(?p, \"-01-01\"), IF(STRLEN(?p) = 7, "
                 "CONCAT(?p, \"-01\"), SUBSTR(?p, 1, 10))) AS ?plo) "
                 "BIND(IF(STRLEN(?p) = 4, CONCAT(?p, \"-12-31\"), IF(STRLEN(?p) = 7, "
                 "CONCAT(?p, \"-31\"), SUBSTR(?p, 1, 10))) AS ?phi) "
                 "FILTER(?phi >= ?published_from && ?plo <= ?published_to)",
}


#: A list of up to this many matching claims is sorted by slug; a longer one is paged in the
#: store's order (stable while nothing is written), so that a page costs the same at any
#: size: Oxigraph's ORDER BY over 100,000 claims takes seconds.
SORTED_UP_TO = 2000


def find_claims(ledger: LedgerCore, wanted: ClaimFilter, *, limit: int | None = None,
                offset: int = 0) -> tuple[list[NamedNode], bool]:
    """The claims ``wanted`` keeps: the page from ``offset``, at most ``limit`` of them, and
    whether more follow. By slug when all of them are wanted or when at most
    :data:`SORTED_UP_TO` match, else in the store's order.

    :raises InputError: for a bad status, confidence, date, limit or offset.
    :raises NotFoundError: for an unknown source, origin, agent or case.
    """
    if limit is not None and limit < 0:
        raise InputError(f"{limit} is not a number of claims (give 0 or more)", argument="--limit")
    if offset < 0:
        raise InputError(f"{offset} is not a number of claims to skip (give 0 or more)",
                         argument="--offset")
    bindings, parts = _bind(ledger, wanted)
    needle = fold(wanted.text) if wanted.text is not None else None
    if wanted.text is not None and not needle:
        raise InputError("give words to search for", argument="--text")
    projected = ["?claim", *(f"?{name}" for name in bindings)]
    body = list(parts)
    if needle is not None:
        projected.append("?text")
        body.append("?claim schema:text ?text .")
    if not set(bindings) & _ONLY_CLAIMS and needle is None:
        body.append("?claim a cl:Claim .")  # nothing else says it is a claim
    # A claim can match a source or a publication date through several pieces of evidence.
    distinct = "DISTINCT " if needle is None and set(bindings) & _REPEATING else ""
    sparql = (_PREFIXES + f"SELECT {distinct}{' '.join(projected)} WHERE {{\n  "
              + "\n  ".join(body) + "\n}")
    store = ledger.store
    small = limit is None or _at_most(store, sparql, bindings, SORTED_UP_TO)
    if small:  # every match, sorted by slug, then sliced
        rows = store.query(sparql, bindings)
        found = sorted({row["claim"] for row in rows if needle is None
                        or needle in fold(row["text"].value)}, key=lambda n: n.value)
        end = None if limit is None else offset + limit
        return found[offset:end], end is not None and len(found) > end
    if needle is None:
        sparql += f" LIMIT {int(limit) + 1}" + (f" OFFSET {int(offset)}" if offset else "")
        found = [row["claim"] for row in store.query(sparql, bindings)]
    else:
        found = list(_matching(store.query(sparql, bindings), needle, offset, limit))
    page = sorted(found[:limit], key=lambda n: n.value)
    return page, len(found) > limit


#: Filters whose pattern only claims match (derived facts, claim links, statement texts).
_ONLY_CLAIMS = frozenset({"status", "confidence", "origin", "source", "published_from"})
#: Filters a claim can match more than once.
_REPEATING = frozenset({"source", "published_from"})


def _at_most(store, sparql: str, bindings: dict, n: int) -> bool:
    """Whether the query has at most ``n`` rows (it stops reading after ``n + 1``)."""
    bounded = sparql + f" LIMIT {int(n) + 1}"
    return sum(1 for _ in store.query(bounded, bindings)) <= n


def _matching(rows, needle: str, offset: int, limit: int | None) -> Iterator[NamedNode]:
    skipped = 0
    taken = 0
    seen: set[NamedNode] = set()
    for row in rows:
        claim = row["claim"]
        if claim in seen:
            continue
        if needle in fold(row["text"].value):
            seen.add(claim)
            if skipped < offset:
                skipped += 1
                continue
            yield claim
            taken += 1
            if limit is not None and taken > limit:  # one more: there is a next page
                return


def _bind(ledger: LedgerCore, wanted: ClaimFilter) -> tuple[dict, list[str]]:
    bindings: dict[str, object] = {}
    parts: list[str] = []
    if wanted.status is not None:
        bindings["status"] = V.Status.parse(wanted.status, argument="--status")
        parts.append(_FRAGMENTS["status"])
    if wanted.confidence is not None:
        bindings["confidence"] = V.Confidence.parse(wanted.confidence, argument="--confidence")
        parts.append(_FRAGMENTS["confidence"])
    if wanted.recorder is not None:
        bindings["recorder"] = ledger.resolve("agent", wanted.recorder, argument="--recorded-by")
        parts.append(_FRAGMENTS["recorder"])
    if wanted.case is not None:
        bindings["case"] = ledger.resolve("case", wanted.case, argument="--case")
        parts.append(_FRAGMENTS["case"])
    if wanted.origin is not None:
        bindings["origin"] = ledger.resolve("source", wanted.origin, argument="--origin")
        parts.append(_FRAGMENTS["origin"])
    if wanted.source is not None:
        bindings["source"] = ledger.resolve("source", wanted.source, argument="--source")
        parts.append(_FRAGMENTS["source"])
    if wanted.recorded_from is not None or wanted.recorded_to is not None:
        bindings["recorded_from"] = Literal(day(wanted.recorded_from, "--recorded-from"))
        bindings["recorded_to"] = Literal(day(wanted.recorded_to, "--recorded-to", end=True))
        parts.append(_FRAGMENTS["recorded"])
    if wanted.published_from is not None or wanted.published_to is not None:
        bindings["published_from"] = Literal(day(wanted.published_from, "--published-from"))
        bindings["published_to"] = Literal(day(wanted.published_to, "--published-to", end=True))
        parts.append(_FRAGMENTS["published"])
    return bindings, parts


def day(value: str | None, argument: str, *, end: bool = False) -> str:
    """A date as typed (``2017``, ``2017-03``, ``2017-03-14``, an ISO date-time) as the first
    (or, with ``end``, the last) day it covers, ``YYYY-MM-DD``; no bound when None.

    :raises InputError: naming ``argument`` for anything else.
    """
    if value is None:
        return "9999-12-31" if end else "0000-01-01"
    text = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?)?)?",
                     text, re.ASCII)
    if not m:
        raise InputError(f"{terms._show(value)} is not a date (YYYY, YYYY-MM, YYYY-MM-DD)",
                         argument=argument)
    year, month, dom = int(m.group(1)), m.group(2), m.group(3)
    try:
        if dom is not None:
            return date(year, int(month), int(dom)).isoformat()
        if month is not None:
            first = date(year, int(month), 1)
            if not end:
                return first.isoformat()
            following = date(year + (first.month == 12), first.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1).isoformat()
    except ValueError:
        raise InputError(f"{terms._show(value)} is not a valid date", argument=argument) from None
    return f"{year:04d}-12-31" if end else f"{year:04d}-01-01"
