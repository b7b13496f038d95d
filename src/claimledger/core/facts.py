"""What the rules need to know, read from the ledger: a claim's corroboration facts, the
closure of nodes the sourcing rules check, and which claim or source a node belongs to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from claimledger.core.view import StateView
from claimledger.model import vocab as V
from claimledger.rules import corroboration
from claimledger.store.base import Store, Term


@dataclass
class ClaimFacts:
    """Everything :func:`claimledger.rules.corroboration.derive` needs about one claim."""

    evidence: list[corroboration.EvidenceFacts] = field(default_factory=list)
    sources: dict[NamedNode, corroboration.SourceFacts] = field(default_factory=dict)
    verdict: str | None = None


def gather_facts(view: StateView, claim: NamedNode) -> ClaimFacts:
    """Read from ``view`` what corroboration needs to derive ``claim``'s status."""
    facts = ClaimFacts()
    pending: list[NamedNode] = []
    for ev in view.subjects(V.CLAIM_LINK, claim):
        if not isinstance(ev, NamedNode):
            continue
        stance = view.value(ev, V.STANCE)
        source = view.value(ev, V.SOURCE_LINK)
        if not isinstance(stance, NamedNode) or not isinstance(source, NamedNode):
            continue  # malformed evidence: the sourcing rules report it
        attributed = view.value(ev, V.HAD_PRIMARY_SOURCE)
        facts.evidence.append(corroboration.EvidenceFacts(
            iri=ev,
            stance=V.Stance.find(stance) or "",
            source=source,
            attributed=attributed if isinstance(attributed, NamedNode) else None,
            credibility=V.Credibility.find(view.value(ev, V.CREDIBILITY)),
            retracted=view.value(ev, V.RETRACTION_LINK) is not None,
        ))
        pending.append(source)
        if isinstance(attributed, NamedNode):
            pending.append(attributed)
    seen: set[NamedNode] = set()
    while pending:
        src = pending.pop()
        if src in seen:
            continue
        seen.add(src)
        parents = tuple(p for p in view.objects(src, V.WAS_DERIVED_FROM) if isinstance(p, NamedNode))
        anonymous = view.value(src, V.ANONYMOUS)
        facts.sources[src] = corroboration.SourceFacts(
            iri=src,
            parents=parents,
            reliability=V.Reliability.find(view.value(src, V.RELIABILITY)),
            discredited=view.value(src, V.DISCREDITED) is not None,
            anonymous=isinstance(anonymous, Literal) and anonymous.value == "true",
        )
        pending.extend(parents)
    verdicts = []
    for verdict in view.objects(claim, V.VERDICT_LINK):
        when = view.value(verdict, V.GENERATED_AT_TIME)
        token = V.Status.find(view.value(verdict, V.VERDICT_VALUE))
        if token in V.VERDICTS:
            verdicts.append(corroboration.VerdictFacts(
                verdict, token, when.value if when is not None else "",
                withdrawn=view.value(verdict, V.RETRACTION_LINK) is not None))
    in_force = corroboration.verdict_in_force(verdicts)
    facts.verdict = in_force.status if in_force is not None else None
    return facts


def closure_triples(view: StateView, focus: Iterable[NamedNode]) -> list[Triple]:
    """Every triple the sourcing rules may need to check ``focus``.

    For a claim: the claim, its evidence and their quotes, its verdicts. For evidence: its
    claim. For every source reached: its triples, its derivation chain to the origins and
    their discreditings. Agents named anywhere in it.
    """
    nodes: set[Term] = set()
    queue = list(focus)
    while queue:
        node = queue.pop()
        if node in nodes or not isinstance(node, (NamedNode, BlankNode)):
            continue
        nodes.add(node)
        if view.has(node, V.TYPE, V.CLAIM):
            queue.extend(view.subjects(V.CLAIM_LINK, node))
            queue.extend(view.objects(node, V.VERDICT_LINK))
            queue.extend(view.objects(node, V.SUPPORT_ORIGIN))
        for p in (V.CLAIM_LINK, V.SOURCE_LINK, V.HAD_PRIMARY_SOURCE, V.HAS_SELECTOR,
                  V.RETRACTION_LINK, V.ORIGIN, V.ABOUT):
            queue.extend(view.objects(node, p))
        if view.has(node, V.TYPE, V.SOURCE):
            queue.extend(view.objects(node, V.WAS_DERIVED_FROM))
            queue.extend(view.objects(node, V.DISCREDITED))
    triples = []
    agents: set[Term] = set()
    for node in nodes:
        for t in view.describe(node):
            triples.append(t)
            if t.predicate in (V.WAS_ATTRIBUTED_TO, V.IDENTITY_KNOWN_TO):
                agents.add(t.object)
    for agent in agents - nodes:
        triples.extend(view.describe(agent))
    return triples


def ledger_owner(view: StateView, node: NamedNode) -> set[NamedNode]:
    """The claim(s) or source(s) a node belongs to: itself for a claim or source, the claim
    for evidence and its quote, the subject of a verdict, retraction or discrediting."""
    if view.has(node, V.TYPE, V.CLAIM) or view.has(node, V.TYPE, V.SOURCE):
        return {node}
    claim = view.value(node, V.CLAIM_LINK)
    if isinstance(claim, NamedNode):
        return {claim}
    about = view.value(node, V.ABOUT)
    if isinstance(about, NamedNode):
        return ledger_owner(view, about) or {about}
    for ev in view.subjects(V.HAS_SELECTOR, node):
        return ledger_owner(view, ev)
    return set()


def claims_reaching(store: Store, source: NamedNode) -> set[NamedNode]:
    """Claims with evidence found in, attributed to, or derived through ``source``."""
    rows = store.query(
        "SELECT ?s ?c WHERE { ?e <%s> ?c . { ?e <%s> ?x } UNION { ?e <%s> ?x } "
        "?x <%s>* ?s }" % (V.CLAIM_LINK.value, V.SOURCE_LINK.value,
                          V.HAD_PRIMARY_SOURCE.value, V.WAS_DERIVED_FROM.value),
        {"s": source})
    return {row["c"] for row in rows}
