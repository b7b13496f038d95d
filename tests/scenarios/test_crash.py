"""Crash safety: the small version of ``benchmarks/torture.py``.

A writer recording a realistic mix of commands is killed with SIGKILL about twenty times —
at random moments, while a command is in flight, and just before, during and just after its
SPARQL update reaches the store. After every kill the ledger must open (read-only and
read-write in turn), ``verify`` must pass, every acknowledged command must be there, and no
command may be half-applied; between kills, generated bad input goes through the CLI and
must never produce a traceback or change the ledger when refused.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from claimledger import audit
from claimledger.model import vocab as V
from claimledger.ledger import Ledger

#: Timing matters here (waits, kills): these tests run on one worker, one at a time.
pytestmark = pytest.mark.xdist_group("timing")

ROOT = Path(__file__).resolve().parents[2]


def _torture():
    spec = importlib.util.spec_from_file_location("torture", ROOT / "benchmarks" / "torture.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["torture"] = module
    spec.loader.exec_module(module)
    return module


torture = _torture()


@pytest.mark.slow
def test_twenty_kills_lose_nothing_acknowledged_and_half_apply_nothing(tmp_path):
    figures = torture.run_torture(kills=20, ledger=tmp_path / "ledger", seed=20, bad_per_kill=3,
                                  subprocess_every=10, log=None)
    report = "\n".join(figures.lines() + figures.problems[:30])
    assert figures.kills == 20
    assert figures.kills_survived == 20, report
    assert figures.acknowledged_writes >= 40, report
    assert figures.kills_in_flight >= 5, report   # the kills do land inside commands
    assert any(mode.startswith("commit") for mode in figures.kill_modes), report
    assert figures.acknowledged_lost == 0, report
    assert figures.half_applied == 0, report
    assert figures.verify_failures == 0, report
    assert figures.open_failures == 0, report
    assert figures.writer_crashes == 0, report
    assert figures.bad_inputs >= 60, report
    assert figures.tracebacks == 0, report
    assert figures.bad_corrupted == 0, report
    assert figures.problems == [], report


_HOLD = """
import sys, time
from claimledger.ledger import Ledger

led = Ledger.open(sys.argv[1], write=True, agent="killed")
for i in range(int(sys.argv[2])):
    led.sources.add(f"s{i}", title=f"Source {i}", reliability="B")
print("written", flush=True)
time.sleep(600)
"""


def test_a_write_acknowledged_before_a_kill_is_there_when_opened_read_only(tmp_path):
    """The writer is killed without closing the store: read-only opening replays the WAL."""
    path = tmp_path / "ledger"
    Ledger.create(path, agent="tester").close()
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), "5"], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "written"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with Ledger.open(path, timeout=2) as led:  # read-only, at once: the kernel freed the lock
        assert {led.slug(t.subject) for t in led.store.triples(None, V.TYPE, V.SOURCE)} == \
            {f"s{i}" for i in range(5)}
        report = audit.verify(led.store, led.base)
        assert report.ok, report.problems
        assert report.events == 6
    with Ledger.open(path, write=True, agent="next", timeout=2) as led:
        led.sources.add("after", title="After the crash")
    with Ledger.open(path, timeout=2) as led:
        assert audit.verify(led.store, led.base).ok
