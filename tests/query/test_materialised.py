"""Materialised facts (claimledger.rules.materialised): what the reports read, kept on write.

Every packaged report gives the same rows reading the kept facts as computing them from the
records (``queries/scans/``), on the seed ledger and on a generated 10,000-claim ledger, in
the same order sorted in Python as by the engine (:mod:`claimledger.query.ordering`); the
kept facts recounted from scratch equal the stored ones after a bulk import and after every
kind of write; a ledger made before them is read by scanning and brought up by ``migrate``;
``verify`` names a kept fact that disagrees with the records.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from benchmarks import generate as gen
from claimledger.audit import verify
from claimledger.interchange import import_file
from claimledger.ledger import Ledger
from claimledger.model import vocab as V
from claimledger.query import reports
from claimledger.rules import materialised, support
from claimledger.rules.rederive import differences
from claimledger.store.base import ChangeSet
from conftest import BASE, Cli, seed_builder

CUTOFFS = ("2021", "2021-06", "2021-06-15", "2026-11-01")




def _params(led, spec) -> list[dict[str, str]]:
    """Parameter sets to run ``spec`` with on ``led``: every source for ``impact`` (up to 20),
    several cut-offs for ``stale``."""
    if not spec.params:
        return [{}]
    if spec.name == "stale":
        return [{"before": c} for c in CUTOFFS]
    if spec.name == "impact":
        rows = led.store.query(f"SELECT ?s WHERE {{ ?s a <{V.SOURCE.value}> }} ORDER BY ?s LIMIT 20")
        return [{"source": led.slug(r["s"])} for r in rows]
    raise AssertionError(f"no parameters known for report {spec.name}")


def assert_same_rows(led) -> dict[str, int]:
    """Every packaged report reads the same rows from the kept facts as from a scan, in the
    same order whether Python sorts them (the default on this store) or the engine does."""
    seen = {}
    for spec in reports.available():
        for params in _params(led, spec):
            kept = reports.run(led, spec.name, params, scan=False)
            scanned = reports.run(led, spec.name, params, scan=True)
            assert kept.columns == scanned.columns, (spec.name, params)
            assert kept.rows == scanned.rows, (spec.name, params)
            for scan in (False, True):
                engine = reports.run(led, spec.name, params, scan=scan, engine_order=True)
                assert engine.rows == kept.rows, (spec.name, params, scan)
            seen[spec.name] = seen.get(spec.name, 0) + len(kept.rows)
    return seen


def assert_recount_equal(led) -> None:
    """The kept facts recounted from scratch are the stored ones; so is corroboration."""
    assert led.materialised == materialised.VERSION
    add, remove = materialised.rebuild(led.store, led.base)
    assert (add, remove) == ([], [])
    assert list(differences(led.store)) == []
    assert materialised.check(led.store, led.base) == []


def test_reports_read_the_same_rows_kept_as_scanned_on_the_seed_ledger(tmp_path):
    path = tmp_path / "seed"
    seed_builder("build_seed_ledger_for_materialised").build(path, agent="tester")
    with Ledger.open(path) as led:
        seen = assert_same_rows(led)
        assert_recount_equal(led)
        assert seen["summary"] == 10 and seen["single-anecdote"] == 50
        total = reports.run(led, "summary").rows[-1]
        assert [t.value for t in total[1:]] == ["45", "6", "0", "51"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated ledger of 10,000 claims, bulk imported."""
    folder = tmp_path_factory.mktemp("materialised-10k")
    data = folder / "ledger.nt"
    gen.generate(10_000, data, seed=11, base="https://example.org/bench/")
    path = folder / "ledger"
    with Ledger.create(path, base="https://example.org/bench/", agent="bench") as led:
        import_file(led, data, max_bytes=data.stat().st_size + 1)
    return path


def test_reports_read_the_same_rows_kept_as_scanned_on_a_generated_10k_ledger(generated):
    with Ledger.open(generated) as led:
        assert_recount_equal(led)
        seen = assert_same_rows(led)
    # The comparison meant something: the reports that read kept facts have rows to compare.
    assert seen["stale"] > 1000 and seen["summary"] == 10 and seen["single-anecdote"] > 1000
    assert seen["circular-reporting"] > 1000
    totals = {}
    with Ledger.open(generated) as led:
        for row in reports.run(led, "summary").rows:
            totals[row[0].value] = int(row[-1].value)
    assert totals["total"] == 10_000
    assert sum(v for k, v in totals.items() if k != "total") == 10_000


def _each_keeps_the_recount_equal(run, ledger_dir, steps) -> None:
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result.output)
        with Ledger.open(ledger_dir) as led:
            assert_recount_equal(led)
            assert_same_rows(led)


