"""Cases: the investigations a desk works in, and the claims and sources tagged into them.

A case is a ``cl:Case`` with a title (``<base>case/<slug>``); a claim or a source is in a case
when it has ``cl:inCase`` pointing at it, and may be in several. Every list and report takes
``--case`` to keep what is tagged into one (:mod:`claimledger.records.search`,
:func:`claimledger.query.reports.in_case`); ``case show`` summarises its claims' statuses.
Untagging is a write like any other: the audit trail keeps that it was tagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import Transaction, WriteResult
from claimledger.errors import ConflictError, InputError
from claimledger.model import terms
from claimledger.model import vocab as V


@dataclass
class CaseRecord:
    """A case with what is tagged into it."""

    slug: str
    iri: str
    title: str
    description: str | None = None
    claims: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    #: How many of its claims have each status (every status, zeros included).
    statuses: dict[str, int] = field(default_factory=dict)
    recorded_by: str | None = None
    recorded_at: str | None = None


class Cases:
    """A ledger's cases. Reached as ``ledger.cases``."""

    def __init__(self, ledger: LedgerCore) -> None:
        self.ledger = ledger

    def add(self, slug: str, *, title: str, description: str | None = None,
            reason: str | None = None) -> WriteResult:
        """Open a case.

        :raises InputError: for a bad slug, title or description.
        :raises ConflictError: if the slug is taken.
        """
        led = self.ledger
        node = led.iri("case", slug)
        terms.check_text(title, argument="--title")
        if description is not None:
            terms.check_text(description, argument="--description")
        args = {"slug": slug, "title": title, "description": description}
        with led.transaction("case add", {k: v for k, v in args.items() if v is not None},
                             reason=reason) as tx:
            if tx.view.exists(node):
                raise ConflictError(f"case {slug!r} already exists", argument="SLUG")
            tx.add(node, V.TYPE, V.CASE)
            tx.add(node, V.NAME, Literal(title))
            if description is not None:
                tx.add(node, V.DESCRIPTION, Literal(description))
            tx.add(node, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(node, V.GENERATED_AT_TIME, tx.time)
            tx.created = node
        return tx.result

    def tag(self, case: str, *, claims: Sequence[str] = (), sources: Sequence[str] = (),
            reason: str | None = None) -> WriteResult:
        """Tag claims and sources into ``case``.

        :raises InputError: if nothing is named, or everything named is already in the case.
        :raises NotFoundError: for an unknown case, claim or source.
        """
        return self._retag("case tag", case, claims, sources, reason, add=True)

    def untag(self, case: str, *, claims: Sequence[str] = (), sources: Sequence[str] = (),
              reason: str | None = None) -> WriteResult:
        """Take claims and sources out of ``case`` (the audit trail keeps that they were in)."""
        return self._retag("case untag", case, claims, sources, reason, add=False)

    def _retag(self, command: str, case: str, claims: Sequence[str], sources: Sequence[str],
               reason: str | None, *, add: bool) -> WriteResult:
        led = self.ledger
        node = led.resolve("case", case, argument="CASE")
        if not claims and not sources:
            raise InputError("name at least one --claim or --source", argument="CASE")
        members = ([led.resolve("claim", c, argument="--claim") for c in claims]
                   + [led.resolve("source", s, argument="--source") for s in sources])
        with led.transaction(command, {"case": case, "claims": list(claims),
                                       "sources": list(sources)}, reason=reason) as tx:
            for member in members:
                if add:
                    tx.add(member, V.IN_CASE, node)
                else:
                    tx.remove(member, V.IN_CASE, node)
            if not tx.changes:
                word = "already in" if add else "not in"
                raise InputError(f"everything named is {word} case {case!r}", argument="CASE")
        return tx.result

    def get(self, slug: str) -> CaseRecord:
        """The case ``slug`` with its claims, sources and its claims' status summary.

        :raises NotFoundError: if there is none.
        """
        led = self.ledger
        node = led.resolve("case", slug, argument="CASE")
        record = self._record(node)
        statuses = dict.fromkeys(V.Status.tokens, 0)
        for t in led.store.triples(None, V.IN_CASE, node):
            member = t.subject
            if _has(led, member, V.TYPE, V.CLAIM):
                record.claims.append(led.slug(member))
                status = V.Status.find(_value(led, member, V.STATUS))
                if status is not None:
                    statuses[status] += 1
            elif _has(led, member, V.TYPE, V.SOURCE):
                record.sources.append(led.slug(member))
        record.claims.sort()
        record.sources.sort()
        record.statuses = statuses
        return record

    def list(self) -> list[CaseRecord]:
        """Every case, by slug, with its claims and sources (no status summary)."""
        led = self.ledger
        out = []
        for t in led.store.triples(None, V.TYPE, V.CASE):
            if isinstance(t.subject, NamedNode):
                record = self._record(t.subject)
                for m in led.store.triples(None, V.IN_CASE, t.subject):
                    kind = record.claims if _has(led, m.subject, V.TYPE, V.CLAIM) else record.sources
                    kind.append(led.slug(m.subject))
                out.append(record)
        return sorted(out, key=lambda r: r.slug)

    def _record(self, node: NamedNode) -> CaseRecord:
        led = self.ledger
        by = _value(led, node, V.WAS_ATTRIBUTED_TO)
        at = _value(led, node, V.GENERATED_AT_TIME)
        title = _value(led, node, V.NAME)
        description = _value(led, node, V.DESCRIPTION)
        return CaseRecord(led.slug(node), node.value, title.value if title is not None else "",
                          description.value if description is not None else None,
                          recorded_by=led.compact(by) if by is not None else None,
                          recorded_at=at.value if at is not None else None)


def tag_new(tx: Transaction, ledger: LedgerCore, node: NamedNode, cases: Sequence[str]) -> None:
    """Tag a thing being recorded in ``tx`` into ``cases`` (``claim add --case``)."""
    for case in cases:
        tx.add(node, V.IN_CASE, ledger.resolve("case", case, argument="--case"))


def _has(ledger: LedgerCore, s, p, o) -> bool:
    return any(True for _ in ledger.store.triples(s, p, o))


def _value(ledger: LedgerCore, s, p):
    found = next(ledger.store.triples(s, p, None), None)
    return found.object if found is not None else None
