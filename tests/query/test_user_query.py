"""``claimledger query``: a user's own SELECT / ASK / CONSTRUCT, read-only, on the ledger."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimledger.ledger import Ledger
from conftest import BASE, EX, Cli, snapshot

C = BASE + "claim/"
S = BASE + "source/"
SELECT = """SELECT ?claim ?status WHERE {
  ?claim a cl:Claim ; cl:status ?status .
} ORDER BY ?claim
"""


@pytest.fixture(scope="module")
def ledger_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("query") / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        led.add_prefix("ex", EX)
        led.sources.add("wire", title="Wire", reliability="B")
        led.sources.add("outlet", title="Outlet", derived_from=["wire"])
        for slug, obj in (("x", "ex:c"), ("y", "ex:d")):
            led.claims.add(slug, subject="ex:a", predicate="ex:b", object=obj,
                           text=f"a b {obj[-1]}")
        led.evidence.add("x", "outlet", stance="supports", quote="a b c")
    return path


@pytest.fixture(scope="module")
def seeded(ledger_dir) -> Cli:
    return Cli(ledger_dir)


def write(tmp_path, text: str):
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_select_as_a_table(seeded, tmp_path):
    out = seeded.ok("query", write(tmp_path, SELECT)).stdout
    assert out.splitlines() == [
        "claim  status",
        "-----  -----------------------",
        "x      cl:status-single-source",
        "y      cl:status-unsourced",
        "(2 rows)",
    ]


def test_select_in_the_w3c_formats_and_markdown(seeded, tmp_path):
    f = write(tmp_path, SELECT)
    out = seeded.ok("query", f, "--format", "csv").stdout_bytes.decode()
    assert out == (f"claim,status\r\n{C}x,https://w3id.org/claimledger#status-single-source\r\n"
                   f"{C}y,https://w3id.org/claimledger#status-unsourced\r\n")
    out = seeded.ok("query", f, "--format", "tsv").stdout
    assert out.splitlines() == [
        "?claim\t?status",
        f"<{C}x>\t<https://w3id.org/claimledger#status-single-source>",
        f"<{C}y>\t<https://w3id.org/claimledger#status-unsourced>"]
    data = json.loads(seeded.ok("query", f, "--format", "json").stdout)
    assert data == {"head": {"vars": ["claim", "status"]}, "results": {"bindings": [
        {"claim": {"type": "uri", "value": C + "x"},
         "status": {"type": "uri", "value": "https://w3id.org/claimledger#status-single-source"}},
        {"claim": {"type": "uri", "value": C + "y"},
         "status": {"type": "uri", "value": "https://w3id.org/claimledger#status-unsourced"}},
    ]}}
    out = seeded.ok("query", f, "--format", "markdown").stdout
    assert out.splitlines() == ["| claim | status |", "|---|---|",
                                "| x | cl:status-single-source |", "| y | cl:status-unsourced |"]


def test_select_literals_and_unbound_values(seeded, tmp_path):
    f = write(tmp_path, """SELECT ?claim ?text ?n ?none WHERE {
      ?claim schema:text ?text . OPTIONAL { ?claim cl:independentOrigins ?n }
    } ORDER BY ?claim""")
    rows = list(csv.reader(io.StringIO(seeded.ok("query", f, "--format", "csv").stdout)))
    assert rows == [["claim", "text", "n", "none"], [C + "x", "a b c", "1", ""],
                    [C + "y", "a b d", "0", ""]]
    data = json.loads(seeded.ok("query", f, "--format", "json").stdout)
    first = data["results"]["bindings"][0]
    assert first["text"] == {"type": "literal", "value": "a b c", "xml:lang": "en"}
    assert first["n"] == {"type": "literal", "value": "1",
                          "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert "none" not in first
    tsv = seeded.ok("query", f, "--format", "tsv").stdout.splitlines()
    assert tsv[1].split("\t") == [f"<{C}x>", '"a b c"@en',
                                  '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', ""]


def test_ask(seeded, tmp_path):
    yes = write(tmp_path, "ASK { ?c cl:status cl:status-single-source }")
    assert seeded.ok("query", yes).stdout == "true\n"
    assert json.loads(seeded.ok("query", yes, "--format", "json").stdout) == {
        "head": {}, "boolean": True}
    no = tmp_path / "no.rq"
    no.write_text("ASK { ?c cl:status cl:status-refuted }")
    assert seeded.ok("query", str(no)).stdout == "false\n"


CONSTRUCT = """CONSTRUCT { ?s prov:wasDerivedFrom ?o } WHERE { ?s prov:wasDerivedFrom ?o }"""


@pytest.mark.parametrize("fmt, rdf_format", [("turtle", ox.RdfFormat.TURTLE),
                                             ("trig", ox.RdfFormat.TRIG),
                                             ("nquads", ox.RdfFormat.N_QUADS)])
def test_construct(seeded, tmp_path, fmt, rdf_format):
    out = seeded.ok("query", write(tmp_path, CONSTRUCT), "--format", fmt).stdout
    quads = list(ox.parse(out.encode(), rdf_format))
    assert [(q.subject.value, q.predicate.value, q.object.value) for q in quads] == [
        (S + "outlet", "http://www.w3.org/ns/prov#wasDerivedFrom", S + "wire")]
    if fmt != "nquads":
        assert "@prefix prov:" in out or "PREFIX prov:" in out


def test_construct_needs_an_rdf_format(seeded, tmp_path):
    result = seeded("query", write(tmp_path, CONSTRUCT), "--format", "csv")
    assert result.exit_code == 2
    assert "use turtle, trig or nquads" in result.stderr


def test_select_refuses_an_rdf_format(seeded, tmp_path):
    result = seeded("query", write(tmp_path, SELECT), "--format", "turtle")
    assert result.exit_code == 2
    assert "for CONSTRUCT queries" in result.stderr


def test_stdin(seeded):
    out = seeded.ok("query", "-", "--format", "csv", input=SELECT).stdout
    assert out.splitlines()[0] == "claim,status"
    assert len(out.splitlines()) == 3


def test_ledger_prefixes_are_predeclared(seeded):
    # cl:, prov:, schema: (standard) and ex: (declared in this ledger) need no PREFIX line.
    query = "SELECT ?c WHERE { ?c rdf:object ex:c ; schema:text ?t ; prov:wasAttributedTo ?a }"
    out = seeded.ok("query", "-", "--format", "csv", input=query).stdout
    assert out.splitlines() == ["c", C + "x"]
    # A query may still declare its own prefixes, also one the ledger knows.
    query = "PREFIX ex: <https://example.org/other/>\nASK { ?c rdf:object ex:c }"
    assert seeded.ok("query", "-", input=query).stdout == "false\n"


UPDATES = [
    "INSERT DATA { <https://e.org/a> <https://e.org/b> <https://e.org/c> }",
    "insert data { <https://e.org/a> <https://e.org/b> <https://e.org/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "delete { ?s ?p ?o } where { ?s ?p ?o }",
    "DROP ALL",
    "drop default",
    "CLEAR DEFAULT",
    "clear all",
    "LOAD <https://example.org/data.ttl>",
    "CREATE GRAPH <https://e.org/g>",
    "COPY DEFAULT TO <https://e.org/g>",
    "MOVE DEFAULT TO <https://e.org/g>",
    "ADD DEFAULT TO <https://e.org/g>",
    "WITH <https://e.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "PREFIX ex: <https://e.org/>\nINSERT DATA { ex:a ex:b ex:c }",
    "PREFIX ex: <https://e.org/> INSERT DATA { ex:a ex:b ex:c }",
    "prefix ex: <https://e.org/>\nprefix cl2: <https://w3id.org/claimledger#>\n"
    "delete where { ?c cl2:status ?s }",
    "BASE <https://e.org/>\nPREFIX : <https://e.org/>\nDELETE DATA { :a :b :c }",
    "# a comment first\nINSERT DATA { <https://e.org/a> <https://e.org/b> 'x' }",
    "\ufeffDROP ALL",
    "  \n\t DROP SILENT GRAPH <https://e.org/g>",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused(seeded, ledger_dir, update):
    before = snapshot(ledger_dir)
    result = seeded("query", "-", input=update)
    assert result.exit_code == 2, result.output
    assert "SPARQL Update is not allowed here" in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
    "SELECT * WHERE { ?s ?p ?o }\nINSERT DATA { <https://e.org/a> <https://e.org/b> 'c' }",
])
def test_an_update_after_a_query_is_a_syntax_error_and_writes_nothing(seeded, ledger_dir, text):
    before = snapshot(ledger_dir)
    result = seeded("query", "-", input=text)
    assert result.exit_code == 2, result.output
    assert "SPARQL" in result.stderr
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("query", [
    # Update words inside strings, IRIs, comments, variables and prefixed names are not updates.
    'SELECT ?x WHERE { BIND("DROP ALL" AS ?x) }',
    "SELECT ?x WHERE { BIND(<https://e.org/INSERT> AS ?x) }",
    "# DELETE everything\nSELECT ?x WHERE { BIND(1 AS ?x) }",
    "PREFIX add: <https://e.org/>\nSELECT ?x WHERE {\nadd:x ?p ?x }",
    "SELECT ?insert ?service WHERE { ?insert ?p ?service } LIMIT 1",
])
def test_harmless_lookalikes_run(seeded, query):
    seeded.ok("query", "-", input=query)


def test_service_is_refused(seeded):
    result = seeded("query", "-", input="SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> "
                                        "{ ?s ?p ?o } }")
    assert result.exit_code == 2
    assert "SERVICE (federated query) is not allowed" in result.stderr


def test_syntax_error_names_the_users_line(seeded):
    result = seeded("query", "-", input="SELECT * WHERE { ?s <a b> ?o }")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: FILE: SPARQL syntax error at 1:24: 'b' is not")
    result = seeded("query", "-", input="SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?s = ) }")
    assert result.exit_code == 2
    assert "error at 3:" in result.stderr
    assert "Traceback" not in result.output


def test_missing_file(seeded, tmp_path):
    result = seeded("query", str(tmp_path / "nope.rq"))
    assert result.exit_code == 2


#: Queries that once reached the network past the old text check (URL: a local listener).
BYPASSES = [
    # SERVICE between comment lines that hold triple quotes
    '# """\nSELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }\n# """\n',
    "# '''\nASK { SERVICE SILENT <URL> { ?s ?p ?o } }\n# '''\n",
    # no spaces around < and > in FILTERs: the text between them looked like an IRI
    "SELECT * WHERE { VALUES ?svc { <URL> } BIND(1 AS ?a) BIND(2 AS ?b) "
    "FILTER(?a<?b)SERVICE?svc{}FILTER(?b>?a) }",
    # an IRI built from ledger data, with LATERAL
    "SELECT * WHERE { ?c schema:text ?t LATERAL { BIND(IRI(CONCAT('URL', ENCODE_FOR_URI(?t))) "
    "AS ?u) SERVICE ?u { } } }",
    # prefixed names the engine reads as SERVICE followed by a name
    "PREFIX : <URL>\nSELECT * WHERE { SERVICE:x { } }",
    "PREFIX ex: <URL>\nSELECT * WHERE { SERVICEex:x { } }",
    "SELECT * WHERE { SERVICESILENT<URL> { } }",
    # a comment ended by a carriage return
    "SELECT * WHERE { # a comment\rSERVICE <URL> { } }",
]


@pytest.mark.parametrize("query", BYPASSES)
def test_service_never_reaches_the_network(seeded, ledger_dir, listener, query):
    before = snapshot(ledger_dir)
    result = seeded("query", "-", input=query.replace("URL", listener.url))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    assert listener.reached == 0, listener.requests
    assert snapshot(ledger_dir) == before
