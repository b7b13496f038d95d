"""PROV-O: a ledger's provenance as W3C PROV, for provenance tools (``export --format prov``).

What is written (Turtle), in PROV terms:

* **agents** (``prov:Agent``): everyone who recorded something;
* **activities** (``prov:Activity``): the audit trail's events that recorded a claim, source,
  piece of evidence, verdict, retraction or discrediting — the command as their label, their
  start time, ``prov:wasAssociatedWith`` the agent;
* **sources** (``prov:Entity``, also ``cl:Source``): title as label, kind, reliability,
  anonymity, URL and publication date as attributes, ``prov:wasDerivedFrom`` the sources they
  reprint or were built on; a discredited source ``prov:wasInvalidatedBy`` the event that
  discredited it (a qualified ``prov:Invalidation`` with the reason);
* **claims** (``prov:Entity``, also ``cl:Claim``): the statement as label, status and
  confidence as attributes, ``prov:wasGeneratedBy`` the event that recorded them,
  ``prov:wasAttributedTo`` who recorded them, a qualified ``prov:Revision`` of the claim they
  correct (``<claim>#revision``);
  each piece of supporting evidence is a qualified ``prov:Derivation`` from the source it was
  found in (the evidence's own IRI names it) and, when the statement is attributed to
  another source, a qualified ``prov:PrimarySource`` from that one (``<evidence>#primary-
  source``); each piece of contradicting evidence is a qualified ``prov:Influence``; a
  verdict in force that refutes or retracts the claim is a qualified ``prov:Invalidation`` by
  the event that recorded it (with its rating, status and reason); any other verdict in force
  (confirmed, mixed, inconclusive) is written as the claim's ``cl:verdictValue`` and
  ``cl:rating``;
* the event that recorded a piece of evidence ``prov:used`` its source.

Evidence that no longer counts keeps its derivation, with ``cl:counts false`` and, when
retracted, the reason. Relations with a qualified node are written in the qualified form
only, as the ``prov`` package itself writes them, so that reading the file back gives each
relation once. The ``prov`` package reads the file (``prov.read(…, format="rdf",
rdf_format="turtle")``) and writes it as PROV-N.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from claimledger import audit, resources
from claimledger.core.ledger import LedgerCore
from claimledger.interchange.reading import verdict_in_force
from claimledger.model import vocab as V

P = V.PROV
PROV_DERIVATION = NamedNode(P + "Derivation")
PROV_INFLUENCE = NamedNode(P + "Influence")
PROV_INVALIDATION = NamedNode(P + "Invalidation")
QUALIFIED_DERIVATION = NamedNode(P + "qualifiedDerivation")
QUALIFIED_INFLUENCE = NamedNode(P + "qualifiedInfluence")
QUALIFIED_INVALIDATION = NamedNode(P + "qualifiedInvalidation")
QUALIFIED_PRIMARY_SOURCE = NamedNode(P + "qualifiedPrimarySource")
PROV_PRIMARY_SOURCE = NamedNode(P + "PrimarySource")
QUALIFIED_REVISION = NamedNode(P + "qualifiedRevision")
PROV_REVISION = NamedNode(P + "Revision")
WAS_GENERATED_BY = NamedNode(P + "wasGeneratedBy")
PROV_ENTITY_LINK = NamedNode(P + "entity")
INFLUENCER = NamedNode(P + "influencer")
PROV_ACTIVITY_LINK = NamedNode(P + "activity")
AT_TIME = NamedNode(P + "atTime")
USED = NamedNode(P + "used")

#: Statuses of a verdict that end a claim's standing (a PROV invalidation); a verdict that
#: confirms it, or rates it a mixture or inconclusive, is written as attributes of the claim.
INVALIDATING = frozenset({"refuted", "retracted"})
#: Properties of a source written as PROV attributes.
SOURCE_ATTRIBUTES = (V.KIND, V.RELIABILITY, V.ANONYMOUS, V.URL, V.DATE_PUBLISHED)
#: Properties of evidence written as attributes of its derivation or influence.
EVIDENCE_ATTRIBUTES = (V.STANCE, V.CREDIBILITY, V.LOCATOR, V.COUNTS)


def _one(ledger: LedgerCore, s, p):
    return next((t.object for t in ledger.store.triples(s, p, None)), None)


def recorded_by_event(ledger: LedgerCore) -> tuple[dict[NamedNode, NamedNode], dict]:
    """Which event recorded each record node, and each such event's (command, agent, time)."""
    made: dict[NamedNode, tuple[int, NamedNode]] = {}
    events: dict[NamedNode, tuple[Literal, NamedNode, Literal]] = {}
    rows = ledger.store.query(resources.query("prov-recorded"),
                              {"audit": audit.audit_graph(ledger.base)})
    for row in rows:
        seq = int(row["sequence"].value)
        node = row["node"]
        if node not in made or seq < made[node][0]:
            made[node] = (seq, row["event"])
        events[row["event"]] = (row["command"], row["agent"], row["time"])
    return {n: e for n, (_, e) in made.items()}, events


