"""Nanopublications: one per claim, in TriG, for research infrastructure (``export --format
nanopub``).

Each claim ``<base>claim/SLUG`` becomes the nanopublication ``<base>np/SLUG`` with exactly
four named graphs, as the nanopublication schema (``http://www.nanopub.org/nschema#``) has
them:

* ``…/np/SLUG/Head``: the nanopublication (``np:Nanopublication``) and its
  ``np:hasAssertion``, ``np:hasProvenance``, ``np:hasPublicationInfo``;
* ``…/np/SLUG/assertion``: the claim's triple itself (subject, predicate, object);
* ``…/np/SLUG/provenance``: about the assertion graph — ``prov:alternateOf`` the claim
  record, ``prov:wasDerivedFrom`` each source its counted supporting evidence was found in,
  ``prov:hadPrimarySource`` each source a statement is attributed to — and the records
  behind it: the claim (statement, status, confidence, independent origins), its evidence
  (stance, quote, locator, credibility, whether it counts, retraction), its verdicts, and
  every source reached with its derivation chain and discrediting;
* ``…/np/SLUG/pubinfo``: about the nanopublication — who recorded the claim and when
  (``prov:wasAttributedTo``, ``dcterms:creator``, ``dcterms:created``,
  ``prov:generatedAtTime``), a label, and ``npx:supersedes`` the nanopublication of the claim
  it revises.

The export is unsigned: the URIs are under the ledger's base (``…/np/SLUG`` and, for its
graphs, ``…/np/SLUG/…``, the form nanopublication signing tools turn into trusty URIs). The
``nanopub`` package reads each one as valid (``Nanopub(rdf=…).is_valid``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from claimledger.core.facts import closure_triples
from claimledger.core.ledger import LedgerCore
from claimledger.core.view import StateView
from claimledger.model import vocab as V
from claimledger.store.base import ChangeSet

NP = "http://www.nanopub.org/nschema#"
NPX = "http://purl.org/nanopub/x/"
NANOPUBLICATION = NamedNode(NP + "Nanopublication")
HAS_ASSERTION = NamedNode(NP + "hasAssertion")
HAS_PROVENANCE = NamedNode(NP + "hasProvenance")
HAS_PUBLICATION_INFO = NamedNode(NP + "hasPublicationInfo")
SUPERSEDES = NamedNode(NPX + "supersedes")
ALTERNATE_OF = NamedNode(V.PROV + "alternateOf")
CREATOR = NamedNode(V.DCTERMS + "creator")
CREATED = NamedNode(V.DCTERMS + "created")


def nanopub_iri(ledger: LedgerCore, claim: NamedNode) -> NamedNode:
    """The nanopublication of ``claim``: ``<base>np/SLUG``."""
    return NamedNode(f"{ledger.base}np/{ledger.slug(claim)}")


def nanopub_quads(ledger: LedgerCore, claim: NamedNode, view: StateView) -> list[Quad]:
    """The quads of the nanopublication of one claim (see the module doc)."""
    store = ledger.store
    np = nanopub_iri(ledger, claim)
    head, assertion = NamedNode(np.value + "/Head"), NamedNode(np.value + "/assertion")
    provenance, pubinfo = NamedNode(np.value + "/provenance"), NamedNode(np.value + "/pubinfo")

    def one(s, p):
        return next((t.object for t in store.triples(s, p, None)), None)

    quads = [Quad(np, V.TYPE, NANOPUBLICATION, head), Quad(np, HAS_ASSERTION, assertion, head),
             Quad(np, HAS_PROVENANCE, provenance, head),
             Quad(np, HAS_PUBLICATION_INFO, pubinfo, head)]
    s, p, o = one(claim, V.SUBJECT), one(claim, V.PREDICATE), one(claim, V.OBJECT)
    if s is not None and p is not None and o is not None:
        quads.append(Quad(s, p, o, assertion))
    prov = [Triple(assertion, ALTERNATE_OF, claim)]
    for ev in store.triples(None, V.CLAIM_LINK, claim):
        e = ev.subject
        if one(e, V.STANCE) != V.Stance.iri("supports") or one(e, V.COUNTS) != Literal(True):
            continue
        source = one(e, V.SOURCE_LINK)
        if source is not None:
            prov.append(Triple(assertion, V.WAS_DERIVED_FROM, source))
        attributed = one(e, V.HAD_PRIMARY_SOURCE)
        if attributed is not None:
            prov.append(Triple(assertion, V.HAD_PRIMARY_SOURCE, attributed))
    agents = {t.subject for t in store.triples(None, V.TYPE, V.PROV_AGENT)}
    prov.extend(t for t in closure_triples(view, [claim]) if t.subject not in agents)
    quads.extend(Quad(t.subject, t.predicate, t.object, provenance) for t in set(prov))
    recorder, recorded = one(claim, V.WAS_ATTRIBUTED_TO), one(claim, V.GENERATED_AT_TIME)
    info = [Triple(np, V.LABEL, Literal(f"claimledger claim {ledger.slug(claim)}"))]
    if recorder is not None:
        info += [Triple(np, V.WAS_ATTRIBUTED_TO, recorder), Triple(np, CREATOR, recorder)]
        label = one(recorder, V.LABEL)
        if label is not None:
            info.append(Triple(recorder, V.LABEL, label))
    if recorded is not None:
        info += [Triple(np, CREATED, recorded), Triple(np, V.GENERATED_AT_TIME, recorded)]
    for old in store.triples(claim, V.WAS_REVISION_OF, None):
        if isinstance(old.object, NamedNode):
            info.append(Triple(np, SUPERSEDES, nanopub_iri(ledger, old.object)))
    quads.extend(Quad(t.subject, t.predicate, t.object, pubinfo) for t in info)
    return quads


def nanopubs(ledger: LedgerCore) -> Iterator[list[Quad]]:
    """The nanopublication of every claim, one list of quads each, by claim IRI."""
    view = StateView(ledger.store, ChangeSet())
    claims = sorted((t.subject for t in ledger.store.triples(None, V.TYPE, V.CLAIM)),
                    key=lambda n: n.value)
    for claim in claims:
        if isinstance(claim, NamedNode):
            yield nanopub_quads(ledger, claim, view)


def export_nanopubs(ledger: LedgerCore, output: IO[bytes]) -> None:
    """Write one nanopublication per claim as TriG to the binary stream ``output``."""
    from claimledger.interchange.prov import ledger_prefixes

    prefixes = {**ledger_prefixes(ledger), "np": NP, "npx": NPX}
    every: list[Quad] = []
    for quads in nanopubs(ledger):
        order = {g: i for i, g in enumerate(dict.fromkeys(q.graph_name for q in quads))}
        every.extend(sorted(quads, key=lambda q: (order[q.graph_name], q.subject.value,
                                                  q.predicate.value)))
    serialize(every, output, RdfFormat.TRIG, prefixes=prefixes)
