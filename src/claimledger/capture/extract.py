"""The readable text of a snapshot, and what the page declares about itself.

HTML (and XHTML) goes through trafilatura, a maintained library made for extracting the main
text of web pages (not hand-written tag stripping): inline markup disappears, so a quote that
crosses ``said <b>the</b> bridge`` reads ``said the bridge``. Plain text (``text/*``, JSON,
XML) is kept as it is, decoded with its declared charset (else UTF-8, else the best guess of
charset_normalizer). Other media types (PDF, images) get no text: a quote on them cannot be
pinned.

The text is stored beside the snapshot, with its own hash and the extractor's name and
version, and quote positions point into that stored text: a newer extractor never shifts a
recorded position.

trafilatura is given the bytes of the page only — never a URL — so it fetches nothing
(``tests/capture`` checks that no socket is opened while it runs).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from claimledger.model import terms

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"application/json", "application/xml", "application/ld+json"})


@dataclass(frozen=True)
class ExtractedText:
    """Text extracted from a snapshot.

    :param text: the text, as stored.
    :param sha256: hex SHA-256 of its UTF-8 encoding.
    :param extractor: the extractor's name (``trafilatura``, ``plain text``).
    :param version: the extractor's version.
    """

    text: str
    sha256: str
    extractor: str
    version: str

    @classmethod
    def of(cls, text: str, extractor: str, version: str) -> ExtractedText:
        return cls(text, hashlib.sha256(text.encode("utf-8")).hexdigest(), extractor, version)


@dataclass(frozen=True)
class PageFacts:
    """What a page declares: its title, and its publication date as an ``xsd`` literal
    lexical form (``2021-05-01``) or None."""

    title: str | None = None
    published: str | None = None


def is_text(content_type: str | None) -> bool:
    """True if a body of this media type has text claimledger can extract."""
    ct = (content_type or "").lower()
    return (ct in HTML_TYPES or ct.startswith("text/") or ct in _TEXT_TYPES
            or ct.endswith("+json") or ct.endswith("+xml"))


def extract(body: bytes, content_type: str | None, charset: str | None
            ) -> tuple[ExtractedText | None, PageFacts]:
    """The text of ``body`` and the facts the page declares.

    Returns ``(None, PageFacts())`` for a media type with no text.
    """
    ct = (content_type or "").lower()
    if ct in HTML_TYPES:
        return _html(body, charset)
    if is_text(ct):
        return ExtractedText.of(_clean(decode_text(body, charset)), "plain text",
                                _own_version()), PageFacts()
    return None, PageFacts()


def decode_text(body: bytes, charset: str | None) -> str:
    """``body`` as text: its declared charset, else UTF-8, else the best guess."""
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(body).best()
        return str(best) if best is not None else body.decode("utf-8", errors="replace")


def _html(body: bytes, charset: str | None) -> tuple[ExtractedText, PageFacts]:
    import trafilatura

    content: bytes | str = body
    if charset:
        try:
            content = body.decode(charset, errors="replace")
        except LookupError:
            content = body
    facts = PageFacts()
    tree = trafilatura.load_html(content)
    if tree is not None:
        meta = trafilatura.extract_metadata(
            tree, date_config={"extensive_search": False, "original_date": True,
                               "outputformat": "%Y-%m-%d"}, extensive=False)
        facts = PageFacts(title=_title(_declared_title(tree) or meta.title),
                          published=_date(meta.date))
    text = trafilatura.extract(content, output_format="txt", include_comments=False,
                               include_tables=True, deduplicate=False)
    if not text:  # too little for the main-text heuristics: all of the page's text
        text = trafilatura.html2txt(content) or ""
    return ExtractedText.of(_clean(text), "trafilatura", trafilatura.__version__), facts


def _declared_title(tree) -> str | None:
    """The page's ``<title>``, else its ``og:title``."""
    node = tree.find(".//title")
    if node is not None and node.text_content().strip():
        return node.text_content()
    found = tree.xpath('//meta[@property="og:title"]/@content')
    return str(found[0]) if found else None


def _clean(text: str) -> str:
    """What a ledger can store: no control characters other than tab and line breaks."""
    return "".join(c for c in text if c in "\t\n\r" or not (ord(c) < 32 or 0x7F <= ord(c) < 0xA0)
                   and not 0xD800 <= ord(c) < 0xE000)


def _title(value: str | None) -> str | None:
    if not value:
        return None
    title = " ".join(_clean(value).split())
    return title[:1000] or None


def _date(value: str | None) -> str | None:
    """A declared date if it is a valid date that is not in the future, else None."""
    if not value:
        return None
    try:
        return terms.parse_date(value, argument="date").value
    except Exception:  # an unparsable or future date: not recorded
        return None


def _own_version() -> str:
    from claimledger.net.http import user_agent

    return user_agent().split("/", 1)[1].split(" ", 1)[0]
