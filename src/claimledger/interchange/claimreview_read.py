"""Reading ClaimReview as fact-checking sites and aggregators publish it, without the network.

Accepted: a single JSON-LD object, an array of them, an ``@graph`` document, or a file of one
JSON-LD object per line (aggregated dumps); ``itemReviewed`` as a ``Claim`` or a
``CreativeWork``; ratings as labels (``alternateName``, ``name``) or numbers on any
``worstRating`` .. ``bestRating`` scale; ``http://`` or ``https://`` schema.org IRIs.

JSON-LD is parsed with rdflib's parser, and no context is ever fetched: a ``@context`` naming
schema.org (``https://schema.org``, ``http://schema.org/``, ``…/docs/jsonldcontext.jsonld``)
is replaced by the bundled copy (``resources/interchange/schemaorg-context.jsonld``), a
document with no ``@context`` is read with it, and any other remote context, or an
``@import``, refuses the file. Every problem found is reported, by line (line-delimited
files) or by position in the file, and nothing is imported.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import rdflib
from rdflib import RDF, Literal, URIRef

from claimledger import resources
from claimledger.errors import InputError
from claimledger.interchange.rdf import _check_json_depth

SDO = "http://schema.org/"
SDO_HTTPS = "https://schema.org/"
CL = "https://w3id.org/claimledger#"
S = rdflib.Namespace(SDO)
C = rdflib.Namespace(CL)
_SCHEMA_CONTEXT = re.compile(r"^https?://schema\.org(/|/docs/jsonldcontext\.json(ld)?)?$",
                             re.IGNORECASE)


@dataclass
class Work:
    """A CreativeWork a review names: an appearance of the claim, or a source it cites."""

    url: str | None = None
    name: str | None = None
    published: str | None = None
    iri: str | None = None


@dataclass
class Review:
    """One ClaimReview, as read (plain values; nothing checked against a ledger yet)."""

    where: str
    text: str | None = None
    language: str | None = None
    url: str | None = None
    iri: str | None = None
    published: str | None = None
    headline: str | None = None
    author_name: str | None = None
    author_url: str | None = None
    item_iri: str | None = None
    item_type: str | None = None
    triple: tuple[Any, Any, Any] | None = None
    appearances: list[Work] = field(default_factory=list)
    first_appearance: Work | None = None
    citations: list[Work] = field(default_factory=list)
    rating_label: str | None = None
    rating_value: str | None = None
    best: str | None = None
    worst: str | None = None
    verdict: str | None = None
    rating: str | None = None
    reason: str | None = None
    derived: bool = False


class ReviewError(InputError):
    """A ClaimReview file with reviews that cannot be imported; nothing was imported.

    :param problems: ``(where, why)`` for each: ``line N`` (line-delimited files), ``item N``
        (an array), ``document`` — with ``, review N`` when a document holds several.
    """

    def __init__(self, name: str, problems: list[tuple[str, str]]) -> None:
        problems = sorted(problems, key=lambda p: _order(p[0]))
        places = len({w for w, _ in problems})
        head = (f"{name!r}: {places} review{'s' if places != 1 else ''} cannot be imported; "
                "nothing was imported")
        super().__init__("\n".join([head] + [f"  {w}: {why}" for w, why in problems]))
        self.problems = problems


def _order(where: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", where)) or (0,)


def schema_context() -> dict[str, Any]:
    """The bundled schema.org context (its ``@context`` object)."""
    return json.loads(resources.interchange("schemaorg-context.jsonld"))["@context"]


def _safe_context(value: Any) -> Any:
    """A ``@context`` value with every schema.org reference replaced by the bundled context.

    :raises ValueError: for a remote context that is not schema.org's, or an ``@import``.
    """
    if isinstance(value, str):
        if _SCHEMA_CONTEXT.match(value.strip()):
            return schema_context()
        raise ValueError(f"names the remote @context {value!r}; claimledger never fetches "
                         "contexts from the network (only schema.org's is known, bundled)")
    if isinstance(value, list):
        return [_safe_context(v) for v in value]
    if isinstance(value, dict):
        if "@import" in value:
            raise ValueError("uses @import in its @context; claimledger never fetches contexts")
        return {k: (_safe_contexts(v) if isinstance(v, dict) else v) for k, v in value.items()}
    return value


def _safe_contexts(node: Any) -> Any:
    """``node`` with every ``@context`` in it (scoped ones too) made safe."""
    if isinstance(node, list):
        return [_safe_contexts(v) for v in node]
    if isinstance(node, dict):
        return {k: (_safe_context(v) if k == "@context" else _safe_contexts(v))
                for k, v in node.items()}
    return node


def documents(text: str) -> tuple[list[tuple[str, Any]], list[tuple[str, str]]]:
    """The JSON documents of a file, each with where it is (the whole file, an item of its
    array, or a line of a line-delimited file), and the lines that are not JSON."""
    stripped = text.strip()
    if not stripped:
        return [], [("line 1", "the file is empty")]
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as first:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        if len(lines) < 2:
            return [], [(f"line {first.lineno}", f"not JSON: {first.msg}")]
        out, problems = [], []
        for n, line in lines:
            try:
                out.append((f"line {n}", json.loads(line)))
            except json.JSONDecodeError as exc:
                problems.append((f"line {n}", f"not JSON: {exc.msg} (column {exc.colno})"))
        return out, problems
    except RecursionError:
        return [], [("line 1", "nested too deeply to read")]
    if isinstance(whole, list):
        return [(f"item {i}", doc) for i, doc in enumerate(whole, start=1)], []
    return [("document", whole)], []


def graph_of(doc: Any) -> rdflib.Graph:
    """Parse one JSON-LD document with rdflib, contexts made safe, https schema.org IRIs read
    as http ones (the ledger's schema namespace).

    :raises ValueError: for an unsafe context or JSON-LD rdflib cannot read.
    """
    if isinstance(doc, dict) and "@context" not in doc:
        doc = {"@context": schema_context(), **doc}
    elif isinstance(doc, list):
        doc = {"@context": schema_context(), "@graph": doc}
    elif not isinstance(doc, dict):
        raise ValueError("is not a JSON object")
    safe = json.dumps(_safe_contexts(doc))
    try:
        with warnings.catch_warnings():  # rdflib's parser uses its own deprecated classes
            warnings.simplefilter("ignore", DeprecationWarning)
            raw = rdflib.Graph().parse(data=safe, format="json-ld")
    except Exception as exc:  # rdflib's JSON-LD errors have no common base class
        raise ValueError(f"is not JSON-LD rdflib can read ({type(exc).__name__}: {exc})") from None
    graph = rdflib.Graph()
    for s, p, o in raw:
        graph.add((_http(s), _http(p), _http(o)))
    return graph


def _http(term):
    if isinstance(term, URIRef) and str(term).startswith(SDO_HTTPS):
        return URIRef(SDO + str(term)[len(SDO_HTTPS):])
    return term


def _text(g: rdflib.Graph, node, *props) -> str | None:
    for p in props:
        for o in g.objects(node, p):
            if isinstance(o, Literal) and str(o).strip():
                return str(o)
    return None


def _url(g: rdflib.Graph, node, *, own: bool = False) -> str | None:
    """A node's ``url`` (an IRI or text); with ``own``, else its own IRI if it is http(s)
    (publishers often name a review by its URL)."""
    for o in g.objects(node, S.url):
        if str(o).strip():
            return str(o).strip()
    if own and isinstance(node, URIRef) and str(node).startswith(("http://", "https://")):
        return str(node)
    return None


def _work(g: rdflib.Graph, node) -> Work:
    if isinstance(node, Literal):  # a bare URL or title given as text
        value = str(node).strip()
        return Work(url=value) if value.startswith(("http://", "https://")) else Work(name=value)
    return Work(url=_url(g, node), name=_text(g, node, S.name, S.headline) or (
                    None if _url(g, node) else str(node) if isinstance(node, URIRef) else None),
                published=_text(g, node, S.datePublished, S.dateCreated),
                iri=str(node) if isinstance(node, URIRef) else None)


def _language(g: rdflib.Graph, review, item) -> str | None:
    for node, p in ((review, S.claimReviewed), (item, S.text), (item, S.name)):
        for o in g.objects(node, p) if node is not None else ():
            if isinstance(o, Literal) and o.language:
                return o.language
    return _text(g, review, S.inLanguage)


def reviews_in(g: rdflib.Graph, where: str) -> list[Review]:
    """Every ``ClaimReview`` node of a graph, read into :class:`Review` objects."""
    found = sorted(set(g.subjects(RDF.type, S.ClaimReview)), key=str)
    out = []
    for i, node in enumerate(found, start=1):
        r = Review(where=where if len(found) == 1 else f"{where}, review {i}")
        item = g.value(node, S.itemReviewed)
        r.iri = str(node) if isinstance(node, URIRef) else None
        r.url = _url(g, node, own=True)
        r.text = _text(g, node, S.claimReviewed) or (
            _text(g, item, S.text, S.name, S.headline) if item is not None else None)
        r.language = _language(g, node, item)
        r.published = _text(g, node, S.datePublished, S.dateCreated)
        r.headline = _text(g, node, S.headline, S.name)
        author = g.value(node, S.author) or g.value(node, S.publisher)
        if author is not None:
            r.author_name = _text(g, author, S.name, S.alternateName) or (
                str(author) if isinstance(author, Literal) else None)
            r.author_url = _url(g, author, own=True) if not isinstance(author, Literal) else None
        if item is not None and not isinstance(item, Literal):
            r.item_iri = str(item) if isinstance(item, URIRef) else None
            kinds = set(g.objects(item, RDF.type))
            r.item_type = "Claim" if S.Claim in kinds else "CreativeWork"
            spo = [g.value(item, p) for p in (RDF.subject, RDF.predicate, RDF.object)]
            if all(x is not None for x in spo):
                r.triple = tuple(spo)  # type: ignore[assignment]
            r.appearances = [_work(g, w) for w in g.objects(item, S.appearance)]
            first = g.value(item, S.firstAppearance)
            if first is not None:
                r.first_appearance = _work(g, first)
            if r.item_type == "CreativeWork" and _url(g, item):
                r.appearances.append(Work(url=_url(g, item), name=_text(g, item, S.name,
                                                                       S.headline),
                                          published=_text(g, item, S.datePublished)))
        r.appearances.sort(key=lambda w: (w.url or "", w.name or ""))
        r.citations = sorted((_work(g, c) for p in (S.citation, S.isBasedOn)
                              for c in g.objects(node, p)), key=lambda w: (w.url or "", w.name or ""))
        rating = g.value(node, S.reviewRating)
        if isinstance(rating, Literal):  # a rating given as bare text
            r.rating_label, rating = str(rating), None
        if rating is not None:
            r.rating_label = _text(g, rating, S.alternateName, S.name)
            value = g.value(rating, S.ratingValue)
            r.rating_value = str(value) if value is not None else None
            r.best = _text(g, rating, S.bestRating)
            r.worst = _text(g, rating, S.worstRating)
        verdict = g.value(node, C.verdictValue)
        if verdict is not None:
            r.verdict = str(verdict).rsplit("#status-", 1)[-1]
            r.reason = _text(g, node, C.reason)
            rated = g.value(node, C.rating) or (g.value(rating, C.rating)
                                                if rating is not None else None)
            r.rating = str(rated) if isinstance(rated, URIRef) else None
        r.derived = any(str(o) == "true" for o in g.objects(node, C.derivedRating))
        out.append(r)
    return out


def read_reviews(data: bytes, name: str) -> tuple[list[Review], list[tuple[str, str]]]:
    """Every review in a ClaimReview file (see the module doc), and every problem found:
    lines that are not JSON, unsafe contexts, JSON-LD that cannot be read, documents with no
    ClaimReview.

    :raises ReviewError: for a file that is not UTF-8 text.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ReviewError(name, [(f"line {line}", "not UTF-8 text")]) from None
    _check_json_depth(data, name)
    docs, problems = documents(text)
    out: list[Review] = []
    for where, doc in docs:
        try:
            found = reviews_in(graph_of(doc), where)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            problems.append((where, str(exc) or type(exc).__name__))
            continue
        if not found:
            problems.append((where, "holds no ClaimReview (no object of type ClaimReview)"))
        out.extend(found)
    return out, problems
