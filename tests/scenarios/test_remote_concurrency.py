"""Two processes writing to one ledger on a SPARQL server at once (no lock keeps them apart):
200 writes each, nothing lost, nothing written twice, the chain unforked — each write is one
operation conditional on the head it read, and a write overtaken is run again."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from claimledger import audit
from claimledger.ledger import Ledger

_WRITER = r"""
import json, sys
from claimledger.core.ledger import retrying
from claimledger.ledger import Ledger
path, me, writes = sys.argv[1], sys.argv[2], int(sys.argv[3])
done = 0
overtaken = 0
for i in range(writes):
    def write():
        with Ledger.open(path, write=True, agent=f"writer-{me}") as led:
            led.sources.add(f"{me}-{i}", title=f"Source {i} of writer {me}")
    retrying(write, attempts=50)
    done += 1
print(json.dumps({"done": done}))
"""


@pytest.mark.slow
def test_two_processes_writing_to_one_server_ledger_lose_nothing(tmp_path, oxigraph_server):
    directory = tmp_path / "desk"
    with Ledger.create(directory, agent="tester", remote=oxigraph_server.config()):
        pass
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(directory), name, "200"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for name in ("a", "b")]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=1200)
        assert p.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert [r["done"] for r in results] == [200, 200]
    with Ledger.open(directory) as led:
        slugs = sorted(s.slug for s in led.sources.list())
        report = audit.verify(led.store, led.base)
        sequences = [ev.sequence for ev in audit.events(led.store, led.base)]
    assert slugs == sorted(f"{w}-{i}" for w in "ab" for i in range(200))
    assert report.ok, report.problems
    assert report.events == 401 and sequences == list(range(1, 402))
