"""The ledger as a write will leave it: the store seen through a pending change set.

Reads are batched: a view remembers every node it has read (all its triples) and every
"which subjects have this predicate and object" it has asked, and :meth:`StateView.prefetch`
reads what a write's checks need — the closure of its claims and sources — in a few queries
(not one per node), so that a write costs a handful of round trips on any store, a SPARQL
server's included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyoxigraph import NamedNode, Triple

from claimledger import resources
from claimledger.model import ntriples
from claimledger.model import vocab as V
from claimledger.store.base import ChangeSet, Store, Term

#: Nodes named in one prefetch query (a VALUES block); servers cap them.
CHUNK = 500


class StateView:
    """The ledger as it will be once ``changes`` are applied: the store plus the change set.

    :ivar reads: round trips to the store so far (what a write costs on a server).
    """

    def __init__(self, store: Store, changes: ChangeSet) -> None:
        self.store = store
        self.changes = changes
        self.reads = 0
        self._about: dict[Term, set[Triple]] = {}
        self._subjects: dict[tuple[NamedNode, Term], list[Term]] = {}

    # -- what the store holds (cached) ---------------------------------------------------
    def _stored(self, s: Term) -> set[Triple]:
        found = self._about.get(s)
        if found is None:
            self.reads += 1
            found = self._about[s] = set(self.store.triples(s, None, None))
        return found

    def _stored_subjects(self, p: NamedNode, o: Term) -> list[Term]:
        found = self._subjects.get((p, o))
        if found is None:
            self.reads += 1
            found = self._subjects[(p, o)] = [t.subject for t in self.store.triples(None, p, o)]
        return found

    # -- the view ------------------------------------------------------------------------
    def objects(self, s: Term, p: NamedNode) -> list[Term]:
        removed = self.changes.removed
        out = [t.object for t in self._stored(s) if t.predicate == p and t not in removed]
        out.extend(t.object for t in self.changes.added_about(s) if t.predicate == p)
        return out

    def subjects(self, p: NamedNode, o: Term) -> list[Term]:
        removed = self.changes.removed
        out = [s for s in self._stored_subjects(p, o) if Triple(s, p, o) not in removed]
        out.extend(t.subject for t in self.changes.added_with(p, o))
        return out

    def value(self, s: Term, p: NamedNode) -> Term | None:
        values = self.objects(s, p)
        return values[0] if values else None

    def has(self, s: Term, p: NamedNode, o: Term) -> bool:
        t = Triple(s, p, o)
        if t in self.changes.added:
            return True
        if t in self.changes.removed:
            return False
        return t in self._stored(s)

    def describe(self, s: Term) -> list[Triple]:
        removed = self.changes.removed
        out = [t for t in self._stored(s) if t not in removed]
        out.extend(self.changes.added_about(s))
        return out

    def exists(self, s: Term) -> bool:
        return bool(self.describe(s))

    # -- batched reads -------------------------------------------------------------------
    def prefetch(self, claims: Iterable[NamedNode], nodes: Iterable[Term]) -> None:
        """Read, in a few queries, what a write's checks will ask about: every node in
        ``nodes``; for each claim in ``claims`` its evidence, quotes, verdicts, retractions,
        the sources the evidence reaches with their derivation chains and discreditings, and
        who recorded them; for each source among ``nodes``, its derivation chain, its
        discrediting and the agents named on it."""
        plain = sorted({n for n in nodes if isinstance(n, NamedNode)} - set(self._about),
                       key=lambda n: n.value)
        for chunk in _chunks(plain):
            triples = self.store.select(
                "SELECT ?s ?p ?o WHERE { VALUES ?s { " + " ".join(map(ntriples.term, chunk))
                + " } ?s ?p ?o }")
            self.reads += 1
            for node in chunk:
                self._about.setdefault(node, set())
            for row in triples:
                self._about[row["s"]].add(Triple(row["s"], row["p"], row["o"]))
        claim_list = sorted({c for c in claims if isinstance(c, NamedNode)}, key=lambda n: n.value)
        sources = sorted({n for n in plain if Triple(n, V.TYPE, V.SOURCE) in self._about[n]},
                         key=lambda n: n.value)
        for chunk in _chunks(claim_list):
            closure = self._load_closure(resources.query("closure-claims"), "claim", chunk)
            evidence: dict[Term, set[Term]] = {claim: set() for claim in chunk}
            for t in closure:
                if t.predicate == V.CLAIM_LINK and t.object in evidence:
                    evidence[t.object].add(t.subject)
                elif t.predicate == V.HAS_SELECTOR:  # a quote belongs to one piece of evidence
                    self._subjects[(V.HAS_SELECTOR, t.object)] = [t.subject]
            for claim, found in evidence.items():  # the closure holds all of a claim's evidence
                self._subjects[(V.CLAIM_LINK, claim)] = sorted(found, key=lambda n: n.value)
        for chunk in _chunks(sources):
            self._load_closure(resources.query("closure-sources"), "source", chunk)

    def _load_closure(self, query: str, var: str, nodes: Sequence[NamedNode]) -> list[Triple]:
        values = f"VALUES ?{var} {{ {' '.join(map(ntriples.term, nodes))} }}"
        closure = self.store.construct(query.replace("#VALUES#", values, 1))
        self.reads += 1
        about: dict[Term, set[Triple]] = {}
        for t in closure:
            about.setdefault(t.subject, set()).add(t)
        for node, triples in about.items():  # each node of the closure, with all its triples
            self._about.setdefault(node, triples)
        return closure


def _chunks(items: Sequence) -> Iterable[Sequence]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]
