"""A claim's support, kept for the reports: what carried it, back to which origins.

Part of the materialised facts (version 2, :mod:`claimledger.rules.materialised`): per claim
with counted support, the reports that carried it (``cl:reportCount``, ``cl:reportList``) and
its support origins (``cl:supportOriginList``) — what ``report circular-reporting`` reads —
and per claim and support origin a node ``<base>support/<digest>`` (``cl:originSupport``)
with the origin, how many counted supporting pieces of evidence trace to it, and the line of
each — what ``report single-anecdote`` reads. The transaction computes them from the claim's
derivation (:mod:`claimledger.core.transaction`); :func:`scan` computes them from scratch,
with the same text as ``queries/scans/`` computes in SPARQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from claimledger.model import ntriples
from claimledger.model import vocab as V
from claimledger.rules.corroboration import Lineage, SourceFacts
from claimledger.store.base import Store

#: What a claim's support from one origin says (its node's properties).
SUPPORT_PROPERTIES = (V.SUPPORT_FROM, V.SUPPORT_REPORTS, V.CARRIED_BY)
#: Claims whose support a whole-ledger recount reads at a time (one VALUES block). Measured
#: on a generated 10k ledger: 2.5 s for the whole recount in batches of 100 to 1,000, 10.7 s
#: in one query, 16–21 s in batches of 1,500 or 2,000 (Oxigraph then plans the join another
#: way).
BATCH = 500
#: What a claim's reports and origins are, on the claim.
REPORTING_PROPERTIES = (V.REPORT_COUNT, V.REPORT_LIST, V.SUPPORT_ORIGIN_LIST)


def slug(node: NamedNode) -> str:
    """How the reports name a source: its IRI after the last ``/source/`` (all of it when
    there is none) — what ``REPLACE(STR(?x), "^.*/source/", "")`` gives in SPARQL."""
    return node.value.rpartition("/source/")[2]


@dataclass(frozen=True)
class Carrier:
    """One counted supporting piece of evidence: where it was found, whom it quotes, the
    origins it traces to."""

    evidence: NamedNode
    found: NamedNode
    attributed: NamedNode | None
    origins: frozenset[NamedNode]

    @property
    def report(self) -> str:
        """How ``report circular-reporting`` names it: "outlet-b", "article quoting nds-sources"."""
        if self.attributed is None:
            return slug(self.found)
        return f"{slug(self.found)} quoting {slug(self.attributed)}"


def trace_text(carrier: Carrier, origin: NamedNode, lineage: Lineage) -> str:
    """The line of one piece of evidence and one of its origins: the chain of sources from the
    one it counts through (the attributed one if any, else where it was found) to ``origin``
    — each source on a derivation path between them, by how many sources it derives from,
    most first, then by IRI — prefixed with "<found> quoting " when attributed. The same text
    as ``queries/scans/single-anecdote.rq`` computes."""
    start = carrier.attributed if carrier.attributed is not None else carrier.found
    hops = [x for x in lineage.ancestors(start) if origin in lineage.ancestors(x)]
    hops.sort(key=lambda x: (-len(lineage.ancestors(x)), x.value))
    chain = " ← ".join(slug(x) for x in hops)
    return f"{slug(carrier.found)} quoting {chain}" if carrier.attributed is not None else chain


def support_node(base: str, claim: NamedNode, origin: NamedNode) -> NamedNode:
    """The node of ``claim``'s support from ``origin``."""
    digest = hashlib.sha256(f"{claim.value} {origin.value}".encode()).hexdigest()[:32]
    return NamedNode(f"{base}support/{digest}")


def supports(base: str, claim: NamedNode, support_origins: Iterable[NamedNode],
             carriers: Iterable[Carrier], lineage: Lineage
             ) -> dict[NamedNode, dict[NamedNode, list]]:
    """The nodes of ``claim``'s support from each of ``support_origins``, with their values:
    one per origin some counted supporting evidence (``carriers``) traces to."""
    carriers = list(carriers)
    out: dict[NamedNode, dict[NamedNode, list]] = {}
    for origin in support_origins:
        if not isinstance(origin, NamedNode):
            continue
        through = [c for c in carriers if origin in c.origins]
        if not through:
            continue
        lines = sorted({trace_text(c, origin, lineage) for c in through})
        out[support_node(base, claim, origin)] = {
            V.SUPPORT_FROM: [origin],
            V.SUPPORT_REPORTS: [Literal(len({c.evidence for c in through}))],
            V.CARRIED_BY: [Literal("; ".join(lines))]}
    return out


