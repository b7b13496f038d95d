"""Bulk import: a large RDF file recorded as one event, all or nothing, at loader speed.

A small import goes through the ordinary write path (:func:`claimledger.interchange.rdf.import_file`),
one SPARQL update. A large one would not fit in one transaction, so it is built in a private
copy of the store (the embedded store's ``staging``) and swapped in atomically when — and only
when — every step has succeeded:

1. Oxigraph's bulk loader reads the file into an empty scratch store of its own, so that its
   named graphs stay its own; triple terms are refused, blank nodes skolemised;
2. the rule of :mod:`claimledger.interchange.admit` — the same as on the ordinary path —
   decides what the file may add: an export's audit trail and own ledger node are left out,
   derived facts dropped (re-derived below), and anything else only claimledger writes is
   refused, naming the first offending quad; prefixes are checked as ``prefix add`` does;
3. the triples the ledger already holds are dropped, and the rest written to the new event's
   ``added`` graph and the ledger's state (the default graph) of the staging copy; a file
   that adds nothing is recorded as nothing (no event). A file of N-Triples or N-Quads lines
   without blank nodes or triple terms is read for this a second time from the parser, its
   literals checked and made canonical as they pass, rather than back from the scratch
   store: on disk, every term read back is a lookup (15–24 µs a quad measured on the 10k
   benchmark file, against 3.8 µs to parse it); other files are read back from the store,
   after their blank nodes are skolemised and their literals checked there;
4. corroboration is re-derived for every claim (:mod:`claimledger.rules.rederive`) and, in
   the same pass, each claim's facts kept for the reports computed from its derivation as a
   write computes them (:class:`claimledger.rules.materialised.Recount`), the tallies counted
   after; the derived changes are written to the state and the event's graphs;
5. the whole ledger is validated; a Violation refuses the import;
6. the event is described and chained like any other, the digest of its ``added`` graph
   kept as the graph was written (:class:`claimledger.audit.SetDigest`, bounded memory: 32
   bytes a triple, spilled in sorted runs), and the copy becomes the ledger.

A crash at any point before the swap leaves the ledger as it was (the copy is swept away the
next time the ledger is opened for writing).
"""

from __future__ import annotations

import errno
import os
import re
import uuid
from time import perf_counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple

from claimledger import audit, resources
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.errors import InputError, LedgerError, RuleViolation
from claimledger.interchange.admit import Admission, canonical_object
from claimledger.model import literals
from claimledger.records.prefixes import check_prefix, prefix_triples
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import StatusChange, WriteResult
from claimledger.rules import materialised
from claimledger.rules.corroboration import Lineage
from claimledger.rules.rederive import derivations, sources_lineage
from claimledger.store.base import Condition
from claimledger.store.oxigraph import OxigraphStore
from claimledger.validation import validate_store

_CL = V.CL


#: The phases of a bulk import, in order (:attr:`WriteResult.phases` times each).
PHASES = (
    "read the file's datatypes",
    "make the scratch and staging stores",
    "load the file (Oxigraph's bulk loader)",
    "check the file: terms, lexical forms, blank nodes, graphs, prefixes",
    "leave out what the ledger holds",
    "admit and copy into the state and the event's graph",
    "policies and the agent",
    "re-derive every claim and the facts kept for the reports",
    "count the tallies kept for the reports",
    "validate the whole ledger",
    "describe and hash the event",
    "seal and sign the event",
    "make the copy the ledger",
)


def bulk_import(ledger: LedgerCore, path: str | os.PathLike[str], rdf_format: RdfFormat, *,
                arguments: dict, reason: str | None = None,
                progress: Callable[[int, int], None] | None = None) -> WriteResult:
    """Record the triples of ``path`` as one event through a staging copy (see module doc).

    :param progress: called with ``(phases done, phases in all)`` as each of :data:`PHASES`
        ends (a million claims take hours).

    :raises InputError: for a malformed file or content a ledger cannot hold.
    :raises RuleViolation: if the imported ledger breaks a sourcing rule.
    """
    store = ledger.store
    if "staging" not in store.capabilities:
        raise LedgerError("this ledger's store cannot build a bulk import in a staging copy")
    ledger.check_writable(reason)
    try:
        return _bulk_import(ledger, path, rdf_format, arguments=arguments, reason=reason,
                            progress=progress)
    except _NothingToAdd as nothing:
        return WriteResult.nothing_written(ledger, nothing.args[0])
    except OSError as exc:  # the store, not the file (read whole for its digest already)
        raise _store_failed(exc, Path(path), store) from None


class _NothingToAdd(Exception):
    """The file adds nothing the ledger does not hold: the staging copy is discarded."""


