"""The :class:`~claimledger.store.base.Store` contract over a pyoxigraph store, on disk or in memory."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import IO

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Triple, Variable
from pyoxigraph import Store as _OxStore

from claimledger.errors import InputError, LedgerError
from claimledger.store.base import Bindings, ChangeSet, Term, update_text


class OxigraphStore:
    """The :class:`Store` interface over a pyoxigraph store (on disk or in memory).

    :param store: the pyoxigraph store; an in-memory one when omitted.
    :param writable: whether :meth:`apply` and :meth:`bulk_add` are allowed.
    """

    #: What this backend can do beyond the contract (see :class:`~claimledger.store.base.Store`).
    capabilities: frozenset[str] = frozenset()

    def __init__(self, store: _OxStore | None = None, *, writable: bool = True) -> None:
        self._store = store if store is not None else _OxStore()
        self.writable = writable

    # -- reading -------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Bindings | None = None
              ) -> QuerySolutions | QueryBoolean | QueryTriples:
        subs = {Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self._store.query(sparql, substitutions=subs or None)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise LedgerError(f"the ledger store failed: {exc}") from None

    def triples(self, subject: Term | None, predicate: NamedNode | None, obj: Term | None,
                graph: NamedNode | DefaultGraph | None = None) -> Iterator[Triple]:
        for q in self._store.quads_for_pattern(subject, predicate, obj, graph or DefaultGraph()):
            yield q.triple

    def quads(self) -> Iterator[Quad]:
        return iter(self._store)

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]:
        return self._store.named_graphs()

    def dump(self, output: IO[bytes], fmt: RdfFormat, *, graph: DefaultGraph | NamedNode | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        self._store.dump(output, fmt, from_graph=graph, prefixes=prefixes)

    # -- writing -------------------------------------------------------------------------
    def apply(self, changes: ChangeSet) -> None:
        self._require_write()
        text = update_text(changes)
        if not text:
            return
        try:
            self._store.update(text)
        except OSError as exc:
            raise LedgerError(f"the ledger store failed; nothing was written: {exc}") from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL update of claimledger's own (never user text)."""
        self._require_write()
        self._store.update(sparql)

    def bulk_add(self, quads: Iterable[Quad]) -> None:
        self._require_write()
        self._store.bulk_extend(quads)

    def bulk_load(self, path: str | os.PathLike[str], fmt: RdfFormat, *,
                  graph: NamedNode | None = None) -> None:
        """Load a file fast (not atomic: use it on a staging copy)."""
        self._require_write()
        self._store.bulk_load(path=str(path), format=fmt, to_graph=graph)

    def remove_quads(self, quads: Iterable[Quad]) -> None:
        """Remove quads one by one (not atomic: use it on a staging copy)."""
        self._require_write()
        for q in quads:
            self._store.remove(q)

    def _require_write(self) -> None:
        if not self.writable:
            raise LedgerError("the ledger was opened read-only")

    def close(self) -> None:
        if getattr(self, "_store", None) is not None:
            del self._store
            self._store = None

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
