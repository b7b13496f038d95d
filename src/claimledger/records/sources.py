"""Sources: recording them, linking derivations, discrediting them, reading them back.

A source is where information comes from. Whole-source derivation (``prov:wasDerivedFrom``)
says that one source reprints, or was built on, another — "outlet B reprints wire story A",
"the NIE was built on the DIA reports". It is *not* for an article quoting someone: that
attribution belongs to the evidence of each statement (``evidence add --attributed-to``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from claimledger import resources
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.errors import ConflictError, InputError
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult
from claimledger.records.cases import tag_new
from claimledger.records.search import Page


@dataclass
class SourceRecord:
    """A source as recorded."""

    slug: str
    iri: str
    title: str
    kind: str | None
    reliability: str | None
    anonymous: bool
    url: str | None = None
    published: str | None = None
    justification: str | None = None
    known_to: str | None = None
    derived_from: list[str] = field(default_factory=list)
    discredited: str | None = None
    #: Who discredited the source, and when.
    discredited_by: str | None = None
    discredited_at: str | None = None
    recorded_by: str | None = None
    recorded_at: str | None = None


class Sources:
    """Recording and reading sources. Reached as ``ledger.sources``."""

    def __init__(self, ledger: LedgerCore) -> None:
        self.ledger = ledger

    def add(self, slug: str, *, title: str, kind: str = "document", url: str | None = None,
            published: str | None = None, anonymous: bool = False,
            justification: str | None = None, known_to: str | None = None,
            reliability: str = "F", derived_from: Sequence[str] = (),
            reason: str | None = None, cases: Sequence[str] = ()) -> WriteResult:
        """Record a new source.

        :param reliability: Admiralty grade A–F; F (cannot be judged) when not assessed.
        :param derived_from: slugs of sources this one reprints or was built on.
        :param cases: slugs of the cases to tag it into.
        :raises InputError: for a bad slug, kind, grade, URL or date, or an unknown upstream.
        :raises ConflictError: if the slug is taken.

        >>> ledger.sources.add("wire", title="Wire story", reliability="B")  # doctest: +SKIP
        """
        led = self.ledger
        node = led.iri("source", slug)
        terms.check_text(title, argument="--title")
        kind_iri = V.SourceKind.parse(kind, argument="--kind")
        grade = V.Reliability.parse(reliability, argument="--reliability")
        parents = [led.resolve("source", p, argument="--derived-from") for p in derived_from]
        if anonymous:
            if justification is not None:
                terms.check_text(justification, argument="--justification")
        elif justification or known_to:
            raise InputError("--justification and --known-to are for anonymous sources; "
                             "add --anonymous", argument="--anonymous")
        args = {"slug": slug, "title": title, "kind": kind, "url": url, "published": published,
                "anonymous": anonymous, "justification": justification, "known_to": known_to,
                "reliability": reliability, "derived_from": list(derived_from),
                "cases": list(cases)}
        with led.transaction("source add", _given(args), reason=reason) as tx:
            if tx.view.exists(node):
                raise ConflictError(f"source {slug!r} already exists", argument="SLUG")
            tx.add(node, V.TYPE, V.SOURCE)
            tx.add(node, V.NAME, Literal(title))
            tx.add(node, V.KIND, kind_iri)
            tx.add(node, V.RELIABILITY, grade)
            tx.add(node, V.ANONYMOUS, Literal(bool(anonymous)))
            if url is not None:
                tx.add(node, V.URL, terms.check_iri(url, argument="--url"))
            if published is not None:
                tx.add(node, V.DATE_PUBLISHED, terms.parse_date(published, argument="--published"))
            if anonymous and justification:
                tx.add(node, V.ANONYMITY_JUSTIFICATION, Literal(justification))
            if anonymous and known_to:
                agent = led.agent_iri(known_to, argument="--known-to")
                tx.add(node, V.IDENTITY_KNOWN_TO, agent)
                if not tx.view.has(agent, V.TYPE, V.PROV_AGENT):
                    tx.add(agent, V.TYPE, V.PROV_AGENT)
                    tx.add(agent, V.LABEL, Literal(led.slug(agent)))
            for parent in parents:
                tx.add(node, V.WAS_DERIVED_FROM, parent)
            tag_new(tx, led, node, cases)
            tx.add(node, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(node, V.GENERATED_AT_TIME, tx.time)
            tx.created = node
        return tx.result

    def link(self, slug: str, *, derived_from: Sequence[str], reason: str | None = None
             ) -> WriteResult:
        """Record that source ``slug`` derives from ``derived_from`` (learned later).

        Every claim whose support passes through ``slug`` is re-derived in the same write:
        two outlets found to reprint one wire story drop a claim from corroborated to
        single-source.

        :raises ConflictError: if the link would close a derivation cycle.
        """
        led = self.ledger
        if not derived_from:
            raise InputError("name at least one upstream source", argument="--derived-from")
        node = led.resolve("source", slug, argument="SOURCE")
        parents = [led.resolve("source", p, argument="--derived-from") for p in derived_from]
        with led.transaction("source link", {"slug": slug, "derived_from": list(derived_from)},
                             reason=reason) as tx:
            for parent in parents:
                if parent == node or _derives(led, parent, node):
                    raise ConflictError(
                        f"derivation cycle: {led.slug(parent)} already derives from {slug}",
                        argument="--derived-from")
                tx.add(node, V.WAS_DERIVED_FROM, parent)
            tx.claims |= led.claims_reaching(node)
        return tx.result

    def update(self, slug: str, *, reason: str, title: str | None = None,
               kind: str | None = None, url: str | None = None, published: str | None = None,
               reliability: str | None = None) -> WriteResult:
        """Correct or re-grade a source; the audit trail keeps the old values.

        Re-grading re-derives every claim the source reaches: a contradiction from a source
        raised to B makes its claim contested, a claim whose only A–C origin is lowered can no
        longer be held with high confidence (its confidence is lowered and reported).
        """
        led = self.ledger
        node = led.resolve("source", slug, argument="SOURCE")
        terms.check_text(reason, argument="--reason")
        values = {}
        if title is not None:
            values[V.NAME] = Literal(terms.check_text(title, argument="--title"))
        if kind is not None:
            values[V.KIND] = V.SourceKind.parse(kind, argument="--kind")
        if url is not None:
            values[V.URL] = terms.check_iri(url, argument="--url")
        if published is not None:
            values[V.DATE_PUBLISHED] = terms.parse_date(published, argument="--published")
        if reliability is not None:
            values[V.RELIABILITY] = V.Reliability.parse(reliability, argument="--reliability")
        if not values:
            raise InputError("nothing to change: give --title, --kind, --url, --published or "
                             "--reliability", argument="SOURCE")
        args = {"slug": slug, "title": title, "kind": kind, "url": url, "published": published,
                "reliability": reliability}
        with led.transaction("source update", _given(args), reason=reason) as tx:
            for predicate, term in values.items():
                tx.set(node, predicate, term)
            if not tx.changes:
                raise InputError(f"source {slug!r} already has those values: nothing to change",
                                 argument="SOURCE")
            tx.claims |= led.claims_reaching(node)
        return tx.result

    def discredit(self, slug: str, *, reason: str) -> WriteResult:
        """Record that a source is discredited, and re-derive every claim it reaches.

        Evidence found in it, attributed to it, or found in / attributed to a source derived
        from it no longer counts.
        """
        led = self.ledger
        node = led.resolve("source", slug, argument="SOURCE")
        terms.check_text(reason, argument="--reason")
        with led.transaction("source discredit", {"slug": slug}, reason=reason) as tx:
            if tx.view.value(node, V.DISCREDITED) is not None:
                raise ConflictError(f"source {slug!r} is already discredited", argument="SOURCE")
            record = NamedNode(f"{led.base}discrediting/{slug}")
            tx.add(record, V.TYPE, V.DISCREDITING)
            tx.add(record, V.ABOUT, node)
            tx.add(record, V.REASON, Literal(reason))
            tx.add(record, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(record, V.GENERATED_AT_TIME, tx.time)
            tx.add(node, V.DISCREDITED, record)
            tx.claims |= led.claims_reaching(node)
        return tx.result

    # -- reading -------------------------------------------------------------------------
    def get(self, slug: str) -> SourceRecord:
        """The source named ``slug``.

        :raises NotFoundError: if there is none.
        """
        led = self.ledger
        node = led.resolve("source", slug, argument="SOURCE")
        rows = list(led.store.query(resources.query("source-list"), {"source": node}))
        return self._record(rows[0])

    def list(self, **filters) -> list[SourceRecord]:
        """Sources by slug, optionally filtered and paged (see :meth:`page`)."""
        return self.page(**filters).items

    def page(self, *, kind: str | None = None, reliability: str | None = None,
             anonymous: bool | None = None, case: str | None = None, limit: int | None = None,
             offset: int = 0) -> Page:
        """The sources of one ``kind``, ``reliability`` grade, anonymity (True: anonymous only,
        False: named only) and ``case``, by slug, from ``offset``, at most ``limit``.

        :raises InputError: for a bad kind, grade, limit or offset.
        :raises NotFoundError: for an unknown case.
        """
        led = self.ledger
        wanted_kind = V.SourceKind.parse(kind, argument="--kind").value if kind else None
        wanted_grade = (V.Reliability.parse(reliability, argument="--reliability").value
                        if reliability else None)
        members = None
        if case is not None:
            node = led.resolve("case", case, argument="--case")
            members = {t.subject.value for t in led.store.triples(None, V.IN_CASE, node)}
        if limit is not None and limit < 0 or offset < 0:
            raise InputError("give 0 or more", argument="--limit" if offset >= 0 else "--offset")
        kept: list[SourceRecord] = []
        more = False
        skipped = 0
        rows = sorted(led.store.query(resources.query("source-list")),
                      key=lambda r: r["source"].value)
        last = None
        for row in rows:
            if row["source"] == last:
                continue  # a second value of a property read once (two URLs, two titles)
            last = row["source"]
            if wanted_kind and (row["kind"] is None or row["kind"].value != wanted_kind):
                continue
            if wanted_grade and (row["reliability"] is None
                                 or row["reliability"].value != wanted_grade):
                continue
            if anonymous is not None and (row["anonymous"] is not None
                                          and row["anonymous"].value == "true") != anonymous:
                continue
            if members is not None and row["source"].value not in members:
                continue
            if skipped < offset:
                skipped += 1
                continue
            if limit is not None and len(kept) == limit:
                more = True
                break
            kept.append(self._record(row))
        return Page(kept, offset, limit, more)

    def _record(self, row) -> SourceRecord:
        led = self.ledger

        def opt(name: str) -> str | None:
            term = row[name]
            return term.value if term is not None else None

        def token(scheme, name):
            return scheme.label(row[name])
        derived = opt("derived")
        known = row["known"]
        return SourceRecord(
            slug=led.slug(row["source"]),
            iri=row["source"].value,
            title=opt("title") or "",
            kind=token(V.SourceKind, "kind"),
            reliability=token(V.Reliability, "reliability"),
            anonymous=opt("anonymous") == "true",
            url=opt("url"),
            published=opt("published"),
            justification=opt("justification"),
            known_to=led.compact(known) if known is not None else None,
            derived_from=sorted(led.slug(NamedNode(d)) for d in derived.split(" ")) if derived else [],
            discredited=opt("discredited"),
            discredited_by=(led.compact(row["discredited_by"])
                            if row["discredited_by"] is not None else None),
            discredited_at=opt("discredited_at"),
            recorded_by=led.compact(row["by"]) if row["by"] is not None else None,
            recorded_at=opt("at"),
        )


def _derives(ledger: LedgerCore, node: NamedNode, ancestor: NamedNode) -> bool:
    """True if ``node`` derives from ``ancestor``, directly or through other sources."""
    rows = ledger.store.query(
        "SELECT ?n ?a WHERE { ?n <%s>+ ?a }" % V.WAS_DERIVED_FROM.value,
        {"n": node, "a": ancestor})
    return any(True for _ in rows)


def _given(args: dict) -> dict:
    return {k: v for k, v in args.items() if v not in (None, [], False)}
