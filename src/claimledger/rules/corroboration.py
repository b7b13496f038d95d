"""Corroboration, derived from evidence and derivation links — never typed in.

The rules, applied to each claim on every write that can change them:

* A piece of evidence *counts* unless it was retracted, or a source it was found in, is
  attributed to, or traces back to through derivation links has been discredited.
* Its *origins* are found from its attributed source if it has one, otherwise from the source
  it was found in, by following whole-source derivation links (``prov:wasDerivedFrom``) to the
  end: a source that derives from nothing is its own origin. A cycle is an error.
* Two pieces of evidence are *independent* only if their origin sets are disjoint. The number
  of independent origins is the largest number of counted supporting pieces of evidence whose
  origin sets are pairwise disjoint: ten outlets reprinting one wire story count once, and a
  single document built on two reports counts once too (we cannot tell which of the two the
  statement came from).
* Status, in order of precedence: the verdict in force — the latest verdict not withdrawn
  (:func:`verdict_in_force`): *confirmed*, *refuted*, *mixed*, *inconclusive* or *retracted*,
  as its rating says; *unsourced* when no counted evidence supports the claim, whatever
  contradicts it; *contested* when counted contradicting evidence is credible (its source
  graded A–C, or its information graded 1–3); *corroborated* with two or more independent
  origins; otherwise *single-source*. A claim credibly contradicted and supported by nothing
  is unsourced: it rests on nothing (low confidence at most) and stays on the to-do list.

This module is pure: it takes facts and returns derived facts. :mod:`claimledger.ledger`
fetches the facts from the store and writes the results back as triples.

>>> src = {"wire": SourceFacts("wire"), "b": SourceFacts("b", parents=("wire",)),
...        "c": SourceFacts("c", parents=("wire",)), "d": SourceFacts("d")}
>>> ev = [EvidenceFacts("e1", "supports", "b"), EvidenceFacts("e2", "supports", "c")]
>>> derive(ev, src).status
'single-source'
>>> derive(ev + [EvidenceFacts("e3", "supports", "d")], src).status
'corroborated'
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from claimledger.errors import ConflictError
from claimledger.model.vocab import CREDIBLE_CREDIBILITY, CREDIBLE_RELIABILITY, VERDICTS

#: Above this many distinct origin sets the exact search for independent evidence gives way
#: to a greedy count, which may undercount (never overcount) independence.
EXACT_LIMIT = 24

Key = Hashable


@dataclass(frozen=True)
class SourceFacts:
    """What corroboration needs to know about a source."""

    iri: Key
    parents: tuple[Key, ...] = ()
    reliability: str | None = None
    discredited: bool = False
    anonymous: bool = False


@dataclass(frozen=True)
class EvidenceFacts:
    """What corroboration needs to know about one piece of evidence."""

    iri: Key
    stance: str
    source: Key
    attributed: Key | None = None
    credibility: str | None = None
    retracted: bool = False

    @property
    def counted_source(self) -> Key:
        """The source whose origins the evidence traces to: the attributed one if given."""
        return self.attributed if self.attributed is not None else self.source


@dataclass(frozen=True)
class VerdictFacts:
    """What corroboration needs to know about one verdict recorded on a claim."""

    iri: Key
    #: The status it sets (``refuted``, ``confirmed``, …: its ``cl:verdictValue``).
    status: str
    #: When it was recorded (``xsd:dateTime`` text).
    time: str = ""
    withdrawn: bool = False


def verdict_in_force(verdicts: Iterable[VerdictFacts]) -> VerdictFacts | None:
    """The verdict in force: the latest one (by recording time, then IRI) not withdrawn.

    A verdict that supersedes another is simply the later one; withdrawing it puts the one it
    superseded back in force.

    >>> verdict_in_force([VerdictFacts("v1", "refuted", "2024-01-01T00:00:00.9Z"),
    ...                   VerdictFacts("v2", "mixed", "2024-01-01T00:00:01.25Z")]).status
    'mixed'
    """
    standing = [v for v in verdicts if not v.withdrawn and v.status in VERDICTS]
    return max(standing, key=lambda v: (_when(v.time), str(getattr(v.iri, "value", v.iri))),
               default=None)


def _when(text: str) -> datetime:
    """A recording time as a moment (text comparison gets ``…01.2Z`` / ``…01.26Z`` wrong)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass
class Derivation:
    """The derived facts of one claim and its evidence."""

    status: str
    independent_origins: int
    #: Every origin of counted supporting evidence.
    support_origins: frozenset[Key]
    #: Per evidence: its origins (whether or not it counts).
    origins: dict[Key, frozenset[Key]] = field(default_factory=dict)
    #: Per evidence: whether it counts.
    counts: dict[Key, bool] = field(default_factory=dict)


