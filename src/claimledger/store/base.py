"""The store contract: what claimledger asks of any triple store, and the change set it applies.

Every backend (:mod:`.embedded` on disk, :mod:`.memory`, and servers that speak SPARQL 1.1)
implements :class:`Store`:

* ``select`` / ``ask`` / ``construct`` run a SPARQL query and return claimledger's own results
  — :class:`Rows`, a ``bool``, a list of triples — never a backend's objects. RDF terms are
  pyoxigraph's term classes (``NamedNode``, ``BlankNode``, ``Literal``, ``Triple``), and every
  literal is in claimledger's canonical form (:mod:`claimledger.model.literals`), whatever
  form the engine keeps it in;
* ``bindings`` fix variables to RDF terms; the backend decides how they reach the engine, but
  never as user text pasted into a query;
* ``apply`` applies a :class:`ChangeSet` as one atomic update, conditional on the
  :class:`Condition` it carries (the audit chain's head the write read): if another writer
  moved the head, nothing is applied and :class:`~claimledger.errors.LedgerChanged` is raised;
* ``triples`` reads the default graph (or one named graph) by pattern; ``quads`` and ``dump``
  read everything; ``bulk_load`` loads a file fast (not atomic: on a staging copy or an empty
  store);
* ``capabilities`` name what a backend can do beyond this: ``"staging"`` (a private copy to
  build a big write in, made current atomically with ``staging()`` / ``swap()``), and
  ``"canonical-lines"`` (``canonical_lines(graph)``: a graph's triples as canonical N-Triples
  lines, written by the engine, which an export sorts as they are).

Layout: the ledger's current state is the default graph; the audit trail lives in named
graphs (see :mod:`claimledger.audit`).

Why Oxigraph for the embedded store and not rdflib's in-memory graph: measured here, rdflib's
SPARQL engine takes 17 s for a single-origin report on 1,000 claims and 70 s on 2,000 (it
grows quadratically); Oxigraph answers in milliseconds and keeps the ledger on disk with real
transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, Protocol, Union

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple

from claimledger.model import ntriples

Term = Union[NamedNode, BlankNode, Literal]
Bindings = Mapping[str, Term]


class Row(tuple):
    """One solution of a SELECT: its values by position, or by variable name (``row["x"]``);
    ``None`` for an unbound variable."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)


@lru_cache(maxsize=1024)
def _row_class(variables: tuple[str, ...]) -> type[Row]:
    """The row type of a projection (made once per projection: making a class costs ~25 µs,
    and a write runs a hundred small queries)."""
    return type("Row", (Row,), {"__slots__": (), "_index": {v: i for i, v in enumerate(variables)}})


class Rows:
    """The solutions of a SELECT: :attr:`variables` in order, and rows to iterate over.

    :raises KeyError: (on ``row[name]``) for a variable the query does not project.
    """

    def __init__(self, variables: Sequence[str], rows: Iterable[Sequence[Term | None]]) -> None:
        self.variables = list(variables)
        row_class = _row_class(tuple(self.variables))
        self.rows = [row_class(r) for r in rows]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


QueryResult = Union[Rows, bool, list[Triple]]


@dataclass(frozen=True)
class Condition:
    """What must hold for a change set to be applied: ``subject predicate value`` in ``graph``
    (with ``value`` None: no such triple at all). claimledger uses it for the audit chain's
    head: a write applies only if the head is still the one it read."""

    graph: NamedNode
    subject: NamedNode
    predicate: NamedNode
    value: NamedNode | None

    def where(self) -> str:
        """The condition as a SPARQL group pattern (terms written by the serialiser)."""
        g, s, p = ntriples.term(self.graph), ntriples.term(self.subject), ntriples.term(self.predicate)
        if self.value is None:
            return f"FILTER NOT EXISTS {{ GRAPH {g} {{ {s} {p} ?any }} }}"
        return f"GRAPH {g} {{ {s} {p} {ntriples.term(self.value)} }}"


class ChangeSet:
    """Triples to add to and remove from the ledger's default graph, plus quads for other graphs.

    Adding a triple that is pending removal cancels the removal, and the other way round, so
    the change set always holds the net effect. Added triples are indexed by subject and by
    (predicate, object) so that a large change set can still be read quickly.
    """

    def __init__(self) -> None:
        self.added: set[Triple] = set()
        self.removed: set[Triple] = set()
        #: Quads in named graphs (the audit trail) to add and to remove.
        self.extra_quads: list[Quad] = []
        self.extra_removed: list[Quad] = []
        #: Applied only while this holds (see :class:`Condition`).
        self.condition: Condition | None = None
        #: A quad that is in the store once the change set is applied (the new event's hash):
        #: how a backend confirms that a conditional update took effect.
        self.receipt: Quad | None = None
        self._by_subject: dict[Term, set[Triple]] = {}
        self._by_po: dict[tuple[NamedNode, Term], set[Triple]] = {}

    def add(self, subject: NamedNode | BlankNode, predicate: NamedNode, obj: Term) -> None:
        t = Triple(subject, predicate, obj)
        if t in self.removed:
            self.removed.discard(t)
        elif t not in self.added:
            self.added.add(t)
            self._by_subject.setdefault(subject, set()).add(t)
            self._by_po.setdefault((predicate, obj), set()).add(t)

    def remove(self, triple: Triple) -> None:
        if triple in self.added:
            self.added.discard(triple)
            self._by_subject[triple.subject].discard(triple)
            self._by_po[(triple.predicate, triple.object)].discard(triple)
        else:
            self.removed.add(triple)

    def added_about(self, subject: Term) -> set[Triple]:
        """Added triples with ``subject`` as their subject."""
        return self._by_subject.get(subject, set())

    def added_with(self, predicate: NamedNode, obj: Term) -> set[Triple]:
        """Added triples with this predicate and object."""
        return self._by_po.get((predicate, obj), set())

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


