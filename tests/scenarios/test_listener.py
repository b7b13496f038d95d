"""Nothing claimledger runs reaches the network: thousands of generated queries, reports and
policies that try to reach a real HTTP listener on 127.0.0.1, which must receive nothing.

The attacks come from ``benchmarks/attacks.py`` (SERVICE in every syntactic position,
spelling and hiding place; the same words as mere text). A control run first sends some of
them to the engine unchecked, to show that they do reach the listener when nothing stops
them. Set ``LISTENER_QUERIES`` for more (or fewer) generated queries.
"""

from __future__ import annotations

import os
import random

import pyoxigraph as ox
import pytest

from benchmarks import attacks
from claimledger.errors import ClaimLedgerError, InputError
from claimledger.ledger import Ledger
from claimledger.query import reports
from claimledger.query.user import run_on
import time

from claimledger.validation import ShapeSet, validate_store
from conftest import BASE, EX, Cli, Listener

QUERIES = int(os.environ.get("LISTENER_QUERIES", "3000"))
POLICIES = QUERIES // 5
REPORTS = QUERIES // 5
THROUGH_THE_CLI = 40


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    path = tmp_path_factory.mktemp("listener") / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        led.add_prefix("ex", EX)
        led.sources.add("wire", title="Wire", reliability="B")
        led.sources.add("outlet", title="Outlet", reliability="C", derived_from=["wire"])
        for i in range(3):
            led.claims.add(f"c{i}", subject="ex:a", predicate="ex:b", object=f"ex:o{i}",
                           text=f"claim number {i}")
            led.evidence.add(f"c{i}", "outlet", stance="supports", quote=f"claim number {i}")
    return path


def test_the_attacks_do_reach_the_network_when_nothing_stops_them():
    """The control: the generated attacks, sent to the engine as they are, do make requests."""
    listener = Listener()
    try:
        rng = random.Random(7)
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode(BASE + "c"), ox.NamedNode(attacks.RDF_TYPE),
                          ox.NamedNode(attacks.CL + "Claim")))
        sent = 0
        while sent < 30:
            attack = attacks.service_query(rng, listener.url, sent)
            if not attack.live or "\\u" in attack.text or "unbound" in attack.text:
                continue
            sent += 1
            try:
                result = store.query(attack.text)
                if not isinstance(result, (bool, ox.QueryBoolean)):
                    list(result)
            except (SyntaxError, OSError, ValueError, RuntimeError):
                pass  # the listener's answer is no SPARQL results document
        assert listener.reached > 0
    finally:
        listener.close()


def test_thousands_of_generated_queries_reports_and_policies_never_reach_the_listener(desk, capsys):
    listener = Listener()
    counts = {"queries": 0, "queries refused": 0, "queries run": 0, "live queries run": 0,
              "policies": 0, "policies refused": 0, "policies enforced": 0, "reports": 0,
              "queries through the CLI": 0, "policies through the CLI": 0}
    rng = random.Random(13)
    started = time.monotonic()
    try:
        with Ledger.open(desk) as led:
            for i in range(QUERIES):
                attack = attacks.service_query(rng, listener.url, i)
                counts["queries"] += 1
                try:
                    run_on(led, attack.text)
                except InputError:
                    counts["queries refused"] += 1
                    continue
                counts["queries run"] += 1
                counts["live queries run"] += attack.live
            for i in range(POLICIES):
                attack = attacks.service_policy(rng, listener.url, i)
                counts["policies"] += 1
                try:  # as policy add checks it; then run alone, as every write would run it
                    shapes = ShapeSet([(f"p{i}", attack.text)])
                except InputError:
                    counts["policies refused"] += 1
                    continue
                assert not attack.live, attack.text
                validate_store(led.store, shapes)
                counts["policies enforced"] += 1
            specs = [s for s in reports.available() if s.params]
            for i in range(REPORTS):
                spec = rng.choice(specs)
                value = rng.choice([listener.url, f"<{listener.url}x>", "SERVICE <%s> {}" % listener.url,
                                    "wire", "c1", "2030-01-01",
                                    attacks.service_query(rng, listener.url, i).text])
                counts["reports"] += 1
                try:
                    reports.run(led, spec.name, {p.name: value for p in spec.params})
                except ClaimLedgerError:
                    pass
        run = Cli(desk)
        for i in range(THROUGH_THE_CLI):
            attack = attacks.service_query(rng, listener.url, i)
            result = run("query", "-", input=attack.text)
            assert result.exit_code in (0, 2), result.output
            assert result.exit_code == 2 or not attack.live
            counts["queries through the CLI"] += 1
        for i in range(THROUGH_THE_CLI // 4):
            attack = attacks.service_policy(rng, listener.url, i)
            path = desk.parent / f"policy{i}.ttl"
            path.write_text(attack.text, encoding="utf-8")
            result = run("policy", "add", str(path), "--name", f"pol{i}")
            assert result.exit_code in (0, 2), result.output
            assert result.exit_code == 2 or not attack.live
            run.ok("source", "add", f"after{i}", "--title", "a write checks every policy")
            counts["policies through the CLI"] += 1
    finally:
        listener.close()
    with capsys.disabled():
        print("\nlistener test:", ", ".join(f"{k} {v:,}" for k, v in counts.items()),
              f"— requests received: {listener.reached} ({time.monotonic() - started:.0f} s)")
    assert counts["live queries run"] == 0
    assert counts["queries run"] > 0 and counts["policies enforced"] > 0  # text-only ones do run
    assert listener.reached == 0, listener.requests[:5]
