"""/sparql and the report downloads: what a SPARQL client and a spreadsheet get.

The endpoint answers a client (requests, speaking the SPARQL 1.1 Protocol), refuses what
``claimledger query`` refuses with the same words, and stops a runaway query at its limit
without holding the ledger against writers.
"""

from __future__ import annotations

import html
import json
import re
import time
import xml.etree.ElementTree as ET

import requests

from conftest import snapshot
from test_web_http import tour_ledger
from webserver import serve  # noqa: F401  (a fixture)

SELECT = "SELECT ?claim ?status WHERE { ?claim a cl:Claim ; cl:status ?status }"


def test_select_in_every_results_format(run, ledger_dir, serve):
    tour_ledger(run)
    server = serve(ledger_dir)
    url = server.url("/sparql")
    got = requests.post(url, data={"query": SELECT},
                        headers={"Accept": "application/sparql-results+json"})
    assert got.headers["Content-Type"].startswith("application/sparql-results+json")
    bindings = got.json()["results"]["bindings"]
    assert [b["status"]["value"].rsplit("-", 1)[-1] for b in bindings] == ["corroborated"]
    by_get = requests.get(url, params={"query": SELECT}).json()
    assert by_get == got.json()
    raw = requests.post(url, data=SELECT.encode(),
                        headers={"Content-Type": "application/sparql-query",
                                 "Accept": "application/sparql-results+xml"})
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(raw.content)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["claim", "status"]
    assert root.find("r:results/r:result/r:binding[@name='claim']/r:uri", ns).text \
        == "https://example.org/test/claim/freed"
    csv = requests.get(url, params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert csv.text.splitlines()[0] == "claim,status" and "\r\n" in csv.text
    cli_csv = run.ok("query", "-", "--format", "csv", input=SELECT).stdout_bytes
    assert csv.content == cli_csv  # byte for byte (click's .stdout would fold the CRLFs)
    tsv = requests.get(url, params={"query": SELECT},
                       headers={"Accept": "text/tab-separated-values"})
    assert tsv.text == run.ok("query", "-", "--format", "tsv", input=SELECT).stdout
    ask = requests.get(url, params={"query": "ASK { ?c cl:status cl:status-corroborated }"})
    assert ask.json() == {"head": {}, "boolean": True}
    graph = requests.get(url, params={
        "query": "CONSTRUCT { ?c cl:status ?s } WHERE { ?c cl:status ?s }"})
    assert graph.headers["Content-Type"].startswith("text/turtle")
    assert "cl:status-corroborated" in graph.text or "status-corroborated>" in graph.text
    assert requests.get(url, params={"query": SELECT}, headers={"Accept": "image/png"}
                        ).status_code == 406
    page = requests.get(url, params={"query": SELECT, "format": "html"})
    assert "<table" in page.text and "status-corroborated" in page.text


def test_update_and_service_are_refused_as_the_cli_refuses_them(run, ledger_dir, serve):
    tour_ledger(run)
    server = serve(ledger_dir)
    url = server.url("/sparql")
    before = snapshot(ledger_dir)
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    for text in (update, service):
        cli = run("query", "-", input=text)
        assert cli.exit_code == 2
        for answer in (requests.get(url, params={"query": text}),
                       requests.post(url, data={"query": text})):
            assert answer.status_code == 400
            assert answer.text.strip() in cli.output
    assert requests.post(url, data={"update": update}).status_code == 400
    assert requests.post(url, data=update.encode(),
                         headers={"Content-Type": "application/sparql-update"}).status_code == 400
    assert requests.get(url, params={"query": SELECT, "default-graph-uri": "urn:x"}
                        ).status_code == 400
    assert snapshot(ledger_dir) == before


def test_a_runaway_query_is_stopped_and_lets_writers_in(run, ledger_dir, serve):
    tour_ledger(run)
    server = serve(ledger_dir, "--agent", "web", "--query-timeout", "1")
    join = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    started = time.monotonic()
    answer = requests.get(server.url("/sparql"), params={"query": join}, timeout=60)
    assert answer.status_code == 503 and "longer than its limit of 1 s" in answer.text
    assert time.monotonic() - started < 30
    run.ok("source", "add", "after", "--title", "Recorded right after", "--wait", "2")
    again = requests.get(server.url("/sparql"), params={"query": SELECT}, timeout=60)
    assert again.status_code == 200


def test_report_pages_and_downloads_match_the_cli(run, ledger_dir, serve):
    tour_ledger(run)
    run.ok("source", "link", "outlet-c", "--derived-from", "wire-a")
    server = serve(ledger_dir)
    listing = server.http.get(server.url("/reports")).text
    names = run.ok("report", "--list", "--format", "json").stdout
    for spec in json.loads(names):
        assert f'href="/reports/{spec["name"]}"' in listing
    page = server.http.get(server.url("/reports/single-anecdote")).text
    assert 'href="/claims/freed"' in page and "wire-a" in page
    for fmt in ("csv", "tsv", "json", "sparql-csv", "sparql-tsv", "sparql-json"):
        got = server.http.get(server.url(f"/reports/single-anecdote?format={fmt}"))
        assert got.headers["Content-Disposition"].startswith("attachment")
        assert got.content == run.ok("report", "single-anecdote", "--format", fmt).stdout_bytes
    got = server.http.get(server.url("/reports/impact?source=wire-a&format=csv")).content
    assert got == run.ok("report", "impact", "--param", "source=wire-a", "--format",
                         "csv").stdout_bytes
    form = server.http.get(server.url("/reports/impact"))
    assert form.status_code == 200 and 'name="source"' in form.text
    wrong = server.http.get(server.url("/reports/impact?source=nobody"))
    assert wrong.status_code == 400 and "no source 'nobody'" in html.unescape(wrong.text)
    assert re.search(r'name="source"[^>]*>\s*<p class="field-error"', wrong.text)
    assert server.http.get(server.url("/reports/no-such-report")).status_code == 400


def test_hostile_values_survive_every_results_format(run, ledger_dir, serve):
    from test_web_http import HOSTILE

    run.ok("claim", "add", "evil", "--subject", "ex:a", "--predicate", "ex:b", "--object",
           "ex:c", "--text", HOSTILE)
    server = serve(ledger_dir)
    query = "SELECT ?text WHERE { ?c schema:text ?text }"
    url = server.url("/sparql")
    as_json = requests.get(url, params={"query": query}).json()
    assert as_json["results"]["bindings"][0]["text"]["value"] == HOSTILE
    as_xml = requests.get(url, params={"query": query},
                          headers={"Accept": "application/sparql-results+xml"})
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    literal = ET.fromstring(as_xml.content).find(".//r:literal", ns)
    assert literal.text == HOSTILE and literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
