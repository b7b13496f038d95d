"""``source fetch`` and quotes pinned to the snapshot, through the CLI, against a local site."""

from __future__ import annotations

import io
import json

from pyoxigraph import Literal
from warcio.archiveiterator import ArchiveIterator

from claimledger.capture.snapshots import b32
from claimledger.ledger import Ledger
from claimledger.model import vocab as V
from claimledger.query.history import log_entries

from conftest import snapshot
from local_http import dns, page, redirect, server  # noqa: F401
from news_site import (BASE, add_claim, article, claim_json, sha, site, snapshot_text,  # noqa: F401
                       value, values)

QUOTED = "The mayor said <b>the</b> bridge had <i>fallen</i> before midnight."


def test_fetch_records_the_capture_on_the_source_as_one_event(run, site, ledger_dir):
    html = article(QUOTED)
    site.put("/2021/bridge", html)
    site.server.routes["/old"] = redirect("/2021/bridge", 301)
    run.ok("source", "add", "daily", "--title", "The Daily", "--url", site.url("/old"))
    with Ledger.open(ledger_dir) as led:
        before = len(log_entries(led, None))
    out = run.ok("source", "fetch", "daily").stdout
    assert "daily: snapshot kept" in out and sha(html) in out
    with Ledger.open(ledger_dir) as led:
        entries = log_entries(led, None)
        [cap] = led.snapshots.captures("daily")
    assert len(entries) == before + 1 and entries[-1].command == "source fetch"
    assert (cap.outcome, cap.status, cap.url, cap.requested_url, cap.sha256, cap.title) == (
        "new", 200, site.url("/2021/bridge"), site.url("/old"), sha(html),
        "Bridge falls in the night")
    c = "capture/daily-1"
    assert value(ledger_dir, c, V.CONTENT_TYPE).value == "text/html; charset=utf-8"
    assert value(ledger_dir, c, V.REDIRECTS).value == "1"
    assert value(ledger_dir, c, V.ENDED_AT_TIME).datatype == V.XSD_DATETIME
    assert value(ledger_dir, c, V.BYTE_SIZE).value == str(len(html.encode()))
    snap = value(ledger_dir, c, V.SNAPSHOT_LINK)
    assert snap.value == f"{BASE}snapshot/{sha(html)}"
    assert value(ledger_dir, snap.value, V.DATE_PUBLISHED) == Literal("2021-05-01",
                                                                      datatype=V.XSD_DATE)
    assert value(ledger_dir, "source/daily", V.CURRENT_SNAPSHOT) == snap
    text = value(ledger_dir, snap.value, V.TEXT_LINK)
    assert value(ledger_dir, text.value, V.EXTRACTOR).value == "trafilatura"
    stored = snapshot_text(ledger_dir, "daily")
    assert "The mayor said the bridge had fallen before midnight." in stored
    assert value(ledger_dir, text.value, V.SHA256).value == sha(stored)
    data = json.loads(run.ok("source", "captures", "daily", "--format", "json").stdout)
    assert data[0]["sha256"] == sha(html)
    assert "ok:" in run.ok("verify").stdout


def test_the_snapshot_is_a_warc_other_tools_can_read(run, site, ledger_dir):
    html = article(QUOTED)
    url = site.put("/a", html)
    run.ok("source", "add", "daily", "--title", "The Daily")
    run.ok("source", "fetch", "daily", url)
    assert value(ledger_dir, "source/daily", V.URL).value == url  # the source had no URL
    path = ledger_dir / "snapshots" / "warc" / f"{sha(html)}.warc.gz"
    records = list(ArchiveIterator(io.BytesIO(path.read_bytes()), check_digests=True))
    kinds = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in records]
    assert kinds == [("request", url), ("response", url)]
    with path.open("rb") as fh:
        for r in ArchiveIterator(fh):
            if r.rec_type == "request":
                assert r.http_headers.protocol == "GET" and r.http_headers.get_header("User-Agent")
            if r.rec_type == "response":
                assert r.http_headers.get_statuscode() == "200"
                assert r.rec_headers.get_header("WARC-Payload-Digest") == b32(sha(html))
                assert r.content_stream().read() == html.encode()
                assert r.rec_headers.get_header("WARC-Date") == \
                    value(ledger_dir, "capture/daily-1", V.ENDED_AT_TIME).value


