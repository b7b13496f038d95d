"""schema.org ClaimReview out of a ledger: the desk's verdicts as fact-checkers publish them
(``export --format claimreview``); importing is :mod:`.claimreview_import`.

One ``ClaimReview`` per claim with a verdict in force — with ``every``, per claim:
the others rated by their derived status, marked as such (``cl:derivedRating true`` and a
``ratingExplanation``). Each review has:

* ``claimReviewed`` (the statement), ``inLanguage`` (its language);
* ``itemReviewed``: a ``Claim`` — the claim's own IRI, with its triple (``rdf:subject``,
  ``rdf:predicate``, ``rdf:object``: a claim is an ``rdf:Statement``) — with ``appearance``
  (every source it appears in: found in its supporting evidence or named as its appearance by
  an imported fact-check; URL, title, publication date) and ``firstAppearance`` (the earliest
  published of them, or the one a fact-check named);
* ``author`` (who recorded the verdict; the ledger itself for a derived status),
  ``datePublished`` (when), ``url`` (the verdict's IRI — a ledger has no web page of its own);
* ``reviewRating``: the verdict's rating on its scale (``alternateName`` its label, ``name``
  its definition, ``ratingValue`` when the scale gives one, ``bestRating`` / ``worstRating``
  the scale's, 5 and 1 otherwise, ``cl:rating`` the rating's IRI); for a derived status (and a
  verdict recorded before scales) the row of ``claimledger-ratings.csv``
  (:func:`.ratings.published_rating`);
* beyond what others publish: ``cl:verdictValue`` and ``cl:reason`` (the verdict as recorded),
  ``cl:evidence`` (every piece of counted evidence, with its stance and source) and
  ``cl:origin`` (the origins that evidence traces to).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import IO, Any

from pyoxigraph import Literal, NamedNode

from claimledger import resources
from claimledger.core.ledger import LedgerCore
from claimledger.interchange.ratings import published_rating
from claimledger.interchange.reading import one, verdict_in_force
from claimledger.model import vocab as V

#: The context every exported document names (schema.org's, read from the bundled copy on
#: import) and claimledger's own terms.
CONTEXT: list[Any] = ["https://schema.org", {
    "cl": V.CL, "rdf": V.RDF, "xsd": V.XSD,
    "cl:derivedRating": {"@type": "xsd:boolean"},
}]
BEST, WORST = "5", "1"


def _term(term) -> Any:
    """An RDF term as a JSON-LD value."""
    if isinstance(term, Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype != V.XSD_STRING:
            return {"@value": term.value, "@type": term.datatype.value}
        return term.value
    return {"@id": term.value}


def appearances(ledger: LedgerCore, claim: NamedNode | None = None
                ) -> dict[NamedNode, list[dict[str, Any]]]:
    """Where each claim appears, as ClaimReview ``CreativeWork`` objects (``first`` marks the
    one a fact-check named as the first appearance)."""
    out: dict[NamedNode, dict[NamedNode, dict[str, Any]]] = {}
    bindings = {"claim": claim} if claim is not None else None
    for row in ledger.store.query(resources.query("review-appearances"), bindings):
        work = out.setdefault(row["claim"], {}).setdefault(row["source"], {
            "@type": "CreativeWork", "@id": row["source"].value})
        if row["url"] is not None:
            work["url"] = row["url"].value
        if row["title"] is not None:
            work["name"] = row["title"].value
        if row["published"] is not None:
            work["datePublished"] = row["published"].value
        if row["first"] is not None:
            work["first"] = True
    return {c: [works[s] for s in sorted(works, key=lambda n: n.value)] for c, works in out.items()}


def _first(works: list[dict[str, Any]]) -> dict[str, Any] | None:
    named = [w for w in works if w.get("first")]
    if named:
        return named[0]
    dated = [w for w in works if "datePublished" in w]
    return min(dated, key=lambda w: (w["datePublished"], w["@id"])) if dated else None


def review(ledger: LedgerCore, claim: NamedNode, works: list[dict[str, Any]], *,
           every: bool, now: str, scales=None) -> dict[str, Any] | None:
    """The ClaimReview of one claim, or None (no verdict, and not ``every``)."""
    verdict = verdict_in_force(ledger, claim)
    if verdict is None and not every:
        return None
    text = one(ledger, claim, V.TEXT)
    item: dict[str, Any] = {"@type": "Claim", "@id": claim.value}
    for key, p in (("rdf:subject", V.SUBJECT), ("rdf:predicate", V.PREDICATE),
                   ("rdf:object", V.OBJECT)):
        value = one(ledger, claim, p)
        if value is not None:
            item[key] = _term(value)
    shown = [{k: v for k, v in w.items() if k != "first"} for w in works]
    if shown:
        item["appearance"] = shown
        first = _first(works)
        if first is not None:
            item["firstAppearance"] = {k: v for k, v in first.items() if k != "first"}
    out: dict[str, Any] = {"@type": "ClaimReview", "@id": "", "url": "",
                           "claimReviewed": getattr(text, "value", "")}
    if getattr(text, "language", None):
        out["inLanguage"] = text.language
    out["itemReviewed"] = item
    if verdict is not None:
        value = V.Status.find(one(ledger, verdict, V.VERDICT_VALUE))
        by = one(ledger, verdict, V.WAS_ATTRIBUTED_TO)
        at = one(ledger, verdict, V.GENERATED_AT_TIME)
        out.update({"@id": verdict.value, "url": verdict.value,
                    "author": {"@type": "Person", "@id": getattr(by, "value", ledger.base),
                               "name": ledger.slug(by) if by is not None else ledger.base},
                    "datePublished": getattr(at, "value", now),
                    "cl:verdictValue": {"@id": V.Status.iri(value).value},
                    "cl:reason": getattr(one(ledger, verdict, V.REASON), "value", "")})
    else:
        value = V.Status.find(one(ledger, claim, V.STATUS)) or "unsourced"
        out.update({"@id": claim.value + "#status", "url": claim.value,
                    "author": {"@type": "Organization", "@id": ledger.base,
                               "name": f"claimledger ledger {ledger.base}", "url": ledger.base},
                    "datePublished": now, "cl:derivedRating": True})
    out["reviewRating"] = _rating(ledger, verdict, value, scales)
    evidence, origins = [], set()
    for t in ledger.store.triples(None, V.CLAIM_LINK, claim):
        ev = t.subject
        if one(ledger, ev, V.COUNTS) != Literal(True):
            continue
        evidence.append({"@id": ev.value,
                         "cl:stance": {"@id": one(ledger, ev, V.STANCE).value},
                         "cl:source": {"@id": one(ledger, ev, V.SOURCE_LINK).value}})
        origins.update(o.object.value for o in ledger.store.triples(ev, V.ORIGIN, None))
    if evidence:
        out["cl:evidence"] = sorted(evidence, key=lambda e: e["@id"])
        out["cl:origin"] = [{"@id": o} for o in sorted(origins)]
    return out


def _rating(ledger: LedgerCore, verdict: NamedNode | None, value: str, scales
            ) -> dict[str, Any]:
    """The ``reviewRating`` of a verdict (its rating, on its scale) or of a derived status."""
    iri = one(ledger, verdict, V.RATING) if verdict is not None else None
    rating = scales.rating(iri) if isinstance(iri, NamedNode) and scales is not None else None
    if rating is not None:
        scale = scales.get(rating.scale)
        out = {"@type": "Rating", "alternateName": rating.label,
               "name": rating.definition or rating.label,
               "bestRating": scale.best or BEST, "worstRating": scale.worst or WORST,
               "cl:rating": {"@id": rating.iri}}
        if rating.value is not None:
            out["ratingValue"] = rating.value
        return out
    published = published_rating(value)
    out = {"@type": "Rating", "alternateName": published.alternate_name, "name": published.name,
           "bestRating": BEST, "worstRating": WORST}
    if published.rating_value is not None:
        out["ratingValue"] = published.rating_value
    if published.kind == "status":
        out["ratingExplanation"] = ("claimledger's derived corroboration status, not a "
                                    "fact-checker's verdict")
    return out


def reviews(ledger: LedgerCore, *, every: bool = False) -> list[dict[str, Any]]:
    """The ClaimReviews of the ledger's claims, by claim (see the module doc)."""
    from claimledger.records.scales import Scales

    scales = Scales(ledger)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    works = appearances(ledger)
    claims = sorted((t.subject for t in ledger.store.triples(None, V.TYPE, V.CLAIM)),
                    key=lambda n: n.value)
    out = []
    for claim in claims:
        found = review(ledger, claim, works.get(claim, []), every=every, now=now, scales=scales)
        if found is not None:
            out.append(found)
    return out


def export_claimreview(ledger: LedgerCore, output: IO[str], *, every: bool = False) -> int:
    """Write the ledger's ClaimReviews as one JSON-LD document; returns how many.

    :param every: a review of every claim, not only of those under a verdict.
    """
    found = reviews(ledger, every=every)
    json.dump({"@context": CONTEXT, "@graph": found}, output, ensure_ascii=False, indent=1)
    output.write("\n")
    return len(found)
