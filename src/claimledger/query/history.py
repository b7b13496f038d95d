"""Reading the audit trail back: the log of writes, and every version of a claim.

``log`` answers "who recorded what, when and why" for the whole ledger or for one claim or
source; ``claim show --history`` replays the events that touched a claim to show each
version of it: its status, confidence and evidence after every write, and what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from claimledger import audit
from claimledger.model import ntriples
from claimledger.model import vocab as V
from claimledger.errors import NotFoundError
from claimledger.core.ledger import LedgerCore

#: Predicates shown by name in the change lines of a claim's history.
_LABELS = {
    V.STATUS: "status", V.CONFIDENCE: "confidence", V.TEXT: "text",
    V.INDEPENDENT_ORIGINS: "independent origins", V.SUPPORT_ORIGIN: "support origin",
    V.VERDICT_LINK: "verdict", V.SUBJECT: "subject", V.PREDICATE: "predicate", V.OBJECT: "object",
    V.NAME: "title", V.RELIABILITY: "reliability", V.KIND: "kind", V.URL: "url",
    V.DATE_PUBLISHED: "published", V.WAS_REVISION_OF: "revision of",
}


@dataclass
class LogEntry:
    sequence: int
    time: str
    agent: str
    command: str
    reason: str | None
    arguments: dict
    hash: str
    details: list[str] = field(default_factory=list)


@dataclass
class Version:
    """A claim as it stood after one event."""

    sequence: int
    time: str
    agent: str
    command: str
    reason: str | None
    status: str | None
    confidence: str | None
    evidence: int
    changes: list[str] = field(default_factory=list)


def log_entries(ledger: LedgerCore, ref: str | None = None) -> list[LogEntry]:
    """Events of the audit trail, oldest first; only those touching ``ref`` if given.

    ``ref`` is a claim or source slug (or IRI), or an evidence id (its claim's log is shown).

    :raises NotFoundError: if ``ref`` names nothing.
    """
    about = _find(ledger, ref) if ref else None
    out = []
    for ev in audit.events(ledger.store, ledger.base, about=about, with_affected=about is None):
        if about is not None:
            ev.added, ev.removed = _changes_about(ledger, ev, about)
        entry = LogEntry(ev.sequence, ev.time, ledger.compact_text(ev.agent), ev.command,
                         ev.reason, ev.arguments, ev.hash)
        if about is not None:
            entry.details = _describe_changes(ledger, ev, about)
        else:
            entry.details = ([", ".join(sorted(ledger.compact_text(a) for a in ev.affected))]
                             if ev.affected else [])
        out.append(entry)
    return out


def claim_history(ledger: LedgerCore, claim: NamedNode) -> list[Version]:
    """Every version of ``claim``: its state after each event that touched it."""
    state: dict[NamedNode, list] = {}
    evidence: set = set()
    versions = []
    for ev in audit.events(ledger.store, ledger.base, about=claim, with_affected=False):
        ev.added, ev.removed = _changes_about(ledger, ev, claim)
        for t in ev.removed:
            if t.subject == claim:
                state.setdefault(t.predicate, [])
                if t.object in state[t.predicate]:
                    state[t.predicate].remove(t.object)
        for t in ev.added:
            if t.subject == claim:
                state.setdefault(t.predicate, []).append(t.object)
            if t.predicate == V.CLAIM_LINK and t.object == claim:
                evidence.add(t.subject)
        versions.append(Version(
            sequence=ev.sequence, time=ev.time, agent=ledger.compact_text(ev.agent),
            command=ev.command, reason=ev.reason,
            status=_latest(V.Status, state.get(V.STATUS)),
            confidence=_latest(V.Confidence, state.get(V.CONFIDENCE)),
            evidence=len(evidence),
            changes=_describe_changes(ledger, ev, claim),
        ))
    return versions


_IN_GRAPH = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
_RETRACTIONS = ("SELECT ?g ?s ?p ?o ?c WHERE { GRAPH ?g { ?s ?p ?o } ?s <%s> ?c }"
                % V.CLAIM_LINK.value)


def _changes_about(ledger: LedgerCore, ev: audit.Event, about: NamedNode
                   ) -> tuple[list[Triple], list[Triple]]:
    """What event ``ev`` added and removed about ``about``: its own triples, the evidence
    linked to it and the retractions of that evidence — read with bound queries, so that the
    one event of a bulk import (millions of triples) costs no more than any other."""
    out = []
    for graph in (audit.added_graph(ev.iri), audit.removed_graph(ev.iri)):
        rows = list(ledger.store.query(_IN_GRAPH, {"g": graph, "s": about}))
        rows += ledger.store.query(_IN_GRAPH, {"g": graph, "p": V.CLAIM_LINK, "o": about})
        rows += ledger.store.query(_RETRACTIONS, {"g": graph, "p": V.RETRACTION_LINK,
                                                  "c": about})
        # in canonical order: the same lines in the same order from every store
        out.append(sorted({Triple(r["s"], r["p"], r["o"]) for r in rows}, key=ntriples.line))
    return out[0], out[1]


def _describe_changes(ledger: LedgerCore, ev: audit.Event, about: NamedNode) -> list[str]:
    """What ``ev`` changed on ``about``, one line per change, always in the same order: the
    properties in the order of :data:`_LABELS`, then evidence, derivations, discrediting."""
    lines: list[tuple[tuple, str]] = []
    order = {p: i for i, p in enumerate(_LABELS)}
    removed = {(t.predicate, t.subject): t for t in ev.removed if t.subject == about}
    for t in sorted(ev.added, key=str):
        if t.predicate == V.CLAIM_LINK and t.object == about:
            lines.append(((len(order), 0), f"+ evidence {ledger.slug(t.subject)}"))
        elif t.subject == about and t.predicate in _LABELS:
            old = removed.pop((t.predicate, t.subject), None)
            label = _LABELS[t.predicate]
            if old is not None:
                text = f"{label}: {_show(ledger, old.object)} → {_show(ledger, t.object)}"
            else:
                text = f"{label}: {_show(ledger, t.object)}"
            lines.append(((order[t.predicate], 0), text))
        elif t.predicate == V.RETRACTION_LINK:
            what = "verdict" if t.subject.value.startswith(ledger.base + "verdict/") else "evidence"
            gone = "withdrawn" if what == "verdict" else "retracted"
            lines.append(((len(order), 1), f"- {what} {ledger.slug(t.subject)} {gone}"))
        elif t.subject == about and t.predicate == V.WAS_DERIVED_FROM:
            lines.append(((len(order), 2), f"derived from {ledger.slug(t.object)}"))
        elif t.subject == about and t.predicate == V.DISCREDITED:
            lines.append(((len(order), 3), "discredited"))
        elif t.subject == about and t.predicate == V.IN_CASE:
            lines.append(((len(order), 4), f"+ case {ledger.slug(t.object)}"))
    for (pred, _), t in removed.items():
        if pred in _LABELS:
            lines.append(((order[pred], 1), f"{_LABELS[pred]}: {_show(ledger, t.object)} removed"))
        elif pred == V.IN_CASE:
            lines.append(((len(order), 5), f"- case {ledger.slug(t.object)}"))
    return [text for _, text in sorted(lines)]


def _show(ledger: LedgerCore, term) -> str:
    if isinstance(term, Literal):
        return term.value
    for scheme in (V.Status, V.Confidence, V.Reliability, V.SourceKind):
        token = scheme.find(term)
        if token is not None:
            return token
    return ledger.compact(term)


def _latest(scheme: V.ConceptScheme, values) -> str | None:
    return scheme.label(values[-1]) if values else None


def _find(ledger: LedgerCore, ref: str) -> NamedNode:
    for collection in ("claim", "source"):
        try:
            return ledger.resolve(collection, ref, argument="SLUG")
        except NotFoundError:
            continue
    try:
        ev = ledger.resolve("evidence", ref, argument="SLUG")
    except NotFoundError:
        raise NotFoundError(f"no claim, source or evidence {ref!r} in this ledger",
                            argument="SLUG") from None
    claim = next(ledger.store.triples(ev, V.CLAIM_LINK, None), None)
    return claim.object if claim is not None else ev