def test_identical_bytes_are_stored_once_and_revisited(run, site, ledger_dir):
    html = article(QUOTED)
    site.put("/a", html)
    site.put("/syndicated", html)
    run.ok("source", "add", "daily", "--title", "The Daily", "--url", site.url("/a"))
    run.ok("source", "add", "wire", "--title", "The Wire", "--url", site.url("/syndicated"))
    run.ok("source", "fetch", "daily")
    run.ok("source", "fetch", "wire")
    run.ok("source", "fetch", "daily")
    assert len(list((ledger_dir / "snapshots" / "warc").iterdir())) == 1
    revisits = sorted((ledger_dir / "snapshots" / "revisits").iterdir())
    assert len(revisits) == 2
    first = value(ledger_dir, f"snapshot/{sha(html)}", V.WARC_RECORD).value
    for path in revisits:
        [req, rev] = list(ArchiveIterator(io.BytesIO(path.read_bytes())))
        assert (req.rec_type, rev.rec_type) == ("request", "revisit")
        h = rev.rec_headers
        assert h.get_header("WARC-Refers-To") == f"<{first}>"
        assert h.get_header("WARC-Refers-To-Target-URI") == site.url("/a")
        assert h.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
        assert h.get_header("WARC-Payload-Digest") == b32(sha(html))
    with Ledger.open(ledger_dir) as led:
        outcomes = [(c.source, c.outcome) for c in led.snapshots.captures()]
    assert outcomes == [("daily", "new"), ("daily", "unchanged"), ("wire", "new")]
    assert value(ledger_dir, "source/wire", V.CURRENT_SNAPSHOT) == \
        value(ledger_dir, "source/daily", V.CURRENT_SNAPSHOT)
    assert "ok:" in run.ok("verify").stdout


def test_a_quote_is_pinned_with_its_selectors(run, site, ledger_dir):
    site.put("/a", article(QUOTED, "Nobody came to help until dawn."))
    run.ok("source", "add", "daily", "--title", "The Daily", "--url", site.url("/a"))
    run.ok("source", "fetch", "daily")
    add_claim(run)
    run.ok("evidence", "add", "fell", "daily", "--supports", "--quote",
           "said the bridge had fallen")
    text = snapshot_text(ledger_dir, "daily")
    start = text.index("said the bridge had fallen")
    end = start + len("said the bridge had fallen")
    ev = "evidence/fell-1"
    assert value(ledger_dir, ev, V.QUOTE_STATUS) == V.QuoteStatus.iri("pinned")
    selector = value(ledger_dir, ev, V.HAS_SELECTOR)
    assert value(ledger_dir, selector.value, V.EXACT).value == text[start:end]
    assert value(ledger_dir, selector.value, V.PREFIX).value == text[start - 32:start]
    assert value(ledger_dir, selector.value, V.SUFFIX).value == text[end:end + 32]
    [anchor] = values(ledger_dir, ev, V.ANCHOR_LINK)
    snap = value(ledger_dir, "source/daily", V.CURRENT_SNAPSHOT)
    assert value(ledger_dir, anchor.value, V.SNAPSHOT_LINK) == snap
    assert value(ledger_dir, anchor.value, V.HAS_SOURCE).value == BASE + "source/daily"
    assert value(ledger_dir, anchor.value, V.ANCHOR_STATUS) == V.AnchorStatus.iri("found")
    selectors = values(ledger_dir, anchor.value, V.HAS_SELECTOR)
    assert selector in selectors
    [position] = [s for s in selectors if s != selector]
    assert value(ledger_dir, position.value, V.TYPE) == V.TEXT_POSITION_SELECTOR
    assert (value(ledger_dir, position.value, V.START).value,
            value(ledger_dir, position.value, V.END).value) == (str(start), str(end))
    state = value(ledger_dir, anchor.value, V.HAS_STATE)
    assert value(ledger_dir, state.value, V.TYPE) == V.TIME_STATE
    assert value(ledger_dir, state.value, V.CACHED_SOURCE) == snap
    assert value(ledger_dir, state.value, V.SOURCE_DATE) == value(
        ledger_dir, "capture/daily-1", V.ENDED_AT_TIME)
    shown = claim_json(run, "fell")["evidence"][0]["quote_state"]
    assert (shown["status"], shown["start"], shown["end"]) == ("pinned", start, end)
    assert f"(characters {start}–{end})" in run.ok("claim", "show", "fell").stdout


