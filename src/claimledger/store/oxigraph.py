"""The :class:`~claimledger.store.base.Store` contract over a pyoxigraph store, on disk or in memory.

Results are turned into claimledger's own (:class:`~claimledger.store.base.Rows`, ``bool``,
triples) with every literal in canonical form: Oxigraph keeps typed literals as values and
gives back its own lexical forms (``"3.0E1"^^xsd:double`` as ``"30"``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from typing import IO

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryTriples,
    RdfFormat,
    Triple,
    Variable,
)
from pyoxigraph import Store as _OxStore
from pyoxigraph import parse, serialize

from claimledger.errors import InputError, LedgerChanged, LedgerError
from claimledger.model import ntriples
from claimledger.model.literals import LANG_STRING, XSD, canonical
from claimledger.store.base import Bindings, ChangeSet, QueryResult, Rows, Term, update_text
from claimledger.store.bindings import inline

#: Datatypes whose Oxigraph form differs from claimledger's canonical one (see dump).
_REPRINTED = ("http://www.w3.org/2001/XMLSchema#double", "http://www.w3.org/2001/XMLSchema#float")
_REPRINTED_LINE_ENDS = tuple(f"^^<{t}> ." for t in _REPRINTED)
_REPRINTED_BLOCK_ENDS = tuple(f"{end}\n".encode() for end in _REPRINTED_LINE_ENDS)


def _canon(term):
    return canonical(term, strict=False) if type(term) is Literal else term


def _canon_triple(t: Triple) -> Triple:
    o = t.object
    if type(o) is Literal:
        c = canonical(o, strict=False)
        if c is not o:
            return Triple(t.subject, t.predicate, c)
    return t


def _reprinted(line: str) -> str:
    """A canonical N-Triples line for a line Oxigraph wrote."""
    [t] = parse(line.encode("utf-8"), RdfFormat.N_TRIPLES)
    return ntriples.line(_canon_triple(t))


class OxigraphStore:
    """The :class:`Store` contract over a pyoxigraph store (on disk or in memory).

    :param store: the pyoxigraph store; an in-memory one when omitted.
    :param writable: whether :meth:`apply` and the bulk methods are allowed.
    """

    #: What this backend can do beyond the contract (see :class:`~claimledger.store.base.Store`).
    capabilities: frozenset[str] = frozenset({"canonical-lines"})

    def __init__(self, store: _OxStore | None = None, *, writable: bool = True) -> None:
        self._store = store if store is not None else _OxStore()
        self.writable = writable
        #: Serialises apply() within this process: the condition check and the update together.
        self._apply_lock = threading.Lock()

    # -- reading -------------------------------------------------------------------------
    def _run(self, sparql: str, bindings: Bindings | None):
        """Bound values go in as every backend takes them (:mod:`.bindings`); only blank
        nodes, which standard SPARQL cannot name, are bound by the engine itself."""
        subs = None
        try:
            if bindings and any(isinstance(v, BlankNode) for v in bindings.values()):
                subs = {Variable(k): v for k, v in bindings.items()}
            elif bindings:
                sparql = inline(sparql, bindings)
            return self._store.query(sparql, substitutions=subs)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise LedgerError(f"the ledger store failed: {exc}") from None

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryResult:
        result = self._run(sparql, bindings)
        try:
            if isinstance(result, QueryBoolean):
                return bool(result)
            if isinstance(result, QueryTriples):
                return [_canon_triple(t) for t in result]
            variables = [v.value for v in result.variables]
            n = len(variables)
            return Rows(variables, (tuple(_canon(s[i]) for i in range(n)) for s in result))
        except OSError as exc:  # raised while the solutions are computed, not by query()
            raise LedgerError(f"the query failed: {exc}") from None

    def select(self, sparql: str, bindings: Bindings | None = None) -> Rows:
        result = self.query(sparql, bindings)
        if not isinstance(result, Rows):
            raise InputError("expected a SELECT query")
        return result

    def ask(self, sparql: str, bindings: Bindings | None = None) -> bool:
        result = self.query(sparql, bindings)
        if not isinstance(result, bool):
            raise InputError("expected an ASK query")
        return result

    def construct(self, sparql: str, bindings: Bindings | None = None) -> list[Triple]:
        result = self.query(sparql, bindings)
        if not isinstance(result, list):
            raise InputError("expected a CONSTRUCT or DESCRIBE query")
        return result

    def triples(self, subject: Term | None, predicate: NamedNode | None, obj: Term | None,
                graph: NamedNode | DefaultGraph | None = None) -> Iterator[Triple]:
        for q in self._store.quads_for_pattern(subject, predicate, obj, graph or DefaultGraph()):
            yield _canon_triple(q.triple)

    def quads(self) -> Iterator[Quad]:
        for q in self._store:
            o = q.object
            yield Quad(q.subject, q.predicate, _canon(o), q.graph_name) if type(o) is Literal else q

    def canonical_lines(self, graph: NamedNode | BlankNode | DefaultGraph) -> Iterator[list[str]]:
        """The triples of ``graph`` as canonical N-Triples lines (:func:`ntriples.line` of
        what :meth:`triples` gives), in the store's order, a block of lines at a time.
        Oxigraph's own N-Triples writer escapes as canonical N-Triples does, and prints every
        literal as claimledger does except those of :data:`_REPRINTED` datatypes: those lines
        alone are made again. The writer's output goes through a temporary file."""
        import tempfile  # only an export (tempfile loads shutil, bz2, lzma…)

        with tempfile.TemporaryFile() as f:
            self._store.dump(f, RdfFormat.N_TRIPLES, from_graph=graph)
            f.seek(0)
            rest = b""
            while block := f.read(1 << 24):
                block = rest + block
                cut = block.rfind(b"\n") + 1
                block, rest = block[:cut], block[cut:]
                lines = block.decode("utf-8").split("\n")
                lines.pop()  # after the last line break
                if any(end in block for end in _REPRINTED_BLOCK_ENDS):
                    lines = [_reprinted(line) if line.endswith(_REPRINTED_LINE_ENDS) else line
                             for line in lines]
                yield lines
            if rest:  # pragma: no cover - the writer ends every line
                raise LedgerError("the store's N-Triples dump ended inside a line")

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]:
        return self._store.named_graphs()

    def dump(self, output: IO[bytes], fmt: RdfFormat, *, graph: DefaultGraph | NamedNode | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        if not self._has_reprinted():  # Oxigraph's forms are canonical ones: its own dump
            self._store.dump(output, fmt, from_graph=graph, prefixes=prefixes)
            return
        if graph is not None:
            data: Iterable = (_canon_triple(q.triple) for q in self._store.quads_for_pattern(
                None, None, None, graph))
        else:
            data = self.quads()
        serialize(data, output, fmt, prefixes=prefixes)

    def _has_reprinted(self) -> bool:
        """Whether the store holds a literal that Oxigraph prints otherwise than claimledger."""
        return bool(self._store.query(
            "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER (isLiteral(?o) && "
            f"DATATYPE(?o) IN (<{_REPRINTED[0]}>, <{_REPRINTED[1]}>)) }}"))

    def typed_literals(self, datatypes: set[str],
                       graph: NamedNode | DefaultGraph | None = None) -> Iterator[Literal]:
        """The distinct literals of ``graph`` (of every graph when None) whose datatype IRI is
        one of ``datatypes``, as the store holds them (not made canonical)."""
        pattern = ("{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }" if graph is None
                   else "{ ?s ?p ?o }" if isinstance(graph, DefaultGraph)
                   else f"GRAPH {graph} {{ ?s ?p ?o }}")
        # The datatype is tested here, not in the query: on a store on disk `DATATYPE(?o) IN
        # (…twenty IRIs…)` took 10.6 s for the 281,438 triples of 10,000 claims, two `!=` 1.3 s.
        rows = self._store.query(f"SELECT DISTINCT ?o WHERE {{ {pattern} FILTER (isLiteral(?o) "
                                 f"&& DATATYPE(?o) != <{XSD}string> "
                                 f"&& DATATYPE(?o) != <{LANG_STRING}>) }}")
        for row in rows:
            if row[0].datatype.value in datatypes:
                yield row[0]

    def stored_as_written(self, graph: NamedNode | DefaultGraph) -> list[tuple[Literal, Literal]]:
        """Typed literals of ``graph`` that Oxigraph keeps as written rather than as values
        (integers and decimals beyond its ranges: ``"+99999999999999999999"``), with their
        canonical forms: a store that is to match canonical terms must hold these rewritten."""
        out = []
        for raw in self.typed_literals({f"{XSD}integer", f"{XSD}decimal"}, graph):
            form = canonical(raw, strict=False)
            if form != raw and not any(True for _ in self._store.quads_for_pattern(
                    None, None, form, graph)):
                out.append((raw, form))
        return out

    # -- writing -------------------------------------------------------------------------
    def apply(self, changes: ChangeSet) -> None:
        self._require_write()
        text = update_text(changes)
        if not text:
            return
        with self._apply_lock:
            try:
                self._store.update(text)
            except OSError as exc:
                raise LedgerError(f"the ledger store failed; nothing was written: {exc}") from None
            receipt = changes.receipt
            if receipt is not None and not any(True for _ in self._store.quads_for_pattern(
                    receipt.subject, receipt.predicate, receipt.object, receipt.graph_name)):
                raise LedgerChanged()

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

    def flush(self) -> None:
        self._store.flush()

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
