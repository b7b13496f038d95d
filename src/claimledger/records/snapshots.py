"""Snapshots of sources: recording what ``source fetch`` and ``source recheck`` captured.

Each fetch is one write (``cl:Capture``, a ``prov:Activity``) on its source: the URL asked for
and the final URL after redirects, the HTTP status, the content type, the time the response was
complete (``prov:endedAtTime``), the SHA-256 of the body and its size. The body is a
``cl:Snapshot`` named by that hash (``<base>snapshot/<sha256>``): identical bytes are one
snapshot, kept once on disk (a later capture of them is a WARC revisit record); its page title
(``schema:name``), declared publication date (``schema:datePublished``), WARC file and the
extracted text (``cl:ExtractedText``: its own hash, file, length, extractor and version) are
recorded on it. The source points at its newest snapshot (``cl:currentSnapshot``) and capture
(``cl:lastCapture``).

A capture's outcome compares it with the source's snapshot before it: ``new`` (the first),
``unchanged`` (same hash: only the check time is new), ``changed`` (the old snapshot is kept,
the new one stored, and every quote found in the source re-anchored on it exactly — see
:mod:`claimledger.records.quotes`) or ``gone`` (HTTP 404 or 410, or a host name that no longer
resolves: recorded as such, the snapshots kept).

An orphaned quote still counts toward corroboration — the source did say it, and its old
snapshot proves it — and ``claim show`` and the ``orphaned-quotes`` report flag it.

The download runs before the ledger is opened for writing
(:mod:`claimledger.fetching`), so a slow server never holds the ledger's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode

from claimledger.capture.snapshots import SnapshotFiles, StoredFile, location
from claimledger.core.ledger import LedgerCore
from claimledger.errors import InputError, LedgerError
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.records.quotes import AnchorOutcome, Snapshot, reanchor, snapshot_record
from claimledger.store.base import Store

if TYPE_CHECKING:  # imported when used: requests costs every other command ~0.1 s
    from claimledger.capture.fetch import Capture, Gone
    from claimledger.net.http import Policy

_CAPTURES = """
PREFIX cl: <https://w3id.org/claimledger#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
SELECT ?source ?capture ?at ?outcome ?status ?url ?requested ?sha ?type ?title ?failure WHERE {
  ?source cl:capture ?capture .
  ?capture prov:endedAtTime ?at ; cl:outcome ?outcome ; cl:requestedUrl ?requested .
  OPTIONAL { ?capture cl:httpStatus ?status }
  OPTIONAL { ?capture cl:finalUrl ?url }
  OPTIONAL { ?capture cl:sha256 ?sha }
  OPTIONAL { ?capture cl:contentType ?type }
  OPTIONAL { ?capture cl:snapshot/schema:name ?title }
  OPTIONAL { ?capture cl:failure ?failure }
} ORDER BY ?source ?at ?capture"""

_FILES = """
PREFIX cl: <https://w3id.org/claimledger#>
SELECT DISTINCT ?file ?hash ?payload WHERE {
  { ?x cl:warcFile ?file ; cl:fileSha256 ?hash . OPTIONAL { ?x a cl:Snapshot ; cl:sha256 ?payload } }
  UNION { ?x a cl:ExtractedText ; cl:textFile ?file ; cl:sha256 ?hash }
} ORDER BY ?file"""


@dataclass
class CaptureResult:
    """What one fetch or recheck recorded (or, with ``error``, why it recorded nothing)."""

    source: str
    requested_url: str
    outcome: str | None = None
    url: str | None = None
    status: int | None = None
    content_type: str | None = None
    sha256: str | None = None
    size: int | None = None
    title: str | None = None
    published: str | None = None
    retrieved_at: str | None = None
    snapshot_file: str | None = None
    extractor: str | None = None
    text_length: int | None = None
    redirects: int = 0
    failure: str | None = None
    anchors: list[AnchorOutcome] = field(default_factory=list)
    event: int | None = None
    hash: str | None = None
    error: str | None = None


@dataclass
class CaptureInfo:
    """One recorded capture, for ``source captures``."""

    source: str
    capture: str
    at: str
    outcome: str
    status: int | None
    url: str | None
    requested_url: str
    sha256: str | None
    content_type: str | None
    title: str | None
    failure: str | None


class Snapshots:
    """Fetching, rechecking and reading snapshots of sources. Reached as ``ledger.snapshots``."""

    def __init__(self, ledger: LedgerCore) -> None:
        self.ledger = ledger

    def target(self, slug: str, url: str | None = None, *, recheck: bool = False) -> str:
        """The URL ``fetch`` (or, with ``recheck``, ``recheck``) of ``slug`` downloads:
        ``url``; else, for a fetch, the source's ``schema:url``, then the URL its last
        capture asked for; for a recheck the other way round (what was captured is what
        its quotes are pinned to).

        :raises NotFoundError: for an unknown source.
        :raises InputError: if there is no URL to fetch, or it is not an http(s) IRI.
        """
        from claimledger.net.http import check_url

        led = self.ledger
        node = led.resolve("source", slug, argument="SOURCE")
        if url is None:
            own = next(led.store.triples(node, V.URL, None), None)
            last = next(led.store.triples(node, V.LAST_CAPTURE, None), None)
            asked = next(led.store.triples(last.object, V.REQUESTED_URL, None), None) \
                if last is not None else None
            found = (asked or own) if recheck else (own or asked)
            if found is None:
                raise InputError(f"source {slug!r} has no URL: give one (source fetch SLUG URL)",
                                 argument="URL")
            url = found.object.value
        terms.check_iri(check_url(url), argument="URL")
        return url

    def fetch(self, slug: str, url: str | None = None, *, policy: Policy | None = None,
              on_progress: Callable[[int, int | None], None] | None = None,
              reason: str | None = None, command: str = "source fetch") -> CaptureResult:
        """Download the source's page and record it (with this ledger open for writing).

        :raises RequestFailed: if the download fails; nothing is recorded.
        """
        from claimledger.capture.fetch import fetch
        from claimledger.net.http import Policy

        target = self.target(slug, url)
        got = fetch(target, policy or Policy.for_sources(), on_progress=on_progress)
        return self.record(slug, got, url=url, command=command, reason=reason)

    def recheck(self, slug: str, *, policy: Policy | None = None, reason: str | None = None
                ) -> CaptureResult:
        """Fetch the source again and record what changed; a gone page is recorded as such.

        :raises RequestFailed: for failures other than gone; nothing is recorded.
        """
        from claimledger.net.http import Policy
        from claimledger.capture.fetch import download

        target = self.target(slug, recheck=True)
        got = download(target, policy or Policy.for_sources(), gone_ok=True)
        return self.record(slug, got, command="source recheck", reason=reason)

    def record(self, slug: str, got: Capture | Gone, *, url: str | None = None,
               command: str = "source fetch", reason: str | None = None) -> CaptureResult:
        """Record a capture made by :func:`claimledger.capture.fetch.fetch`, as one write.

        :param url: the URL given on the command line, made the source's URL if it has none.
        """
        from claimledger.capture.fetch import Gone

        led = self.ledger
        source = led.resolve("source", slug, argument="SOURCE")
        files = SnapshotFiles(location(led.store))
        created: list[StoredFile] = []
        result = CaptureResult(slug, got.requested_url, retrieved_at=got.retrieved_at)
        args = {"slug": slug, "url": got.requested_url}
        try:
            with led.transaction(command, args, reason=reason) as tx:
                n = 1 + len(tx.view.objects(source, V.CAPTURE_LINK))
                cap = NamedNode(f"{led.base}capture/{slug}-{n}")
                while tx.view.exists(cap):
                    n += 1
                    cap = NamedNode(f"{led.base}capture/{slug}-{n}")
                when = Literal(got.retrieved_at, datatype=V.XSD_DATETIME)
                tx.add(source, V.CAPTURE_LINK, cap)
                tx.set(source, V.LAST_CAPTURE, cap)
                tx.add(cap, V.TYPE, V.CAPTURE)
                tx.add(cap, V.REQUESTED_URL, terms.check_iri(got.requested_url, argument="URL"))
                tx.add(cap, V.ENDED_AT_TIME, when)
                tx.add(cap, V.WAS_ASSOCIATED_WITH, tx.agent)
                if url is not None and tx.view.value(source, V.URL) is None:
                    tx.add(source, V.URL, terms.check_iri(url, argument="URL"))
                if isinstance(got, Gone):
                    result.outcome, result.failure = "gone", got.error.message
                    result.status = got.error.status
                    tx.add(cap, V.OUTCOME, V.CaptureOutcome.iri("gone"))
                    tx.add(cap, V.FAILURE, Literal(got.error.message))
                    if got.error.status is not None:
                        tx.add(cap, V.HTTP_STATUS, Literal(got.error.status))
                else:
                    self._record_snapshot(tx, source, cap, got, files, created, result)
        except BaseException:
            files.discard(created)
            raise
        result.event, result.hash = tx.result.sequence, tx.result.hash
        return result

    def _record_snapshot(self, tx, source: NamedNode, cap: NamedNode, got: Capture,
                         files: SnapshotFiles, created: list[StoredFile],
                         result: CaptureResult) -> None:
        led = self.ledger
        resp = got.response
        view = tx.view
        previous = view.value(source, V.CURRENT_SNAPSHOT)
        snap = NamedNode(f"{led.base}snapshot/{got.sha256}")
        when = Literal(got.retrieved_at, datatype=V.XSD_DATETIME)
        tx.add(cap, V.FINAL_URL, terms.check_iri(resp.url, argument="URL"))
        tx.add(cap, V.HTTP_STATUS, Literal(resp.status))
        if resp.headers.get("Content-Type"):
            tx.add(cap, V.CONTENT_TYPE, Literal(_text(resp.headers["Content-Type"])))
        tx.add(cap, V.SHA256, Literal(got.sha256))
        tx.add(cap, V.BYTE_SIZE, Literal(len(resp.body)))
        tx.add(cap, V.REDIRECTS, Literal(len(resp.redirects)))
        tx.add(cap, V.SNAPSHOT_LINK, snap)
        if view.has(snap, V.TYPE, V.SNAPSHOT):  # identical bytes seen before: a revisit
            first = view.value(snap, V.WAS_GENERATED_BY)
            stored = files.write_revisit(
                resp, sha256=got.sha256, retrieved_at=got.retrieved_at,
                refers_to=f"<{view.value(snap, V.WARC_RECORD).value}>",
                refers_to_uri=view.value(first, V.FINAL_URL).value,
                refers_to_date=view.value(first, V.ENDED_AT_TIME).value)
            created.append(stored)
        else:
            stored = files.write_response(resp, sha256=got.sha256, retrieved_at=got.retrieved_at)
            created.append(stored)
            tx.add(snap, V.TYPE, V.SNAPSHOT)
            tx.add(snap, V.SHA256, Literal(got.sha256))
            tx.add(snap, V.BYTE_SIZE, Literal(len(resp.body)))
            if resp.content_type:
                tx.add(snap, V.CONTENT_TYPE, Literal(resp.content_type))
            tx.add(snap, V.WAS_GENERATED_BY, cap)
            tx.add(snap, V.GENERATED_AT_TIME, when)
            tx.add(snap, V.WARC_FILE, Literal(stored.path))
            tx.add(snap, V.WARC_RECORD, NamedNode(stored.record_id.strip("<>")))
            tx.add(snap, V.FILE_SHA256, Literal(stored.sha256))
            if got.facts.title:
                tx.add(snap, V.NAME, Literal(got.facts.title))
            if got.facts.published:
                tx.add(snap, V.DATE_PUBLISHED, terms.parse_date(got.facts.published,
                                                                argument="date"))
            if got.text is not None:
                text_file = files.write_text(got.text.sha256, got.text.text)
                created.append(text_file)
                text_node = NamedNode(f"{led.base}text/{got.text.sha256}")
                tx.add(snap, V.TEXT_LINK, text_node)
                tx.add(text_node, V.TYPE, V.EXTRACTED_TEXT)
                tx.add(text_node, V.SHA256, Literal(got.text.sha256))
                tx.add(text_node, V.TEXT_FILE, Literal(text_file.path))
                tx.add(text_node, V.TEXT_LENGTH, Literal(len(got.text.text)))
                tx.add(text_node, V.EXTRACTOR, Literal(got.text.extractor))
                tx.add(text_node, V.EXTRACTOR_VERSION, Literal(got.text.version))
        tx.add(cap, V.WARC_FILE, Literal(stored.path))
        tx.add(cap, V.WARC_RECORD, NamedNode(stored.record_id.strip("<>")))
        tx.add(cap, V.FILE_SHA256, Literal(stored.sha256))
        outcome = "new" if previous is None else ("unchanged" if previous == snap else "changed")
        tx.add(cap, V.OUTCOME, V.CaptureOutcome.iri(outcome))
        tx.set(source, V.CURRENT_SNAPSHOT, snap)
        record = snapshot_record(view, snap)
        if outcome != "unchanged":
            result.anchors = reanchor(led, tx, source, record, self._text(record, got))
        result.outcome, result.url, result.status = outcome, resp.url, resp.status
        result.content_type, result.sha256, result.size = resp.content_type, got.sha256, len(resp.body)
        result.title, result.published = got.facts.title, got.facts.published
        result.snapshot_file, result.redirects = view.value(snap, V.WARC_FILE).value, len(resp.redirects)
        if got.text is not None:
            result.extractor = f"{got.text.extractor} {got.text.version}"
            result.text_length = len(got.text.text)

    def _text(self, snap: Snapshot, got: Capture) -> str | None:
        if got.text is not None and got.text.sha256 == snap.text_sha256:
            return got.text.text
        from claimledger.records.quotes import snapshot_text

        return snapshot_text(self.ledger, snap)

    # -- reading -------------------------------------------------------------------------
    def captures(self, slug: str | None = None) -> list[CaptureInfo]:
        """Every capture (of one source, or of all), oldest first."""
        led = self.ledger
        bindings = {"source": led.resolve("source", slug, argument="SOURCE")} if slug else None
        out = []
        for row in led.store.query(_CAPTURES, bindings):
            def opt(name: str) -> str | None:
                return row[name].value if row[name] is not None else None
            out.append(CaptureInfo(
                source=led.slug(row["source"]), capture=row["capture"].value.rsplit("/", 1)[-1],
                at=row["at"].value, outcome=V.CaptureOutcome.label(row["outcome"]) or "",
                status=int(row["status"].value) if row["status"] is not None else None,
                url=opt("url"), requested_url=row["requested"].value, sha256=opt("sha"),
                content_type=opt("type"), title=opt("title"), failure=opt("failure")))
        return out

    def captured_sources(self) -> list[str]:
        """Slugs of the sources fetched at least once, sorted."""
        return sorted({c.source for c in self.captures()})


def check_files(store: Store, base: str) -> list[str]:
    """``verify``'s check of the snapshot files: each present, with its recorded hash (and,
    for a response WARC, a body with the snapshot's hash)."""
    rows = list(store.query(_FILES))
    if not rows:
        return []
    try:
        files = SnapshotFiles(location(store))
    except LedgerError as exc:
        return [exc.message]
    wanted: dict[tuple[str, str], str | None] = {}
    for row in rows:
        key = (row["file"].value, row["hash"].value)
        wanted[key] = wanted.get(key) or (row["payload"].value if row["payload"] else None)
    problems = []
    for (path, digest), payload in sorted(wanted.items()):
        problem = files.check(path, digest, payload)
        if problem:
            problems.append(problem)
    return problems


def _text(value: str) -> str:
    return "".join(c for c in value if c.isprintable())[:200]