def test_a_quote_across_inline_markup_and_typography_is_found(run, site, ledger_dir):
    site.put("/a", article("Witnesses said <b>the</b> bridge \u201cjust\u00a0went\u201d "
                           "\u2014 in seconds."))
    run.ok("source", "add", "daily", "--title", "The Daily", "--url", site.url("/a"))
    run.ok("source", "fetch", "daily")
    add_claim(run)
    run.ok("evidence", "add", "fell", "daily", "--supports", "--quote",
           'said the bridge "just went" - in seconds')
    exact = value(ledger_dir, value(ledger_dir, "evidence/fell-1", V.HAS_SELECTOR).value,
                  V.EXACT).value
    assert exact in snapshot_text(ledger_dir, "daily")  # the source's own characters
    assert exact.startswith("said the bridge \u201cjust") and "went\u201d \u2014 in" in exact
    # plain text is kept as it is: non-breaking spaces and soft hyphens stay in the snapshot
    site.server.routes["/t"] = page("Minutes: the coun\u00adcil voted\u00a0\u201cno\u201d "
                                    "twice.\n", "text/plain; charset=utf-8")
    run.ok("source", "add", "minutes", "--title", "Minutes", "--url", site.url("/t"))
    run.ok("source", "fetch", "minutes")
    run.ok("evidence", "add", "fell", "minutes", "--supports", "--quote",
           'the council voted "no" twice')
    exact = value(ledger_dir, value(ledger_dir, "evidence/fell-2", V.HAS_SELECTOR).value,
                  V.EXACT).value
    assert exact == "the coun\u00adcil voted\u00a0\u201cno\u201d twice"


def test_a_quote_not_in_the_snapshot_is_refused_with_the_closest_passage(run, site, ledger_dir):
    site.put("/a", article(QUOTED))
    run.ok("source", "add", "daily", "--title", "The Daily", "--url", site.url("/a"))
    run.ok("source", "fetch", "daily")
    add_claim(run)
    before = snapshot(ledger_dir)
    result = run("evidence", "add", "fell", "daily", "--supports", "--quote",
                 "the mayor said the bridge had collapsed before midnight")
    assert result.exit_code == 2
    message = result.stderr
    assert "the quote is not in the snapshot of source 'daily'" in message
    assert "The closest passage" in message and "% alike" in message
    assert "«The mayor said the bridge had fallen before midnight" in message
    assert "--unverified-quote" in message
    assert snapshot(ledger_dir) == before
    run.ok("evidence", "add", "fell", "daily", "--supports", "--unverified-quote", "--quote",
           "the mayor said the bridge had collapsed before midnight")
    assert value(ledger_dir, "evidence/fell-1", V.QUOTE_STATUS) == V.QuoteStatus.iri("unverified")
    assert values(ledger_dir, "evidence/fell-1", V.ANCHOR_LINK) == []
    assert "UNVERIFIED" in run.ok("claim", "show", "fell").stdout