def _bulk_import(ledger: LedgerCore, path, rdf_format: RdfFormat, *, arguments: dict,
                 reason: str | None, progress: Callable[[int, int], None] | None
                 ) -> WriteResult:
    store = ledger.store
    name = Path(path).name
    agent = ledger.agent_iri(ledger.agent_name)
    time = terms.now_literal()
    previous = audit.head(store, ledger.base)
    ev = audit.event_iri(ledger.base, previous.sequence + 1)
    added_g, removed_g = audit.added_graph(ev), audit.removed_graph(ev)
    mark = _Phases(progress)
    _check_datatypes(path, rdf_format, name)
    mark("read the file's datatypes")
    with store.scratch() as file, store.staging() as st:
        mark("make the scratch and staging stores")
        # The file, as it is, in a store of its own: its named graphs are its own.
        _load(file, path, rdf_format, name)
        mark("load the file (Oxigraph's bulk loader)")
        # A file of N-Triples or N-Quads lines without blank nodes or triple terms is read
        # again from the parser below, checked as it is copied: reading a large store back
        # costs far more (every term looked up on disk) than parsing the file.
        streamed = _plain_lines(path, rdf_format)
        if not streamed:
            if _has_triple_terms(file):
                raise InputError(f"{name!r} uses RDF 1.2 triple terms, which a ledger cannot "
                                 "hold (rdflib and pyshacl do not read them)", argument="FILE")
            _check_lexical_forms(file, name)
            _skolemise(file, ledger.base)
        admission = Admission(ledger, file, name)
        admission.check_graphs(list(file.named_graphs()), first_quad=lambda g: next(
            iter(file.triples(None, None, None, g))))
        prefixes = admission.check_prefixes(
            lambda n, ns: check_prefix(ledger, n, ns, name_argument="FILE", iri_argument="FILE"))
        mark("check the file: terms, lexical forms, blank nodes, graphs, prefixes")
        held = _Held(file, store)
        if streamed:
            triples = _parsed(path, rdf_format, name, held)
        else:
            file.remove_quads([Quad(t.subject, t.predicate, t.object, DefaultGraph())
                               for t in held.in_file(file)])
            triples = file.triples(None, None, None)
        mark("leave out what the ledger holds")
        event = _EventGraphs(st, added_g, removed_g, ledger.base)
        added = event.add(admission.admit(triples))
        added += event.add(t for n, ns in sorted(prefixes.items())
                           for t in prefix_triples(ledger, n, ns))
        if not added:
            raise _NothingToAdd(admission.notes())
        mark("admit and copy into the state and the event's graph")
        from claimledger.records.policies import check_imported

        has_policies = check_imported(
            ledger, ((t.subject, t.object) for t in st.triples(None, V.SHAPES, None, added_g)),
            name)
        if not any(True for _ in st.triples(agent, V.TYPE, V.PROV_AGENT)):
            event.add([Triple(agent, V.TYPE, V.PROV_AGENT),
                       Triple(agent, V.LABEL, Literal(ledger.slug(agent)))])
        mark("policies and the agent")
        lineage = sources_lineage(st)
        recount = materialised.Recount(st, ledger.base, lineage) if ledger.materialised else None
        changes, summary = _rederive_all(st, event, lineage, recount)
        mark("re-derive every claim and the facts kept for the reports")
        if recount is not None:
            event.flush(*recount.tallies(st))
        mark("count the tallies kept for the reports")
        report = validate_store(st, ledger.shapes)
        if not report.conforms:
            raise RuleViolation(report)
        mark("validate the whole ledger")
        affected = _affected(st, added_g, removed_g)
        _, description = audit.describe(
            base=ledger.base, ledger=ledger.node, previous=previous, agent=agent, time=time,
            command="import", arguments=arguments, reason=reason, affected=affected)
        digest = audit.event_hash(
            previous.hash, description,
            audit.set_digest(st.triples(None, None, None, removed_g)), event.added_digest())
        mark("describe and hash the event")
        quads, old_head = audit.seal(base=ledger.base, ledger=ledger.node, previous=previous,
                                     ev=ev, description=description, digest=digest)
        quads.extend(_signature(ledger, st, agent, ev, digest))
        st.bulk_add(quads)
        if old_head is not None:
            st.remove_quads([old_head])
        mark("seal and sign the event")
        added = _count(st, added_g)
        removed = _count(st, removed_g)
        store.swap(st, condition=Condition(audit.audit_graph(ledger.base), ledger.node, V.HEAD,
                                           previous.iri))
        mark("make the copy the ledger")
    if has_policies:
        ledger.reload_shapes()
    ledger.prefixes.update(prefixes)
    return WriteResult(event=ev, sequence=previous.sequence + 1, hash=digest, created=None,
                       status_changes=changes, report=report, added=added, removed=removed,
                       summary=summary, notes=admission.notes(), phases=mark.seconds)


