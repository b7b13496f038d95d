"""Two processes, one ledger: the directory lock, waiting, and "ledger busy (held by pid N)".

Writers take an exclusive lock, readers a shared one (Oxigraph cannot open a store read-only
beside a writer, so readers wait for writers and say so). Both give up after ``--wait`` /
``CLAIMLEDGER_LOCK_TIMEOUT`` seconds with a clear error and exit 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimledger import audit
from claimledger.rules import corroboration
from claimledger.model import vocab as V
from claimledger.core.facts import gather_facts
from claimledger.core.view import StateView
from claimledger.ledger import Ledger
from claimledger.store import ChangeSet
from claimledger.validation import validate_store

from conftest import BASE, EX

#: Timing matters here (waits, kills): these tests run on one worker, one at a time.
pytestmark = pytest.mark.xdist_group("timing")

CLI = [sys.executable, "-m", "claimledger.cli"]

# A writer process: N writes through the library, opening and closing the ledger for each one
# so that two writers (and a reader) interleave. Writer 1 and 2 each record, per round of
# four writes: a source, a claim, evidence from its own source, and evidence from a source of
# the other writer (or a derivation link between its own sources every fifth round).
_WRITER = r"""
import sys
from claimledger.model import vocab as V
from claimledger.ledger import Ledger
path, me, writes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
other = 3 - me
grades = "ABCDEF"

def has(led, collection, slug):
    return any(True for _ in led.store.triples(led.iri(collection, slug), V.TYPE,
                                               V.SOURCE if collection == "source" else V.CLAIM))

for i in range(writes):
    j, step = divmod(i, 4)
    with Ledger.open(path, write=True, agent=f"writer-{me}", timeout=120) as led:
        if step == 0:
            led.sources.add(f"s{me}-{j}", title=f"Source {j} of writer {me}",
                            reliability=grades[(j + me) % 6], kind="media")
            what = f"source s{me}-{j}"
        elif step == 1:
            led.claims.add(f"c{me}-{j}", subject=f"ex:e{j % 7}", predicate="ex:p",
                           object=f"ex:e{(j + me) % 7}", text=f"Claim {j} of writer {me}")
            what = f"claim c{me}-{j}"
        elif step == 2:
            r = led.evidence.add(f"c{me}-{j}", f"s{me}-{j}", stance="supports",
                                 quote=f"quote {j}")
            what = f"evidence {led.slug(r.created)}"
        elif j % 5 == 4 and j > 0:
            led.sources.link(f"s{me}-{j}", derived_from=[f"s{me}-{j - 1}"], reason="reprint")
            what = f"link s{me}-{j}"
        else:
            source = f"s{other}-{j}" if has(led, "source", f"s{other}-{j}") else f"s{me}-{max(j - 1, 0)}"
            stance = "contradicts" if j % 9 == 8 else "supports"
            r = led.evidence.add(f"c{me}-{j}", source, stance=stance, locator=f"para {j}",
                                 credibility=str(1 + j % 6))
            what = f"evidence {led.slug(r.created)}"
    print("OK", what, flush=True)
"""

# A reader process: the CLI, in process, in a loop until told to stop (or until the test that
# started it is gone: a killed test run leaves no reader behind) — claim list and every
# packaged report that takes no parameter. Each answer must be whole: every claim listed has a
# status, and the number of claims never goes down.
_READER = r"""
import json, os, sys
from click.testing import CliRunner
from claimledger.query import reports
from claimledger.cli import cli
path, stop = sys.argv[1], sys.argv[2]
env = {"CLAIMLEDGER_LEDGER": path, "CLAIMLEDGER_LOCK_TIMEOUT": "120"}
names = [s.name for s in reports.available() if not s.params]
runner = CliRunner()
reads, seen, errors = 0, 0, []
parent = os.getppid()
while not os.path.exists(stop):
    if os.getppid() != parent:
        sys.exit("the test that started this reader is gone")
    r = runner.invoke(cli, ["claim", "list", "--format", "json"], env=env)
    if r.exit_code != 0:
        errors.append(f"claim list exit {r.exit_code}: {r.output[-300:]}")
        continue
    claims = json.loads(r.stdout)
    if len(claims) < seen:
        errors.append(f"claim count went down: {seen} -> {len(claims)}")
    seen = len(claims)
    errors.extend(f"claim {c['slug']} has no status" for c in claims if not c["status"])
    for name in names:
        r = runner.invoke(cli, ["report", name, "--format", "json"], env=env)
        if r.exit_code != 0 or "Traceback" in r.output:
            errors.append(f"report {name} exit {r.exit_code}: {r.output[-300:]}")
        else:
            json.loads(r.stdout)
    reads += 1
