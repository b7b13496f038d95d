"""schema.org ClaimReview: publishers' documents imported as evidence with normalised ratings,
claims matched and never merged, verdicts and appearances kept through a round trip, and no
context ever fetched."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest

from claimledger.interchange.ratings import STANCES
from claimledger.ledger import Ledger
from conftest import BASE, EX, Cli, snapshot
from desk import build_desk

DATA = Path(__file__).resolve().parent / "data" / "claimreview"
CL = "https://w3id.org/claimledger#"

REVIEWS_QUERY = """
PREFIX cl: <https://w3id.org/claimledger#>
PREFIX schema: <http://schema.org/>
SELECT ?review ?claim ?text ?rating ?normalised ?row ?url ?evidence ?stance WHERE {
  ?review a cl:Review ; cl:about ?claim ; cl:ratingText ?rating ; cl:normalisedRating ?n ;
          cl:ratingMapping ?row .
  ?claim schema:text ?text .
  OPTIONAL { ?review schema:url ?url }
  OPTIONAL { ?review cl:evidence ?evidence . ?evidence cl:stance ?s }
  BIND(STRAFTER(STR(?n), "#normalised-") AS ?normalised)
  BIND(STRAFTER(STR(?s), "#stance-") AS ?stance)
}"""


def reviews(ledger_dir: Path) -> list[dict[str, str | None]]:
    with Ledger.open(ledger_dir) as led:
        rows = led.store.query(REVIEWS_QUERY)
        return sorted(({k: (None if row[k] is None else row[k].value)
                        for k in ("review", "claim", "text", "rating", "normalised", "row", "url",
                                  "evidence", "stance")} for row in rows),
                      key=lambda r: r["url"] or "")


def claims(run: Cli) -> dict[str, dict]:
    return {c["slug"]: c for c in json.loads(run.ok("claim", "list", "--format", "json").stdout)}


def test_creative_work_on_an_eight_step_scale(run, ledger_dir):
    run.ok("import", "--format", "claimreview", str(DATA / "creativework-8-step.json"))
    got = {r["text"]: (r["rating"], r["normalised"], r["row"], r["stance"])
           for r in reviews(ledger_dir)}
    assert got == {
        "The river bridge collapsed last week.": ("Totally wrong", "false", "scale-bottom",
                                                  "contradicts"),
        "The school budget doubled in five years.": ("Mostly wrong", "mixture", "scale-middle",
                                                     None),
        # "Accurate" is an alternative label of claimledger's own "true"; the other two are on
        # no scale of the ledger and are placed on the outlet's 1..8 scale by the table
        "Turnout was the highest since 1990.": ("Accurate", "true", "scale:claimledger:true",
                                                "supports"),
    }
    found = claims(run)
    assert len(found) == 3
    turnout = json.loads(run.ok("claim", "show", "turnout-was-the-highest-since-1990",
                                "--format", "json").stdout)["claim"]
    # the review cites the official results: its origin is what it cites, not the outlet
    assert turnout["status"] == "single-source"
    assert turnout["evidence"][0]["origins"] == ["official-results-2021"]
    bridge = found["the-river-bridge-collapsed-last-week"]
    assert bridge["status"] == "unsourced"  # a contradiction from an ungraded outlet
    budget = found["the-school-budget-doubled-in-five-years"]
    assert budget["status"] == "unsourced" and budget["independent_origins"] == 0
    # the CreativeWork reviewed is where the claim appears
    appear = json.loads(run.ok("source", "show", "viral-video-of-a-collapsing-bridge",
                               "--format", "json").stdout)
    assert appear["url"] == "https://video.example/watch/abc123"
    outlet = json.loads(run.ok("source", "show", "checkdesk", "--format", "json").stdout)
    assert outlet["kind"] == "organization" and outlet["url"] == "https://checkdesk.example/"
    run.ok("verify")


CHECKDESK_SCALE = """
@prefix cd: <https://checkdesk.example/scale#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix cl: <https://w3id.org/claimledger#> .
cd:scale a skos:ConceptScheme ; skos:prefLabel "Checkdesk rating scale"@en ;
    schema:bestRating 8 ; schema:worstRating 1 .
