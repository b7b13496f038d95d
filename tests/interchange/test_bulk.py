"""The bulk import path: big files loaded through a staging copy, all or nothing."""

import json
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