print(json.dumps({"reads": reads, "claims_seen": seen, "reports": names, "errors": errors[:20]}))
"""

WRITES = int(os.environ.get("CONC_WRITES", "500"))


@pytest.mark.slow
def test_two_writers_and_a_reader_lose_nothing(ledger_dir, tmp_path):
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(ledger_dir), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(ledger_dir), str(me), str(WRITES)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for me in (1, 2)]
    outputs = [w.communicate(timeout=1200) for w in writers]
    stop.touch()
    reader_out, reader_err = reader.communicate(timeout=300)
    for w, (out, err) in zip(writers, outputs):
        assert w.returncode == 0, err[-2000:]
        assert len(out.splitlines()) == WRITES, err[-2000:]
        assert "Traceback" not in err
    assert reader.returncode == 0, reader_err[-2000:]
    reads = json.loads(reader_out)
    assert reads["errors"] == []
    assert reads["reads"] >= 3, reads  # the reader did get in between the writers

    with Ledger.open(ledger_dir) as led:
        # all 1,000 writes are there
        sources = {led.slug(t.subject) for t in led.store.triples(None, V.TYPE, V.SOURCE)}
        claims = {led.slug(t.subject) for t in led.store.triples(None, V.TYPE, V.CLAIM)}
        evidence = {led.slug(t.subject) for t in led.store.triples(None, V.TYPE, V.EVIDENCE)}
        links = list(led.store.triples(None, V.WAS_DERIVED_FROM, None))
        rounds = WRITES // 4
        assert sources == {f"s{me}-{j}" for me in (1, 2) for j in range(rounds)}
        assert claims == {f"c{me}-{j}" for me in (1, 2) for j in range(rounds)}
        linked = [j for j in range(rounds) if j % 5 == 4]
        assert len(links) == 2 * len(linked)
        assert len(evidence) == 2 * (2 * rounds - len(linked))
        events = list(audit.events(led.store, led.base))
        assert len(events) == 2 + 2 * WRITES  # init, prefix add, the writes
        assert sum(1 for e in events if e.agent.endswith("/writer-1")) == WRITES
        # every claim's status is what its evidence gives
        view = StateView(led.store, ChangeSet())
        for t in led.store.triples(None, V.TYPE, V.CLAIM):
            facts = gather_facts(view, t.subject)
            derived = corroboration.derive(facts.evidence, facts.sources, facts.verdict)
            assert view.value(t.subject, V.STATUS) == V.Status.iri(derived.status), led.slug(t.subject)
            assert int(view.value(t.subject, V.INDEPENDENT_ORIGINS).value) == derived.independent_origins
        statuses = {view.value(t.subject, V.STATUS) for t in led.store.triples(None, V.TYPE, V.CLAIM)}
        assert len(statuses) >= 2  # not all the same: the test exercises the derivation
        # and the audit trail replays to exactly this ledger
        report = audit.verify(led.store, led.base)
        assert report.ok, report.problems
        assert validate_store(led.store, led.shapes).conforms


# -- the lock: busy, waiting, a killed holder ---------------------------------------------------

_HOLDER = r"""
import sys, time
from claimledger.ledger import Ledger

