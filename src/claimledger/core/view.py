"""The ledger as a write will leave it: the store seen through a pending change set."""

from __future__ import annotations

from pyoxigraph import NamedNode, Triple

from claimledger.store.base import ChangeSet, Store, Term


class StateView:
    """The ledger as it will be once ``changes`` are applied: the store plus the change set."""

    def __init__(self, store: Store, changes: ChangeSet) -> None:
        self.store = store
        self.changes = changes

    def objects(self, s: Term, p: NamedNode) -> list[Term]:
        out = [t.object for t in self.store.triples(s, p, None)
               if t not in self.changes.removed]
        out.extend(t.object for t in self.changes.added_about(s) if t.predicate == p)
        return out

    def subjects(self, p: NamedNode, o: Term) -> list[Term]:
        out = [t.subject for t in self.store.triples(None, p, o) if t not in self.changes.removed]
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
        return any(True for _ in self.store.triples(s, p, o))

    def describe(self, s: Term) -> list[Triple]:
        out = [t for t in self.store.triples(s, None, None) if t not in self.changes.removed]
        out.extend(self.changes.added_about(s))
        return out

    def exists(self, s: Term) -> bool:
        return bool(self.describe(s))