class _Phases:
    """Wall seconds per phase of an import, in order: each call ends the phase named (one of
    :data:`PHASES`) and tells ``progress``."""

    def __init__(self, progress: Callable[[int, int], None] | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self._last = perf_counter()
        self._progress = progress

    def __call__(self, name: str) -> None:
        now = perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._last
        self._last = now
        if self._progress is not None:
            self._progress(PHASES.index(name) + 1, len(PHASES))


def _load(file: OxigraphStore, path, rdf_format: RdfFormat, name: str) -> None:
    """Bulk-load ``path`` into the scratch store ``file``.

    :raises InputError: when the file is malformed or cannot be read.
    :raises OSError: when the store cannot be written (the disk is full, say).
    """
    try:
        file.bulk_load(path, rdf_format)
    except SyntaxError as exc:
        raise InputError(f"{name!r} is not valid {rdf_format.name}: {exc}", argument="FILE") from None
    except ValueError as exc:
        raise InputError(f"{name!r} cannot be read as {rdf_format.name}: {exc}",
                         argument="FILE") from None
    except MemoryError as exc:  # the parser refuses a term over its buffer limit
        raise InputError(f"{name!r} holds a term too large to read ({exc})",
                         argument="FILE") from None
    except OSError as exc:
        try:
            with open(path, "rb") as fh:
                fh.read(1)
        except OSError as gone:
            raise InputError(f"cannot read {name!r}: {gone.strerror or gone}",
                             argument="FILE") from None
        raise exc


def _signature(ledger: LedgerCore, st: OxigraphStore, agent: NamedNode, ev: NamedNode,
               digest: str) -> list[Quad]:
    """The import's signature, as every write's (:mod:`claimledger.signing.events`; what the
    import adds was checked against key records and signatures as it was written)."""
    from claimledger.signing.events import PlainWrite, sign_event
    from claimledger.signing.registry import StoreReader

    write = PlainWrite(agent, StoreReader(st))  # the staging copy: the ledger after the import
    return sign_event(ledger, write, ev, digest, audit.audit_graph(ledger.base))


class _EventGraphs:
    """What the import writes: a triple added goes to the state and the event's ``added``
    graph, one removed from the state to its ``removed`` graph.

    The ``added`` graph's digest is kept as it is written (:class:`~claimledger.audit.SetDigest`)
    rather than read back from the store (a million claims' graph is 28 million quads), and
    every triple added is checked against keys and signatures as every write is
    (:func:`~claimledger.signing.events.guard`): an import cannot bring them.
    """

    def __init__(self, st: OxigraphStore, added_g: NamedNode, removed_g: NamedNode,
                 base: str) -> None:
        self.st, self.added_g, self.removed_g = st, added_g, removed_g
        self._base = base
        self._digest = audit.SetDigest()

    def add(self, triples: Iterable[Triple]) -> int:
        """Write ``triples`` (any iterable, read once) to the state and the event's graph;
        the number given (a triple given twice counts twice)."""
        from claimledger.signing.events import guard, guarded

        added = self.added_g
        keys = self._base + "key/"
        count = [0]

        def both() -> Iterator[Quad]:
            for t in triples:
                if guarded(t, keys):
                    guard(self._base, [t], [])
                self._digest.add(t)
                count[0] += 1
                yield Quad(t.subject, t.predicate, t.object, added)
                yield Quad(t.subject, t.predicate, t.object, DefaultGraph())
        self.st.bulk_add(both())
        return count[0]

    def flush(self, adds: list[Triple], removes: list[Triple]) -> None:
        """Write derived changes (and empty both lists). A triple removed now but added by the
        import itself is simply not added."""
        st, added_g = self.st, self.added_g
        imported = [Quad(t.subject, t.predicate, t.object, added_g) for t in removes]
        in_import = [q for q in imported
                     if any(True for _ in st.triples(q.subject, q.predicate, q.object, added_g))]
        st.remove_quads(in_import)
        for q in in_import:
            self._digest.discard(q.triple)
        in_import_t = {q.triple for q in in_import}
        st.remove_quads(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in removes)
        st.bulk_add(Quad(t.subject, t.predicate, t.object, self.removed_g)
                    for t in removes if t not in in_import_t)
        self.add(adds)
        adds.clear()
        removes.clear()

    def added_digest(self) -> bytes:
        """The ``added`` graph's :func:`~claimledger.audit.set_digest` (once, at the end)."""
        return self._digest.digest()


_XSD_DATATYPE = re.compile(rb"\^\^<http://www\.w3\.org/2001/XMLSchema#([A-Za-z]+)>")


def _check_datatypes(path, rdf_format: RdfFormat, name: str) -> None:
    """Refuse a file with literals of a datatype claimledger does not take, before loading it:
    the store would keep some of them (``xsd:byte``) only as a value of another datatype.

    N-Triples and N-Quads are scanned as bytes for the datatype IRIs they use, and parsed only
    if one is refused (to find and name the triple); Turtle and TriG, which may abbreviate the
    IRIs, are parsed.
    """
    if rdf_format in (RdfFormat.N_TRIPLES, RdfFormat.N_QUADS):
        used: set[str] = set()
        tail = b""
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 22), b""):
                block = tail + chunk
                used.update(m.group(1).decode() for m in _XSD_DATATYPE.finditer(block))
                tail = block[-80:]
        if used <= literals.ACCEPTED:
            return
    with _reading(name, rdf_format):
        for quad in ox.parse(path=str(path), format=rdf_format):
            if isinstance(quad.object, Literal):
                canonical_object(quad, name)