""" + "".join(f"""
cd:r{value} skos:inScheme cd:scale ; skos:prefLabel "{label}"@en ; schema:ratingValue {value} ;
    cl:normalisedRating cl:normalised-{normalised} .""" for value, label, normalised in (
    (1, "Totally wrong", "false"), (2, "Wrong", "false"), (3, "Mostly wrong", "false"),
    (4, "Half right", "mixture"), (5, "Out of context", "mixture"), (6, "Unproven", "other"),
    (7, "Mostly right", "true"), (8, "Right", "true")))


def test_an_adopted_outlet_scale_normalises_its_reviews(run, ledger_dir, tmp_path):
    """The verdict-scale mechanism first: the outlet's own scale, adopted under the outlet's
    name, says that "Mostly wrong" is false (the table's position rule alone would say mixture)
    and that "8" on it is its top rating."""
    scale = tmp_path / "checkdesk.ttl"
    scale.write_text(CHECKDESK_SCALE)
    run.ok("scale", "add", str(scale), "--name", "checkdesk")
    run.ok("import", "--format", "claimreview", str(DATA / "creativework-8-step.json"))
    got = {r["text"]: (r["normalised"], r["row"], r["stance"]) for r in reviews(ledger_dir)}
    assert got == {
        "The river bridge collapsed last week.": ("false", "scale:checkdesk:Totally wrong",
                                                  "contradicts"),
        "The school budget doubled in five years.": ("false", "scale:checkdesk:Mostly wrong",
                                                     "contradicts"),
        # "Accurate" is no label of the outlet's scale, but its value 8 is: the top, "Right"
        "Turnout was the highest since 1990.": ("true", "scale:checkdesk:Right", "supports"),
    }
    with Ledger.open(ledger_dir) as led:
        rated = {row["r"].value for row in led.store.query(
            "SELECT ?r WHERE { ?x a <https://w3id.org/claimledger#Review> ; "
            "<https://w3id.org/claimledger#rating> ?r }")}
    assert rated == {"https://checkdesk.example/scale#r1", "https://checkdesk.example/scale#r3",
                     "https://checkdesk.example/scale#r8"}


def test_a_graph_with_two_reviews_and_http_schema_org(run, ledger_dir):
    run.ok("import", "--format", "claimreview", str(DATA / "graph-two-reviews.jsonld"))
    got = {r["url"]: (r["rating"], r["normalised"], r["row"], r["stance"])
           for r in reviews(ledger_dir)}
    assert got == {
        "https://truthmeter.example/factchecks/2020/jan/15/senator-jobs/":
            ("Pants on Fire", "false", "scale:claimledger:false", "contradicts"),
        "https://truthmeter.example/factchecks/2020/feb/02/governor-taxes/":
            ("Half True", "mixture", "scale:claimledger:half-true", None),
    }
    jobs = json.loads(run.ok("claim", "show", "our-state-created-a-million-jobs-last-year",
                             "--format", "json").stdout)["claim"]
    assert jobs["evidence"][0]["stance"] == "contradicts"
    assert jobs["evidence"][0]["origins"] == ["stats-example-jobs-2019"]  # the cited source
    # the claim is untriaged: recorded from its statement, waiting for its triple
    assert jobs["predicate"] == "cl:untriaged"
    listed = run.ok("report", "untriaged", "--format", "json").stdout
    assert "our-state-created-a-million-jobs-last-year" in listed
    assert "taxes-went-down-for-most-families" in listed


def write_dump(path: Path) -> list[dict]:
    """A line-delimited dump of 100 reviews from three outlets, as aggregators publish them:
    40 claims, most reviewed by more than one outlet, ratings on 1–5 with and without labels."""
    outlets = [("FactFirst", "https://factfirst.example/"),
               ("Verifica", "https://verifica.example/"),
               ("Claim Watch", "https://claimwatch.example/")]
    labels = {1: "False", 2: "Mostly False", 3: "Half True", 4: "Mostly True", 5: "True"}
    docs = []
    for i in range(100):
        name, home = outlets[i % 3]
        value = 1 + (i * 7) % 5
        rating = {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1}
        if i % 4:
            rating["alternateName"] = labels[value]
        docs.append({
            "@context": "https://schema.org" if i % 2 else "http://schema.org",
            "@type": "ClaimReview", "url": f"{home}checks/{i}",
            "datePublished": f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "author": {"@type": "Organization", "name": name, "url": home},
            "claimReviewed": f"Harbour claim number {i % 40} is what the minister said.",
            "itemReviewed": {"@type": "Claim", "appearance": [
                {"@type": "CreativeWork", "url": f"https://speeches.example/{i % 40}"}]},
            "reviewRating": rating})
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return docs


def test_a_line_delimited_dump_of_a_hundred_reviews(run, ledger_dir, tmp_path):
    docs = write_dump(tmp_path / "dump.jsonl")
    run.ok("import", "--format", "claimreview", str(tmp_path / "dump.jsonl"))
    got = reviews(ledger_dir)
    assert len(got) == 100
    assert len(claims(run)) == 40  # reviews of one statement go to one claim
    expected = {1: "false", 2: "false", 3: "mixture", 4: "true", 5: "true"}
    by_url = {r["url"]: r for r in got}
    for doc in docs:
        r = by_url[doc["url"]]
        value = doc["reviewRating"]["ratingValue"]
        assert r["normalised"] == expected[value], doc
        assert r["stance"] == STANCES[expected[value]]
        assert r["row"] == ("scale:claimledger:" + {1: "false", 2: "mostly-false", 3: "half-true",
                                                    4: "mostly-true", 5: "true"}[value]
                            if "alternateName" in doc["reviewRating"]
                            else {1: "scale-bottom", 2: "scale-bottom", 3: "scale-middle",
                                  4: "scale-top", 5: "scale-top"}[value])
    # two outlets rating a claim true are two independent origins; mixture is not counted
    statuses = {c["slug"]: c for c in claims(run).values()}
    for n in range(40):
        mine = [d for d in docs if d["claimReviewed"].startswith(f"Harbour claim number {n} ")]
        true = {d["author"]["name"] for d in mine if d["reviewRating"]["ratingValue"] >= 4}
        slug = f"harbour-claim-number-{n}-is-what-the-minister-said"
        assert statuses[slug]["independent_origins"] == len(true), slug
    run.ok("verify")
    # the same file again adds nothing, and says so
    before = snapshot(ledger_dir)
    again = run("import", "--format", "claimreview", str(tmp_path / "dump.jsonl"))
    assert again.exit_code == 2 and "nothing to import" in again.stderr
    assert snapshot(ledger_dir) == before


def test_reviews_are_matched_to_existing_claims_and_never_merged(run, ledger_dir, tmp_path):
    run.ok("source", "add", "speech", "--title", "Rally speech",
           "--url", "https://news.example/2020/01/10/rally-speech")
    run.ok("claim", "add", "jobs", "--subject", "ex:State", "--predicate", "ex:created",
           "--value", "1000000", "--text", "Our state created a MILLION jobs last year")
    run.ok("evidence", "add", "jobs", "speech", "--supports", "--quote", "a million jobs")
    run.ok("claim", "add", "taxes", "--subject", "ex:Taxes", "--predicate", "ex:fell",
           "--object", "ex:Families", "--text", "Taxes went down for most families!")
    run.ok("import", "--format", "claimreview", str(DATA / "graph-two-reviews.jsonld"))
    by_url = {r["url"]: r["claim"] for r in reviews(ledger_dir)}
    assert by_url["https://truthmeter.example/factchecks/2020/jan/15/senator-jobs/"] == \
        BASE + "claim/jobs"   # by appearance URL and the same statement
    assert by_url["https://truthmeter.example/factchecks/2020/feb/02/governor-taxes/"] == \
        BASE + "claim/taxes"  # by the same statement (case and punctuation aside)
    assert len(claims(run)) == 2
    jobs = json.loads(run.ok("claim", "show", "jobs", "--format", "json").stdout)["claim"]
    assert sorted(e["stance"] for e in jobs["evidence"]) == ["contradicts", "supports"]


def test_two_claims_with_one_statement_are_refused_not_merged(run, ledger_dir):
    for slug, obj in (("taxes-a", "ex:Families"), ("taxes-b", "ex:Workers")):
        run.ok("claim", "add", slug, "--subject", "ex:Taxes", "--predicate", "ex:fell",
               "--object", obj, "--text", "Taxes went down for most families.")
    before = snapshot(ledger_dir)
    result = run("import", "--format", "claimreview", str(DATA / "graph-two-reviews.jsonld"))
    assert result.exit_code == 2
    assert "matches more than one claim (taxes-a, taxes-b)" in result.stderr
    assert snapshot(ledger_dir) == before


def test_a_claim_at_the_same_url_with_other_words_is_a_new_claim(run, ledger_dir):
    run.ok("source", "add", "debate", "--title", "TV debate",
           "--url", "https://tv.example/debate/2020-01-30")
    run.ok("claim", "add", "spending", "--subject", "ex:Gov", "--predicate", "ex:cut",
           "--object", "ex:Spending", "--text", "Spending was cut.")
    run.ok("evidence", "add", "spending", "debate", "--supports", "--locator", "min 12")
    run.ok("import", "--format", "claimreview", str(DATA / "graph-two-reviews.jsonld"))
    assert set(claims(run)) == {"spending", "our-state-created-a-million-jobs-last-year",
                                "taxes-went-down-for-most-families"}


def test_triage_then_reimport_moves_the_reviews_to_the_stated_claim(run, ledger_dir):
    run.ok("import", "--format", "claimreview", str(DATA / "graph-two-reviews.jsonld"))
    run.ok("claim", "revise", "taxes-went-down-for-most-families", "taxes",
           "--subject", "ex:Taxes", "--predicate", "ex:fell", "--object", "ex:Families",
           "--reason", "triaged")
    assert "taxes-went-down" not in run.ok("report", "untriaged").stdout
    run.ok("import", "--format", "claimreview", str(DATA / "graph-two-reviews.jsonld"))
    assert any(r["claim"] == BASE + "claim/taxes" for r in reviews(ledger_dir))


def test_round_trip_keeps_every_claim_verdict_and_appearance(run, ledger_dir, tmp_path):
    build_desk(run)
    run.ok("claim", "verdict", "count", "retracted", "--reason", "withdrawn by the desk")
    out = tmp_path / "reviews.jsonld"
    run.ok("export", "--format", "claimreview", "--all", "-o", str(out))
    other = tmp_path / "other"
    with Ledger.create(other, base=BASE, agent="importer") as led:
        led.add_prefix("ex", EX)  # so that both ledgers show triples alike
    run2 = Cli(other)
    run2.ok("import", "--format", "claimreview", str(out))
    before, after = claims(run), claims(run2)
    assert set(before) == set(after)
    for slug, c in before.items():
        assert (after[slug]["text"], after[slug]["subject"], after[slug]["predicate"],
                after[slug]["object"]) == (c["text"], c["subject"], c["predicate"], c["object"])
        mine = json.loads(run.ok("claim", "show", slug, "--format", "json").stdout)["claim"]
        theirs = json.loads(run2.ok("claim", "show", slug, "--format", "json").stdout)["claim"]
        assert [(v["verdict"], v["reason"]) for v in mine["verdicts"]] == \
            [(v["verdict"], v["reason"]) for v in theirs["verdicts"]]
    assert _appearance_urls(run) == _appearance_urls(run2)
    # only claims under a verdict without --all
    plain = json.loads(run.ok("export", "--format", "claimreview").stdout)["@graph"]
    assert sorted(r["itemReviewed"]["@id"].rsplit("/", 1)[-1] for r in plain) == ["count", "multi"]
    assert {r["reviewRating"]["alternateName"] for r in plain} == {"refuted", "retracted"}


def _appearance_urls(run: Cli) -> dict[str, set[str]]:
    data = json.loads(run.ok("export", "--format", "claimreview", "--all").stdout)
    return {r["itemReviewed"]["@id"]: {w.get("url") for w in r["itemReviewed"].get("appearance", [])
                                       if w.get("url")} for r in data["@graph"]}


def test_the_export_links_each_review_to_its_evidence_and_origins(run):
    build_desk(run)
    data = json.loads(run.ok("export", "--format", "claimreview", "--all").stdout)
    freed = next(r for r in data["@graph"] if r["itemReviewed"]["@id"] == BASE + "claim/freed")
    assert freed["reviewRating"]["alternateName"] == "Single source"  # derived, no verdict
    assert "derived" in freed["reviewRating"]["ratingExplanation"]
    assert {e["@id"] for e in freed["cl:evidence"]} == {BASE + "evidence/freed-1",
                                                       BASE + "evidence/freed-3"}
    assert {o["@id"] for o in freed["cl:origin"]} == {BASE + "source/wire-a",
                                                     BASE + "source/outlet-c"}
    assert data["@context"][0] == "https://schema.org"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        body = json.dumps({"@context": {"@vocab": "http://schema.org/"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_no_context_is_ever_fetched(run, ledger_dir, tmp_path, listener):
    review = json.loads((DATA / "graph-two-reviews.jsonld").read_text())
    cases = {
        "remote.json": {**review, "@context": f"{listener}/context.jsonld"},
        "listed.json": {**review, "@context": ["https://schema.org", f"{listener}/x"]},
        "import.json": {**review, "@context": {"@import": f"{listener}/y"}},
        "scoped.json": {**review, "@context": ["https://schema.org",
                                               {"itemReviewed": {"@id": "schema:itemReviewed",
                                                                 "@context": f"{listener}/z"}}]},
    }
    before = snapshot(ledger_dir)
    for name, doc in cases.items():
        (tmp_path / name).write_text(json.dumps(doc))
        result = run("import", "--format", "claimreview", str(tmp_path / name))
        assert result.exit_code == 2, (name, result.output)
        assert "never fetches" in result.stderr, (name, result.stderr)
    assert _Recorder.hits == []
    assert snapshot(ledger_dir) == before
    # no context at all: read as schema.org
    bare = {k: v for k, v in review["@graph"][0].items()}
    (tmp_path / "bare.json").write_text(json.dumps(bare))
    run.ok("import", "--format", "claimreview", str(tmp_path / "bare.json"))
    assert _Recorder.hits == []


def test_bad_reviews_are_all_named_and_nothing_is_imported(run, ledger_dir, tmp_path):
    good = {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://x.example/1",
            "claimReviewed": "A claim.", "author": {"@type": "Organization", "name": "X"},
            "reviewRating": {"@type": "Rating", "alternateName": "False"}}
    no_rating = {k: v for k, v in good.items() if k != "reviewRating"}
    no_text = {k: v for k, v in good.items() if k != "claimReviewed"}
    not_a_review = {"@context": "https://schema.org", "@type": "Article", "name": "x"}
    future = {**good, "url": "https://x.example/2", "datePublished": "2999-01-01"}
    lines = [json.dumps(good), json.dumps(no_rating), "{not json", json.dumps(no_text),
             json.dumps(not_a_review), json.dumps(future)]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    before = snapshot(ledger_dir)
    result = run("import", "--format", "claimreview", str(path))
    assert result.exit_code == 2
    assert "line 3: not JSON" in result.stderr  # JSON first: the other lines are not read yet
    path.write_text("\n".join(l for l in lines if l != "{not json") + "\n")
    result = run("import", "--format", "claimreview", str(path))
    assert result.exit_code == 2
    err = result.stderr
    assert "line 4: holds no ClaimReview" in err
    assert "line 2: no reviewRating" in err and "line 3: no statement" in err
    assert "line 5:" in err and "lies in the future" in err
    assert "line 1" not in err
    assert snapshot(ledger_dir) == before
