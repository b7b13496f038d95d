"""A source's track record (query.track) agrees with the source-record report on every source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from claimledger.ledger import Ledger
from claimledger.query import reports
from claimledger.query.track import COLUMNS, track_record

ROOT = Path(__file__).resolve().parents[2]


def test_track_record_is_the_reports_row_for_every_source(tmp_path):
    seed = tmp_path / "seed"
    subprocess.run([sys.executable, str(ROOT / "data" / "build_seed_ledger.py"), "--ledger",
                    str(seed)], check=True, capture_output=True)
    with Ledger.open(seed, write=True, agent="checker") as led:
        # every status the report counts: a verdict, a retraction, a discrediting, a revision
        led.claims.verdict("kunduz-cooperation", "refuted", reason="test")
        led.claims.revise("attack-anticipated", "attack-anticipated-v2", reason="test")
        first = led.claims.get("afghans-viewed-sideshow").evidence[0].id
        led.evidence.retract(first, reason="test")
        led.sources.discredit("nds-sources", reason="test")
    with Ledger.open(seed) as led:
        table = reports.run(led, "source-record")
        col = {c: i for i, c in enumerate(table.columns)}
        rows = {led.slug(r[col["source"]]): r for r in table.rows}
        assert len(rows) >= 5
        for source in led.sources.list():
            figures = track_record(led, source.slug)
            row = rows.get(source.slug)
            if row is None:
                assert figures["claims"] == 0, source.slug
                continue
            expected = {"claims": int(row[col["claims"]].value)}
            expected |= {c: int(row[col[c]].value) for c in COLUMNS}
            assert figures == expected, source.slug