@contextmanager
def _reading(name: str, rdf_format: RdfFormat) -> Iterator[None]:
    """Turn what Oxigraph's parsers raise into an InputError naming the file."""
    try:
        yield
    except SyntaxError as exc:
        raise InputError(f"{name!r} is not valid {rdf_format.name}: {exc}", argument="FILE") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{name!r} cannot be read as {rdf_format.name}: {exc}",
                         argument="FILE") from None
    except MemoryError as exc:  # the parser refuses a term over its buffer limit
        raise InputError(f"{name!r} holds a term too large to read ({exc})", argument="FILE") from None


def _check_lexical_forms(file: OxigraphStore, name: str) -> None:
    """Refuse literals whose lexical form does not fit their datatype (``"c"^^xsd:integer``),
    and rewrite in canonical form those the store keeps as written.

    The store keeps a valid typed literal as its value; only an ill-typed one comes back as
    written, and is found by checking the distinct typed literals the file brought (in any
    graph of the scratch store: its named graphs are checked the same way).
    """
    checked = {literals.XSD + t for t in literals.ACCEPTED - {"string", "anyURI"}}
    for term in file.typed_literals(checked):
        try:
            literals.canonical(term)
        except literals.LexicalError as exc:
            where = next(iter(file.select("SELECT ?s ?p WHERE { { ?s ?p ?o } UNION "
                                          "{ GRAPH ?g { ?s ?p ?o } } } LIMIT 1", {"o": term})))
            example = Triple(where["s"], where["p"], term)
            raise InputError(f"{name!r}: {exc}, in {example} .", argument="FILE") from None
    for raw, form in file.stored_as_written(DefaultGraph()):  # kept as written: make it canonical
        found = [Quad(t.subject, t.predicate, raw, DefaultGraph())
                 for t in file.triples(None, None, raw)]
        file.remove_quads(found)
        file.bulk_add(Quad(q.subject, q.predicate, form, DefaultGraph()) for q in found)


def _store_failed(exc: OSError, path: Path, store) -> LedgerError:
    """What to say when writing the ledger's store failed during a bulk import."""
    directory = getattr(store, "directory", path.parent)
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc)
    try:
        stats = os.statvfs(directory)
        full = full or stats.f_bavail * stats.f_frsize < 16 * 1024 * 1024
    except OSError:
        pass
    if full:
        return LedgerError(f"the disk holding the ledger ({directory}) is full: the import of "
                           f"{path.name!r} could not be written; nothing was written — free "
                           "some space and import again")
    return LedgerError(f"the ledger's store could not be written during the import of "
                       f"{path.name!r} ({exc}); nothing was written")


def _plain_lines(path, rdf_format: RdfFormat) -> bool:
    """True when an N-Triples / N-Quads file has neither blank nodes nor triple terms: a
    byte scan for ``_:`` and ``<<`` (which can also occur inside literals, then the file is
    merely checked the slow way) instead of two queries over everything loaded."""
    if rdf_format not in (RdfFormat.N_TRIPLES, RdfFormat.N_QUADS):
        return False
    tail = b""
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            block = tail + chunk
            if b"_:" in block or b"<<" in block:
                return False
            tail = chunk[-1:]
    return True


def _has_triple_terms(file: OxigraphStore) -> bool:
    return bool(file.query("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } "
                           "FILTER(isTRIPLE(?s) || isTRIPLE(?o)) }"))


