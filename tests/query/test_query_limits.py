"""``claimledger query`` runs where it can be stopped: a worker process with a time and a
memory limit, a bounded read of its file, and the ledger freed for writers when it is killed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimledger.ledger import Ledger
from conftest import BASE, EX, Cli, snapshot

#: Every solution of five copies of the whole ledger side by side: far more than any limit.
CROSS_JOIN = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
              "?m ?n1 ?o }")
#: The same, sorted: the engine must hold every row in memory.
SORTED_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?c ?f ?i ?l"


@pytest.fixture(scope="module")
def ledger_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("limits") / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        led.add_prefix("ex", EX)
        led.sources.add("wire", title="Wire", reliability="B")
        for i in range(4):
            led.claims.add(f"c{i}", subject="ex:a", predicate="ex:b", object=f"ex:o{i}",
                           text=f"claim {i}")
    return path


@pytest.fixture(scope="module")
def run(ledger_dir) -> Cli:
    return Cli(ledger_dir)


def test_a_query_over_its_time_limit_is_stopped_and_frees_the_ledger(run, ledger_dir):
    before = snapshot(ledger_dir)
    started = time.monotonic()
    result = run("query", "-", "--timeout", "2", input=CROSS_JOIN)
    took = time.monotonic() - started
    assert result.exit_code == 2, result.output
    assert "ran longer than its limit of 2 s and was stopped" in result.stderr
    assert "--timeout" in result.stderr
    assert took < 2 + 30, took  # the limit, plus starting the worker on a busy machine
    assert snapshot(ledger_dir) == before
    # nothing holds the ledger any more: a writer gets it at once
    run.ok("source", "add", "after-timeout", "--title", "After", "--wait", "0")


def test_a_writer_waits_no_longer_than_the_query_limit(ledger_dir):
    env = {"CLAIMLEDGER_LEDGER": str(ledger_dir), "CLAIMLEDGER_AGENT": "tester"}
    import os

    query = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "query", "-", "--timeout",
                              "3"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env={**os.environ, **env})
    query.stdin.write(CROSS_JOIN.encode())
    query.stdin.close()
    time.sleep(1.5)  # the worker has the ledger now (start-up takes about half a second)
    started = time.monotonic()
    writer = subprocess.run([sys.executable, "-m", "claimledger.cli", "source", "add",
                             "during-query", "--title", "During", "--wait", "60"],
                            capture_output=True, text=True, env={**os.environ, **env}, timeout=120)
    waited = time.monotonic() - started
    query.wait(timeout=60)
    assert query.returncode == 2, query.stderr.read()
    assert writer.returncode == 0, writer.stderr
    assert waited < 3 + 20, waited


def test_a_query_over_its_memory_limit_is_stopped(run, ledger_dir):
    before = snapshot(ledger_dir)
    result = run("query", "-", "--max-memory", "900", "--timeout", "120", input=SORTED_JOIN)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: FILE: the query")
    assert "memory limit of 900 MiB" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("option, value", [("--timeout", "0"), ("--timeout", "-1"),
                                           ("--timeout", "nan"), ("--max-memory", "0")])
def test_limits_must_be_positive(run, option, value):
    result = run("query", "-", option, value, input="ASK {}")
    assert result.exit_code == 2
    assert f"{option}:" in result.stderr


def test_the_query_file_is_read_with_a_size_bound(run, tmp_path):
    big = tmp_path / "big.rq"
    big.write_text("ASK {}" + " " * (1 << 20))
    result = run("query", str(big))
    assert result.exit_code == 2
    assert "over 1,048,576 bytes" in result.stderr
    result = run("query", "/dev/zero")
    assert result.exit_code == 2
    assert "over 1,048,576 bytes" in result.stderr


def test_a_byte_order_mark_is_accepted(run, tmp_path):
    path = tmp_path / "bom.rq"
    path.write_bytes("\ufeffASK { ?c a cl:Claim }".encode("utf-8"))
    assert run.ok("query", str(path)).stdout == "true\n"
    assert run.ok("query", "-", input="\ufeffASK { ?c a cl:Claim }").stdout == "true\n"


@pytest.mark.parametrize("data", [b"ASK { ?s ?p \"\xff\" }", b"\xc3", b"SELECT * WHERE { \xed\xa0\x80 }"])
def test_a_query_that_is_not_utf8_is_refused(run, tmp_path, data):
    path = tmp_path / "bad.rq"
    path.write_bytes(data)
    result = run("query", str(path))
    assert result.exit_code == 2, result.output
    assert "is not UTF-8" in result.stderr


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT ?unbound { } }",
])
def test_an_unbound_service_variable_is_refused(run, query):
    result = run("query", "-", input=query)
    assert result.exit_code == 2, result.output
    assert "SERVICE (federated query) is not allowed" in result.stderr


def test_brackets_nested_too_deep_are_refused_before_the_engine(run):
    # 5,000 nested parentheses kill the engine's parser (SIGSEGV)
    query = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    result = run("query", "-", input=query)
    assert result.exit_code == 2, result.output
    assert "nested more than 256 deep" in result.stderr
    ok = "SELECT * WHERE { FILTER(" + "(" * 100 + "true" + ")" * 100 + ") }"
    run.ok("query", "-", input=ok)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_an_engine_that_crashes_is_a_clear_error_not_the_end_of_claimledger(ledger_dir):
    """The engine crashing under a query (here: the worker sent SIGSEGV while it runs one)."""
    import os
    import signal

    env = {**os.environ, "CLAIMLEDGER_LEDGER": str(ledger_dir), "CLAIMLEDGER_AGENT": "tester"}
    query = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "query", "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    query.stdin.write(CROSS_JOIN)
    query.stdin.close()
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while not workers and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = _children(query.pid)
    assert workers, "the query's worker process never started"
    time.sleep(1.5)  # it holds the ledger and runs the query now
    os.kill(workers[0], signal.SIGSEGV)
    query.wait(timeout=60)
    err = query.stderr.read()
    assert query.returncode == 2, err
    assert err.startswith("Error: FILE: the query engine stopped on this query (was ended by "
                          "SIGSEGV"), err
    assert "Traceback" not in err and "internal error" not in err
    Cli(ledger_dir).ok("source", "add", "after-crash", "--title", "the ledger is free", "--wait", "0")
