"""The benchmark generator and harness (issue 6): they run, and the generator keeps its promises.

No timing is asserted here (timings belong in benchmarks/): the harness runs end to end at a
small size so that it cannot rot, and the generated ledger is checked for determinism, syntax,
validity and the features the benchmarks rely on.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from claimledger import resources
from claimledger.interchange import import_file
from claimledger.ledger import Ledger
from claimledger.validation import validate_store

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
from benchmarks import generate as gen
from benchmarks import run as harness

BASE = "https://example.org/bench/"
PREFIXES = ("PREFIX cl: <https://w3id.org/claimledger#> PREFIX prov: <http://www.w3.org/ns/prov#> "
            "PREFIX oa: <http://www.w3.org/ns/oa#> ")
#: Claims in the harness smoke run: 1,000, as the issue asks.
SMOKE_CLAIMS = int(os.environ.get("CLAIMLEDGER_BENCH_SMOKE_CLAIMS", "1000"))


def _store(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store


def _count(store: ox.Store, body: str) -> int:
    rows = list(store.query(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}"))
    return int(rows[0][0].value)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A 2,000-claim ledger file and its counts (generation takes well under a second)."""
    path = tmp_path_factory.mktemp("gen") / "ledger-2000.nt"
    counts = gen.generate(2000, path, seed=0)
    return path, counts