def test_an_ambiguous_quote_is_refused_unless_its_occurrence_is_given(run, site, ledger_dir):
    site.put("/a", article("First the tower fell, then the bridge fell.", "Later the bridge fell."))
    run.ok("source", "add", "daily", "--title", "The Daily", "--url", site.url("/a"))
    run.ok("source", "fetch", "daily")
    add_claim(run)
    before = snapshot(ledger_dir)
    result = run("evidence", "add", "fell", "daily", "--supports", "--quote", "the bridge fell")
    assert result.exit_code == 2 and snapshot(ledger_dir) == before
    assert "the quote is ambiguous: it occurs 2 times" in result.stderr
    assert "--occurrence N (1–2)" in result.stderr
    result = run("evidence", "add", "fell", "daily", "--supports", "--quote", "the bridge fell",
                 "--occurrence", "3")
    assert result.exit_code == 2 and "there is no occurrence 3" in result.stderr
    run.ok("evidence", "add", "fell", "daily", "--supports", "--quote", "the bridge fell",
           "--occurrence", "2")
    text = snapshot_text(ledger_dir, "daily")
    second = text.index("the bridge fell", text.index("the bridge fell") + 1)
    assert claim_json(run, "fell")["evidence"][0]["quote_state"]["start"] == second


def test_source_add_with_fetch_takes_the_pages_title(run, site, ledger_dir):
    url = site.put("/a", article(QUOTED))
    out = run.ok("source", "add", "daily", "--url", url, "--fetch", "--reliability", "B").stdout
    assert "recorded source daily" in out and "snapshot kept" in out
    record = json.loads(run.ok("source", "show", "daily", "--format", "json").stdout)
    assert (record["title"], record["reliability"], record["url"]) == (
        "Bridge falls in the night", "B", url)
    with Ledger.open(ledger_dir) as led:
        assert [e.command for e in log_entries(led, "daily")] == ["source add", "source fetch"]


def test_source_add_fetch_refuses_a_taken_slug_before_downloading(run, site, ledger_dir):
    url = site.put("/a", article(QUOTED))
    run.ok("source", "add", "daily", "--title", "The Daily")
    result = run("source", "add", "daily", "--url", url, "--fetch")
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert site.server.requests == []
    result = run("source", "add", "other", "--fetch")
    assert result.exit_code == 2 and "--fetch needs --url" in result.stderr


def test_progress_goes_to_a_terminal_only(monkeypatch):
    import io
    import sys

    from claimledger.cli.capture import ByteProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, shown in ((io.StringIO(), False), (Terminal(), True)):
        monkeypatch.setattr(sys, "stderr", stream)
        progress = ByteProgress("fetching big")
        progress.start -= 5  # a download that has taken five seconds so far
        progress(2_500_000, 10_000_000)
        progress.finish()
        assert (stream.getvalue() == "\rfetching big: 2.5 MB of 10.0 MB\n") is shown
        assert (stream.getvalue() == "") is not shown


def test_a_snapshot_without_text_takes_only_unverified_quotes(run, site, ledger_dir):
    site.server.routes["/photo.png"] = page(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    run.ok("source", "add", "photo", "--title", "Photo", "--kind", "media",
           "--url", site.url("/photo.png"))
    assert "none (no text" in run.ok("source", "fetch", "photo").stdout
    add_claim(run)
    result = run("evidence", "add", "fell", "photo", "--supports", "--quote", "anything")
    assert result.exit_code == 2 and "has no text (image/png)" in result.stderr
    run.ok("evidence", "add", "fell", "photo", "--supports", "--quote", "anything",
           "--unverified-quote")


def test_quotes_recorded_before_the_first_fetch_are_pinned_or_marked_unverified(run, site,
                                                                               ledger_dir):
    site.put("/a", article(QUOTED))
    run.ok("source", "add", "daily", "--title", "The Daily", "--url", site.url("/a"))
    add_claim(run)
    run.ok("evidence", "add", "fell", "daily", "--supports", "--quote", "the bridge had fallen")
    run.ok("evidence", "add", "fell", "daily", "--supports", "--quote", "a quote never said")
    out = run.ok("source", "fetch", "daily").stdout
    assert "quote of fell-1 (fell): found" in out
    assert "quote of fell-2 (fell): not in the page; marked unverified" in out
    states = [e["quote_state"]["status"] for e in claim_json(run, "fell")["evidence"]]
    assert states == ["pinned", "unverified"]