#: Three sources and two claims, the start of the write sequences below.
_SOURCES_AND_CLAIMS = [
    ("source", "add", "wire", "--title", "Wire", "--reliability", "B", "--published", "2021-03"),
    ("source", "add", "paper", "--title", "Paper", "--reliability", "C",
     "--published", "2021-05-02"),
    ("source", "add", "blog", "--title", "Blog", "--reliability", "C"),
    ("claim", "add", "c1", "--subject", "ex:a", "--predicate", "ex:p", "--object", "ex:b",
     "--text", "A did B"),
    ("claim", "add", "c2", "--subject", "ex:a", "--predicate", "ex:q", "--object", "ex:b",
     "--text", "A did Q"),
]


def test_every_write_keeps_the_recount_equal(run, ledger_dir):
    """Claims, evidence, a source's date and derivation, a verdict, a retraction, a confidence
    set and lowered: after each write the kept facts are what a recount finds."""
    steps = [
        *_SOURCES_AND_CLAIMS,
        ("evidence", "add", "c1", "wire", "--supports", "--quote", "A did B."),
        ("evidence", "add", "c1", "paper", "--supports", "--quote", "A did B, too."),
        ("evidence", "add", "c2", "blog", "--supports", "--quote", "Q happened."),
        ("claim", "confidence", "c1", "moderate", "--reason", "two outlets"),
        ("source", "update", "paper", "--published", "2020", "--reason", "misdated"),
        ("source", "link", "paper", "--derived-from", "wire", "--reason", "a reprint"),
        ("claim", "verdict", "c2", "false", "--reason", "checked"),
    ]
    _each_keeps_the_recount_equal(run, ledger_dir, steps)
    with Ledger.open(ledger_dir) as led:
        c1 = NamedNode(BASE + "claim/c1")
        newest = next(led.store.triples(c1, V.NEWEST_EVIDENCE, None)).object
        assert newest.value == "2021-03"  # paper now 2020: the wire's month is the newest
        rows = {r[0].value: [c.value for c in r[1:]] for r in reports.run(led, "summary").rows}
        assert rows["total"] == ["1", "1", "0", "2"]
        assert rows["refuted"] == ["1", "0", "0", "1"]
    branching = [
        # A derivation graph that branches: two relays of the wire, a digest built on both.
        ("source", "add", "zeta", "--title", "Zeta", "--reliability", "C",
         "--derived-from", "wire"),
        ("source", "add", "alpha", "--title", "Alpha", "--reliability", "C",
         "--derived-from", "wire"),
        ("source", "add", "digest", "--title", "Digest", "--reliability", "C",
         "--derived-from", "zeta", "--derived-from", "alpha"),
        ("evidence", "add", "c1", "digest", "--supports", "--quote", "A did B, says the digest."),
        ("evidence", "add", "c1", "blog", "--supports", "--attributed-to", "zeta",
         "--quote", "Zeta says A did B."),
    ]
    _each_keeps_the_recount_equal(run, ledger_dir, branching)
    with Ledger.open(ledger_dir) as led:
        # Sources at the same depth come by IRI (alpha before zeta, recorded after it).
        anecdote = reports.run(led, "single-anecdote")
        assert [(r[0].value, r[4].value) for r in anecdote.rows] == [(c1.value, BASE + "source/wire")]
        assert anecdote.rows[0][-1].value == ("blog quoting zeta ← wire; digest ← alpha ← zeta ← "
                                              "wire; paper ← wire; wire")
        assert anecdote.rows[0][-2].value == "4"
        circular = reports.run(led, "circular-reporting")
        assert [[t.value for t in r[2:]] for r in circular.rows] == [
            ["single-source", "4", "1", "wire", "blog quoting zeta; digest; paper; wire"]]
    # Evidence that no longer counts has no trace: a retraction removes it.
    retracted = run("evidence", "retract", "c1-3", "--reason", "misread")
    assert retracted.exit_code == 0, retracted.output
    with Ledger.open(ledger_dir) as led:
        assert_recount_equal(led)
        assert_same_rows(led)
        c1 = NamedNode(BASE + "claim/c1")
        row = reports.run(led, "single-anecdote").rows[0]
        assert row[-1].value == "blog quoting zeta ← wire; paper ← wire; wire"
        supports = [t.object for t in led.store.triples(c1, V.ORIGIN_SUPPORT, None)]
        assert len(supports) == 1
        assert next(led.store.triples(supports[0], V.SUPPORT_REPORTS, None)).object.value == "3"


