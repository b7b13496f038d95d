"""The reports on the seed ledger (data/build_seed_ledger.py): the one credible anecdote."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import Cli, seed_builder





@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Cli:
    path = tmp_path_factory.mktemp("seed-reports") / "seed-ledger"
    seed_builder("build_seed_ledger_for_reports").build(path, agent="tester")
    return Cli(path)


def report(seed: Cli, name: str, *params: str) -> list[dict[str, str]]:
    args = ["report", name, "--format", "sparql-csv"]
    for p in params:
        args += ["--param", p]
    return list(csv.DictReader(io.StringIO(seed.ok(*args).stdout, newline="")))


def slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_single_anecdote_lists_kunduz_cooperation_resting_on_the_nds_sources(seed):
    rows = report(seed, "single-anecdote")
    kunduz = [r for r in rows if slug(r["claim"]) == "kunduz-cooperation"]
    assert len(kunduz) == 1, rows
    row = kunduz[0]
    assert slug(row["origin"]) == "nds-sources"
    assert row["status"] == "single-source"
    assert row["reports"] == "1"
    assert "quoting nds-sources" in row["carried_by"]
    assert "Kunduz and Badakhshan" in row["text"]
    # The table view says the same, with slugs.
    table = seed.ok("report", "single-anecdote").stdout
    line = next(line for line in table.splitlines() if line.startswith("kunduz-cooperation "))
    assert " nds-sources " in line


def test_every_report_runs_on_the_seed(seed):
    for name in ("single-anecdote", "circular-reporting", "anonymous-only", "contested",
                 "unsourced", "source-record", "summary"):
        report(seed, name)
    report(seed, "impact", "source=nds-sources")
    report(seed, "stale", "before=2020")
    total = [r for r in report(seed, "summary") if r["status"] == "total"]
    assert int(total[0]["claims"]) >= 25


def test_impact_of_the_nds_sources_takes_kunduz_cooperation_down(seed):
    rows = report(seed, "impact", "source=nds-sources")
    kunduz = [r for r in rows if slug(r["claim"]) == "kunduz-cooperation"]
    assert [(r["effect"], r["status_after"]) for r in kunduz] == [
        ("loses all support", "unsourced")]
