"""Literals an import brings: in canonical form when valid, refused when not — on both paths
(the ordinary write and the bulk path, the latter for Turtle, read back from its scratch store,
and for N-Triples, read again from the parser), naming the triple, writing nothing."""

from __future__ import annotations

import pytest

from claimledger.interchange import rdf as interchange
from claimledger.ledger import Ledger
from conftest import BASE, EX, snapshot

HEAD = f"""@prefix cl: <https://w3id.org/claimledger#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <http://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix x: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <{EX}> .
"""


def claim(value: str) -> str:
    return HEAD + f"""<{BASE}claim/c1> a cl:Claim ; rdf:subject ex:a ; rdf:predicate ex:b ;
    rdf:object {value} ; schema:text "c1"@en ; cl:confidence cl:confidence-low ;
    prov:wasAttributedTo <{BASE}agent/tester> ;
    prov:generatedAtTime "2020-01-01T00:00:00Z"^^x:dateTime .
"""


@pytest.fixture(params=["write", "bulk", "bulk-ntriples"])
def path_kind(request, monkeypatch):
    if request.param != "write":
        monkeypatch.setattr(interchange, "BULK_BYTES", 0)
    return request.param


def write(tmp_path, text: str, path_kind: str):
    """The file to import: Turtle, or the same triples as N-Triples lines (as written: the
    parser keeps lexical forms, valid or not)."""
    import pyoxigraph as ox

    if path_kind != "bulk-ntriples":
        f = tmp_path / "file.ttl"
        f.write_text(text, encoding="utf-8")
        return f
    f = tmp_path / "file.nt"
    ox.serialize(ox.parse(text, format=ox.RdfFormat.TURTLE), str(f), ox.RdfFormat.N_TRIPLES)
    return f


@pytest.mark.parametrize("value,stored", [
    ('"0.50"^^x:decimal', "0.5"), ('"3.0e1"^^x:double', "3.0E1"), ('"+007"^^x:integer', "7"),
    ('"2017-03-14T10:00:00.500+00:00"^^x:dateTime', "2017-03-14T10:00:00.5Z"),
])
def test_valid_literals_are_stored_in_canonical_form(run, ledger_dir, tmp_path, path_kind, value,
                                                     stored):
    f = write(tmp_path, claim(value), path_kind)
    run.ok("import", str(f))
    with Ledger.open(ledger_dir) as led:
        (record,) = led.claims.list()
        assert stored in record.object


@pytest.mark.parametrize("value,why", [
    ('"300"^^x:byte', "xsd:byte"), ('"3"^^x:int', "xsd:int"), ('"c"^^x:integer', "xsd:integer"),
    ('"2017-02-30"^^x:date', "2017-02"), ('"AB"^^x:hexBinary', "xsd:hexBinary"),
    ('"P1"^^x:duration', "xsd:duration"),
])
def test_invalid_literals_are_refused_naming_the_triple(run, ledger_dir, tmp_path, path_kind,
                                                        value, why):
    f = write(tmp_path, claim(value), path_kind)
    before = snapshot(ledger_dir)
    result = run("import", str(f))
    assert result.exit_code == 2, result.output
    assert why in result.output and "claim/c1" in result.output
    assert "Traceback" not in result.output
    assert snapshot(ledger_dir) == before


def test_the_bulk_path_scans_n_triples_without_parsing_them_twice(run, ledger_dir, tmp_path,
                                                                  monkeypatch):
    """N-Triples spell the datatype out: a refused one is found in the bytes."""
    monkeypatch.setattr(interchange, "BULK_BYTES", 0)
    f = tmp_path / "bad.nt"
    f.write_text(f'<{BASE}claim/c1> <{EX}n> "7"^^<http://www.w3.org/2001/XMLSchema#short> .\n',
                 encoding="utf-8")
    before = snapshot(ledger_dir)
    result = run("import", str(f))
    assert result.exit_code == 2 and "xsd:short" in result.output
    assert snapshot(ledger_dir) == before


def test_values_beyond_the_engine_s_ranges_are_stored_canonical(run, ledger_dir, tmp_path,
                                                                 path_kind):
    """Oxigraph keeps integers and decimals beyond its ranges as written; an import stores them
    in canonical form all the same, so that the canonical term finds them."""
    from pyoxigraph import Literal, NamedNode

    f = write(tmp_path, claim('"+0099999999999999999999.50"^^x:decimal'), path_kind)
    run.ok("import", str(f))
    with Ledger.open(ledger_dir) as led:
        form = Literal("99999999999999999999.5",
                       datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
        assert [t.subject.value for t in led.store.triples(None, None, form)] == [f"{BASE}claim/c1"]
