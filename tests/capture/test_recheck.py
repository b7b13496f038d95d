"""``source recheck``: unchanged, changed (one quote kept, one orphaned), gone — and what an
orphan means for corroboration, ``claim show`` and the ``orphaned-quotes`` report."""

from __future__ import annotations

import json
from datetime import datetime

from claimledger.ledger import Ledger
from claimledger.model import vocab as V

from conftest import snapshot
from local_http import dns, page, server  # noqa: F401
from news_site import (BASE, add_claim, article, claim_json, sha, site, snapshot_text,  # noqa: F401
                       value, values)

KEPT = "The mayor said the bridge had fallen before midnight."
LOST = "Nobody came to help until dawn."


def moment(text: str) -> datetime:
    """An xsd:dateTime's value: its canonical form drops a zero fraction ("…:31Z" is "…:31.000Z"),
    so two of them do not compare as strings."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def pinned(run, site):
    """A source with a snapshot and two pinned quotes on claim ``fell``."""
    html = article(KEPT, LOST)
    site.put("/a", html)
    run.ok("source", "add", "daily", "--title", "The Daily", "--url", site.url("/a"),
           "--reliability", "B")
    run.ok("source", "fetch", "daily")
    add_claim(run)
    run.ok("evidence", "add", "fell", "daily", "--supports", "--quote", "said the bridge had fallen")
    run.ok("evidence", "add", "fell", "daily", "--supports", "--quote", "Nobody came to help")
    return html


def test_recheck_unchanged_records_the_check_time_only(run, site, ledger_dir):
    html = pinned(run, site)
    first = value(ledger_dir, "capture/daily-1", V.ENDED_AT_TIME).value
    out = run.ok("source", "recheck", "daily").stdout
    assert "daily: unchanged since the last capture" in out
    last = value(ledger_dir, "source/daily", V.LAST_CAPTURE)
    assert last.value == BASE + "capture/daily-2"
    assert value(ledger_dir, last.value, V.OUTCOME) == V.CaptureOutcome.iri("unchanged")
    assert moment(value(ledger_dir, last.value, V.ENDED_AT_TIME).value) > moment(first)
    assert value(ledger_dir, "source/daily", V.CURRENT_SNAPSHOT).value == f"{BASE}snapshot/{sha(html)}"
    assert len(values(ledger_dir, "evidence/fell-1", V.ANCHOR_LINK)) == 1  # nothing re-anchored
    assert len(list((ledger_dir / "snapshots" / "revisits").iterdir())) == 1
    assert "ok:" in run.ok("verify").stdout


def test_recheck_changed_keeps_one_quote_and_orphans_the_other(run, site, ledger_dir):
    old = pinned(run, site)
    new = article("Officials added a line at the top.", KEPT, "Many came to help until dawn.")
    site.put("/a", new)
    result = run.ok("source", "recheck", "daily")
    assert "daily: changed: new snapshot kept beside the old" in result.stdout
    assert "quote of fell-1 (fell): found" in result.stdout
    assert "quote of fell-2 (fell): ORPHANED" in result.stdout
    assert "hint for fell-2: the closest passage" in result.stderr
    assert "«Many came to help»" in result.stderr and "not recorded" in result.stderr
    old_snap, new_snap = f"{BASE}snapshot/{sha(old)}", f"{BASE}snapshot/{sha(new)}"
    assert value(ledger_dir, "source/daily", V.CURRENT_SNAPSHOT).value == new_snap
    text = snapshot_text(ledger_dir, "daily")
    # the kept quote points at both snapshots, at its new position in the new one
    anchors = {value(ledger_dir, a.value, V.SNAPSHOT_LINK).value: a
               for a in values(ledger_dir, "evidence/fell-1", V.ANCHOR_LINK)}
    assert set(anchors) == {old_snap, new_snap}
    position = [s for s in values(ledger_dir, anchors[new_snap].value, V.HAS_SELECTOR)
                if value(ledger_dir, s.value, V.TYPE) == V.TEXT_POSITION_SELECTOR][0]
    assert int(value(ledger_dir, position.value, V.START).value) == text.index(
        "said the bridge had fallen")
    assert value(ledger_dir, "evidence/fell-1", V.QUOTE_STATUS) == V.QuoteStatus.iri("pinned")
    # the lost one is orphaned on the new snapshot, with no selector there (no near match)
    lost = {value(ledger_dir, a.value, V.SNAPSHOT_LINK).value: a
            for a in values(ledger_dir, "evidence/fell-2", V.ANCHOR_LINK)}
    assert value(ledger_dir, lost[new_snap].value, V.ANCHOR_STATUS) == V.AnchorStatus.iri("orphaned")
    assert values(ledger_dir, lost[new_snap].value, V.HAS_SELECTOR) == []
    assert value(ledger_dir, lost[old_snap].value, V.ANCHOR_STATUS) == V.AnchorStatus.iri("found")
    assert value(ledger_dir, "evidence/fell-2", V.QUOTE_STATUS) == V.QuoteStatus.iri("orphaned")
    # the old snapshot is kept: both response files are there and verify
    assert {p.name for p in (ledger_dir / "snapshots" / "warc").iterdir()} == {
        f"{sha(old)}.warc.gz", f"{sha(new)}.warc.gz"}
    assert "ok:" in run.ok("verify").stdout
    shown = run.ok("claim", "show", "fell").stdout
    assert "flags:               orphaned quote: fell-2" in shown
    assert "ORPHANED: not in the page as retrieved" in shown
    assert f"it last stood in snapshot {sha(old)[:12]}" in shown
    report = json.loads(run.ok("report", "orphaned-quotes", "--format", "sparql-json").stdout)
    [row] = report["results"]["bindings"]
    assert row["evidence"]["value"] == BASE + "evidence/fell-2"
    assert row["quote"]["value"] == "Nobody came to help"
    assert (row["last_stood"]["value"], row["orphaned_on"]["value"]) == (sha(old), sha(new))
    assert row["url"]["value"] == site.url("/a")


def test_an_orphaned_quote_still_counts_and_the_claim_is_flagged(run, site, ledger_dir):
    """The decision the README states: the source did say it (its old snapshot proves it), so
    the evidence keeps counting toward corroboration; the claim is flagged for a look."""
    site.put("/a", article(KEPT))
    site.put("/b", article("Our correspondent confirmed the bridge had fallen at night."))
    for slug, path in (("daily", "/a"), ("courier", "/b")):
        run.ok("source", "add", slug, "--title", slug, "--url", site.url(path), "--reliability", "B")
        run.ok("source", "fetch", slug)
    add_claim(run)
    run.ok("evidence", "add", "fell", "daily", "--supports", "--quote", "said the bridge had fallen")
    run.ok("evidence", "add", "fell", "courier", "--supports", "--quote",
           "confirmed the bridge had fallen")
    assert claim_json(run, "fell")["status"] == "corroborated"
    site.put("/a", article("The mayor now says the bridge is standing."))
    run.ok("source", "recheck", "--all")
    claim = claim_json(run, "fell")
    assert claim["status"] == "corroborated" and claim["independent_origins"] == 2
    assert claim["flags"] == ["orphaned quote: fell-1"]
    assert [e["counts"] for e in claim["evidence"]] == [True, True]
    assert claim["evidence"][0]["quote_state"]["status"] == "orphaned"


def test_a_page_that_comes_back_is_pinned_again(run, site, ledger_dir):
    old = pinned(run, site)
    site.put("/a", article(KEPT))
    run.ok("source", "recheck", "daily")
    assert value(ledger_dir, "evidence/fell-2", V.QUOTE_STATUS) == V.QuoteStatus.iri("orphaned")
    site.put("/a", old)
    out = run.ok("source", "recheck", "daily").stdout
    assert "quote of fell-2 (fell): found" in out
    assert value(ledger_dir, "evidence/fell-2", V.QUOTE_STATUS) == V.QuoteStatus.iri("pinned")
    assert len(list((ledger_dir / "snapshots" / "warc").iterdir())) == 2  # the old bytes: a revisit
    assert run.ok("report", "orphaned-quotes").stdout.endswith("(0 rows)\n")


def test_a_gone_page_is_recorded_and_its_snapshots_kept(run, site, ledger_dir, dns):
    html = pinned(run, site)
    snap = f"{BASE}snapshot/{sha(html)}"
    del site.server.routes["/a"]
    out = run.ok("source", "recheck", "daily").stdout
    assert "daily: gone — nothing at" in out and "HTTP 404 Not Found" in out
    last = value(ledger_dir, "source/daily", V.LAST_CAPTURE)
    assert value(ledger_dir, last.value, V.OUTCOME) == V.CaptureOutcome.iri("gone")
    assert value(ledger_dir, last.value, V.HTTP_STATUS).value == "404"
    assert value(ledger_dir, "source/daily", V.CURRENT_SNAPSHOT).value == snap
    assert (ledger_dir / "snapshots" / "warc" / f"{sha(html)}.warc.gz").exists()
    assert value(ledger_dir, "evidence/fell-1", V.QUOTE_STATUS) == V.QuoteStatus.iri("pinned")
    site.server.routes["/a"] = page("gone for good", "text/plain", status=410)
    assert "HTTP 410 Gone" in run.ok("source", "recheck", "daily").stdout
    # a host name that no longer resolves is gone too
    dns["daily.example"] = "127.0.0.1"
    site.put("/b", article(KEPT))
    url = f"http://daily.example:{site.server.port}/b"
    run.ok("source", "add", "named", "--title", "Named", "--url", url,
           "--allow-host", f"daily.example:{site.server.port}")
    run.ok("source", "fetch", "named", "--allow-host", f"daily.example:{site.server.port}")
    del dns["daily.example"]
    out = run.ok("source", "recheck", "named").stdout
    assert "named: gone — the host name 'daily.example' does not resolve" in out
    assert "ok:" in run.ok("verify").stdout


def test_recheck_all_goes_on_past_a_failing_source_and_exits_2(run, site, ledger_dir):
    site.put("/a", article(KEPT))
    site.put("/b", article(LOST))
    for slug, path in (("daily", "/a"), ("courier", "/b")):
        run.ok("source", "add", slug, "--title", slug, "--url", site.url(path))
        run.ok("source", "fetch", slug)
    site.server.routes["/b"] = page("down", "text/plain", status=503)
    site.put("/a", article("A new version."))
    result = run("source", "recheck", "--all")
    assert result.exit_code == 2
    assert "courier: not checked:" in result.stderr and "HTTP 503" in result.stderr
    assert "daily: changed" in result.stdout
    with Ledger.open(ledger_dir) as led:
        assert [c.outcome for c in led.snapshots.captures("courier")] == ["new"]
        assert [c.outcome for c in led.snapshots.captures("daily")] == ["new", "changed"]


def test_recheck_needs_a_source_or_all(run, site, ledger_dir):
    before = snapshot(ledger_dir)
    assert run("source", "recheck").exit_code == 2
    assert run("source", "recheck", "x", "--all").exit_code == 2
    run.ok("source", "add", "nourl", "--title", "No URL")
    result = run("source", "recheck", "nourl")
    assert result.exit_code == 2 and "has no URL" in result.stderr
    assert "no source has been fetched yet" in run.ok("source", "recheck", "--all").stdout
    assert snapshot(ledger_dir) != before  # only the source add above


def test_a_resolver_that_is_down_is_not_a_gone_page(run, site, ledger_dir, dns):
    import socket

    dns["daily.example"] = "127.0.0.1"
    site.put("/b", article(KEPT))
    allow = f"daily.example:{site.server.port}"
    run.ok("source", "add", "named", "--title", "Named", "--allow-host", allow, "--fetch",
           "--url", f"http://daily.example:{site.server.port}/b")

    def down():
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    dns["daily.example"] = down
    before = snapshot(ledger_dir)
    result = run("source", "recheck", "named", "--allow-host", allow)
    assert result.exit_code == 2 and "could not be looked up now" in result.stderr
    assert snapshot(ledger_dir) == before


def test_recheck_fetches_the_url_that_was_captured(run, site, ledger_dir):
    site.put("/home", article("The front page."))
    site.put("/story", article(KEPT))
    run.ok("source", "add", "daily", "--title", "The Daily", "--url", site.url("/home"))
    run.ok("source", "fetch", "daily", site.url("/story"))
    site.server.requests.clear()
    run.ok("source", "recheck", "daily")
    assert [path for _, path, _, _ in site.server.requests] == ["/story"]


def test_an_export_carries_the_capture_records_not_the_files(run, site, ledger_dir, tmp_path):
    """Imported into another ledger, the snapshot records arrive (the quotes stay pinned to
    them) and verify names the snapshot files, which stayed with the first ledger, as missing."""
    pinned(run, site)
    out = tmp_path / "ledger.trig"
    run.ok("export", "-o", str(out))
    other = tmp_path / "other"
    Ledger.create(other, base="https://example.org/other/", agent="other").close()
    result = run("import", str(out), "--ledger", str(other), agent="other")
    assert result.exit_code == 0, result.output
    with Ledger.open(other) as led:
        assert list(led.store.triples(None, V.TYPE, V.SNAPSHOT))
        assert list(led.store.triples(None, V.TYPE, V.ANCHOR))
    checked = run("verify", "--ledger", str(other), agent="other")
    assert checked.exit_code == 1
    assert "missing" in checked.output