def _unmaterialised(ledger_dir: Path) -> None:
    """Make the ledger of ``ledger_dir`` one like those claimledger made before it kept
    materialised facts: no marker, no kept facts (written as an audited event, so that it
    still verifies)."""
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        with led.transaction("test", {}) as tx:
            tx.remove(led.node, V.MATERIALISED, Literal(materialised.VERSION))
            assert materialised.rebuild(led.store, led.base) == ([], [])
            for t in led.store.triples(None, None, None):
                if t.predicate in materialised.PROPERTIES:
                    tx.remove(t.subject, t.predicate, t.object)


def test_a_ledger_without_kept_facts_is_scanned_and_brought_up_by_migrate(run, ledger_dir):
    run.ok("source", "add", "wire", "--title", "Wire", "--reliability", "B", "--published", "2021")
    run.ok("claim", "add", "c1", "--subject", "ex:a", "--predicate", "ex:p", "--object", "ex:b",
           "--text", "A did B")
    _unmaterialised(ledger_dir)
    # Writes go on without keeping them; the reports scan; verify is content.
    run.ok("evidence", "add", "c1", "wire", "--supports", "--quote", "A did B.")
    with Ledger.open(ledger_dir) as led:
        assert led.materialised == 0
        assert not any(True for _ in led.store.triples(None, V.TALLY_CLAIMS, None))
        stale = reports.run(led, "stale", {"before": "2022"})
        assert [r[0] for r in stale.rows] == [NamedNode(BASE + "claim/c1")]
        assert reports.run(led, "summary").rows[-1][-1].value == "1"
    assert run("verify").exit_code == 0
    out = run.ok("migrate").output
    assert "event" in out
    with Ledger.open(ledger_dir) as led:
        assert_recount_equal(led)
        assert_same_rows(led)
    assert run("verify").exit_code == 0
    again = run("migrate")
    assert again.exit_code != 0 and "nothing to do" in again.output


def test_a_ledger_keeping_the_first_version_is_scanned_until_migrate_adds_the_rest(run, ledger_dir):
    """A ledger made when claimledger kept version 1 (newest evidence and tallies, no support
    per origin) reads single-anecdote by scanning; migrate adds the support nodes."""
    run.ok("source", "add", "wire", "--title", "Wire", "--reliability", "B")
    run.ok("source", "add", "paper", "--title", "Paper", "--reliability", "C",
           "--derived-from", "wire")
    run.ok("claim", "add", "c1", "--subject", "ex:a", "--predicate", "ex:p", "--object", "ex:b",
           "--text", "A did B")
    run.ok("evidence", "add", "c1", "paper", "--supports", "--quote", "A did B.")
    kept = (V.ORIGIN_SUPPORT, *support.SUPPORT_PROPERTIES)
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        whole = reports.run(led, "single-anecdote").rows
        with led.transaction("test", {}) as tx:
            tx.set(led.node, V.MATERIALISED, Literal(1))
            for t in led.store.triples(None, None, None):
                if t.predicate in kept:
                    tx.remove(t.subject, t.predicate, t.object)
    assert [r[-1].value for r in whole] == ["paper ← wire"]
    run.ok("evidence", "add", "c1", "wire", "--supports", "--quote", "A did B, first.")
    with Ledger.open(ledger_dir) as led:
        assert led.materialised == 0
        assert not any(True for p in kept for _ in led.store.triples(None, p, None))
        assert [r[-1].value for r in reports.run(led, "single-anecdote").rows] == \
            ["paper ← wire; wire"]
    assert run("verify").exit_code == 0
    run.ok("migrate")
    with Ledger.open(ledger_dir) as led:
        assert_recount_equal(led)
        assert_same_rows(led)
        assert [r[-1].value for r in reports.run(led, "single-anecdote").rows] == \
            ["paper ← wire; wire"]
        assert len(list(led.store.triples(None, V.SUPPORT_FROM, None))) == 1


def test_verify_names_a_kept_fact_that_disagrees_with_the_records(ledger_dir, run):
    run.ok("claim", "add", "c1", "--subject", "ex:a", "--predicate", "ex:p", "--object", "ex:b",
           "--text", "A did B")
    with Ledger.open(ledger_dir, write=True) as led:
        assert materialised.check(led.store, led.base) == []
        node = materialised.tally_node(led.base, V.Status.iri("unsourced"),
                                       V.Confidence.iri("low"))
        edit = ChangeSet()  # outside claimledger: no event
        edit.remove(Triple(node, V.TALLY_CLAIMS, Literal(1)))
        edit.add(node, V.TALLY_CLAIMS, Literal(7))
        led.store.apply(edit)
        problems = materialised.check(led.store, led.base)
        assert len(problems) == 1 and node.value in problems[0] and "recount" in problems[0]
        report = verify(led.store, led.base)
        assert any("recount" in p for p in report.problems)


