"""The bulk import path: big files loaded through a staging copy, all or nothing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimledger.interchange import rdf as interchange
from claimledger.ledger import Ledger
from conftest import snapshot

ROOT = Path(__file__).resolve().parents[2]
from benchmarks import generate as gen


@pytest.fixture
def bulk(monkeypatch):
    """Every import takes the bulk path, whatever the file's size."""
    monkeypatch.setattr(interchange, "BULK_BYTES", 0)


@pytest.fixture
def generated(tmp_path):
    path = tmp_path / "gen.nt"
    derived = tmp_path / "derived.nt"
    gen.generate(150, path, seed=3, base="https://example.org/test/")
    gen.generate(150, derived, seed=3, base="https://example.org/test/", derived=True)
    return path, derived


def _statuses(derived: Path) -> dict[str, str]:
    prefix = "<https://example.org/test/claim/"
    status = "<https://w3id.org/claimledger#status>"
    out = {}
    for line in derived.read_text().splitlines():
        if line.startswith(prefix) and f" {status} " in line:
            slug = line[len(prefix):line.index(">")]
            out[slug] = line.split("#status-")[1].split(">")[0]
    return out


def test_bulk_import_derives_validates_and_chains(run, ledger_dir, generated, bulk):
    path, derived = generated
    result = run.ok("import", str(path), "--format", "json")
    data = json.loads(result.stdout)
    assert data["event"] == 3  # init, prefix add, import
    claims = json.loads(run.ok("claim", "list", "--format", "json").stdout)
    assert {c["slug"]: c["status"] for c in claims} == _statuses(derived)
    run.ok("verify")
    assert run("validate", "--min-severity", "violation").exit_code == 0
    assert "import" in run.ok("log", claims[0]["slug"]).stdout
    # the staging copy is gone and the ledger points at the new store
    assert (ledger_dir / "CURRENT").is_file()
    assert len([p for p in ledger_dir.iterdir() if p.name.startswith("store")]) == 1


def test_bulk_import_is_all_or_nothing(run, ledger_dir, generated, bulk, tmp_path):
    path, _ = generated
    before = snapshot(ledger_dir)
    broken = tmp_path / "broken.nt"
    broken.write_text(path.read_text()[:-200])  # cut off mid-line
    result = run("import", str(broken))
    assert result.exit_code == 2 and "not valid" in result.stderr
    violating = tmp_path / "violating.nt"
    violating.write_text(path.read_text() + (
        "<https://example.org/test/claim/bad> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/claimledger#Claim> .\n"))
    result = run("import", str(violating))
    assert result.exit_code == 1 and "claim-structure" in result.stderr
    assert snapshot(ledger_dir) == before
    assert len([p for p in ledger_dir.iterdir() if p.name.startswith("store")]) == 1


def test_a_staging_copy_left_by_a_crash_is_swept(ledger_dir, generated):
    with Ledger.open(ledger_dir, write=True, agent="t") as led:
        with led.store.staging() as st:
            leftover = st.path
            st.bulk_add([])
            # simulate a crash: the copy is not swapped in and not removed
            import shutil
            shutil.copytree(leftover, leftover.with_name("store-crashed0000"))
    assert (ledger_dir / "store-crashed0000").exists()
    with Ledger.open(ledger_dir, write=True, agent="t"):
        pass
    assert not (ledger_dir / "store-crashed0000").exists()


def test_bulk_import_drops_derived_facts_and_recomputes_them(run, generated, bulk):
    _, derived = generated
    run.ok("import", str(derived))  # the file carries statuses; import recomputes them
    claims = json.loads(run.ok("claim", "list", "--format", "json").stdout)
    assert {c["slug"]: c["status"] for c in claims} == _statuses(derived)
    run.ok("verify")


def test_bulk_import_prints_each_claims_own_origin_count(run, generated, bulk):
    path, _ = generated
    out = run.ok("import", str(path)).stdout
    claims = {c["slug"]: c for c in json.loads(run.ok("claim", "list", "--format", "json").stdout)}
    import re

    printed = re.findall(r"^  (\S+): new → (\S+) \((\d+) independent origins?\)$", out, re.M)
    assert printed, out[:500]
    assert {n for _, _, n in printed} != {"0"}
    for slug, status, n in printed:
        assert claims[slug]["status"] == status
        assert claims[slug]["independent_origins"] == int(n), slug



_FULL_DISK = r'''
set -e
mount -t tmpfs -o size=6m tmpfs "$1"
"$2" -m claimledger.cli init --ledger "$1/ledger" --agent tester > /dev/null
set +e
"$2" -m claimledger.cli import "$3" --ledger "$1/ledger" --agent tester
echo "exit=$?"
"$2" -m claimledger.cli verify --ledger "$1/ledger" > /dev/null && echo "verify=ok"
'''


def test_bulk_import_on_a_full_disk_blames_the_disk_not_the_file(tmp_path):
    """A real full disk: the ledger on a 6 MiB tmpfs, mounted in a user and mount namespace
    of the test's own (``unshare -rm``), and a 1M-triple-sized file to import."""
    data = tmp_path / "big.nt"
    gen.generate(1500, data, seed=5, base="https://example.org/ledger/")
    assert data.stat().st_size > 1024 * 1024
    mount = tmp_path / "small"
    mount.mkdir()
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", _FULL_DISK, "sh", str(mount),
                           sys.executable, str(data)], capture_output=True, text=True,
                          timeout=600)
    assert "exit=2" in proc.stdout, (proc.stdout, proc.stderr[-800:])
    assert "the disk holding the ledger" in proc.stderr and "is full" in proc.stderr, proc.stderr
    assert "cannot be read as" not in proc.stderr and "Traceback" not in proc.stderr
    assert "verify=ok" in proc.stdout, proc.stderr[-800:]  # nothing was half-written


def test_bulk_import_when_the_store_cannot_be_written_does_not_blame_the_file(tmp_path, run,
                                                                              ledger_dir, bulk):
    """The same path without a file system of its own: the store's files may not grow
    (RLIMIT_FSIZE) while the file to import is read in full."""
    data = tmp_path / "gen.nt"
    gen.generate(1500, data, seed=6, base="https://example.org/test/")
    script = ("import resource, signal, sys\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))\n"
              "from claimledger.interchange import rdf\nrdf.BULK_BYTES = 0\n"
              "from claimledger.cli import main\nsys.argv = ['claimledger'] + sys.argv[1:]\nmain()\n")
    before = snapshot(ledger_dir)
    env = dict(os.environ, CLAIMLEDGER_LEDGER=str(ledger_dir), CLAIMLEDGER_AGENT="tester")
    proc = subprocess.run([sys.executable, "-c", script, "import", str(data)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 2, proc.stderr[-800:]
    assert "could not be written" in proc.stderr and "nothing was written" in proc.stderr
    assert "cannot be read as" not in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(ledger_dir) == before


def test_bulk_import_tells_its_progress_phase_by_phase(ledger_dir, generated, bulk):
    """A million claims take hours: the library call reports each phase as it ends, in order,
    and every phase it times is one it reported."""
    from claimledger.interchange import bulk as bulk_path
    from claimledger.interchange.formats import import_any

    path, _derived = generated
    calls = []
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        result = import_any(led, path, progress=lambda done, total: calls.append((done, total)))
    total = len(bulk_path.PHASES)
    assert calls == [(k, total) for k in range(1, total + 1)]
    assert list(result.phases) == list(bulk_path.PHASES)