def _skolemise(file: OxigraphStore, base: str) -> None:
    """Replace blank nodes in the file's default graph by IRIs under ``<base>.well-known/genid/``."""
    rows = list(file.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }"))
    if not rows:
        return
    genid = f"{base}.well-known/genid/{uuid.uuid4().hex}/"
    names: dict[str, NamedNode] = {}

    def fix(term):
        if isinstance(term, BlankNode):
            if term.value not in names:
                names[term.value] = NamedNode(genid + str(len(names) + 1))
            return names[term.value]
        return term

    file.remove_quads(Quad(r["s"], r["p"], r["o"], DefaultGraph()) for r in rows)
    file.bulk_add(Quad(fix(r["s"]), r["p"], fix(r["o"]), DefaultGraph()) for r in rows)


class _Held:
    """What the ledger already holds of the file's default graph: it adds nothing.

    Looked up from the smaller side: the ledger's triples in the file when the ledger holds
    fewer than the file (a first import into a new ledger: a handful of lookups, kept as a set),
    else each of the file's triples in the ledger."""

    def __init__(self, file: OxigraphStore, ledger_store) -> None:
        size = int(next(iter(file.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
        ours = list(islice(ledger_store.triples(None, None, None), size + 1))
        self._ledger = ledger_store
        self.few: set[Triple] | None = None
        if len(ours) <= size:
            self.few = {t for t in ours
                        if any(True for _ in file.triples(t.subject, t.predicate, t.object))}

    def __contains__(self, t: Triple) -> bool:
        if self.few is not None:
            return t in self.few
        return any(True for _ in self._ledger.triples(t.subject, t.predicate, t.object))

    def in_file(self, file: OxigraphStore) -> Iterable[Triple]:
        """The held triples, from the file's store (its default graph)."""
        return self.few if self.few is not None else [
            t for t in file.triples(None, None, None) if t in self]


def _parsed(path, rdf_format: RdfFormat, name: str, held: _Held) -> Iterator[Triple]:
    """The file's default graph as the parser reads it, literals made canonical, without what
    the ledger holds: what the scratch store holds after :func:`_check_lexical_forms`, for a
    file of plain lines (no blank nodes to skolemise). Every literal of the file, in any
    graph, is checked for its datatype as that function checks the store's.

    :raises InputError: naming the first triple with a literal not valid for its datatype.
    """
    with _reading(name, rdf_format):
        for q in ox.parse(path=str(path), format=rdf_format):
            t = q.triple
            if type(q.object) is Literal:
                o = canonical_object(q, name)
                if o is not q.object:
                    t = Triple(q.subject, q.predicate, o)
            if type(q.graph_name) is DefaultGraph and t not in held:
                yield t


def _rederive_all(st: OxigraphStore, event: _EventGraphs, lineage: Lineage,
                  recount: materialised.Recount | None
                  ) -> tuple[list[StatusChange], dict[str, int]]:
    """Re-derive every claim, and with ``recount`` the facts kept for the reports of each;
    write the differences to the state and the event's graphs (half a million triples at a
    time: each batch of claims is read afresh, and writes reach only the claims already
    derived, their evidence and their support nodes)."""
    adds: list[Triple] = []
    removes: list[Triple] = []
    summary: dict[str, int] = {}
    changes: list[StatusChange] = []
    for derived in derivations(st, lineage):
        diff = derived.difference
        if diff is not None:
            adds.extend(diff.added)
            removes.extend(diff.removed)
            summary[diff.status_after] = summary.get(diff.status_after, 0) + 1
            if diff.status_before != diff.status_after and len(changes) < 1000:
                changes.append(StatusChange(diff.claim, diff.status_before, diff.status_after,
                                            diff.origins_before, diff.origins_after))
        if recount is not None:
            more, fewer = recount.claim(derived)
            adds.extend(more)
            removes.extend(fewer)
        if len(adds) + len(removes) > 500_000:
            event.flush(adds, removes)
    if recount is not None:
        more, fewer = recount.rest()
        adds.extend(more)
        removes.extend(fewer)
    event.flush(adds, removes)
    return changes, summary


def _affected(st: OxigraphStore, added_g: NamedNode, removed_g: NamedNode) -> set[NamedNode]:
    """Claims and sources whose recorded state the import changed."""
    rows = st.query(resources.query("bulk-affected").replace(
        "#GRAPHS#", f"VALUES ?g {{ {added_g} {removed_g} }}", 1))
    return {r["n"] for r in rows if isinstance(r["n"], NamedNode)}


def _count(st: OxigraphStore, graph: NamedNode) -> int:
    rows = list(st.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))
    return int(rows[0]["n"].value)

