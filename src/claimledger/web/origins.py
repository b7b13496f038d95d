"""The origin picture of a claim, as data: evidence → found in → quoting → derived from → origin.

Built from what the write path itself reads and wrote — the claim's evidence with the
origins and counts the re-derivation stored (:meth:`claimledger.records.claims.Claims.get`),
and the derivation links of every source it reaches (:func:`claimledger.core.facts.gather_facts`)
— so the picture cannot disagree with the status: nothing here decides what counts or what
is independent. It only groups the counted supporting evidence by shared origins (evidence
whose origin sets overlap is drawn in one colour) so that independent lines of support are
told apart at a glance; :mod:`claimledger.web.svg` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from claimledger.core.facts import gather_facts
from claimledger.core.ledger import LedgerCore
from claimledger.core.view import StateView
from claimledger.model import vocab as V
from claimledger.records.claims import ClaimRecord
from claimledger.store.base import ChangeSet

#: Evidence drawn at most; a claim with more says how many were left out.
MAX_EVIDENCE = 60


@dataclass
class Node:
    key: str
    kind: str  # "evidence" or "source"
    label: str
    detail: str = ""
    layer: int = 0
    #: Index of the line of support (shared origins) the node belongs to, if it counts.
    group: int | None = None
    origin: bool = False
    counts: bool = True
    stance: str | None = None
    discredited: bool = False
    anonymous: bool = False
    grade: str | None = None
    #: Page to link to (a source's slug).
    slug: str | None = None


@dataclass
class Edge:
    start: str
    end: str
    kind: str  # "found in", "quoting", "derived from"
    group: int | None = None
    counts: bool = True


@dataclass
class OriginTree:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    #: Per line of support: its origins' slugs (the origin nodes drawn in its colour).
    groups: list[list[str]] = field(default_factory=list)
    independent_origins: int = 0
    left_out: int = 0


def origin_tree(ledger: LedgerCore, record: ClaimRecord) -> OriginTree:
    """The picture of ``record``'s support (a claim read with ``ledger.claims.get``)."""
    tree = OriginTree(independent_origins=record.independent_origins)
    claim = NamedNode(record.iri)
    view = StateView(ledger.store, ChangeSet())
    facts = gather_facts(view, claim)
    evidence = record.evidence[:MAX_EVIDENCE]
    tree.left_out = len(record.evidence) - len(evidence)

    # Lines of support: counted supporting evidence joined when their origin sets overlap.
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    support = [e for e in evidence if e.counts and e.stance == "supports" and e.origins]
    for e in support:
        for o in e.origins[1:]:
            parent[find(o)] = find(e.origins[0])
    roots: dict[str, int] = {}
    for e in sorted(support, key=lambda e: e.id):
        roots.setdefault(find(e.origins[0]), len(roots))
    tree.groups = [[] for _ in roots]
    group_of_origin = {}
    for e in support:
        for o in e.origins:
            group = roots[find(o)]
            group_of_origin[o] = group
            if o not in tree.groups[group]:
                tree.groups[group].append(o)
    for names in tree.groups:
        names.sort()

    sources = {ledger.slug(iri): iri for iri in facts.sources}
    every_origin = {o for e in evidence for o in e.origins}

    def source_node(slug: str) -> Node:
        if slug not in tree.nodes:
            iri = sources.get(slug) or ledger.iri("source", slug)
            info = facts.sources.get(iri)
            title = next(ledger.store.triples(iri, V.NAME, None), None)
            tree.nodes[slug] = Node(
                key=slug, kind="source", label=slug, slug=slug,
                detail=title.object.value if title is not None and
                isinstance(title.object, Literal) else "",
                origin=slug in every_origin, group=group_of_origin.get(slug),
                discredited=bool(info and info.discredited),
                anonymous=bool(info and info.anonymous),
                grade=info.reliability if info else None)
        return tree.nodes[slug]

    quoting: dict[tuple[str, str], Edge] = {}
    for e in evidence:
        group = group_of_origin.get(e.origins[0]) if e in support else None
        detail = e.stance + ("" if e.counts else " · does not count")
        tree.nodes[f"ev:{e.id}"] = Node(key=f"ev:{e.id}", kind="evidence", label=e.id,
                                         detail=detail, group=group, counts=e.counts,
                                         stance=e.stance, grade=e.credibility)
        found = source_node(e.source)
        tree.edges.append(Edge(f"ev:{e.id}", found.key, "found in", group, e.counts))
        if e.attributed_to:
            quoted = source_node(e.attributed_to)
            key = (found.key, quoted.key)
            if key not in quoting:
                quoting[key] = Edge(found.key, quoted.key, "quoting", group, e.counts)
                tree.edges.append(quoting[key])
            elif e.counts:
                quoting[key].counts = True
    # Whole-source derivation, from every source drawn up to its origins.
    seen: set[str] = set()
    pending = [k for k, n in tree.nodes.items() if n.kind == "source"]
    while pending:
        slug = pending.pop()
        if slug in seen:
            continue
        seen.add(slug)
        info = facts.sources.get(sources.get(slug) or ledger.iri("source", slug))
        for up in (info.parents if info else ()):
            up_slug = ledger.slug(up)
            source_node(up_slug)
            tree.edges.append(Edge(slug, up_slug, "derived from", group_of_origin.get(up_slug),
                                   True))
            pending.append(up_slug)
    _layers(tree)
    return tree


def _layers(tree: OriginTree) -> None:
    """Each node one column right of everything that points to it (longest path)."""
    for node in tree.nodes.values():
        node.layer = 0 if node.kind == "evidence" else 1
    for _ in range(len(tree.nodes) + 1):
        changed = False
        for edge in tree.edges:
            want = tree.nodes[edge.start].layer + 1
            if tree.nodes[edge.end].layer < want:
                tree.nodes[edge.end].layer = want
                changed = True
        if not changed:
            break
