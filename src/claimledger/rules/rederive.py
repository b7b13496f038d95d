"""Re-deriving corroboration for every claim at once, a batch of claims at a time.

A single write re-derives the claims it touches through :class:`claimledger.core.view.StateView`
lookups. A bulk import, and the consistency check of ``verify``, need the same for every
claim of a ledger: this module gathers the facts with a few queries (sources, verdicts, then
claims and their evidence a batch of claims at a time), derives each claim with
:func:`claimledger.rules.corroboration.derive`, and yields each claim's derivation
(:func:`derivations`: the bulk import keeps the facts the reports read from it too, in the same
pass) or the differences between the derived facts and the stored ones (:func:`differences`).
Memory holds the sources, the verdicts and the list of claims, never all the evidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from claimledger import resources
from claimledger.model import ntriples
from claimledger.model import vocab as V
from claimledger.rules import corroboration
from claimledger.store.base import Store


#: Claims re-derived at a time (one ``VALUES`` block). Measured on a generated 10k ledger (both
#: queries, beside another job): 7.4 s in batches of 100 or 500 against 13.8 s for every claim
#: at once ordered by the engine, and 40.7 s in batches of 2,000 (Oxigraph then plans the
#: join another way).
BATCH = 500

_CLAIMS = f"SELECT ?claim WHERE {{ ?claim a <{V.CLAIM.value}> }}"


@dataclass
class Difference:
    """Derived facts of one claim that differ from what is stored."""

    claim: NamedNode
    status_before: str | None
    status_after: str
    added: list[Triple] = field(default_factory=list)
    #: The stored number of independent origins (None if none was stored) and the derived one.
    origins_before: int | None = None
    origins_after: int = 0
    removed: list[Triple] = field(default_factory=list)


@dataclass
class Derived:
    """One claim re-derived: its evidence as corroboration saw it, the derivation, when each
    piece of evidence was recorded (``prov:generatedAtTime``, as stored), and how the derived
    facts differ from the stored ones (None when they do not)."""

    claim: NamedNode
    evidence: list[corroboration.EvidenceFacts]
    result: corroboration.Derivation
    recorded: dict[NamedNode, list]
    difference: Difference | None


def differences(store: Store) -> Iterator[Difference]:
    """For every claim whose stored derived facts differ from its evidence, the difference."""
    for derived in derivations(store):
        if derived.difference is not None:
            yield derived.difference


def derivations(store: Store, lineage: corroboration.Lineage | None = None
                ) -> Iterator[Derived]:
    """Every claim re-derived from its evidence, in IRI order, :data:`BATCH` claims at a time.

    The claims are listed and sorted here, not by the engine (an ``ORDER BY`` on IRIs reads
    both IRIs of each comparison from disk: n log n lookups); each batch's facts and evidence
    are read with a ``VALUES`` block of its claims. A batch reads only its own claims and
    their evidence, so a caller may write one claim's derived facts before the next batch.

    :param lineage: the ledger's sources (:func:`sources_lineage`), when the caller needs them too.
    """
    if lineage is None:
        lineage = sources_lineage(store)
    sources = lineage.sources
    verdicts = _verdicts(store)
    claims = sorted((row["claim"] for row in store.query(_CLAIMS)
                     if isinstance(row["claim"], NamedNode)), key=lambda n: n.value)
    for i in range(0, len(claims), BATCH):
        batch = claims[i:i + BATCH]
        values = "VALUES ?claim { " + " ".join(map(ntriples.term, batch)) + " }"
        stored: dict[NamedNode, object] = {}
        for row in store.query(resources.query("rederive-claims").replace("#VALUES#", values, 1)):
            stored.setdefault(row["claim"], row)  # a claim with two statuses: the rules say so
        evidence: dict[NamedNode, list[tuple]] = {}
        for row in _evidence(store, values):
            evidence.setdefault(row[0], []).append(row)
        for claim in batch:
            yield _derive_one(claim, stored[claim], evidence.get(claim, []), sources, lineage,
                              verdicts.get(claim))


def sources_lineage(store: Store) -> corroboration.Lineage:
    """The derivation links of every source of the ledger, with what corroboration needs of
    each source."""
    return corroboration.Lineage(_sources(store))


def _derive_one(claim, row, rows, sources, lineage, verdict) -> Derived:
    facts = []
    stored_origins: dict[NamedNode, set] = {}
    stored_counts: dict[NamedNode, Literal | None] = {}
    recorded: dict[NamedNode, list] = {}
    for (_, ev, stance, source, attributed, credibility, retraction, counts, origins,
         when) in rows:
        times = recorded.setdefault(ev, [])
        if when is not None and when not in times:
            times.append(when)
        if ev in stored_origins:
            continue  # a malformed evidence node with two values: the rules report it
        facts.append(corroboration.EvidenceFacts(
            iri=ev, stance=V.Stance.find(stance) or "", source=source,
            attributed=attributed if isinstance(attributed, NamedNode) else None,
            credibility=V.Credibility.find(credibility), retracted=retraction is not None))
        stored_origins[ev] = _split(origins)
        stored_counts[ev] = counts
    result = corroboration.derive(facts, sources, verdict, lineage=lineage)
    status_iri = V.Status.iri(result.status)
    count = Literal(result.independent_origins)
    diff = Difference(claim, V.Status.find(row["status"]), result.status,
                      origins_before=_int(row["count"]), origins_after=result.independent_origins)
    _replace(diff, claim, V.STATUS, [row["status"]] if row["status"] is not None else [], [status_iri])
    _replace(diff, claim, V.INDEPENDENT_ORIGINS, [row["count"]] if row["count"] is not None else [],
             [count])
    _replace(diff, claim, V.SUPPORT_ORIGIN, sorted(_split(row["origins"]), key=str),
             sorted(result.support_origins, key=str))
    for ev in stored_origins:
        _replace(diff, ev, V.ORIGIN, sorted(stored_origins[ev], key=str),
                 sorted(result.origins[ev], key=str))
        current = [stored_counts[ev]] if stored_counts[ev] is not None else []
        _replace(diff, ev, V.COUNTS, current, [Literal(result.counts[ev])])
    return Derived(claim, facts, result, recorded, diff if diff.added or diff.removed else None)


def _replace(diff: Difference, subject, predicate, current, wanted) -> None:
    now, want = set(current), set(wanted)
    diff.removed.extend(Triple(subject, predicate, o) for o in current if o not in want)
    diff.added.extend(Triple(subject, predicate, o) for o in wanted if o not in now)


def _sources(store: Store) -> dict[NamedNode, corroboration.SourceFacts]:
    parents: dict[NamedNode, set] = {}
    info: dict[NamedNode, tuple] = {}
    for row in store.query(resources.query("rederive-sources")):
        source = row["source"]
        if not isinstance(source, NamedNode):
            continue
        parents.setdefault(source, set())
        if isinstance(row["parent"], NamedNode):
            parents[source].add(row["parent"])
        if source not in info:
            anonymous = row["anonymous"]
            info[source] = (V.Reliability.find(row["reliability"]),
                            row["discredited"] is not None,
                            isinstance(anonymous, Literal) and anonymous.value == "true")
    return {s: corroboration.SourceFacts(s, tuple(sorted(parents[s], key=str)), *info[s])
            for s in parents}


def _verdicts(store: Store) -> dict[NamedNode, str]:
    """The status each claim's verdict in force sets."""
    recorded: dict[NamedNode, list[corroboration.VerdictFacts]] = {}
    for row in store.query(resources.query("rederive-verdicts")):
        token = V.Status.find(row["value"])
        if token not in V.VERDICTS:
            continue
        when = row["time"].value if row["time"] is not None else ""
        recorded.setdefault(row["claim"], []).append(corroboration.VerdictFacts(
            row["verdict"], token, when, withdrawn=row["withdrawal"] is not None))
    out = {}
    for claim, verdicts in recorded.items():
        in_force = corroboration.verdict_in_force(verdicts)
        if in_force is not None:
            out[claim] = in_force.status
    return out


def _evidence(store: Store, values: str) -> Iterator[tuple]:
    for row in store.query(resources.query("rederive-evidence").replace("#VALUES#", values, 1)):
        if not isinstance(row["source"], NamedNode):
            continue
        yield (row["claim"], row["evidence"], row["stance"], row["source"], row["attributed"],
               row["credibility"], row["retraction"], row["counts"], row["origins"],
               row["recorded"])


def _split(literal) -> set:
    if literal is None or not literal.value:
        return set()
    return {NamedNode(v) for v in literal.value.split(" ")}


def _int(term) -> int | None:
    try:
        return int(term.value)
    except (AttributeError, ValueError):
        return None
