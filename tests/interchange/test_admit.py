"""What an import may add (interchange/admit.py): the same rule on both import paths.

Every test runs twice: through the ordinary write path and through the bulk path (which
files over 1 MiB take; here forced for any size).
"""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest

from claimledger import audit
from claimledger.audit.formats import CURRENT
from claimledger.interchange import export
from claimledger.interchange import rdf as interchange
from claimledger.ledger import Ledger
from conftest import BASE, EX, Cli, snapshot

CL = "https://w3id.org/claimledger#"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(params=["ordinary", "bulk"])
def path_kind(request, monkeypatch) -> str:
    if request.param == "bulk":
        monkeypatch.setattr(interchange, "BULK_BYTES", 0)
    return request.param


def _source(slug: str, base: str = BASE) -> str:
    return (f"<{base}source/{slug}> <{RDF_TYPE}> <{CL}Source> .\n"
            f'<{base}source/{slug}> <http://schema.org/name> "Source {slug}" .\n'
            f"<{base}source/{slug}> <{CL}kind> <{CL}kind-document> .\n"
            f"<{base}source/{slug}> <{CL}reliability> <{CL}reliability-C> .\n"
            f'<{base}source/{slug}> <{CL}anonymous> "false"^^<{XSD}boolean> .\n'
            f"<{base}source/{slug}> <http://www.w3.org/ns/prov#wasAttributedTo> <{base}agent/x> .\n"
            f'<{base}source/{slug}> <http://www.w3.org/ns/prov#generatedAtTime> '
            f'"2020-01-01T00:00:00Z"^^<{XSD}dateTime> .\n')


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


#: One quad aimed at what only claimledger writes: each must be refused, nothing written.
REFUSED = {
    "format version on the ledger node": f"<{BASE}> <{CL}formatVersion> \"{CURRENT + 1}\"^^<{XSD}integer> .",
    "a second ledger type": f"<{BASE}x> <{RDF_TYPE}> <{CL}Ledger> .\n<{BASE}> <{RDF_TYPE}> <{CL}Ledger> .\n"
                            f"<{BASE}> <{CL}formatVersion> \"{CURRENT}\"^^<{XSD}integer> .\n"
                            f"<{BASE}> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" .",
    "a prefix namespace that is no IRI": f"<{BASE}> <{SH}declare> <{BASE}prefix/zz> .\n"
                                  f"<{BASE}prefix/zz> <{SH}prefix> \"zz\" .\n"
                                  f"<{BASE}prefix/zz> <{SH}namespace> \"urn:x> . ?s ?p ?o }} #\" .",
    "a forged head in the audit graph": f"<{BASE}> <{CL}head> <{BASE}event/99> <{BASE}audit> .",
    "an event in the default graph": f"<{BASE}event/2> <{CL}hash> \"0000\" .",
    "a new event graph": f"<{BASE}source/a> <{RDF_TYPE}> <{CL}Source> <{BASE}event/77/added> .",
    "another named graph": "<https://e.org/a> <https://e.org/b> <https://e.org/c> <https://e.org/g> .",
    "an event type": f"<https://e.org/e> <{RDF_TYPE}> <{CL}Event> .",
    "an unknown claimledger class": f"<https://e.org/s> <{RDF_TYPE}> <{CL}Nonesuch> .",
    "a claimledger property on a plain entity": f"<{EX}Taliban> <{CL}shapes> \"x\" .",
    "an audit property": f"<https://e.org/e> <{CL}sequence> \"1\"^^<{XSD}integer> .",
    "the vocabulary itself": f"<{CL}Claim> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" .",
    "pointing at the ledger node": f"<https://e.org/a> <https://e.org/b> <{BASE}> .",
}


@pytest.mark.parametrize("what", sorted(REFUSED))
def test_what_only_claimledger_writes_is_refused_on_both_paths(run, ledger_dir, tmp_path,
                                                               path_kind, what):
    before = snapshot(ledger_dir)
    path = _write(tmp_path, "hostile.nq", _source("ok") + REFUSED[what] + "\n")
    result = run("import", path)
    assert result.exit_code == 2, (what, result.output)
    assert result.stderr.startswith("Error: FILE: ")
    if "prefix" not in what:  # the first offending quad is named
        first = REFUSED[what].splitlines()[-1 if what == "a second ledger type" else 0]
        assert first.rsplit(" ", 2)[0] in result.stderr or first.split(" ")[-2] in result.stderr
    assert snapshot(ledger_dir) == before
    run.ok("claim", "list")  # the ledger still opens and works
    run.ok("verify")


def test_descriptions_in_the_users_vocabulary_and_records_are_imported(run, ledger_dir, tmp_path,
                                                                       path_kind):
    text = (_source("ok") + f"<{EX}Taliban> <http://www.w3.org/2000/01/rdf-schema#label> \"Taliban\" .\n"
            f"<{EX}Taliban> <{RDF_TYPE}> <{EX}Organization> .\n"
            f"<{BASE}source/ok> <http://www.w3.org/ns/prov#wasDerivedFrom> <{BASE}source/ok2> .\n"
            + _source("ok2"))
    run.ok("import", _write(tmp_path, "fine.nt", text))
    with Ledger.open(ledger_dir) as led:
        assert any(True for _ in led.store.triples(ox.NamedNode(EX + "Taliban"), None, None))
    run.ok("verify")