class Lineage:
    """Origins and ancestors of sources, memoised, with cycle detection.

    :param sources: the facts of every source that can be reached.
    """

    def __init__(self, sources: Mapping[Key, SourceFacts]) -> None:
        self.sources = sources
        self._origins: dict[Key, frozenset[Key]] = {}
        self._ancestors: dict[Key, frozenset[Key]] = {}

    def origins(self, source: Key) -> frozenset[Key]:
        """The sources at the end of every derivation chain from ``source``.

        :raises ConflictError: if the chain loops back on itself.
        """
        self._walk(source)
        return self._origins[source]

    def ancestors(self, source: Key) -> frozenset[Key]:
        """``source`` and every source it derives from, directly or not."""
        self._walk(source)
        return self._ancestors[source]

    def _walk(self, source: Key) -> None:
        if source in self._origins:
            return
        # Iterative depth-first walk so that long chains cannot exhaust the Python stack.
        stack: list[tuple[Key, int]] = [(source, 0)]
        onpath: list[Key] = [source]
        while stack:
            node, i = stack[-1]
            parents = self._parents(node)
            if i < len(parents):
                stack[-1] = (node, i + 1)
                parent = parents[i]
                if parent in onpath:
                    loop = onpath[onpath.index(parent):] + [parent]
                    raise ConflictError(
                        "derivation cycle: " + " → ".join(_name(k) for k in loop)
                    )
                if parent not in self._origins:
                    stack.append((parent, 0))
                    onpath.append(parent)
                continue
            stack.pop()
            onpath.pop()
            if not parents:
                self._origins[node] = frozenset({node})
                self._ancestors[node] = frozenset({node})
            else:
                self._origins[node] = frozenset().union(*(self._origins[p] for p in parents))
                self._ancestors[node] = frozenset({node}).union(
                    *(self._ancestors[p] for p in parents))

    def _parents(self, source: Key) -> tuple[Key, ...]:
        facts = self.sources.get(source)
        return facts.parents if facts is not None else ()


def derive(evidence: Sequence[EvidenceFacts], sources: Mapping[Key, SourceFacts],
           verdict: str | None = None, *, lineage: Lineage | None = None) -> Derivation:
    """Derive the status of one claim from its evidence.

    :param evidence: every piece of evidence recorded for the claim.
    :param sources: facts of every source the evidence reaches (directly or by derivation).
    :param verdict: the status the claim's verdict in force sets (see :func:`verdict_in_force`).
    :raises ConflictError: on a derivation cycle.
    """
    lineage = lineage or Lineage(sources)
    origins: dict[Key, frozenset[Key]] = {}
    counts: dict[Key, bool] = {}
    support: list[frozenset[Key]] = []
    credible_contradiction = False
    for ev in evidence:
        origins[ev.iri] = lineage.origins(ev.counted_source)
        involved = lineage.ancestors(ev.source)
        if ev.attributed is not None:
            involved = involved | lineage.ancestors(ev.attributed)
        counted = not ev.retracted and not any(
            sources[s].discredited for s in involved if s in sources)
        counts[ev.iri] = counted
        if not counted:
            continue
        if ev.stance == "supports":
            support.append(origins[ev.iri])
        elif ev.stance == "contradicts" and _credible(ev, sources):
            credible_contradiction = True
    independent = max_disjoint(support)
    support_origins = frozenset().union(*support) if support else frozenset()
    if verdict is not None:
        status = verdict
    elif not support:
        status = "unsourced"
    elif credible_contradiction:
        status = "contested"
    elif independent >= 2:
        status = "corroborated"
    else:
        status = "single-source"
    return Derivation(status, independent, support_origins, origins, counts)


def _credible(ev: EvidenceFacts, sources: Mapping[Key, SourceFacts]) -> bool:
    facts = sources.get(ev.counted_source)
    graded = facts is not None and facts.reliability in CREDIBLE_RELIABILITY
    return graded or ev.credibility in CREDIBLE_CREDIBILITY


def max_disjoint(sets: Sequence[frozenset[Key]]) -> int:
    """The largest number of pairwise-disjoint sets among ``sets`` (maximum set packing).

    Exact for up to :data:`EXACT_LIMIT` distinct sets (the usual case: a claim has a handful
    of independent lines of reporting); greedy, smallest sets first, beyond that.

    >>> max_disjoint([frozenset("a"), frozenset("ab"), frozenset("b")])
    2
    >>> max_disjoint([frozenset("ab"), frozenset("a")])
    1
    """
    distinct = sorted({s for s in sets if s}, key=len)
    # A set that contains another can be replaced by it without losing independence.
    minimal = [s for s in distinct if not any(o < s for o in distinct)]
    if len(minimal) <= 1:
        return len(minimal)
    if len(minimal) > EXACT_LIMIT:
        return _greedy(minimal)
    best = _greedy(minimal)

    def search(start: int, used: frozenset[Key], chosen: int) -> None:
        nonlocal best
        if chosen + (len(minimal) - start) <= best:
            return
        for i in range(start, len(minimal)):
            if not (minimal[i] & used):
                if chosen + 1 > best:
                    best = chosen + 1
                search(i + 1, used | minimal[i], chosen + 1)

    search(0, frozenset(), 0)
    return best


def _greedy(sets: Sequence[frozenset[Key]]) -> int:
    used: set[Key] = set()
    n = 0
    for s in sets:
        if not (s & used):
            used |= s
            n += 1
    return n


def _name(key: Key) -> str:
    value = getattr(key, "value", key)
    text = str(value)
    return text.rsplit("/", 1)[-1] if "/" in text else text


__all__ = ["SourceFacts", "EvidenceFacts", "VerdictFacts", "Derivation", "Lineage", "derive",
           "max_disjoint", "verdict_in_force"]
