"""A local news site for the capture tests: article pages with realistic paragraphs (so that
trafilatura's main-text extraction applies), served on 127.0.0.1 and allowed by
``CLAIMLEDGER_ALLOW_HOSTS`` for that one host and port."""

from __future__ import annotations

import hashlib
import json

import pytest
from pyoxigraph import NamedNode

from claimledger.ledger import Ledger
from claimledger.model import vocab as V

from local_http import LocalServer, page

BASE = "https://example.org/test/"
FILLER = ("Officials described the scene at length for the reporters who had gathered near the "
          "river since the early morning, and the police kept the crowd well back.")


def article(*paragraphs: str, title: str = "Bridge falls in the night",
            published: str | None = "2021-05-01") -> str:
    meta = (f'<meta property="article:published_time" content="{published}T08:00:00Z">'
            if published else "")
    body = "".join(f"<p>{p}</p>" for p in (FILLER, *paragraphs, FILLER))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{meta}"
            f"</head><body><nav>Home | World | Sport | Weather</nav><article><h1>{title}</h1>"
            f"{body}</article><footer>© The Daily</footer></body></html>")


class Site:
    def __init__(self, server: LocalServer) -> None:
        self.server = server

    def put(self, path: str, html: str, **kw) -> str:
        self.server.routes[path] = page(html, **kw)
        return self.server.url(path)

    def url(self, path: str) -> str:
        return self.server.url(path)


@pytest.fixture
def site(server, monkeypatch):
    monkeypatch.setenv("CLAIMLEDGER_ALLOW_HOSTS", server.hostport)
    return Site(server)


def sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def value(ledger_dir, s: str, p: NamedNode):
    """The one value of ``p`` on ``s`` (an IRI under the test base, or a full IRI)."""
    node = NamedNode(s if s.startswith("http") or s.startswith("urn:") else BASE + s)
    with Ledger.open(ledger_dir) as led:
        found = [t.object for t in led.store.triples(node, p, None)]
    assert len(found) <= 1, found
    return found[0] if found else None


def values(ledger_dir, s: str, p: NamedNode) -> list:
    node = NamedNode(s if s.startswith("http") else BASE + s)
    with Ledger.open(ledger_dir) as led:
        return [t.object for t in led.store.triples(node, p, None)]


def claim_json(run, slug: str) -> dict:
    return json.loads(run.ok("claim", "show", slug, "--format", "json").stdout)["claim"]


def add_claim(run, slug: str = "fell") -> None:
    run.ok("claim", "add", slug, "--subject", "ex:bridge", "--predicate", "ex:status",
           "--object", "ex:fallen", "--text", "The bridge fell")


def snapshot_text(ledger_dir, source: str) -> str:
    snap = value(ledger_dir, f"source/{source}", V.CURRENT_SNAPSHOT)
    text = value(ledger_dir, snap.value, V.TEXT_LINK)
    path = value(ledger_dir, text.value, V.TEXT_FILE).value
    return (ledger_dir / "snapshots" / path).read_text(encoding="utf-8")