def test_generator_is_deterministic_for_a_seed(tmp_path):
    a, b, c = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    assert gen.generate(300, a, seed=1) == gen.generate(300, b, seed=1)
    gen.generate(300, c, seed=2)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_generator_cli_prints_counts(tmp_path, capsys):
    out = tmp_path / "cli.nt"
    assert gen.main(["50", "-o", str(out), "--seed", "4"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["claims"] == 50 and out.stat().st_size == counts["bytes"]


def test_generated_file_parses_into_the_default_graph(big):
    path, counts = big
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    assert len(quads) == counts["triples"]
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    assert len({q.triple for q in quads}) == len(quads), "duplicate triples"


def test_generated_ledger_has_the_promised_features(big):
    path, counts = big
    store = _store(path)
    claims = _count(store, "?c a cl:Claim")
    sources = _count(store, "?s a cl:Source")
    evidence = _count(store, "?e a cl:Evidence")
    assert claims == 2000 == counts["claims"]
    assert 1.5 <= evidence / claims <= 2.5
    # Sources of every kind, a realistic share of anonymous ones, each with its justification
    # and the agent who knows who it is.
    kinds = {r[0].value.rsplit("-", 1)[-1] for r in store.query(
        PREFIXES + "SELECT DISTINCT ?k WHERE { ?s cl:kind ?k }")}
    assert {"document", "person", "organization", "record", "media", "dataset"} <= kinds
    anonymous = _count(store, "?s cl:anonymous true")
    assert 0.10 <= anonymous / sources <= 0.20
    assert _count(store, "?s cl:anonymous true ; cl:anonymityJustification ?j ; "
                         "cl:identityKnownTo ?a . ?a a prov:Agent") == anonymous
    # Derivation chains one to four hops deep, never five.
    hop = "prov:wasDerivedFrom"
    for hops in range(1, 5):
        assert _count(store, f"?a {'/'.join([hop] * hops)} ?b"), f"no chain of {hops} hop(s)"
    assert not _count(store, f"?a {'/'.join([hop] * 5)} ?b")
    # Wire stories reprinted by several outlets, and claims resting on two reprints of one
    # story (circular reporting).
    assert _count(store, "SELECT ?w WHERE { ?r prov:wasDerivedFrom ?w } GROUP BY ?w "
                         "HAVING (COUNT(?r) >= 3)") >= 10
    assert _count(store, "?e1 cl:claim ?c ; cl:source ?r1 . ?e2 cl:claim ?c ; cl:source ?r2 . "
                         "?r1 prov:wasDerivedFrom ?w . ?r2 prov:wasDerivedFrom ?w . "
                         "FILTER (?r1 != ?r2)") >= 100
    # Statements attributed to another source than the one they were found in.
    assert _count(store, "?e prov:hadPrimarySource ?s") >= 100
    # Contradicting evidence (~10 %), verdicts (~2 %), retractions, quotes and locators.
    contradicting = _count(store, "?e cl:stance cl:stance-contradicts")
    assert 0.05 <= contradicting / evidence <= 0.15
    verdicts = _count(store, "?v a cl:Verdict ; cl:about ?c . ?c cl:verdict ?v")
    assert 0.01 <= verdicts / claims <= 0.04
    assert _count(store, "?r a cl:Retraction ; cl:about ?e . ?e cl:retraction ?r") >= 5
    assert _count(store, "?e oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?x") >= 500
    assert _count(store, "?e cl:locator ?l") >= 200
    # Every confidence level, and no derived fact (import derives those).
    for level in ("low", "moderate", "high"):
        assert _count(store, f"?c cl:confidence cl:confidence-{level}")
    assert not _count(store, "?c cl:status ?s")
    # The counts the generator prints agree with the file.
    assert counts["sources_anonymous"] == anonymous and counts["verdicts"] == verdicts
    for status in ("unsourced", "single-source", "corroborated", "contested"):
        assert counts[f"status_{status}"] > 0


@pytest.mark.slow
def test_generated_ledger_imports_valid_and_derives_as_generated(tmp_path):
    nt, derived = tmp_path / "ledger.nt", tmp_path / "derived.nt"
    gen.generate(120, nt, seed=5)
    gen.generate(120, derived, seed=5, derived=True)
    path = tmp_path / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        result = import_file(led, nt, max_bytes=nt.stat().st_size + 1)
        assert result.report.conforms
        report = validate_store(led.store, led.shapes)
        assert report.conforms, [r.describe() for r in report.violations][:5]
        assert report.warnings, "the generated ledger should carry Warnings (single origins…)"
        # What claimledger derived (and any confidence it lowered) is what the generator says.
        watched = {f"https://w3id.org/claimledger#{p}" for p in
                   ("status", "independentOrigins", "supportOrigin", "origin", "counts",
                    "confidence")}
        have = {t for t in led.store.triples(None, None, None) if t.predicate.value in watched}
        want = {q.triple for q in ox.parse(path=str(derived), format=ox.RdfFormat.N_TRIPLES)
                if q.predicate.value in watched}
        assert have == want


def test_a_w3c_report_is_read_back_as_the_results_it_holds(tmp_path):
    """The harness compares Jena's report with ours by reading the report file: our own
    report, written as Turtle, reads back as exactly our results."""
    nt = tmp_path / "ledger.nt"
    gen.generate(60, nt, seed=3)
    with Ledger.create(tmp_path / "ledger", base=BASE, agent="tester") as led:
        import_file(led, nt, max_bytes=nt.stat().st_size + 1)
        report = validate_store(led.store, led.shapes)
    assert report.results
    path = tmp_path / "report.ttl"
    report.to_graph().serialize(path, format="turtle")
    assert harness._result_keys_of_report(path) == harness._result_keys_ours(report)


# -- the harness ------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?[\d,]+(\.\d+)?\s*(ms|s|MB|GB|%|×)?( \(×[\d.]+\))?$")


def _number(cell: str) -> float | None:
    cell = re.sub(r"\s*\([\d,]+ rows\)$", "", cell.strip().lstrip(">").strip())
    m = _NUMBER.match(cell.replace(" (stopped)", ""))
    if not m:
        return None
    return float(re.sub(r"[^\d.+-]", "", cell.split()[0]))


@pytest.mark.slow
def test_harness_runs_end_to_end_and_prints_every_row(tmp_path, capsys):
    work = tmp_path / "work"
    argv = ["--sizes", str(SMOKE_CLAIMS), "--baseline-sizes", str(SMOKE_CLAIMS), "--repeat", "1",
            "--writes", "5", "--workdir", str(work), "--timeout", "600",
            "--baseline-timeout", "5"]
    assert harness.main(argv) == 0
    text = capsys.readouterr().out
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 2:
            rows[cells[0]] = cells[1]
    expected = ["triples in the file", "generate the file", "bulk import", "bulk import: CPU",
                "bulk import: peak memory", "CSV import of the same ledger (rows)",
                "CSV import: CPU", "CSV import: peak memory", "record a claim (median)",
                "record evidence (median)", "record claim + evidence (median)",
                "writes: peak memory", "audit trail share of a write", "validate",
                "validate: CPU", "validate: peak memory", "reports: peak memory",
                "export (TriG)", "export: peak memory", "web: claim page (median)",
                "web: claims list, first page (median)", "web: source page (median)",
                "on a SPARQL server (oxigraph serve, loopback): load the ledger",
                "on a SPARQL server: claim + evidence (median; × embedded)",
                "bulk import, signed (key create first)",
                "signing's share of the bulk import", "signing's share of a write",
                "raw bulk load of the same file (pyoxigraph alone)",
                "one write as a whole CLI process (median)",
                "`python -c 'import claimledger.cli'` (median)",
                "Oxigraph's own dump of the same store (TriG)"]
    shares = {"audit trail share of a write", "signing's share of the bulk import",
              "signing's share of a write"}
    expected += [f"report `{name}` (median)" for name in resources.report_names()]
    expected += [f"on a SPARQL server: report `{name}` (median; × embedded)"
                 for name in resources.report_names()]
    expected += [f"report `{name}`: first page of 100 (median)" for name in resources.report_names()]
    for label in expected:
        assert label in rows, f"the table has no row {label!r}:\n{text}"
        if label == "audit trail share of a write" and rows[label].startswith("n/a"):
            continue
        value = _number(rows[label])
        assert value is not None, f"{label}: {rows[label]!r} is not a figure"
        if label not in shares:
            assert value > 0, f"{label}: {rows[label]!r}"
    assert re.match(r"[\d.]+ / [\d.]+ ms$", rows["record claim + evidence, signed / unsigned (median)"])
    assert re.match(r"\d+ / \d+ µs$", rows["one Ed25519 signature / check"])
    # Each figure of the engine alone is beside what claimledger does with it, as a ratio.
    for label in ("bulk import ÷ raw bulk load", "bulk import: peak memory ÷ raw bulk load's",
                  "export ÷ Oxigraph's dump"):
        assert re.match(r"[\d.]+×$", rows[label]), (label, rows[label])
    assert "every report at 100,000 claims ≤ 50 ms + 20 µs per row: not measured" in text
    assert re.search(r"one write as a whole CLI process < 0\.15 s median: \*\*(met|missed)\*\* "
                     r"\(1,000: ", text)
    # The comparison with plain rdflib and pyshacl ran (or was stopped at its time limit).
    assert "| work | claimledger | plain rdflib / pyshacl | ratio |" in text
    assert "rdflib parse:" in text and "rdflib SPARQL:" in text and "pyshacl:" in text
    raw = json.loads((work / "results.json").read_text())
    assert raw["results"][0]["n"] == SMOKE_CLAIMS and raw["env"]["machine"]


def test_a_run_stopped_part_way_keeps_what_it_measured(tmp_path):
    """Every step's figure is saved as it comes: a 1M-claim run takes hours."""

    class Steps:
        workdir = tmp_path

        def __init__(self) -> None:
            self.calls: list[str] = []

        def log(self, _message: str) -> None:
            pass

        def once(self, name, _args, **_kw):
            self.calls.append(name)
            if name == "generate":
                return {"wall": 0.1, "counts": {"triples": 10}}
            if name == "reports":
                raise KeyboardInterrupt  # the run is stopped here
            return {"wall": 1.0, "cpu": 1.0, "rss_mb": 10.0}

        def median(self, name, args, **_kw):
            return self.once(name, args)

    saved: list[dict] = []
    with pytest.raises(KeyboardInterrupt):
        harness.measure_size(Steps(), 10, repeat=1, repeat_below=1, writes=1, seed=0,
                             baselines=False, baseline_timeout=1,
                             save=lambda res: saved.append(dict(res)))
    assert saved[-1]["n"] == 10
    assert saved[-1]["import"]["wall"] == 1.0 and saved[-1]["validate"]["wall"] == 1.0
    assert "reports" not in saved[-1]


def test_write_readme_replaces_only_the_bench_section(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- bench:start -->\nold\n<!-- bench:end -->\noutro\n")
    harness.write_readme("| new | table |", readme)
    assert readme.read_text() == "intro\n<!-- bench:start -->\n| new | table |\n<!-- bench:end -->\noutro\n"


def test_table_from_saved_results(tmp_path, capsys):
    """``--from-json`` renders a saved run: main table, baseline comparison, targets."""
    step = {"wall": 2.0, "cpu": 1.5, "rss_mb": 300.0}
    small = {"n": 1000, "counts": {"triples": 27814}, "generate": {"wall": 0.1},
             "import": step, "validate": step, "export": step,
             "reports": {"reports": {"single-anecdote": {"wall": 0.004, "rows": 9}}, "rss_mb": 80},
             "write": {"claim_ms": 20.0, "evidence_ms": 30.0, "pair_ms": 50.0, "rss_mb": 90,
                       "audit_overhead": 0.08}}
    extra = {"n": 2000, "counts": {"triples": 55000}, "generate": {"wall": 0.2},
             "import": step, "validate": step,
             "baselines": {"report_name": "single-anecdote", "oxigraph_report": {"wall": 0.01},
                           "rdflib_report": {"error": "timeout", "limit": 300},
                           "pyshacl": {"wall": 200.0}}}
    env = {"date": "2026-01-01", "machine": "m", "software": "s", "load": "0", "repeat": 3,
           "repeat_below": 120}
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps({"env": env, "results": [small, extra]}))
    assert harness.main(["--from-json", str(saved)]) == 0
    text = capsys.readouterr().out
    assert "| | 1,000 claims |" in text and "2,000 claims |" not in text.split("\n\n")[1]
    assert "| 2,000 | report `single-anecdote` | 10 ms | rdflib SPARQL: > 300 s (stopped) | > 30,000× |" in text
    assert "≥ 1000× rdflib's engine on 2,000 claims: **met** (>30,000×)" in text
