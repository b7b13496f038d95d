"""Bulk import: a large RDF file recorded as one event, all or nothing, at loader speed.

A small import goes through the ordinary write path (:func:`claimledger.interchange.rdf.import_file`),
one SPARQL update. A large one would not fit in one transaction, so it is built in a private
copy of the store (the embedded store's ``staging``) and swapped in atomically when — and only
when — every step has succeeded:

1. Oxigraph's bulk loader reads the file straight into the new event's ``added`` graph;
2. what a ledger does not take is removed from it: derived facts (re-derived below), another
   ledger's own node, an export's audit trail; blank nodes are skolemised; triple terms and
   other named graphs are refused;
3. the triples already in the ledger are dropped from it, and the rest copied into the
   ledger's state (the default graph);
4. corroboration is re-derived for every claim (:mod:`claimledger.rules.rederive`) and the derived
   changes written to the state and the event's graphs;
5. the whole ledger is validated; a Violation refuses the import;
6. the event is described and chained like any other (the hash digests stream in bounded
   memory), and the copy becomes the ledger.

A crash at any point before the swap leaves the ledger as it was (the copy is swept away the
next time the ledger is opened for writing).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple

from claimledger import audit, resources
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.errors import InputError, LedgerError, RuleViolation
from claimledger.interchange.admit import EXPORTED_AUDIT_GRAPH, canonical_object
from claimledger.model import literals
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import StatusChange, WriteResult
from claimledger.rules.rederive import differences
from claimledger.store.base import Condition
from claimledger.store.oxigraph import OxigraphStore
from claimledger.validation import validate_store

_CL = V.CL


def bulk_import(ledger: LedgerCore, path: str | os.PathLike[str], rdf_format: RdfFormat, *,
                arguments: dict, reason: str | None = None) -> WriteResult:
    """Record the triples of ``path`` as one event through a staging copy (see module doc).

    :raises InputError: for a malformed file or content a ledger cannot hold.
    :raises RuleViolation: if the imported ledger breaks a sourcing rule.
    """
    store = ledger.store
    if "staging" not in store.capabilities:
        raise LedgerError("this ledger's store cannot build a bulk import in a staging copy")
    ledger.check_writable(reason)
    name = Path(path).name
    agent = ledger.agent_iri(ledger.agent_name)
    time = terms.now_literal()
    previous = audit.head(store, ledger.base)
    ev = audit.event_iri(ledger.base, previous.sequence + 1)
    added_g, removed_g = audit.added_graph(ev), audit.removed_graph(ev)
    _check_datatypes(path, rdf_format, name)
    with store.staging() as st:
        graphs_before = set(st.named_graphs())
        with _reading(name, rdf_format):
            st.bulk_load(path, rdf_format, graph=added_g)
        _check_graphs(st, graphs_before | {added_g}, name)
        _check_lexical_forms(st, added_g, name)
        plain = _plain_lines(path, rdf_format)
        if not plain and _has_triple_terms(st, added_g):
            raise InputError(f"{name!r} uses RDF 1.2 triple terms, which a ledger cannot hold "
                             "(rdflib and pyshacl do not read them)", argument="FILE")
        _drop_unimportable(st, added_g)
        if not plain:
            _skolemise(st, added_g, ledger.base)
        _drop_present(st, added_g)
        from claimledger.records.policies import check_imported

        has_policies = check_imported(
            ledger, ((t.subject, t.object) for t in st.triples(None, V.SHAPES, None, added_g)),
            name)
        st.bulk_add(Quad(t.subject, t.predicate, t.object, DefaultGraph())
                    for t in st.triples(None, None, None, added_g))
        if not any(True for _ in st.triples(agent, V.TYPE, V.PROV_AGENT)):
            agent_triples = [Triple(agent, V.TYPE, V.PROV_AGENT),
                             Triple(agent, V.LABEL, Literal(ledger.slug(agent)))]
            st.bulk_add(Quad(t.subject, t.predicate, t.object, g)
                        for t in agent_triples for g in (DefaultGraph(), added_g))
        changes, summary = _rederive_all(st, added_g, removed_g)
        report = validate_store(st, ledger.shapes)
        if not report.conforms:
            raise RuleViolation(report)
        affected = _affected(st, added_g, removed_g)
        _, description = audit.describe(
            base=ledger.base, ledger=ledger.node, previous=previous, agent=agent, time=time,
            command="import", arguments=arguments, reason=reason, affected=affected)
        digest = audit.event_hash(
            previous.hash, description,
            audit.set_digest(st.triples(None, None, None, removed_g)),
            audit.set_digest(st.triples(None, None, None, added_g)))
        quads, old_head = audit.seal(base=ledger.base, ledger=ledger.node, previous=previous,
                                     ev=ev, description=description, digest=digest)
        quads.extend(_signature(ledger, st, agent, ev, digest, added_g))
        st.bulk_add(quads)
        if old_head is not None:
            st.remove_quads([old_head])
        added = _count(st, added_g)
        removed = _count(st, removed_g)
        store.swap(st, condition=Condition(audit.audit_graph(ledger.base), ledger.node, V.HEAD,
                                           previous.iri))
    if has_policies:
        ledger.reload_shapes()
    return WriteResult(event=ev, sequence=previous.sequence + 1, hash=digest, created=None,
                       status_changes=changes, report=report, added=added, removed=removed,
                       summary=summary)


def _signature(ledger: LedgerCore, st: OxigraphStore, agent: NamedNode, ev: NamedNode,
               digest: str, added_g: NamedNode) -> list[Quad]:
    """The import's signature, as every write's (:mod:`claimledger.signing.events`); the
    imported graph may not bring key records or signatures."""
    from claimledger.signing.events import PlainWrite, guard_graph, sign_event
    from claimledger.signing.registry import StoreReader

    guard_graph(st, added_g, ledger.base)
    write = PlainWrite(agent, StoreReader(st))  # the staging copy: the ledger after the import
    return sign_event(ledger, write, ev, digest, audit.audit_graph(ledger.base))


def _check_graphs(st: OxigraphStore, expected: set, name: str) -> None:
    """Quads of an import file may only go to the default graph; an export's audit trail
    is dropped."""
    for graph in list(st.named_graphs()):
        if graph in expected:
            continue
        if isinstance(graph, NamedNode) and EXPORTED_AUDIT_GRAPH.search(graph.value):
            st.update(f"DROP SILENT GRAPH {graph}")
            continue
        raise InputError(
            f"{name!r} has triples in the named graph {graph}; import takes the default graph "
            "(and leaves out a claimledger export's audit trail) — merge your graphs first",
            argument="FILE")


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


def _check_lexical_forms(st: OxigraphStore, graph: NamedNode, name: str) -> None:
    """Refuse literals whose lexical form does not fit their datatype (``"c"^^xsd:integer``).

    The store keeps a valid typed literal as its value; only an ill-typed one comes back as
    written, and is found by checking the distinct typed literals the file brought.
    """
    types = " ".join(f"<{literals.XSD}{t}>" for t in sorted(literals.ACCEPTED - {"string", "anyURI"}))
    rows = st.select(f"SELECT DISTINCT ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} FILTER (isLiteral(?o) "
                     f"&& DATATYPE(?o) IN ({', '.join(types.split())})) }}")
    for row in rows:
        try:
            literals.canonical(row["o"])
        except literals.LexicalError as exc:
            example = next(st.triples(None, None, row["o"], graph))
            raise InputError(f"{name!r}: {exc}, in {example} .", argument="FILE") from None
    for raw, form in st.stored_as_written(graph):  # kept as written: make it canonical
        found = [Quad(t.subject, t.predicate, raw, graph)
                 for t in st.triples(None, None, raw, graph)]
        st.remove_quads(found)
        st.bulk_add(Quad(q.subject, q.predicate, form, graph) for q in found)


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


def _has_triple_terms(st: OxigraphStore, graph: NamedNode) -> bool:
    # Graph IRIs here are the ledger's own (base + event number), written by Oxigraph's
    # serialiser; no user text reaches these queries.
    return bool(st.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o FILTER(isTRIPLE(?s) || isTRIPLE(?o)) }} }}"))


def _drop_unimportable(st: OxigraphStore, graph: NamedNode) -> None:
    """Remove derived facts and another ledger's own nodes from the imported graph."""
    derived = " ".join(str(p) for p in sorted(V.DERIVED_PROPERTIES, key=str))
    st.update(f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
              f"VALUES ?p {{ {derived} }} }}")
    foreign = f"{V.LEDGER} {V.SH_PREFIX_DECLARATION} {V.EVENT} {V.PUBLIC_KEY}"
    st.update(f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} {{ ?s a ?t . "
              f"?s ?p ?o }} VALUES ?t {{ {foreign} }} }}")


def _skolemise(st: OxigraphStore, graph: NamedNode, base: str) -> None:
    """Replace blank nodes in the imported graph by IRIs under ``<base>.well-known/genid/``."""
    rows = list(st.query(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}"))
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

    st.remove_quads(Quad(r["s"], r["p"], r["o"], graph) for r in rows)
    st.bulk_add(Quad(fix(r["s"]), r["p"], fix(r["o"]), graph) for r in rows)


def _drop_present(st: OxigraphStore, graph: NamedNode) -> None:
    """Remove from the imported graph what the ledger already holds: it is not added."""
    present = [Quad(t.subject, t.predicate, t.object, graph) for t in st.triples(None, None, None)
               if any(True for _ in st.triples(t.subject, t.predicate, t.object, graph))]
    st.remove_quads(present)


def _rederive_all(st: OxigraphStore, added_g: NamedNode, removed_g: NamedNode
              ) -> tuple[list[StatusChange], dict[str, int]]:
    """Re-derive every claim; write the differences to the state and the event's graphs."""
    adds: list[Triple] = []
    removes: list[Triple] = []
    summary: dict[str, int] = {}
    changes: list[StatusChange] = []
    for diff in differences(st):
        adds.extend(diff.added)
        removes.extend(diff.removed)
        summary[diff.status_after] = summary.get(diff.status_after, 0) + 1
        if diff.status_before != diff.status_after and len(changes) < 1000:
            changes.append(StatusChange(diff.claim, diff.status_before, diff.status_after, None, 0))
        if len(adds) > 500_000:
            _flush(st, adds, removes, added_g, removed_g)
    _flush(st, adds, removes, added_g, removed_g)
    return changes, summary


def _flush(st, adds, removes, added_g, removed_g) -> None:
    # A triple removed now but added by the import itself is simply not added.
    imported = [Quad(t.subject, t.predicate, t.object, added_g) for t in removes]
    in_import = [q for q in imported
                 if any(True for _ in st.triples(q.subject, q.predicate, q.object, added_g))]
    st.remove_quads(in_import)
    in_import_t = {q.triple for q in in_import}
    st.remove_quads(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in removes)
    st.bulk_add(Quad(t.subject, t.predicate, t.object, removed_g)
                for t in removes if t not in in_import_t)
    st.bulk_add(Quad(t.subject, t.predicate, t.object, g) for t in adds
                for g in (DefaultGraph(), added_g))
    adds.clear()
    removes.clear()


def _affected(st: OxigraphStore, added_g: NamedNode, removed_g: NamedNode) -> set[NamedNode]:
    """Claims and sources whose recorded state the import changed."""
    rows = st.query(resources.query("bulk-affected").replace(
        "#GRAPHS#", f"VALUES ?g {{ {added_g} {removed_g} }}", 1))
    return {r["n"] for r in rows if isinstance(r["n"], NamedNode)}


def _count(st: OxigraphStore, graph: NamedNode) -> int:
    rows = list(st.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))
    return int(rows[0]["n"].value)

