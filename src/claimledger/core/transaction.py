"""The write path: one :class:`Transaction` per command, committed all or nothing.

The recording code (claims, sources, evidence, policies) puts triples into a transaction's
change set and names the claims whose corroboration may change. :meth:`Transaction.commit`
then, in this order:

1. re-derives corroboration for those claims and updates the derived triples, lowering a
   confidence the sourcing no longer allows (:mod:`claimledger.rules.confidence`);
2. validates the touched nodes with the sourcing rules and the ledger's policies — a
   Violation refuses the write (:class:`RuleViolation`, exit 1) and nothing is written;
3. describes the change as the next event of the audit trail, chained by its hash;
4. applies the change set and the event as one atomic update.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, Triple

from claimledger import audit
from claimledger.core.facts import ClaimFacts, closure_triples, gather_facts, ledger_owner
from claimledger.core.view import StateView
from claimledger.errors import InputError, LedgerError, RuleViolation
from claimledger.model import terms
from claimledger.model import vocab as V
from claimledger.rules import confidence, corroboration, materialised, support
from claimledger.store.base import ChangeSet, Term
from claimledger.store.memory import MemoryStore
from claimledger.validation.results import ValidationReport

if TYPE_CHECKING:
    from claimledger.core.ledger import LedgerCore
    from claimledger.validation import ShapeSet


@dataclass
class StatusChange:
    """A claim whose corroboration status (or, as a consequence, confidence) changed."""

    claim: NamedNode
    before: str | None
    after: str
    origins_before: int | None
    origins_after: int
    #: Set when the write lowered the claim's confidence to what its sourcing now allows.
    confidence_before: str | None = None
    confidence_after: str | None = None


@dataclass
class WriteResult:
    """What a committed write did."""

    event: NamedNode
    sequence: int
    hash: str
    created: NamedNode | None
    status_changes: list[StatusChange]
    report: ValidationReport
    added: int
    removed: int
    #: For a bulk import: the number of claims per status after the import.
    summary: dict[str, int] | None = None
    #: Warnings (focus, rule, message) the ledger already had before this write.
    repeated: frozenset = frozenset()
    #: What the write left out and why, one line each (an import's derived facts, say).
    notes: list[str] = field(default_factory=list)
    #: For a bulk import: wall seconds per phase, in order (the benchmark's import profile).
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def warnings(self):
        return [r for r in self.report.results if r.severity != "Violation"]

    @property
    def new_warnings(self):
        """The warnings this write brought: not those the touched nodes already had."""
        return [r for r in self.warnings if (r.focus, r.rule, r.message) not in self.repeated]

    @classmethod
    def nothing_written(cls, ledger: LedgerCore, notes: list[str] | None = None) -> WriteResult:
        """The result of a write that adds nothing the ledger does not already hold (an import
        of what it has): no event (``event`` is None), the chain head as it stands."""
        head = audit.head(ledger.store, ledger.base)
        return cls(event=None, sequence=head.sequence, hash=head.hash, created=None,
                   status_changes=[], report=ValidationReport(), added=0, removed=0,
                   notes=list(notes or ()))


class Transaction:
    """One write in progress: a change set over the ledger, seen through :attr:`view`.

    Made by :meth:`claimledger.core.ledger.LedgerCore.transaction`, which commits it.
    """

    def __init__(self, ledger: LedgerCore, command: str, arguments: dict[str, Any],
                 reason: str | None) -> None:
        self.ledger = ledger
        self.command = command
        self.arguments = arguments
        self.reason = reason
        self.changes = ChangeSet()
        #: The audit chain's head when the write began: it is applied only if that is still
        #: the head (another writer in between gets :class:`~claimledger.errors.LedgerChanged`).
        self.previous = audit.head(ledger.store, ledger.base)
        self.view = StateView(ledger.store, self.changes)
        self.time = terms.now_literal()
        self.agent = ledger.agent_iri(ledger.agent_name or "")
        #: Claims whose corroboration must be re-derived.
        self.claims: set[NamedNode] = set()
        #: Claims whose confidence the user sets in this write (never lowered automatically).
        self.confidence_set: set[NamedNode] = set()
        #: Extra nodes to validate even if none of their triples change.
        self.extra_focus: set[NamedNode] = set()
        self.created: NamedNode | None = None
        self.invalidates_shapes = False
        #: The key that signs this write instead of the agent's own (claimledger key's writes).
        self.signer = None
        #: Set by claimledger key's writes, the only ones that may change key records.
        self.key_write = False
        self.result: WriteResult | None = None

    # -- building the change set ---------------------------------------------------------
    def add(self, s: NamedNode, p: NamedNode, o: Term) -> None:
        o = terms.canonical(o)
        if not self.view.has(s, p, o):
            self.changes.add(s, p, o)

    def remove(self, s: NamedNode, p: NamedNode, o: Term) -> None:
        if self.view.has(s, p, o):
            self.changes.remove(Triple(s, p, o))

    def set(self, s: NamedNode, p: NamedNode, o: Term | None) -> None:
        """Make ``o`` the only value of ``p`` on ``s`` (no value when ``o`` is None)."""
        self.set_all(s, p, [] if o is None else [o])

    def set_all(self, s: NamedNode, p: NamedNode, values: Iterable[Term]) -> None:
        """Make ``values`` exactly the values of ``p`` on ``s``."""
        wanted = {terms.canonical(v) for v in values}
        for current in self.view.objects(s, p):
            if current not in wanted:
                self.changes.remove(Triple(s, p, current))
        for value in wanted:
            self.add(s, p, value)

    def ensure_agent(self, agent: NamedNode) -> None:
        """Record ``agent`` as a ``prov:Agent`` if the ledger does not know it yet."""
        if not self.view.has(agent, V.TYPE, V.PROV_AGENT):
            self.add(agent, V.TYPE, V.PROV_AGENT)
            self.add(agent, V.LABEL, Literal(self.ledger.slug(agent)))

    # -- what the write touches ----------------------------------------------------------
    def affected_nodes(self) -> set[NamedNode]:
        """Claims and sources whose recorded state this write changes (for the audit log)."""
        owners: set[NamedNode] = set()
        for t in self.changes.added | self.changes.removed:
            owners.update(ledger_owner(self.view, t.subject))
        return {n for n in owners if isinstance(n, NamedNode)}

    def focus_nodes(self) -> set[NamedNode]:
        """The nodes the rules check: those whose recorded triples the write changes, the
        claims it re-derives and :attr:`extra_focus` — not a node whose only change is to
        facts kept for the reports (those are recounted by ``verify``, not ruled on)."""
        nodes = {t.subject for t in self.changes.added | self.changes.removed
                 if t.predicate not in materialised.PROPERTIES}
        nodes |= self.claims | self.extra_focus
        return {n for n in nodes if isinstance(n, NamedNode) and self.view.exists(n)}

    # -- committing ----------------------------------------------------------------------
    def commit(self) -> WriteResult:
        """Re-derive, validate, audit and apply (see the module doc).

        :raises RuleViolation: if the write breaks a sourcing rule; nothing is written.
        """
        ledger = self.ledger
        touched = {t.subject for t in self.changes.added | self.changes.removed}
        self.view.prefetch(self.claims, touched | self.extra_focus | {self.agent})
        self.ensure_agent(self.agent)
        status_changes = self._rederive()
        report = self._check()
        if not report.conforms:
            raise RuleViolation(report)
        repeated = self._already_warned(report)
        if ledger.materialised:
            self._tally()
        previous = self.previous
        digest, event = ledger._audit(self, previous)
        ledger.store.apply(self.changes)
        if self.invalidates_shapes:
            ledger.reload_shapes()
        return WriteResult(event=event, sequence=previous.sequence + 1, hash=digest,
                           created=self.created, status_changes=status_changes, report=report,
                           added=len(self.changes.added), removed=len(self.changes.removed),
                           repeated=repeated)

    def _rederive(self) -> list[StatusChange]:
        view = self.view
        changes: list[StatusChange] = []
        for claim in sorted(self.claims, key=lambda n: n.value):
            if not view.has(claim, V.TYPE, V.CLAIM):
                continue
            facts = gather_facts(view, claim)
            result = corroboration.derive(facts.evidence, facts.sources, facts.verdict)
            before = V.Status.find(view.value(claim, V.STATUS))
            before_n = view.value(claim, V.INDEPENDENT_ORIGINS)
            self.set(claim, V.STATUS, V.Status.iri(result.status))
            self.set(claim, V.INDEPENDENT_ORIGINS, Literal(result.independent_origins))
            self.set_all(claim, V.SUPPORT_ORIGIN, result.support_origins)
            for ev in facts.evidence:
                self.set_all(ev.iri, V.ORIGIN, result.origins[ev.iri])
                self.set(ev.iri, V.COUNTS, Literal(result.counts[ev.iri]))
            if self.ledger.materialised:
                self._keep(claim, facts, result)
            before_count = int(before_n.value) if isinstance(before_n, Literal) else None
            change = StatusChange(claim, before, result.status, before_count,
                                  result.independent_origins)
            if claim not in self.confidence_set:
                self._cap_confidence(claim, facts, result, change)
            if (before != result.status or before_count != result.independent_origins
                    or change.confidence_after is not None):
                changes.append(change)
        return changes

    def _keep(self, claim: NamedNode, facts: ClaimFacts,
              result: corroboration.Derivation) -> None:
        """Keep what the reports read of the claim: its newest evidence, what carried its
        support and its support per origin (:func:`claimledger.rules.materialised.claim_values`);
        a support node it no longer has is emptied."""
        view = self.view
        values = materialised.claim_values(
            self.ledger.base, claim, facts.evidence, result,
            lambda ev: materialised.evidence_dates(list(view.objects(ev.source, V.DATE_PUBLISHED)),
                                                   list(view.objects(ev.iri, V.GENERATED_AT_TIME))),
            corroboration.Lineage(facts.sources))
        for node in view.objects(claim, V.ORIGIN_SUPPORT):
            if node not in values:
                for p in support.SUPPORT_PROPERTIES:
                    self.set_all(node, p, [])
        for node, node_values in values.items():
            for p, objects in node_values.items():
                self.set_all(node, p, objects)

    def _cap_confidence(self, claim: NamedNode, facts: ClaimFacts,
                        result: corroboration.Derivation, change: StatusChange) -> None:
        """Lower a claim's confidence to what its sourcing and verdict now allow (rules 2, 8,
        9 and 14).

        Applies only to claims a write affects as a consequence — a derivation learned, a
        source discredited, evidence retracted or contradicted, a verdict recorded. A
        confidence the user sets in the same write is checked by the rules instead, and
        refused if too high.
        """
        current = V.Confidence.find(self.view.value(claim, V.CONFIDENCE))
        origins = [facts.sources[o] for o in result.support_origins if o in facts.sources]
        lowered = confidence.cap(current, confidence.allowed(result.status, origins,
                                                             result.independent_origins))
        if lowered is not None:
            self.set(claim, V.CONFIDENCE, V.Confidence.iri(lowered))
            change.confidence_before, change.confidence_after = current, lowered

    def _tally(self) -> None:
        """Move the per status and confidence tallies by what this write changes (see
        :mod:`claimledger.rules.materialised`)."""
        delta = materialised.tally_delta(self.view, self.changes.added, self.changes.removed)
        base = self.ledger.base
        for (status, level), d in sorted(delta.items(), key=str):
            node = materialised.tally_node(base, status, level)
            if node is None:
                continue
            current = self.view.value(node, V.TALLY_CLAIMS)
            n = (int(current.value) if isinstance(current, Literal) else 0) + d
            for p, values in materialised.tally_triples(base, status, level, n).items():
                self.set_all(node, p, values)

    def _shapes_after(self):
        """The rules as they will be once this write (which changes the policies) is made:
        a policy it adds is enforced on it, and one it removes — even one that no longer
        loads — is not."""
        view = self.view
        texts = []
        for node in view.subjects(V.TYPE, V.POLICY):
            text = view.value(node, V.SHAPES)
            if text is not None:
                texts.append((self.ledger.slug(node), text.value))
        return shapes_of(sorted(texts))

    def _already_warned(self, report: ValidationReport) -> frozenset:
        """The warnings of ``report`` the same nodes had before this write (checked on the
        ledger as it stands), so that a write does not repeat what earlier writes said. Only
        the rules that warned now are checked again: no other rule's result can be one."""
        warnings = [r for r in report.results if r.severity != "Violation"]
        if not warnings:
            return frozenset()
        warned = {r.focus for r in warnings}
        before = StateView(self.ledger.store, ChangeSet())
        focus = {n for n in self.focus_nodes() if n.value in warned and before.exists(n)}
        if not focus:
            return frozenset()
        earlier = self._check(view=before, focus=focus, rules={r.rule for r in warnings})
        return frozenset((r.focus, r.rule, r.message) for r in earlier.results
                         if r.severity != "Violation")

    def _check(self, *, view: StateView | None = None, focus: set[NamedNode] | None = None,
               rules: set[str] | None = None) -> ValidationReport:
        view = view or self.view
        focus = self.focus_nodes() if focus is None else focus
        if not focus:
            return ValidationReport()
        closure = MemoryStore(closure_triples(view, focus))
        if self.invalidates_shapes:
            shapes = self._shapes_after()
            return shapes.plan.validate(closure, focus, full=lambda: shapes, rules=rules)
        # the cached plan: the shapes are read (and rdflib loaded) only for what it leaves
        return self.ledger.plan.validate(closure, focus, full=lambda: self.ledger.shapes,
                                         rules=rules)


def shapes_of(policies: list[tuple[str, str]]) -> ShapeSet:
    """The built-in rules plus ``policies`` (``(name, turtle)``), as a write enforces them.

    :raises LedgerError: naming the first policy that does not load, and the way out.
    """
    from claimledger.validation import ShapeSet

    try:
        return ShapeSet.builtin(policies)
    except InputError as exc:
        for name, text in policies:
            try:
                ShapeSet.builtin([(name, text)])
            except InputError as own:
                raise LedgerError(
                    f"the ledger's policy {name!r} does not load in this claimledger "
                    f"({own.message}); no write can be checked against it: remove it "
                    f"(claimledger policy remove {name}) and add it again, fixed") from None
        raise LedgerError(f"the ledger's policies do not load together: {exc.message}") from None
