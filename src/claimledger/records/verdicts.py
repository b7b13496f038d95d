"""Verdicts: a desk's published judgement of a claim, on a verdict scale, withdrawn or
superseded but never deleted.

A verdict gives a rating (a concept of a verdict scale, see :mod:`claimledger.records.scales`),
records the status that rating sets (``cl:verdictValue``), its reason and the evidence that
settles it (``cito:citesAsEvidence``). The verdict in force — the latest one not withdrawn —
wins over the status derived from evidence, and caps the claim's confidence (confidence is
in the claim: rated false or retracted, it is low; rated a mixture or inconclusive, moderate
at most; see :mod:`claimledger.rules.confidence`).

A claim has at most one verdict in force: recording another is refused unless it says it
supersedes the one in force (``npx:supersedes``); a mistaken verdict is withdrawn with a reason
(a ``cl:Retraction`` about it), which puts the one before it, if any, back in force.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from claimledger import resources
from claimledger.core.facts import gather_facts
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult
from claimledger.core.view import StateView
from claimledger.errors import ConflictError, InputError
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.rules import corroboration
from claimledger.store.base import ChangeSet


@dataclass
class VerdictSummary:
    """A verdict as shown with its claim."""

    #: The status the verdict sets (confirmed, refuted, mixed, inconclusive, retracted).
    verdict: str
    reason: str
    by: str
    at: str
    id: str = ""
    #: The rating's label and its scale (None for verdicts recorded before scales).
    rating: str | None = None
    scale: str | None = None
    normalised: str | None = None
    #: The evidence it cites as settling it.
    evidence: list[str] = field(default_factory=list)
    #: The verdict it superseded.
    supersedes: str | None = None
    #: Why it was withdrawn, by whom and when (None while it stands).
    withdrawn: str | None = None
    withdrawn_by: str | None = None
    withdrawn_at: str | None = None
    #: Whether it is the verdict in force.
    in_force: bool = False


class Verdicts:
    """Recording, withdrawing and reading verdicts. Reached as ``ledger.verdicts``."""

    def __init__(self, ledger: LedgerCore) -> None:
        self.ledger = ledger

    def record(self, slug: str, rating: str, *, reason: str, scale: str | None = None,
               evidence: Sequence[str] = (), supersede: bool = False) -> WriteResult:
        """Record a verdict on claim ``slug``: ``rating`` on ``scale`` (see
        :meth:`claimledger.records.scales.Scales.resolve`), with its reason and the evidence
        that settles it.

        :param supersede: the claim has a verdict in force and this one replaces it.
        :raises InputError: for an unknown rating, evidence of another claim or evidence that
            does not count, or ``supersede`` with no verdict in force.
        :raises ConflictError: if the claim has a verdict in force and ``supersede`` is not set.
        :raises NotFoundError: for an unknown claim, scale or evidence.
        """
        from claimledger.records.scales import Scales

        led = self.ledger
        node = led.resolve("claim", slug, argument="CLAIM")
        terms.check_text(reason, argument="--reason")
        found = Scales(led).resolve(rating, scale=scale, argument="RATING")
        cited = [led.resolve("evidence", e, argument="--evidence") for e in evidence]
        args = {"slug": slug, "verdict": rating, "scale": scale, "evidence": list(evidence),
                "supersede": supersede}
        with led.transaction("claim verdict", {k: v for k, v in args.items()
                                               if v not in (None, [], False)},
                             reason=reason) as tx:
            current = _in_force(tx.view, node)
            if current is not None and not supersede:
                raise ConflictError(
                    f"claim {slug!r} already has a verdict in force ({led.slug(current.iri)}: "
                    f"{current.status}); give --supersede to replace it, or withdraw it with "
                    "claimledger claim withdraw-verdict", argument="CLAIM")
            if current is None and supersede:
                raise InputError(f"claim {slug!r} has no verdict in force to supersede",
                                 argument="--supersede")
            facts = gather_facts(tx.view, node)
            derived = corroboration.derive(facts.evidence, facts.sources)
            for ev, name in zip(cited, evidence):
                if tx.view.value(ev, V.CLAIM_LINK) != node:
                    raise InputError(f"evidence {name!r} is not about claim {slug!r}",
                                     argument="--evidence")
                if not derived.counts.get(ev, False):
                    raise InputError(f"evidence {name!r} does not count (retracted, or from a "
                                     "discredited source): a verdict cannot rest on it",
                                     argument="--evidence")
            record = mint_verdict(led, tx.view, slug, node)
            tx.add(record, V.TYPE, V.VERDICT)
            tx.add(record, V.ABOUT, node)
            tx.add(record, V.RATING, NamedNode(found.iri))
            tx.add(record, V.VERDICT_VALUE, V.Status.iri(found.status))
            tx.add(record, V.REASON, Literal(reason))
            for ev in cited:
                tx.add(record, V.CITES_AS_EVIDENCE, ev)
            if current is not None:
                tx.add(record, V.SUPERSEDES, current.iri)
            tx.add(record, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(record, V.GENERATED_AT_TIME, tx.time)
            tx.add(node, V.VERDICT_LINK, record)
            tx.claims.add(node)
            tx.created = record
        return tx.result

    def withdraw(self, slug: str, *, reason: str) -> WriteResult:
        """Withdraw the verdict in force on claim ``slug``, with a reason; it stays recorded.

        The verdict it superseded, if any, is in force again; otherwise the claim's status is
        derived from its evidence again.

        :raises ConflictError: if the claim has no verdict in force.
        """
        led = self.ledger
        node = led.resolve("claim", slug, argument="CLAIM")
        terms.check_text(reason, argument="--reason")
        with led.transaction("claim withdraw-verdict", {"slug": slug}, reason=reason) as tx:
            current = _in_force(tx.view, node)
            if current is None:
                raise ConflictError(f"claim {slug!r} has no verdict in force", argument="CLAIM")
            verdict = current.iri
            record = NamedNode(f"{led.base}retraction/verdict/{led.slug(verdict)}")
            tx.add(record, V.TYPE, V.RETRACTION)
            tx.add(record, V.ABOUT, verdict)
            tx.add(record, V.REASON, Literal(reason))
            tx.add(record, V.WAS_ATTRIBUTED_TO, tx.agent)
            tx.add(record, V.GENERATED_AT_TIME, tx.time)
            tx.add(verdict, V.RETRACTION_LINK, record)
            tx.claims.add(node)
            tx.created = record
        return tx.result

    def of(self, claim: NamedNode) -> list[VerdictSummary]:
        """Every verdict recorded on ``claim``, oldest first."""
        from claimledger.records.scales import Scales

        led = self.ledger
        scales = Scales(led)
        current = _in_force(StateView(led.store, ChangeSet()), claim)
        out = []
        for row in led.store.query(resources.query("claim-verdicts"), {"claim": claim}):
            rating = scales.rating(row["rating"]) if row["rating"] is not None else None
            cites = row["cites"].value.split(" ") if row["cites"] is not None else []
            out.append(VerdictSummary(
                verdict=V.Status.label(row["value"]) or "", reason=row["reason"].value,
                by=led.compact(row["by"]), at=row["at"].value, id=led.slug(row["verdict"]),
                rating=(rating.label if rating is not None else
                        led.compact(row["rating"]) if row["rating"] is not None else None),
                scale=rating.scale if rating is not None else None,
                normalised=rating.normalised if rating is not None else None,
                evidence=sorted(led.slug(NamedNode(c)) for c in cites if c),
                supersedes=(led.slug(row["supersedes"]) if row["supersedes"] is not None
                            else None),
                withdrawn=_text(row["withdrawn"]),
                withdrawn_by=(led.compact(row["withdrawn_by"]) if row["withdrawn_by"] is not None
                              else None),
                withdrawn_at=_text(row["withdrawn_at"]),
                in_force=current is not None and current.iri == row["verdict"],
            ))
        return out


def _text(term) -> str | None:
    return term.value if term is not None else None


def _in_force(view: StateView, claim: NamedNode) -> corroboration.VerdictFacts | None:
    verdicts = []
    for verdict in view.objects(claim, V.VERDICT_LINK):
        token = V.Status.find(view.value(verdict, V.VERDICT_VALUE))
        when = view.value(verdict, V.GENERATED_AT_TIME)
        if token is not None:
            verdicts.append(corroboration.VerdictFacts(
                verdict, token, when.value if when is not None else "",
                withdrawn=view.value(verdict, V.RETRACTION_LINK) is not None))
    return corroboration.verdict_in_force(verdicts)


def mint_verdict(ledger: LedgerCore, view: StateView, slug: str, claim: NamedNode) -> NamedNode:
    """A new verdict IRI for claim ``slug`` (``verdict/<slug>-<n>``)."""
    n = 1 + len(view.objects(claim, V.VERDICT_LINK))
    node = NamedNode(f"{ledger.base}verdict/{slug}-{n}")
    while view.exists(node):
        n += 1
        node = NamedNode(f"{ledger.base}verdict/{slug}-{n}")
    return node