def reporting(support_origins: Iterable[NamedNode], carriers: Iterable[Carrier]
              ) -> dict[NamedNode, list]:
    """The values on a claim of ``cl:reportCount``, ``cl:reportList`` and
    ``cl:supportOriginList`` (none when nothing supports it)."""
    reports = sorted({c.report for c in carriers})
    origins = sorted({slug(o) for o in support_origins if isinstance(o, NamedNode)})
    if not reports or not origins:
        return {V.REPORT_COUNT: [], V.REPORT_LIST: [], V.SUPPORT_ORIGIN_LIST: []}
    return {V.REPORT_COUNT: [Literal(len(reports))], V.REPORT_LIST: [Literal("; ".join(reports))],
            V.SUPPORT_ORIGIN_LIST: [Literal(" ".join(origins))]}


# Every supported claim; the support origins of a batch of them, with the counted supporting
# evidence tracing to each; every derivation link.
_SCAN_SUPPORTED = f"SELECT DISTINCT ?claim WHERE {{ ?claim <{V.SUPPORT_ORIGIN.value}> ?origin }}"
_SCAN_SUPPORT = f"""
SELECT ?claim ?origin ?e ?found ?attr
WHERE {{
  #VALUES#
  ?claim <{V.SUPPORT_ORIGIN.value}> ?origin .
  ?e <{V.CLAIM_LINK.value}> ?claim ; <{V.COUNTS.value}> true ;
     <{V.STANCE.value}> <{V.Stance.iri("supports").value}> ;
     <{V.SOURCE_LINK.value}> ?found ; <{V.ORIGIN.value}> ?origin .
  OPTIONAL {{ ?e <{V.HAD_PRIMARY_SOURCE.value}> ?attr }}
}}
"""
_SCAN_DERIVATIONS = f"""
SELECT ?s ?p WHERE {{ ?s <{V.WAS_DERIVED_FROM.value}> ?p FILTER(isIRI(?s) && isIRI(?p)) }}
"""


def scan(store: Store, base: str
         ) -> Iterator[list[tuple[NamedNode, dict[NamedNode, list], dict]]]:
    """Every claim with counted support, from scratch, :data:`BATCH` claims at a time: its
    :func:`reporting` values and its :func:`supports` nodes with their values."""
    parents: dict[NamedNode, list[NamedNode]] = {}
    for row in store.query(_SCAN_DERIVATIONS):
        parents.setdefault(row["s"], []).append(row["p"])
    lineage = Lineage({s: SourceFacts(s, parents=tuple(ps)) for s, ps in parents.items()})
    supported = [row["claim"] for row in store.query(_SCAN_SUPPORTED)
                 if isinstance(row["claim"], NamedNode)]
    for i in range(0, len(supported), BATCH):  # a batch of claims in memory at a time
        values = "VALUES ?claim { " + " ".join(map(ntriples.term, supported[i:i + BATCH])) + " }"
        claims: dict[NamedNode, dict[NamedNode, tuple]] = {}
        for row in store.query(_SCAN_SUPPORT.replace("#VALUES#", values, 1)):
            claim, e, found, attr = row["claim"], row["e"], row["found"], row["attr"]
            if isinstance(found, NamedNode):
                _, _, origins = claims.setdefault(claim, {}).setdefault(
                    e, (found, attr if isinstance(attr, NamedNode) else None, set()))
                origins.add(row["origin"])
        batch = []
        for claim, evidence in claims.items():
            carriers = [Carrier(e, found, attr, frozenset(origins))
                        for e, (found, attr, origins) in evidence.items()]
            support_origins = {o for c in carriers for o in c.origins}
            batch.append((claim, reporting(support_origins, carriers),
                          supports(base, claim, sorted(support_origins, key=str), carriers,
                                   lineage)))
        yield batch