led = Ledger.open(sys.argv[1], write=sys.argv[2] == "write", agent="holder")
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
led.close()
print("released", flush=True)
"""


def _hold(ledger_dir: Path, mode: str, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(ledger_dir), mode, str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def _cli(ledger_dir: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
    full.update(CLAIMLEDGER_LEDGER=str(ledger_dir), CLAIMLEDGER_AGENT="tester", **(env or {}))
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=full, timeout=120)


def test_a_writer_finding_the_lock_held_stops_with_ledger_busy_and_the_holders_pid(ledger_dir):
    holder = _hold(ledger_dir, "write", 30)
    try:
        started = time.monotonic()
        r = _cli(ledger_dir, "source", "add", "late", "--title", "Late", "--wait", "0.5")
        waited = time.monotonic() - started
        assert r.returncode == 2, r.stderr
        assert f"Error: ledger busy (held by pid {holder.pid})" in r.stderr
        assert "waited 0.5 s" in r.stderr
        assert "Traceback" not in r.stderr + r.stdout
        assert waited >= 0.5
        # the same through the environment variable
        r = _cli(ledger_dir, "claim", "list", env={"CLAIMLEDGER_LOCK_TIMEOUT": "0.3"})
        assert r.returncode == 2
        assert f"ledger busy (held by pid {holder.pid})" in r.stderr
        # --wait that is not a number of seconds
        r = _cli(ledger_dir, "claim", "list", "--wait", "nan")
        assert r.returncode == 2 and r.stderr.startswith("Error: ") and "Traceback" not in r.stderr
    finally:
        holder.kill()
        holder.wait()
    with Ledger.open(ledger_dir) as led:
        assert not any(True for _ in led.store.triples(led.iri("source", "late"), None, None))


def test_a_reader_waits_for_a_writer_and_says_so(ledger_dir):
    holder = _hold(ledger_dir, "write", 1.5)
    try:
        r = _cli(ledger_dir, "claim", "list", "--wait", "30")
        assert r.returncode == 0, r.stderr
        assert f"waiting for the ledger (held by pid {holder.pid})…" in r.stderr
        assert holder.stdout.readline().strip() == "released"
    finally:
        holder.kill()
        holder.wait()
    holder = _hold(ledger_dir, "write", 30)
    try:
        r = _cli(ledger_dir, "report", "summary", "--wait", "0.3")
        assert r.returncode == 2
        assert f"Error: ledger busy (held by pid {holder.pid})" in r.stderr
        assert "Traceback" not in r.stderr
        # report --list reads no ledger (issue 16): it neither waits nor fails
        r = _cli(ledger_dir, "report", "--list", "--wait", "0.3")
        assert r.returncode == 0 and "waiting" not in r.stderr, r.stderr
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("command", [
    ["claim", "show", "x"], ["claim", "list"], ["source", "list"], ["report", "summary"],
    ["query", "-"], ["validate"], ["export", "--format", "nquads"], ["log"], ["verify"],
])
def test_every_read_only_command_waits_for_a_writer_then_says_ledger_busy(ledger_dir, command):
    holder = _hold(ledger_dir, "write", 30)
    try:
        full = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
        full.update(CLAIMLEDGER_LEDGER=str(ledger_dir))
        r = subprocess.run([*CLI, *command, "--wait", "0.4"], capture_output=True, text=True,
                           env=full, input="SELECT * WHERE { ?s ?p ?o }", timeout=120)
        assert r.returncode == 2, r.stderr
        assert f"waiting for the ledger (held by pid {holder.pid})…" in r.stderr
        assert f"Error: ledger busy (held by pid {holder.pid}); waited 0.4 s" in r.stderr
        assert "Traceback" not in r.stderr
    finally:
        holder.kill()
        holder.wait()


def test_readers_share_the_ledger_and_a_writer_waits_for_them(ledger_dir):
    reader = _hold(ledger_dir, "read", 30)
    try:
        r = _cli(ledger_dir, "claim", "list", "--wait", "0")  # readers do not wait for readers
        assert r.returncode == 0, r.stderr
        assert "waiting" not in r.stderr
        r = _cli(ledger_dir, "source", "add", "w", "--title", "W", "--wait", "0.3")
        assert r.returncode == 2
        assert "Error: ledger busy (held by readers)" in r.stderr
    finally:
        reader.kill()
        reader.wait()


def test_a_killed_writer_leaves_nothing_in_the_way(ledger_dir):
    holder = _hold(ledger_dir, "write", 600)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    lock = ledger_dir / "claimledger.lock"
    assert lock.read_text().strip() == str(holder.pid)  # a stale pid: the kernel freed the flock
    r = _cli(ledger_dir, "claim", "list", "--wait", "0")
    assert r.returncode == 0, r.stderr
    assert "waiting" not in r.stderr
    # a reader now holds the lock: a waiting writer must not name the dead process
    reader = _hold(ledger_dir, "read", 30)
    try:
        r = _cli(ledger_dir, "source", "add", "w", "--title", "W", "--wait", "0.3")
        assert r.returncode == 2
        assert "ledger busy (held by readers)" in r.stderr
        assert str(holder.pid) not in r.stderr
    finally:
        reader.kill()
        reader.wait()
    r = _cli(ledger_dir, "source", "add", "w", "--title", "W", "--wait", "0")
    assert r.returncode == 0, r.stderr
    r = _cli(ledger_dir, "verify")
    assert r.returncode == 0, r.stderr


def test_an_unusable_lock_file_is_a_clear_error(tmp_path):
    path = tmp_path / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        led.add_prefix("ex", EX)
    lock = path / "claimledger.lock"
    lock.unlink()
    lock.mkdir()  # something that cannot be locked in its place
    r = _cli(path, "claim", "list")
    assert r.returncode == 2
    assert r.stderr.startswith("Error: cannot lock the ledger")
    assert "Traceback" not in r.stderr