def prov_triples(ledger: LedgerCore) -> Iterator[Triple]:
    """The ledger's provenance as PROV-O triples (see the module doc)."""
    store = ledger.store
    made, events = recorded_by_event(ledger)
    agents = {t.subject for t in store.triples(None, V.TYPE, V.PROV_AGENT)}
    agents |= {agent for _, agent, _ in events.values()}
    for agent in sorted(agents, key=lambda n: n.value):
        yield Triple(agent, V.TYPE, V.PROV_AGENT)
        yield Triple(agent, V.LABEL, Literal(ledger.slug(agent)))
    for event in sorted(set(made.values()), key=lambda n: n.value):
        command, agent, time = events[event]
        yield Triple(event, V.TYPE, V.PROV_ACTIVITY)
        yield Triple(event, V.LABEL, command)
        yield Triple(event, V.STARTED_AT_TIME, time)
        yield Triple(event, V.WAS_ASSOCIATED_WITH, agent)
    for source in sorted((t.subject for t in store.triples(None, V.TYPE, V.SOURCE)),
                         key=lambda n: n.value):
        yield Triple(source, V.TYPE, V.PROV_ENTITY)
        yield Triple(source, V.TYPE, V.SOURCE)
        name = _one(ledger, source, V.NAME)
        if name is not None:
            yield Triple(source, V.LABEL, name)
        for p in SOURCE_ATTRIBUTES:
            yield from (t for t in store.triples(source, p, None))
        yield from store.triples(source, V.WAS_DERIVED_FROM, None)
        record = _one(ledger, source, V.DISCREDITED)
        if isinstance(record, NamedNode):
            yield from _invalidation(ledger, source, record, made.get(record))
    for claim in sorted((t.subject for t in store.triples(None, V.TYPE, V.CLAIM)),
                        key=lambda n: n.value):
        yield from _claim(ledger, claim, made)


