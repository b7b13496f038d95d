"""The store contract (claimledger.store.base.Store), checked on every backend.

Every backend must: give claimledger's own results (Rows, bool, triples) whatever the engine;
hand literals back in claimledger's canonical form; bind values as terms, whatever they hold;
apply a change set whole or not at all, and only while its condition holds; bulk-load a file.
"""

from __future__ import annotations

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple

from claimledger.errors import InputError, LedgerChanged, LedgerError
from claimledger.model import literals
from claimledger.store.base import ChangeSet, Condition, Row, Rows

XSD = "http://www.w3.org/2001/XMLSchema#"
S, P, Q = NamedNode("urn:s"), NamedNode("urn:p"), NamedNode("urn:q")
G = NamedNode("urn:graph")


def dt(local: str) -> NamedNode:
    return NamedNode(XSD + local)


def changes(*triples: Triple, quads=(), condition=None, receipt=None) -> ChangeSet:
    ch = ChangeSet()
    for t in triples:
        ch.add(t.subject, t.predicate, t.object)
    ch.extra_quads.extend(quads)
    ch.condition, ch.receipt = condition, receipt
    return ch


def everything(store) -> set[Quad]:
    return set(store.quads())


# -- results ------------------------------------------------------------------------------------

def test_select_gives_rows_by_name_and_position(store):
    store.apply(changes(Triple(S, P, Literal("a")), Triple(S, Q, NamedNode("urn:o"))))
    rows = store.select("SELECT ?p ?o ?none WHERE { <urn:s> ?p ?o OPTIONAL { ?o <urn:x> ?none } } "
                        "ORDER BY ?p")
    assert isinstance(rows, Rows)
    assert rows.variables == ["p", "o", "none"]
    got = [(r["p"], r["o"], r["none"]) for r in rows]
    assert got == [(P, Literal("a"), None), (Q, NamedNode("urn:o"), None)]
    first = next(iter(rows))
    assert isinstance(first, Row) and first[0] == P and tuple(first) == (P, Literal("a"), None)
    with pytest.raises(KeyError):
        first["unknown"]


def test_ask_is_a_bool_and_construct_is_triples(store):
    store.apply(changes(Triple(S, P, Literal("a"))))
    assert store.ask("ASK { <urn:s> <urn:p> \"a\" }") is True
    assert store.ask("ASK { <urn:s> <urn:p> \"b\" }") is False
    built = store.construct("CONSTRUCT { ?s <urn:copy> ?o } WHERE { ?s <urn:p> ?o }")
    assert built == [Triple(S, NamedNode("urn:copy"), Literal("a"))]
    assert isinstance(store.query("ASK {}"), bool)
    assert isinstance(store.query("SELECT * {}"), Rows)
    assert isinstance(store.query("CONSTRUCT WHERE {}"), list)


def test_the_wrong_form_and_bad_syntax_are_input_errors(store):
    with pytest.raises(InputError):
        store.select("ASK {}")
    with pytest.raises(InputError):
        store.ask("SELECT * {}")
    with pytest.raises(InputError):
        store.construct("ASK {}")
    with pytest.raises(InputError, match="syntax"):
        store.select("SELECT WHERE {")


# -- bindings -----------------------------------------------------------------------------------

