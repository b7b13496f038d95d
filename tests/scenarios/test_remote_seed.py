"""The seed ledger recorded on a real SPARQL server (``oxigraph serve`` on 127.0.0.1) and in
the embedded store: every command prints the same bytes from both.

Both ledgers are built in this process with the same clock (a counter), so that they hold the
very same triples, times and hashes; then validate, every report, claim list and show, log,
verify and export are run on each through the CLI and compared byte for byte.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import count
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal

from claimledger.cli import cli
from claimledger.model import terms
from claimledger.model.vocab import XSD_DATETIME
from conftest import seed_builder

ROOT = Path(__file__).resolve().parents[2]




@pytest.fixture(scope="module")
def ledgers(tmp_path_factory, oxigraph_server):
    builder = seed_builder("build_seed_ledger_remote")
    out = tmp_path_factory.mktemp("remote-seed")
    mp = pytest.MonkeyPatch()
    try:
        for name in ("embedded", "remote"):
            ticks = count()
            start = datetime(2021, 9, 1, tzinfo=timezone.utc)
            mp.setattr(terms, "now_literal", lambda: Literal(
                (start + timedelta(seconds=next(ticks))).isoformat().replace("+00:00", "Z"),
                datatype=XSD_DATETIME))
            remote = oxigraph_server.config(graph=builder.BASE) if name == "remote" else None
            builder.build(out / name, remote=remote)
    finally:
        mp.undo()
    return out / "embedded", out / "remote"


COMMANDS = [
    ["validate"], ["validate", "--format", "json"], ["validate", "--format", "turtle"],
    ["claim", "list"], ["claim", "list", "--format", "json"], ["source", "list"],
    ["claim", "show", "kunduz-cooperation", "--history"], ["claim", "show", "attack-anticipated"],
    ["source", "show", "nds-sources"], ["log"], ["log", "kunduz-cooperation"], ["verify"],
    ["report", "--list"], ["report", "impact", "--param", "source=nds-sources"],
    ["report", "stale", "--param", "before=2026-01-01", "--format", "csv"],
    ["export", "--format", "trig"], ["export", "--format", "nquads"],
    ["export", "--format", "turtle"], ["prefix", "list"],
]
REPORTS = ["anonymous-only", "circular-reporting", "contested", "single-anecdote",
           "source-record", "summary", "unsourced"]


@pytest.mark.parametrize("args", COMMANDS + [["report", r] for r in REPORTS]
                         + [["report", r, "--format", "json"] for r in REPORTS],
                         ids=lambda a: " ".join(a))
def test_every_command_prints_the_same_bytes_embedded_and_on_the_server(ledgers, args):
    runner = CliRunner()
    outputs = []
    for directory in ledgers:
        result = runner.invoke(cli, [*args, "--ledger", str(directory)],
                               env={"CLAIMLEDGER_AGENT": "tester"}, catch_exceptions=False)
        outputs.append((result.exit_code, result.stdout_bytes))
    assert outputs[0][0] == 0, outputs[0][1].decode()[:2000]
    if args[-2:] == ["--format", "turtle"] and args[0] == "validate":
        # a W3C report names its results with blank nodes: compared as graphs
        import rdflib
        from rdflib.compare import isomorphic

        graphs = [rdflib.Graph().parse(data=out.decode(), format="turtle") for _, out in outputs]
        assert outputs[0][0] == outputs[1][0] and isomorphic(*graphs)
        return
    assert outputs[0] == outputs[1]


def test_the_server_ledger_is_only_in_its_own_graphs(ledgers, oxigraph_server):
    import json
    import urllib.parse
    import urllib.request

    query = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    with urllib.request.urlopen(f"{oxigraph_server.url}/query?{query}", timeout=10) as r:
        graphs = [b["g"]["value"] for b in json.load(r)["results"]["bindings"]]
    base = seed_builder("build_seed_ledger_remote").BASE
    mine = [g for g in graphs if g.startswith(base)]
    assert base + "state" in mine and base + "audit" in mine
    assert not any(g.startswith(base + "staging/") or g.startswith(base + "probe/") for g in mine)
    query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})  # the server's default graph
    with urllib.request.urlopen(f"{oxigraph_server.url}/query?{query}", timeout=10) as r:
        assert json.load(r)["boolean"] is False