def _claim(ledger: LedgerCore, claim: NamedNode, made: dict) -> Iterator[Triple]:
    store = ledger.store
    yield Triple(claim, V.TYPE, V.PROV_ENTITY)
    yield Triple(claim, V.TYPE, V.CLAIM)
    text = _one(ledger, claim, V.TEXT)
    if text is not None:
        yield Triple(claim, V.LABEL, text)
    for p in (V.STATUS, V.CONFIDENCE, V.GENERATED_AT_TIME, V.WAS_ATTRIBUTED_TO):
        yield from store.triples(claim, p, None)
    for old in store.triples(claim, V.WAS_REVISION_OF, None):
        revision = NamedNode(claim.value + "#revision")
        yield Triple(claim, QUALIFIED_REVISION, revision)
        yield Triple(revision, V.TYPE, PROV_REVISION)
        yield Triple(revision, PROV_ENTITY_LINK, old.object)
    if claim in made:
        yield Triple(claim, WAS_GENERATED_BY, made[claim])
    for ev in sorted((t.subject for t in store.triples(None, V.CLAIM_LINK, claim)),
                     key=lambda n: n.value):
        source = _one(ledger, ev, V.SOURCE_LINK)
        if not isinstance(source, NamedNode):
            continue
        if _one(ledger, ev, V.STANCE) == V.Stance.iri("supports"):
            yield Triple(claim, QUALIFIED_DERIVATION, ev)
            yield Triple(ev, V.TYPE, PROV_DERIVATION)
            yield Triple(ev, PROV_ENTITY_LINK, source)
            attributed = _one(ledger, ev, V.HAD_PRIMARY_SOURCE)
            if isinstance(attributed, NamedNode):
                primary = NamedNode(ev.value + "#primary-source")
                yield Triple(claim, QUALIFIED_PRIMARY_SOURCE, primary)
                yield Triple(primary, V.TYPE, PROV_PRIMARY_SOURCE)
                yield Triple(primary, PROV_ENTITY_LINK, attributed)
                yield Triple(primary, V.TYPE, V.EVIDENCE)
        else:
            yield Triple(claim, QUALIFIED_INFLUENCE, ev)
            yield Triple(ev, V.TYPE, PROV_INFLUENCE)
            yield Triple(ev, INFLUENCER, source)
        yield Triple(ev, V.TYPE, V.EVIDENCE)
        for p in EVIDENCE_ATTRIBUTES:
            yield from store.triples(ev, p, None)
        retraction = _one(ledger, ev, V.RETRACTION_LINK)
        if retraction is not None:
            reason = _one(ledger, retraction, V.REASON)
            if reason is not None:
                yield Triple(ev, V.REASON, reason)
        if ev in made:
            yield Triple(made[ev], USED, source)
    verdict = verdict_in_force(ledger, claim)
    if verdict is not None:
        if V.Status.find(_one(ledger, verdict, V.VERDICT_VALUE)) in INVALIDATING:
            yield from _invalidation(ledger, claim, verdict, made.get(verdict))
        else:  # confirmed, mixed, inconclusive: the claim stands, rated
            yield from (Triple(claim, t.predicate, t.object) for p in (V.VERDICT_VALUE, V.RATING)
                        for t in store.triples(verdict, p, None))


def _invalidation(ledger: LedgerCore, entity: NamedNode, record: NamedNode,
                  event: NamedNode | None) -> Iterator[Triple]:
    """``entity`` invalidated by the event that recorded ``record`` (a verdict, a discrediting)."""
    at = _one(ledger, record, V.GENERATED_AT_TIME)
    yield Triple(entity, QUALIFIED_INVALIDATION, record)
    yield Triple(record, V.TYPE, PROV_INVALIDATION)
    if event is not None:
        yield Triple(record, PROV_ACTIVITY_LINK, event)
    if at is not None:
        yield Triple(record, AT_TIME, at)
    for p in (V.VERDICT_VALUE, V.RATING, V.REASON):
        yield from ledger.store.triples(record, p, None)


def export_prov(ledger: LedgerCore, output: IO[bytes]) -> None:
    """Write the ledger's provenance as PROV-O in Turtle to the binary stream ``output``."""
    triples = sorted(prov_triples(ledger), key=lambda t: t.subject.value)  # stable: by subject
    serialize(triples, output, RdfFormat.TURTLE, prefixes=ledger_prefixes(ledger))


def ledger_prefixes(ledger: LedgerCore) -> dict[str, str]:
    """Prefixes for an export: the standard ones and one per collection the ledger mints
    (``claim:``, ``source:``, ``event:``, …) so that its IRIs read as ``claim:freed``."""
    prefixes = {"prov": V.PROV, "cl": V.CL, "rdf": V.RDF, "rdfs": V.RDFS, "schema": V.SCHEMA,
                "xsd": V.XSD, "oa": V.OA, "dcterms": V.DCTERMS}
    for collection in ("claim", "source", "evidence", "verdict", "retraction", "discrediting",
                       "agent", "event"):
        prefixes[collection] = f"{ledger.base}{collection}/"
    return prefixes