HOSTILE = ['"', "\\", '" } ; DROP ALL ; SELECT * { "', "line\nbreak\r\n", "\t tab",
           "'''", '"""', "<urn:x>", "?v $w", "# not a comment", "\u202eRTL", "مرحبا", "😀", ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_bound_literals_are_matched_as_terms(store, value):
    store.apply(changes(Triple(S, P, Literal(value)), Triple(S, P, Literal("other"))))
    before = everything(store)
    rows = store.select("SELECT ?s ?o WHERE { ?s <urn:p> ?o }", {"o": Literal(value)})
    assert [(r["s"], r["o"]) for r in rows] == [(S, Literal(value))]
    assert store.ask("ASK { ?s <urn:p> ?o }", {"o": Literal(value)}) is True
    assert everything(store) == before


def test_bindings_of_every_term_kind(store):
    store.apply(changes(Triple(S, P, Literal("x", language="en")),
                        Triple(S, P, Literal("7", datatype=dt("integer"))),
                        Triple(S, Q, NamedNode("urn:o"))))
    assert store.ask("ASK { ?s ?p ?o }", {"o": Literal("x", language="en")})
    assert not store.ask("ASK { ?s ?p ?o }", {"o": Literal("x")})
    assert store.ask("ASK { ?s ?p ?o }", {"o": Literal("7", datatype=dt("integer"))})
    assert store.ask("ASK { ?s ?p ?o }", {"s": S, "o": NamedNode("urn:o")})
    assert not store.ask("ASK { ?s ?p ?o }", {"s": NamedNode("urn:nobody")})


# -- canonical forms ----------------------------------------------------------------------------

ROUND_TRIP = [
    ("007", "integer", "7"), ("+7", "integer", "7"), ("0.50", "decimal", "0.5"),
    ("1.0", "decimal", "1"), ("3.0e1", "double", "3.0E1"), ("1e300", "double", "1.0E300"),
    ("30", "double", "3.0E1"), ("0.1", "float", "1.0E-1"), ("1", "boolean", "true"),
    ("2017-03-14+00:00", "date", "2017-03-14Z"),
    ("2017-03-14T10:00:00.260Z", "dateTime", "2017-03-14T10:00:00.26Z"),
    ("2017-03-14T24:00:00Z", "dateTime", "2017-03-15T00:00:00Z"),
    ("10:00:00.50", "time", "10:00:00.5"), ("PT36H", "duration", "P1DT12H"),
    ("2017", "gYear", "2017"), ("2017-03", "gYearMonth", "2017-03"),
    ("https://example.org/a b", "anyURI", "https://example.org/a b"),
]


@pytest.mark.parametrize("typed,local,canonical", ROUND_TRIP)
def test_literals_come_back_in_canonical_form(store, typed, local, canonical):
    written = literals.checked(typed, dt(local))
    assert written.value == canonical
    store.apply(changes(Triple(S, P, written)))
    (back,) = [t.object for t in store.triples(S, P, None)]
    assert back == Literal(canonical, datatype=dt(local))
    (row,) = store.select("SELECT ?o WHERE { <urn:s> <urn:p> ?o }")
    assert row["o"] == back
    (quad,) = [q for q in store.quads() if q.predicate == P]
    assert quad.object == back
    # found again by the form it was written in
    assert store.ask("ASK { <urn:s> <urn:p> ?o }", {"o": written})


@pytest.mark.parametrize("typed,local", [("300", "byte"), ("3", "int"), ("c", "integer"),
                                         ("2017-02-30", "date"), ("25:00:00", "time"),
                                         ("P1", "duration"), ("AB", "hexBinary"),
                                         ("2017-03-14T10:00:00Z", "dateTimeStamp")])
def test_what_a_store_would_not_keep_is_refused_at_input(typed, local):
    with pytest.raises(literals.LexicalError):
        literals.checked(typed, dt(local))


def test_a_value_typed_by_another_engine_reads_the_same(store):
    """What another SPARQL server hands back in its own lexical form reads canonical."""
    raw = Literal("1000.0", datatype=dt("double"))  # as some servers print 1e3
    store.apply(changes(Triple(S, P, raw)))
    (back,) = [t.object for t in store.triples(S, P, None)]
    assert back.value == "1.0E3"


# -- applying -----------------------------------------------------------------------------------

def test_a_change_set_applies_whole_with_its_named_graph_quads(store):
    head = Condition(G, S, Q, None)
    receipt = Quad(S, Q, NamedNode("urn:e1"), G)
    store.apply(changes(Triple(S, P, Literal("a")), quads=[receipt], condition=head,
                        receipt=receipt))
    assert set(store.triples(None, None, None)) == {Triple(S, P, Literal("a"))}
    assert set(store.triples(None, None, None, G)) == {receipt.triple}
    assert G in set(store.named_graphs())


def test_a_change_set_whose_condition_fails_applies_nothing(store):
    first = Quad(S, Q, NamedNode("urn:e1"), G)
    store.apply(changes(quads=[first], condition=Condition(G, S, Q, None), receipt=first))
    before = everything(store)
    # a second writer that read "no head yet" comes too late
    late = Quad(S, Q, NamedNode("urn:e2"), G)
    with pytest.raises(LedgerChanged, match="nothing was written"):
        store.apply(changes(Triple(S, P, Literal("late")), quads=[late],
                            condition=Condition(G, S, Q, None), receipt=late))
    assert everything(store) == before
    # one that read the right head goes through
    ch = changes(Triple(S, P, Literal("on time")), quads=[late],
                 condition=Condition(G, S, Q, NamedNode("urn:e1")), receipt=late)
    ch.extra_removed.append(first)
    store.apply(ch)
    assert set(store.triples(S, Q, None, G)) == {late.triple}
    assert set(store.triples(S, P, None)) == {Triple(S, P, Literal("on time"))}


def test_removals_and_additions_are_one_update(store):
    store.apply(changes(Triple(S, P, Literal("old"))))
    ch = ChangeSet()
    ch.remove(Triple(S, P, Literal("old")))
    ch.add(S, P, Literal("new"))
    store.apply(ch)
    assert set(store.triples(S, None, None)) == {Triple(S, P, Literal("new"))}


def test_an_empty_change_set_changes_nothing(store):
    store.apply(ChangeSet())
    assert everything(store) == set()


# -- loading and dumping ------------------------------------------------------------------------

def test_bulk_load_and_dump_round_trip(store, tmp_path):
    source = tmp_path / "in.nq"
    source.write_text('<urn:s> <urn:p> "3.0e1"^^<http://www.w3.org/2001/XMLSchema#double> .\n'
                      '<urn:s> <urn:p> "x" <urn:graph> .\n', encoding="utf-8")
    store.bulk_load(source, RdfFormat.N_QUADS)
    quads = everything(store)
    assert Quad(S, P, Literal("3.0E1", datatype=dt("double")), DefaultGraph()) in quads
    assert Quad(S, P, Literal("x"), G) in quads
    out = tmp_path / "out.nq"
    with open(out, "wb") as fh:
        store.dump(fh, RdfFormat.N_QUADS)
    text = out.read_text(encoding="utf-8")
    assert '"3.0E1"^^<http://www.w3.org/2001/XMLSchema#double>' in text
    assert "<urn:graph>" in text


def test_a_read_only_store_refuses_writes(tmp_path):
    from claimledger.store import EmbeddedStore

    EmbeddedStore(tmp_path / "l", write=True, create=True).close()
    ro = EmbeddedStore(tmp_path / "l", write=False)
    try:
        with pytest.raises(LedgerError, match="read-only"):
            ro.apply(changes(Triple(S, P, Literal("a"))))
        assert ro.writable is False
    finally:
        ro.close()