class Store(Protocol):
    """What claimledger needs from a triple store (see the module doc)."""

    #: False when opened for reading only.
    writable: bool
    #: What the backend can do beyond this contract: ``"staging"``.
    capabilities: frozenset[str]

    def select(self, sparql: str, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query."""
        ...

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        ...

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""
        ...

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryResult:
        """Run any query form: :class:`Rows`, a bool or triples, by the query's form."""
        ...

    def apply(self, changes: ChangeSet) -> None:
        """Apply every addition and removal in ``changes`` atomically: all or nothing, and only
        while ``changes.condition`` holds.

        :raises LedgerChanged: if the condition no longer held (nothing was applied).
        """
        ...

    def triples(self, subject: Term | None, predicate: NamedNode | None, obj: Term | None,
                graph: NamedNode | DefaultGraph | None = None) -> Iterator[Triple]:
        """Triples matching a pattern (``None`` matches all) in the default graph, or ``graph``."""
        ...

    def quads(self) -> Iterator[Quad]:
        """Every quad in the store, audit trail included."""
        ...

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]:
        """The names of the store's named graphs."""
        ...

    def dump(self, output: IO[bytes], fmt: RdfFormat, *, graph: DefaultGraph | NamedNode | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """Serialise the whole dataset (or one graph) to ``output``, literals canonical."""
        ...

    def bulk_load(self, path, fmt: RdfFormat, *, graph: NamedNode | None = None) -> None:
        """Load a file fast. Not atomic: callers provide their own all-or-nothing."""
        ...

    def close(self) -> None:
        """Release the store (and the ledger's lock, for the embedded store)."""
        ...


def data_block(triples: Iterable[Triple], graphs: Mapping[NamedNode, Iterable[Triple]] | None = None
               ) -> str:
    """The body of an ``INSERT`` / ``DELETE`` template or data block.

    Terms are written by claimledger's canonical N-Triples writer, which escapes quotes,
    backslashes and line breaks; no user text is pasted into SPARQL unescaped.
    """
    lines = [ntriples.line(t) for t in triples]
    for graph, items in (graphs or {}).items():
        body = "\n".join(f"  {ntriples.line(t)}" for t in items)
        if body:
            lines.append(f"GRAPH {ntriples.term(graph)} {{\n{body}\n}}")
    return "\n".join(lines)


#: Kept for callers of the older name.
sparql_data_block = data_block


def update_text(changes: ChangeSet, *, state_graph: NamedNode | None = None) -> str:
    """The single SPARQL Update operation that applies ``changes`` (conditionally, when the
    change set carries a condition): ``DELETE { … } INSERT { … } WHERE { condition }``.

    :param state_graph: the graph that holds the ledger's state on this store (None: the
        default graph; a SPARQL server names it, see :mod:`claimledger.store.remote`).
    """
    removed = data_block(*_in_graphs(changes.removed, changes.extra_removed, state_graph))
    added = data_block(*_in_graphs(changes.added, changes.extra_quads, state_graph))
    if not removed and not added:
        return ""
    where = changes.condition.where() if changes.condition is not None else ""
    parts = []
    if removed:
        parts.append("DELETE {\n" + removed + "\n}")
    if added:
        parts.append("INSERT {\n" + added + "\n}")
    return "\n".join(parts) + "\nWHERE { " + where + " }"


def _in_graphs(state: Iterable[Triple], quads: Iterable[Quad], state_graph: NamedNode | None
               ) -> tuple[Iterable[Triple], dict[NamedNode, list[Triple]]]:
    graphs = _by_graph(quads)
    if state_graph is None:
        return state, graphs
    graphs.setdefault(state_graph, []).extend(state)
    return (), graphs


def _by_graph(quads: Iterable[Quad]) -> dict[NamedNode, list[Triple]]:
    graphs: dict[NamedNode, list[Triple]] = {}
    for q in quads:
        graphs.setdefault(q.graph_name, []).append(q.triple)
    return graphs