def test_report_pages_are_slices_of_the_whole_report(tmp_path):
    path = tmp_path / "seed"
    seed_builder("build_seed_ledger_for_materialised").build(path, agent="tester")
    seed = Cli(path)
    with Ledger.open(path) as led:
        for spec in reports.available():
            for params in _params(led, spec)[:2]:
                whole = reports.run(led, spec.name, params)
                for limit, offset in ((0, 0), (1, 0), (3, 2), (100, 0), (5, 48)):
                    page = reports.run(led, spec.name, params, limit=limit, offset=offset)
                    assert page.rows == whole.rows[offset:offset + limit], (spec.name, limit)
                    assert page.more == (len(whole.rows) > offset + limit)
    result = seed.ok("report", "single-anecdote", "--limit", "20", "--offset", "20",
                     "--format", "csv")
    lines = result.stdout.splitlines()
    assert len(lines) == 21  # a header and 20 rows
    assert "(more: --offset 40)" in result.stderr
    last = seed.ok("report", "single-anecdote", "--limit", "20", "--offset", "40")
    assert "(10 rows)" in last.stdout and "more" not in last.stderr
    bad = seed("report", "summary", "--limit", "-1")
    assert bad.exit_code == 2 and "--limit" in bad.output


def _state(led, predicates=None) -> set:
    """The ledger's state (the default graph) as triples, or only those of ``predicates``."""
    return {t for t in led.store.triples(None, None, None)
            if predicates is None or t.predicate in predicates}


@pytest.mark.parametrize("path", ["bulk", "write"])
def test_an_import_into_a_ledger_keeps_its_claims_facts_as_the_writes_would(
        run, ledger_dir, tmp_path, monkeypatch, path):
    """An import that adds evidence, sources and derivation links to claims a ledger already
    holds leaves every derived and kept fact — status, origins, newest evidence, reports,
    support per origin, tallies — as recording the same things with the commands does,
    through the bulk path (each claim's facts computed in the pass that re-derives it,
    replacing the ones stored) and through the write path alike."""
    import shutil

    from claimledger.interchange import rdf as interchange
    from claimledger.interchange.formats import import_any

    before = [
        *_SOURCES_AND_CLAIMS,
        ("claim", "add", "c3", "--subject", "ex:a", "--predicate", "ex:r", "--object", "ex:b",
         "--text", "A did R"),
        ("evidence", "add", "c1", "wire", "--supports", "--quote", "A did B."),
        ("evidence", "add", "c2", "blog", "--supports", "--quote", "Q happened."),
        ("evidence", "add", "c3", "paper", "--supports", "--quote", "R happened."),
    ]
    for step in before:
        run.ok(*step)
    recorded = tmp_path / "recorded"
    shutil.copytree(ledger_dir, recorded)
    after = [  # additions only: what an import can bring
        ("source", "add", "digest", "--title", "Digest", "--reliability", "C",
         "--published", "2023-02", "--derived-from", "wire"),
        ("source", "add", "outlet", "--title", "Outlet", "--reliability", "B",
         "--published", "2024-01-10"),
        ("evidence", "add", "c1", "outlet", "--supports", "--quote", "A did B, says the outlet."),
        ("evidence", "add", "c1", "digest", "--supports", "--attributed-to", "paper",
         "--quote", "The paper says A did B."),
        ("evidence", "add", "c2", "digest", "--contradicts", "--quote", "Q did not happen."),
        ("evidence", "add", "c3", "digest", "--supports", "--quote", "R happened, digested."),
        ("source", "link", "blog", "--derived-from", "wire", "--reason", "a relay"),
    ]
    with_commands = Cli(recorded)
    for step in after:
        with_commands.ok(*step)
    kept = materialised.PROPERTIES | {V.STATUS, V.INDEPENDENT_ORIGINS, V.SUPPORT_ORIGIN,
                                      V.ORIGIN, V.COUNTS}
    with Ledger.open(ledger_dir) as led:
        had = _state(led)
        facts_before = _state(led, kept)
    with Ledger.open(recorded) as led:
        wanted = _state(led, kept)
        new = sorted((t for t in _state(led) - had if t.predicate not in kept), key=str)
    assert wanted != facts_before  # the additions change the kept facts of claims held
    data = tmp_path / "additions.nt"
    data.write_text("".join(f"{t} .\n" for t in new))
    monkeypatch.setattr(interchange, "BULK_BYTES", 0 if path == "bulk" else 1 << 40)
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        result = import_any(led, data)
        assert bool(result.phases) == (path == "bulk")
    with Ledger.open(ledger_dir) as led:
        assert _state(led, kept) == wanted
        assert_recount_equal(led)
        assert_same_rows(led)
        c1 = NamedNode(BASE + "claim/c1")
        assert next(led.store.triples(c1, V.NEWEST_EVIDENCE, None)).object.value == "2024-01-10"
    assert run("verify").exit_code == 0
