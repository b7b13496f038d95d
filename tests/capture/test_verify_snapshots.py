"""``verify`` on ledgers with snapshots: the replay passes, and a snapshot file altered,
replaced or removed on disk is found by its recorded hash."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

from claimledger.model import vocab as V

from local_http import dns, server  # noqa: F401
from news_site import add_claim, article, sha, site, value  # noqa: F401

KEPT = "The mayor said the bridge had fallen before midnight."


def captured(run, site, ledger_dir):
    html = article(KEPT, "Nobody came to help until dawn.")
    site.put("/a", html)
    run.ok("source", "add", "daily", "--title", "The Daily", "--url", site.url("/a"))
    run.ok("source", "fetch", "daily")
    add_claim(run)
    run.ok("evidence", "add", "fell", "daily", "--supports", "--quote", "said the bridge had fallen")
    run.ok("source", "recheck", "daily")                       # unchanged: a revisit record
    site.put("/a", article(KEPT))
    run.ok("source", "recheck", "daily")                       # changed: an orphan, a new snapshot
    return html


def failed(run) -> list[str]:
    result = run("verify", "--format", "json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["problems"]


def test_verify_replays_a_ledger_with_snapshots(run, site, ledger_dir):
    captured(run, site, ledger_dir)
    data = json.loads(run.ok("verify", "--format", "json").stdout)
    assert data["ok"] and data["problems"] == [] and data["events"] >= 7


def test_an_altered_snapshot_file_is_detected_by_its_hash(run, site, ledger_dir):
    html = captured(run, site, ledger_dir)
    path = ledger_dir / "snapshots" / "warc" / f"{sha(html)}.warc.gz"
    raw = gzip.decompress(path.read_bytes()).replace(b"Nobody came", b"Everyone came")
    path.write_bytes(gzip.compress(raw))
    problems = failed(run)
    assert any(f"warc/{sha(html)}.warc.gz was altered on disk" in p for p in problems), problems


def test_a_verify_process_of_its_own_checks_the_snapshot_files(run, site, ledger_dir):
    # A fresh `claimledger verify` loads no record kinds: what it checks must not depend on
    # which modules the process happened to import (in this test process they all are).
    html = captured(run, site, ledger_dir)
    path = ledger_dir / "snapshots" / "warc" / f"{sha(html)}.warc.gz"
    path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes()) + b"\n"))
    code = "import sys; from claimledger.cli import main; sys.argv[0] = 'claimledger'; main()"
    done = subprocess.run([sys.executable, "-c", code, "verify", "--ledger", str(ledger_dir),
                           "--format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    problems = json.loads(done.stdout)["problems"]
    assert any(f"warc/{sha(html)}.warc.gz was altered on disk" in p for p in problems), problems


def test_an_altered_text_file_is_detected_and_refused_for_pinning(run, site, ledger_dir):
    captured(run, site, ledger_dir)
    snap = value(ledger_dir, "source/daily", V.CURRENT_SNAPSHOT)
    text = value(ledger_dir, snap.value, V.TEXT_LINK)
    rel = value(ledger_dir, text.value, V.TEXT_FILE).value
    path = ledger_dir / "snapshots" / rel
    path.write_text(path.read_text(encoding="utf-8") + " An added sentence.", encoding="utf-8")
    assert any(f"{rel} was altered on disk" in p for p in failed(run))
    result = run("evidence", "add", "fell", "daily", "--supports", "--quote", "An added sentence")
    assert result.exit_code == 2 and "was altered on disk" in result.stderr


def test_a_missing_or_replaced_file_is_detected(run, site, ledger_dir):
    captured(run, site, ledger_dir)
    revisit = next((ledger_dir / "snapshots" / "revisits").iterdir())
    revisit.unlink()
    warcs = sorted((ledger_dir / "snapshots" / "warc").iterdir())
    warcs[0].write_bytes(warcs[1].read_bytes())  # a valid WARC, of other bytes
    problems = failed(run)
    assert any(f"revisits/{revisit.name} is missing" in p for p in problems), problems
    assert any(f"warc/{warcs[0].name} was altered on disk" in p for p in problems), problems


def test_a_symbolic_link_in_place_of_a_snapshot_is_not_followed(run, site, ledger_dir, tmp_path):
    html = captured(run, site, ledger_dir)
    path = ledger_dir / "snapshots" / "warc" / f"{sha(html)}.warc.gz"
    copy = tmp_path / "copy.warc.gz"
    copy.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(copy)
    assert any("cannot be read" in p for p in failed(run))