def test_prefixes_go_through_the_checks_of_prefix_add(run, ledger_dir, tmp_path, path_kind):
    text = (f"<{BASE}> <{SH}declare> _:p .\n_:p <{SH}prefix> \"geo\" .\n"
            f"_:p <{SH}namespace> \"https://geo.example/\"^^<{XSD}anyURI> .\n")
    run.ok("import", _write(tmp_path, "prefix.nt", text))
    assert "geo" in json.loads(run.ok("prefix", "list", "--format", "json").stdout)
    run.ok("query", "-", input="ASK { FILTER(geo:x = <https://geo.example/x>) }")
    run.ok("verify")
    before = snapshot(ledger_dir)
    for name, namespace in [("my-service", "https://x.example/"), ("1x", "https://x.example/"),
                            ("zz", "https://x.example/no-end"), ("zz", "relative/")]:
        bad = (f"<{BASE}> <{SH}declare> _:p .\n_:p <{SH}prefix> \"{name}\" .\n"
               f"_:p <{SH}namespace> \"{namespace}\"^^<{XSD}anyURI> .\n")
        result = run("import", _write(tmp_path, "bad.nt", bad))
        assert result.exit_code == 2, (name, namespace, result.output)
        assert "prefix add would refuse" in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("name", ["cl", "prov", "ex"])
def test_a_prefix_the_ledger_declares_otherwise_is_left_out(run, ledger_dir, tmp_path, path_kind,
                                                            name):
    text = (_source("kept") + f"<{BASE}> <{SH}declare> <{BASE}prefix/{name}> .\n"
            f"<{BASE}prefix/{name}> <{SH}prefix> \"{name}\" .\n"
            f"<{BASE}prefix/{name}> <{SH}namespace> \"https://evil.example/\"^^<{XSD}anyURI> .\n")
    before = json.loads(run.ok("prefix", "list", "--format", "json").stdout)
    result = run.ok("import", _write(tmp_path, "remap.nt", text))
    assert f"left out: the prefix {name}: <https://evil.example/>" in result.stdout
    assert json.loads(run.ok("prefix", "list", "--format", "json").stdout) == before
    run.ok("query", "-", input=f"ASK {{ FILTER({name}:x != <https://evil.example/x>) }}")
    run.ok("verify")


def _other_ledger(tmp_path, base: str | None) -> str:
    """An export (TriG) of another ledger, made with ``base`` (the default one when None)."""
    path = tmp_path / "other"
    with Ledger.create(path, base=base, agent="someone") as led:
        led.add_prefix("geo", "https://geo.example/")
        led.sources.add("far", title="Far away", reliability="B")
        led.claims.add("far-claim", subject="https://e.org/a", predicate="https://e.org/b",
                       object="https://e.org/c", text="far")
        led.evidence.add("far-claim", "far", stance="supports", quote="far")
        buf = io.BytesIO()
        export(led, buf, fmt="trig")
    out = tmp_path / "other.trig"
    out.write_bytes(buf.getvalue())
    return str(out)


@pytest.mark.parametrize("same_base", [True, False])
def test_another_ledgers_export_imports_without_its_audit_trail(tmp_path, path_kind, same_base):
    here = tmp_path / "here"
    base = "https://example.org/ledger/" if same_base else BASE
    with Ledger.create(here, base="https://example.org/ledger/", agent="me") as led:
        led.sources.add("near", title="Near", reliability="C")
        events_before = audit.head(led.store, led.base).sequence
    exported = _other_ledger(tmp_path, None if same_base else base)
    run = Cli(here)
    run.ok("import", exported)
    with Ledger.open(here) as led:
        report = audit.verify(led.store, led.base)
        assert report.ok, report.problems[:5]
        assert report.events == events_before + 1
        assert {led.slug(t.subject) for t in led.store.triples(None, ox.NamedNode(RDF_TYPE),
                                                               ox.NamedNode(CL + "Claim"))} \
            == {"far-claim"} if same_base else True
        assert len(list(led.store.query(
            f"SELECT ?l WHERE {{ ?l a <{CL}Ledger> }}"))) == 1
        assert led.prefixes["geo"] == "https://geo.example/"
    run.ok("claim", "show", "far-claim" if same_base else f"<{base}claim/far-claim>")


def test_an_import_that_adds_nothing_is_recorded_as_nothing(run, ledger_dir, tmp_path, path_kind):
    empty = _write(tmp_path, "empty.nt", "")
    before = snapshot(ledger_dir)
    result = run.ok("import", empty)
    assert "nothing to add" in result.stdout
    assert snapshot(ledger_dir) == before
    # a ledger's own export adds nothing either
    with Ledger.open(ledger_dir) as led:
        buf = io.BytesIO()
        export(led, buf, fmt="trig")
    own = tmp_path / "own.trig"
    own.write_bytes(buf.getvalue())
    result = run.ok("import", str(own), "--format", "json")
    assert json.loads(result.stdout)["event"] is None
    assert snapshot(ledger_dir) == before
