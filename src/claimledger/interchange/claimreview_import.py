"""Importing schema.org ClaimReview (``import --format claimreview``): other outlets' fact-checks
as evidence, a claimledger export's verdicts as verdicts — through the record APIs, one write.

For each review (read by :mod:`.claimreview_read`):

1. **The claim.** A review is matched to a claim already in the ledger, in this order: the
   claim its ``itemReviewed`` names by IRI (a claimledger export names its claims); a claim
   that appears at one of the review's appearance URLs *and* has the same statement text
   (compared case-, accent- and punctuation-insensitively); a claim with the same statement
   text (a claim superseded by a revision is never matched, its successor is). Two different
   claims are never merged: a review whose text matches more than one claim is refused, and one whose appearance matches a claim with different wording becomes a
   new claim. A new claim takes the triple the review gives (``rdf:subject`` /
   ``rdf:predicate`` / ``rdf:object``, as claimledger exports it) or, when it gives none, the
   documented **untriaged** placeholder ``<claim> cl:untriaged "statement"`` — a claim the
   sourcing rules accept, listed by ``report untriaged`` until the analyst states its triple
   with ``claim revise``. Its slug comes from its IRI (``…/claim/SLUG``) or its statement.
2. **Where it appears.** Each appearance (``appearance``, ``firstAppearance``, the URL of an
   ``itemReviewed`` CreativeWork) becomes a source (or is found by URL) linked from the claim
   by ``schema:appearance`` / ``schema:firstAppearance``.
3. **The review.** A claimledger verdict (``cl:verdictValue``) is recorded as a verdict; a
   derived status (``cl:derivedRating``) adds nothing more. Any other review is an outlet's:
   the outlet (``author``) is a source (organization); the review itself is a source (a
   document at the review's URL) derived from the sources it cites (``citation``,
   ``isBasedOn``) or, citing none, from the outlet — so its origins are what it cites, else
   the outlet, and two reviews by one outlet count as one origin. A ``cl:Review`` record keeps
   the rating as published, its normalised value and the mapping row that produced it
   (:func:`.ratings.normalise`). Rated **true** it is supporting evidence found in the review,
   **false** contradicting evidence; **mixture** and **other** are recorded and not counted.
   A review already imported (same URL, same claim) is not imported again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from claimledger import resources
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult
from claimledger.errors import ClaimLedgerError, InputError
from claimledger.interchange.batch import Batch
from claimledger.interchange.claimreview_read import Review, ReviewError, Work, read_reviews
from claimledger.interchange.ratings import fold, normalise_review
from claimledger.interchange.reading import slugify, verdict_in_force
from claimledger.model import terms
from claimledger.model import vocab as V

Progress = Callable[[int, int], None]
#: The rating on claimledger's own scale for each status a verdict sets, for a verdict whose
#: file names no rating the ledger knows.
STATUS_RATINGS = {"confirmed": "true", "refuted": "refuted", "mixed": "half-true",
                  "inconclusive": "unproven", "retracted": "retracted"}


def import_claimreview(ledger: LedgerCore, path: str | Path, *, max_bytes: int,
                       reason: str | None = None, progress: Progress | None = None
                       ) -> WriteResult:
    """Record the reviews of a ClaimReview file as one write (see the module doc).

    :raises ReviewError: listing every review that cannot be imported (nothing written).
    :raises RuleViolation: if the reviews break a sourcing rule (nothing written).
    :raises InputError: for a missing or oversized file, or one with nothing new.
    """
    import hashlib

    file = Path(path)
    try:
        with open(file, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {str(file)!r}: {exc.strerror}", argument="FILE") from None
    if len(data) > max_bytes:
        raise InputError(f"{file.name!r} is over {max_bytes:,} bytes; imports are limited to that "
                         "(raise the limit with --max-size)", argument="FILE")
    found, problems = read_reviews(data, file.name)
    arguments = {"file": file.name, "sha256": hashlib.sha256(data).hexdigest(),
                 "format": "claimreview", "reviews": len(found)}
    with Batch.open(ledger, "import", arguments, reason=reason) as batch:
        importer = _Importer(batch)
        importer.problems.extend(problems)
        for n, review in enumerate(found, start=1):
            importer.record(review)
            if progress is not None and (n % 50 == 0 or n == len(found)):
                progress(n, len(found))
        if importer.problems:
            raise ReviewError(file.name, importer.problems)
        if not batch.tx.changes:
            raise InputError(f"{file.name!r}: nothing to import — every review in it is in the "
                             "ledger already", argument="FILE")
        return batch.commit()


class _Importer:
    """Records reviews through one batch, keeping the indexes matching needs."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self.problems: list[tuple[str, str]] = []
        store = batch._ledger.store
        # A claim superseded by a revision (status retracted) is never matched: its successor is.
        retracted = {t.subject for t in store.triples(None, V.STATUS, V.Status.iri("retracted"))}
        self.by_text: dict[str, set[str]] = {}
        for t in store.triples(None, V.TEXT, None):
            if t.subject not in retracted and store_has_type(store, t.subject, V.CLAIM):
                self.by_text.setdefault(fold(t.object.value), set()).add(batch.slug(t.subject))
        self.by_url: dict[str, set[str]] = {}
        for row in store.query(resources.query("review-appearances")):
            if row["url"] is not None and row["claim"] not in retracted:
                self.by_url.setdefault(row["url"].value, set()).add(batch.slug(row["claim"]))
        self.sources_by_url: dict[str, str] = {}
        for t in store.triples(None, V.URL, None):
            if store_has_type(store, t.subject, V.SOURCE):
                self.sources_by_url.setdefault(t.object.value, batch.slug(t.subject))
        self.reviewed = {(batch.slug(r["claim"]), r["url"].value)
                         for r in store.query(resources.query("review-outlets"))
                         if r["url"] is not None}
        self.taken: set[tuple[str, str]] = set()

    # -- names ---------------------------------------------------------------------------
    def free_slug(self, collection: str, wanted: str, *, exact: bool = False) -> str:
        """A slug not yet taken: ``wanted`` itself (``exact``: a slug read from an IRI) or
        made from it, with ``-2``, ``-3``, … when taken."""
        base = wanted if exact and terms.SLUG_RE.match(wanted) and ".." not in wanted \
            else slugify(wanted)
        slug, n = base, 1
        while (collection, slug) in self.taken or self.batch.tx.view.exists(
                self.batch.iri(collection, slug)):
            n += 1
            slug = f"{base[:120]}-{n}"
        self.taken.add((collection, slug))
        return slug

    # -- one review ----------------------------------------------------------------------
    def record(self, r: Review) -> None:
        if not r.text:
            self.problems.append((r.where, "no statement: give claimReviewed (or the "
                                           "itemReviewed's text or name)"))
            return
        if r.verdict is None and not r.derived and r.rating_label is None and r.rating_value is None:
            self.problems.append((r.where, "no reviewRating: a ClaimReview needs a rating "
                                           "(alternateName, name or ratingValue)"))
            return
        try:
            claim = self.claim(r)
            if claim is None:
                return
            self.appear(claim, r)
            if r.verdict is not None:
                self.verdict(claim, r)
            elif not r.derived:
                self.outlet_review(claim, r)
        except ClaimLedgerError as exc:
            self.problems.append((r.where, exc.message))

    def claim(self, r: Review) -> str | None:
        batch = self.batch
        if r.item_iri and r.item_iri.startswith(f"{batch.base}claim/"):
            slug = r.item_iri[len(f"{batch.base}claim/"):]
            if terms.SLUG_RE.match(slug) and batch.tx.view.has(
                    batch.iri("claim", slug), V.TYPE, V.CLAIM):
                return slug
        key = fold(r.text or "")
        urls = {w.url for w in r.appearances + [r.first_appearance] if w and w.url}
        at_url = set().union(*(self.by_url.get(u, set()) for u in urls)) if urls else set()
        same = at_url & self.by_text.get(key, set())
        if len(same) == 1:
            return next(iter(same))
        candidates = same or self.by_text.get(key, set())
        if len(candidates) == 1:
            return next(iter(candidates))
        if len(candidates) > 1:
            self.problems.append((r.where, "its statement matches more than one claim ("
                                  + ", ".join(sorted(candidates)) + "); claimledger never "
                                  "merges two claims — record the review by hand"))
            return None
        return self.new_claim(r, key, urls)

    def new_claim(self, r: Review, key: str, urls: set[str]) -> str:
        batch = self.batch
        named = r.item_iri and "/claim/" in r.item_iri
        wanted = r.item_iri.rsplit("/claim/", 1)[-1] if named else r.text or ""
        slug = self.free_slug("claim", wanted, exact=bool(named))
        lang = r.language if r.language and terms.LANG_RE.match(r.language) else "und"
        if r.triple is not None:
            s, p, o = r.triple
            kwargs = {"object": f"<{o}>"} if not hasattr(o, "datatype") else {
                "value": str(o), "lang": o.language,
                "datatype": f"<{o.datatype}>" if o.datatype and not o.language else None}
            batch.claims.add(slug, subject=f"<{s}>", predicate=f"<{p}>", text=r.text,
                             text_lang=lang, **kwargs)
        else:
            batch.claims.add(slug, subject=f"<{batch.iri('claim', slug).value}>",
                             predicate=f"<{V.UNTRIAGED.value}>", value=r.text, text=r.text,
                             text_lang=lang)
        self.by_text.setdefault(key, set()).add(slug)
        for url in urls:
            self.by_url.setdefault(url, set()).add(slug)
        return slug

    def source(self, work: Work, *, kind: str = "document",
               derived_from: tuple[str, ...] = ()) -> str:
        """The source at ``work``'s URL (or IRI) in the ledger or this import, else a new one."""
        batch = self.batch
        if work.iri and work.iri.startswith(f"{batch.base}source/"):
            slug = work.iri[len(f"{batch.base}source/"):]
            if terms.SLUG_RE.match(slug) and batch.tx.view.has(
                    batch.iri("source", slug), V.TYPE, V.SOURCE):
                return slug
        if work.url and work.url in self.sources_by_url:
            return self.sources_by_url[work.url]
        named = work.iri and "/source/" in work.iri
        wanted = (work.iri.rsplit("/source/", 1)[-1] if named
                  else work.name or re.sub(r"^[A-Za-z]+://(www\.)?", "", work.url or "source"))
        slug = self.free_slug("source", wanted, exact=bool(named))
        batch.sources.add(slug, title=work.name or work.url or slug, kind=kind, url=work.url,
                          published=_date(work.published), derived_from=derived_from)
        if work.url:
            self.sources_by_url[work.url] = slug
        return slug

    def appear(self, claim: str, r: Review) -> None:
        node = self.batch.iri("claim", claim)
        for work in r.appearances:
            self.batch.tx.add(node, V.APPEARANCE, self.batch.iri("source", self.source(work)))
        if r.first_appearance is not None and (r.first_appearance.url or r.first_appearance.name):
            first = self.batch.iri("source", self.source(r.first_appearance))
            self.batch.tx.add(node, V.FIRST_APPEARANCE, first)
            self.batch.tx.add(node, V.APPEARANCE, first)

    def verdict(self, claim: str, r: Review) -> None:
        """A claimledger verdict (``cl:verdictValue``): its rating (``cl:rating``, else the
        rating's label, else the rating claimledger's own scale has for its status)."""
        if r.verdict not in V.VERDICTS:
            raise InputError(f"cl:verdictValue {r.verdict!r} is not a status a verdict sets "
                             f"({', '.join(V.VERDICTS)})")
        from claimledger.records.scales import Scales

        scales = Scales(self.batch)  # type: ignore[arg-type]
        found = scales.rating(r.rating) if r.rating else None
        if found is None and r.rating_label:
            found = next((s.get(r.rating_label) for s in scales.list()
                          if s.get(r.rating_label) is not None), None)
        rating = f"<{found.iri}>" if found is not None else STATUS_RATINGS[r.verdict]
        node = self.batch.iri("claim", claim)
        current = verdict_in_force(self.batch, node)  # type: ignore[arg-type]
        if current is not None:
            same = self.batch.tx.view.value(current, V.RATING)
            if found is not None and same == NamedNode(found.iri) or (
                    found is None and V.Status.find(self.batch.tx.view.value(
                        current, V.VERDICT_VALUE)) == r.verdict):
                return  # already under that verdict
            raise InputError(f"claim {claim!r} has another verdict in force "
                             f"({self.batch.slug(current)}); claimledger does not supersede it "
                             "from a file — record it with claim verdict --supersede")
        self.batch.claims.verdict(claim, rating,
                                  reason=r.reason or f"verdict imported from {r.url or r.where}")

    def outlet_review(self, claim: str, r: Review) -> None:
        batch = self.batch
        if r.url and (claim, r.url) in self.reviewed:
            return  # this review of this claim is in the ledger already
        name = r.author_name or (re.sub(r"^https?://([^/]+).*$", r"\1", r.url) if r.url else None)
        if not name:
            raise InputError("no author: a review from another outlet needs its author "
                             "(the outlet's name or URL)")
        outlet = self.source(Work(url=r.author_url, name=name), kind="organization")
        cited = tuple(dict.fromkeys(self.source(c) for c in r.citations if c.url or c.name))
        title = r.headline or f"{name}: fact-check of “{r.text[:80]}”"
        review_source = self.source(Work(url=r.url, name=title, published=r.published),
                                    derived_from=cited or (outlet,))
        rating = normalise_review(batch, outlet=name, label=r.rating_label, value=r.rating_value,
                                  best=r.best, worst=r.worst)
        shown = r.rating_label or r.rating_value or ""
        node = batch.iri("claim", claim)
        n = 1 + len(batch.tx.view.subjects(V.ABOUT, node))
        record = NamedNode(f"{batch.base}review/{claim}-{n}")
        tx = batch.tx
        for p, o in ((V.TYPE, V.REVIEW), (V.TYPE, V.CLAIM_REVIEW), (V.ABOUT, node),
                     (V.AUTHOR, batch.iri("source", outlet)),
                     (V.REVIEW_SOURCE, batch.iri("source", review_source)),
                     (V.RATING_TEXT, Literal(shown)),
                     (V.NORMALISED_RATING, V.Normalised.iri(rating.normalised)),
                     (V.RATING_MAPPING, Literal(rating.row)),
                     (V.WAS_ATTRIBUTED_TO, tx.agent), (V.GENERATED_AT_TIME, tx.time)):
            tx.add(record, p, o)
        if rating.rating is not None:
            tx.add(record, V.RATING, NamedNode(rating.rating))
        if r.url:
            tx.add(record, V.URL, terms.check_iri(r.url, argument="url"))
            self.reviewed.add((claim, r.url))
        for p, value in ((V.RATING_VALUE, r.rating_value), (V.BEST_RATING, r.best),
                         (V.WORST_RATING, r.worst)):
            if value is not None:
                tx.add(record, p, Literal(value))
        published = _date(r.published)
        if published is not None:
            tx.add(record, V.DATE_PUBLISHED, terms.parse_date(published, argument="datePublished"))
        if rating.stance is not None:
            batch.evidence.add(claim, review_source, stance=rating.stance,
                               locator=f"reviewRating: {shown}")
            tx.add(record, V.REVIEW_EVIDENCE, tx.created)


def store_has_type(store, node, cls) -> bool:
    return any(True for _ in store.triples(node, V.TYPE, cls))


def _date(text: str | None) -> str | None:
    """A review's date as ``source add --published`` takes it: the date part of a date-time."""
    if not text:
        return None
    match = re.match(r"^\d{4}(-\d{2}(-\d{2})?)?", text.strip())
    return match.group(0) if match else text
