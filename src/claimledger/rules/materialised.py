"""Facts the reports read, kept on every write instead of recomputed on every report.

The write path already keeps each claim's corroboration (``cl:status``,
``cl:independentOrigins``, ``cl:supportOrigin``) and each piece of evidence's ``cl:origin``
and ``cl:counts`` (:mod:`claimledger.rules.corroboration`). A ledger whose node says
``cl:materialised`` :data:`VERSION` also keeps:

* per claim, the date of its newest counted evidence (``cl:newestEvidence``: the publication
  date of the source it was found in or, when that source has none, the time the evidence was
  recorded — the literal as stored) and how many pieces of evidence count
  (``cl:countedEvidence``) — what ``report stale`` reads;
* per corroboration status and confidence level, how many claims have both (a tally node
  ``<base>tally/<status>/<confidence>`` with ``cl:tallyStatus``, ``cl:tallyConfidence``,
  ``cl:tallyClaims``; none for a count of zero) — what ``report summary`` reads;
* (since version 2) per claim with counted support, the reports that carried it — the
  source each counted supporting piece of evidence was found in, "quoting" the source it is
  attributed to — counted (``cl:reportCount``) and listed (``cl:reportList``), and its
  support origins listed (``cl:supportOriginList``), by slug, distinct, in code point order —
  what ``report circular-reporting`` reads;
* (since version 2) per claim and each origin its support traces to, how that support reached
  the ledger — what ``report single-anecdote`` shows, instead of walking the derivation links
  for every row: a node ``<base>support/<digest of the claim and origin IRIs>`` linked from the
  claim (``cl:originSupport``) with the origin (``cl:supportFrom``), how many counted
  supporting pieces of evidence trace to it (``cl:supportReports``) and the line of each
  (``cl:carriedBy``: the distinct lines by code point, "; " between — for each piece of
  evidence the source it was found in, "quoting" the attributed source when there is one,
  and the derivation chain from the source it counts through back to the origin, "outlet-d ←
  outlet-c ← wire-a": :func:`claimledger.rules.support.trace_text`).

Each claim's are computed from its derivation by one function, :func:`claim_values`: the
transaction sets them beside the rest of the re-derivation (:mod:`claimledger.core.
transaction`), and the bulk import for every claim of the ledger as it re-derives it
(:class:`Recount`, with the tallies counted afterwards). From scratch — reading the stored
derived facts, not deriving — :func:`rebuild` recomputes them; ``claimledger migrate``
adds them to a ledger made before them (until then the reports scan the ledger as they used
to: ``queries/scans/``), and ``verify`` recomputes them from scratch and names any that
differ (:func:`check`). Like every derived fact they are never imported: an import drops them
and they are recomputed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

from claimledger.model import vocab as V
from claimledger.rules import corroboration, support
from claimledger.store.base import Store, Term

#: The set of materialised facts a ledger keeps (``<ledger> cl:materialised 2``): 1 for the
#: newest evidence and the tallies, 2 adds each claim's reports and its support per origin
#: (:mod:`claimledger.rules.support`). A ledger that says another version is read by
#: scanning until ``claimledger migrate`` recomputes them.
VERSION = 2

#: The properties of the kept facts.
PROPERTIES = frozenset({V.NEWEST_EVIDENCE, V.COUNTED_EVIDENCE, V.TALLY_STATUS,
                        V.TALLY_CONFIDENCE, V.TALLY_CLAIMS, V.ORIGIN_SUPPORT, V.SUPPORT_FROM,
                        V.SUPPORT_REPORTS, V.CARRIED_BY, V.REPORT_COUNT, V.REPORT_LIST,
                        V.SUPPORT_ORIGIN_LIST})


# -- the newest counted evidence of a claim ----------------------------------------------------

def day(date: Literal) -> str:
    """The sort key of an evidence date, by day: a year or a year and month taken at its
    latest day (``2017`` → ``2017-99-99``), anything else cut to its first ten characters —
    the same key ``queries/reports/stale.rq`` computes in SPARQL."""
    text = date.value
    if len(text) == 4:
        return text + "-99-99"
    if len(text) == 7:
        return text + "-99"
    return text[:10]


@dataclass(frozen=True)
class Newest:
    """A claim's newest counted evidence: its date (None when none is dated) and how many
    pieces of evidence count."""

    date: Literal | None
    counted: int


def newest(dated: Iterable[tuple[object, Iterable[Literal]]]) -> Newest:
    """The newest of ``(evidence, dates)`` pairs, one per counted piece of evidence with a
    source; ``dates`` are its source's publication dates, or else its recording times."""
    best: Literal | None = None
    best_key = ""
    seen: set = set()
    for evidence, dates in dated:
        seen.add(evidence)
        for date in dates:
            if not isinstance(date, Literal):
                continue
            key = day(date)
            if best is None or key > best_key or (key == best_key and date.value < best.value):
                best, best_key = date, key
    return Newest(best, len(seen))


def evidence_dates(published: list, recorded: list) -> list:
    """The dates of one piece of evidence: its source's publication dates, else when it was
    recorded."""
    return [d for d in published if isinstance(d, Literal)] or \
        [d for d in recorded if isinstance(d, Literal)]


def newest_triples(claim: NamedNode, facts: Newest) -> dict[NamedNode, list]:
    """The values of ``cl:newestEvidence`` and ``cl:countedEvidence`` on ``claim``."""
    return {V.NEWEST_EVIDENCE: [facts.date] if facts.date is not None else [],
            V.COUNTED_EVIDENCE: [Literal(facts.counted)] if facts.counted else []}


# -- what one claim's derivation keeps ----------------------------------------------------------

def claim_values(base: str, claim: NamedNode, evidence: Iterable[corroboration.EvidenceFacts],
                 result: corroboration.Derivation,
                 dates: Callable[[corroboration.EvidenceFacts], list],
                 lineage: corroboration.Lineage) -> dict[NamedNode, dict[NamedNode, list]]:
    """The facts kept for ``claim`` once it is derived (``result``, from ``evidence``): the
    values on the claim — its newest counted evidence and how many count, the reports that
    carried its support, its support origins listed, its support nodes — and on each of its
    support nodes (:mod:`claimledger.rules.support`).

    :param dates: a piece of evidence's dates (:func:`evidence_dates` of its source's
        publication dates and its recording times).
    :param lineage: the derivation links of (at least) the sources the evidence reaches.
    """
    evidence = list(evidence)
    counted = [ev for ev in evidence if result.counts[ev.iri]]
    facts = newest((ev.iri, dates(ev)) for ev in counted)
    carriers = [support.Carrier(ev.iri, ev.source, ev.attributed, frozenset(result.origins[ev.iri]))
                for ev in counted if ev.stance == "supports"]
    nodes = support.supports(base, claim, sorted(result.support_origins, key=str), carriers,
                             lineage)
    on_claim = {**newest_triples(claim, facts),
                **support.reporting(result.support_origins, carriers),
                V.ORIGIN_SUPPORT: list(nodes)}
    return {claim: on_claim, **nodes}


# -- tallies -------------------------------------------------------------------------------------

def tally_node(base: str, status: NamedNode, confidence: NamedNode) -> NamedNode | None:
    """The node counting the claims with ``status`` and ``confidence`` (None for a value
    outside claimledger's schemes, which the sourcing rules refuse)."""
    s, c = V.Status.find(status), V.Confidence.find(confidence)
    if s is None or c is None:
        return None
    return NamedNode(f"{base}tally/{s}/{c}")


def tally_triples(base: str, status: NamedNode, confidence: NamedNode, n: int
                  ) -> dict[NamedNode, list]:
    """The values of the tally node of ``(status, confidence)`` for a count of ``n``."""
    if n <= 0:
        return {V.TALLY_STATUS: [], V.TALLY_CONFIDENCE: [], V.TALLY_CLAIMS: []}
    return {V.TALLY_STATUS: [status], V.TALLY_CONFIDENCE: [confidence],
            V.TALLY_CLAIMS: [Literal(n)]}


def pairs(is_claim: bool, statuses: Iterable, confidences: Iterable) -> Counter:
    """What one node adds to the tallies: each (status, confidence) pair of a claim."""
    out: Counter = Counter()
    if is_claim:
        for s in statuses:
            for c in confidences:
                if isinstance(s, NamedNode) and isinstance(c, NamedNode):
                    out[(s, c)] += 1
    return out


def tally_delta(view, added: Iterable[Triple], removed: Iterable[Triple]) -> Counter:
    """How a change set moves the tallies: for every node whose type, status or confidence it
    changes, its pairs after (``view``: the ledger with the changes) minus before (the same
    values with the change undone)."""
    watched = {V.TYPE, V.STATUS, V.CONFIDENCE}
    plus: dict = {}
    minus: dict = {}
    for triples, into in ((added, plus), (removed, minus)):
        for t in triples:  # a type other than cl:Claim changes no pair
            if t.predicate in watched and (t.predicate != V.TYPE or t.object == V.CLAIM):
                into.setdefault(t.subject, {}).setdefault(t.predicate, set()).add(t.object)
    delta: Counter = Counter()
    for node in set(plus) | set(minus):
        after, before = {}, {}
        for p in watched:
            now = set(view.objects(node, p))
            after[p] = now
            before[p] = (now - plus.get(node, {}).get(p, set())) | minus.get(node, {}).get(p, set())
        delta.update(pairs(V.CLAIM in after[V.TYPE], after[V.STATUS], after[V.CONFIDENCE]))
        delta.subtract(pairs(V.CLAIM in before[V.TYPE], before[V.STATUS], before[V.CONFIDENCE]))
    return Counter({k: v for k, v in delta.items() if v})


# -- from scratch (the bulk import, migrate and verify) -------------------------------------------

_SCAN_TALLIES = f"""
SELECT ?st ?conf (COUNT(?c) AS ?n)
WHERE {{ ?c a <{V.CLAIM.value}> ; <{V.STATUS.value}> ?st ; <{V.CONFIDENCE.value}> ?conf }}
GROUP BY ?st ?conf
"""

# Every counted piece of evidence with a source, with its dates, in claim order.
_SCAN_EVIDENCE = f"""
SELECT ?claim ?e ?published ?recorded
WHERE {{
  ?e <{V.COUNTS.value}> true ; <{V.CLAIM_LINK.value}> ?claim ; <{V.SOURCE_LINK.value}> ?found .
  OPTIONAL {{ ?found <{V.DATE_PUBLISHED.value}> ?published }}
  OPTIONAL {{ ?e <{V.GENERATED_AT_TIME.value}> ?recorded }}
}}
ORDER BY ?claim
"""

def scan_tallies(store: Store) -> Counter:
    """The tallies counted from the claims, as ``report summary`` once did on every run."""
    out: Counter = Counter()
    for row in store.query(_SCAN_TALLIES):
        if isinstance(row["st"], NamedNode) and isinstance(row["conf"], NamedNode):
            out[(row["st"], row["conf"])] += int(row["n"].value)
    return out


def scan_newest(store: Store) -> Iterator[tuple[NamedNode, Newest]]:
    """Every claim with counted evidence and its newest, from the evidence."""
    claim = None
    dated: dict = {}
    for row in store.query(_SCAN_EVIDENCE):
        if row["claim"] != claim:
            if claim is not None:
                yield claim, _newest_of(dated)
            claim, dated = row["claim"], {}
        published, recorded = dated.setdefault(row["e"], ([], []))
        for value, into in ((row["published"], published), (row["recorded"], recorded)):
            if value is not None and value not in into:
                into.append(value)
    if claim is not None:
        yield claim, _newest_of(dated)


def _newest_of(dated: dict) -> Newest:
    return newest((e, evidence_dates(p, r)) for e, (p, r) in dated.items())


def stored(store: Store, predicates: Iterable[NamedNode]) -> dict[Term, dict[NamedNode, list]]:
    """Every node with a value of ``predicates``, and its values of each, as stored."""
    values = " ".join(f"<{p.value}>" for p in predicates)
    out: dict = {}
    for row in store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"):
        out.setdefault(row["s"], {}).setdefault(row["p"], []).append(row["o"])
    return out


def rebuild(store: Store, base: str) -> tuple[list[Triple], list[Triple]]:
    """What the store's materialised facts lack and have too much, recomputed from scratch:
    ``(to add, to remove)``. Both are empty for a ledger whose facts are right."""
    add: list[Triple] = []
    remove: list[Triple] = []
    for more, fewer in rebuild_in_batches(store, base):
        add.extend(more)
        remove.extend(fewer)
    return add, remove


def rebuild_in_batches(store: Store, base: str) -> Iterator[tuple[list[Triple], list[Triple]]]:
    """:func:`rebuild`'s changes a batch at a time — after the newest evidence, after the
    tallies, after every :data:`~claimledger.rules.support.BATCH` claims' support (the
    support is read in batches because Oxigraph plans the query better so). Every batch is
    computed from what the store held before any was applied: each part reads the facts it
    replaces before it yields, and none reads another's, so a caller may apply each batch
    before asking for the next."""
    add: list[Triple] = []
    remove: list[Triple] = []

    def replace(subject, values: dict, current: dict) -> None:
        _replace(subject, values, current, add, remove)

    def leftover(current_of: dict) -> None:
        for node, current in current_of.items():
            replace(node, {p: [] for p in current}, current)

    def batch() -> tuple[list[Triple], list[Triple]]:
        nonlocal add, remove
        out = (add, remove)
        add, remove = [], []
        return out

    # What is left over in each part is kept for claims with no counted evidence, pairs no
    # claim has, or origins a claim's support no longer traces to.
    kept = stored(store, (V.NEWEST_EVIDENCE, V.COUNTED_EVIDENCE))
    for claim, facts in scan_newest(store):
        replace(claim, newest_triples(claim, facts), kept.pop(claim, {}))
    leftover(kept)
    nodes = stored(store, (V.TALLY_STATUS, V.TALLY_CONFIDENCE, V.TALLY_CLAIMS))
    for (status, confidence), n in sorted(scan_tallies(store).items(), key=str):
        node = tally_node(base, status, confidence)
        if node is not None:
            replace(node, tally_triples(base, status, confidence, n), nodes.pop(node, {}))
    leftover(nodes)
    yield batch()
    linked = stored(store, (V.ORIGIN_SUPPORT, *support.REPORTING_PROPERTIES))
    described = stored(store, support.SUPPORT_PROPERTIES)
    for claims in support.scan(store, base):
        for claim, values, wanted in claims:
            replace(claim, {**values, V.ORIGIN_SUPPORT: list(wanted)}, linked.pop(claim, {}))
            for node, node_values in wanted.items():
                replace(node, node_values, described.pop(node, {}))
        yield batch()
    leftover(linked)
    leftover(described)
    yield batch()


class Recount:
    """The kept facts of every claim as a whole-ledger re-derivation passes it (the bulk
    import: :func:`claimledger.rules.rederive.derivations`), then the tallies — the same facts
    as :func:`rebuild` counts from the stored derived ones, without reading the ledger again
    for each batch of claims.

    Made before the pass, it holds the kept facts as stored (to replace them) and every
    source's publication dates; :meth:`claim` gives one claim's changes, :meth:`rest` those of
    nodes no claim kept (a support origin no longer reached, a claim that lost its evidence's
    dates) once every claim has passed, and :meth:`tallies` the tallies' changes, counted
    from the claims once their statuses are written.
    """

    def __init__(self, store: Store, base: str, lineage: corroboration.Lineage) -> None:
        self.base, self.lineage = base, lineage
        self._claims = stored(store, (V.NEWEST_EVIDENCE, V.COUNTED_EVIDENCE, V.ORIGIN_SUPPORT,
                                      *support.REPORTING_PROPERTIES))
        self._nodes = stored(store, support.SUPPORT_PROPERTIES)
        self._published: dict[Term, list] = {}
        query = f"SELECT ?s ?d WHERE {{ ?s <{V.DATE_PUBLISHED.value}> ?d }}"
        for row in store.query(query):
            self._published.setdefault(row["s"], []).append(row["d"])

    def claim(self, derived) -> tuple[list[Triple], list[Triple]]:
        """The changes to one claim's kept facts (``derived``: a
        :class:`~claimledger.rules.rederive.Derived`): ``(to add, to remove)``."""
        published, recorded = self._published, derived.recorded
        values = claim_values(
            self.base, derived.claim, derived.evidence, derived.result,
            lambda ev: evidence_dates(published.get(ev.source, []), recorded.get(ev.iri, [])),
            self.lineage)
        add: list[Triple] = []
        remove: list[Triple] = []
        for node, wanted in values.items():
            current = (self._claims if node == derived.claim else self._nodes).pop(node, {})
            _replace(node, wanted, current, add, remove)
        return add, remove

    def rest(self) -> tuple[list[Triple], list[Triple]]:
        """The kept facts of nodes no claim kept, removed."""
        remove: list[Triple] = []
        for held in (self._claims, self._nodes):
            for node, current in held.items():
                _replace(node, {p: [] for p in current}, current, [], remove)
            held.clear()
        return [], remove

    def tallies(self, store: Store) -> tuple[list[Triple], list[Triple]]:
        """The tallies' changes, counted from ``store`` (with every claim's status written)."""
        add: list[Triple] = []
        remove: list[Triple] = []
        nodes = stored(store, (V.TALLY_STATUS, V.TALLY_CONFIDENCE, V.TALLY_CLAIMS))
        for (status, confidence), n in sorted(scan_tallies(store).items(), key=str):
            node = tally_node(self.base, status, confidence)
            if node is not None:
                _replace(node, tally_triples(self.base, status, confidence, n),
                         nodes.pop(node, {}), add, remove)
        for node, current in nodes.items():
            _replace(node, {p: [] for p in current}, current, add, remove)
        return add, remove


def _replace(subject, values: dict, current: dict, add: list, remove: list) -> None:
    """Triples to make ``subject``'s values of each property in ``values`` what it says (the
    properties of ``current`` it does not name are left as they are)."""
    for p, wanted in values.items():
        have = current.get(p, [])
        remove.extend(Triple(subject, p, o) for o in have if o not in wanted)
        add.extend(Triple(subject, p, o) for o in wanted if o not in have)


def is_materialised(store: Store, base: str) -> bool:
    """Whether the ledger keeps the materialised facts of :data:`VERSION`."""
    return any(isinstance(t.object, Literal) and t.object.value == str(VERSION)
               for t in store.triples(NamedNode(base), V.MATERIALISED, None))


def check(store: Store, base: str) -> list[str]:
    """``verify``'s check: every claim's corroboration re-derived from its evidence equals the
    stored one, and (on a ledger that keeps them) the materialised facts recounted from
    scratch equal the stored ones. The replay of the audit trail already finds any triple
    changed outside claimledger; this finds facts that disagree with what they derive from."""
    from claimledger.rules.rederive import differences

    problems = []
    claims = sorted(d.claim.value for d in differences(store))
    if claims:
        problems.append(f"the derived corroboration of {len(claims)} claim"
                        f"{'s' if len(claims) != 1 else ''} differs from a re-derivation from "
                        f"its evidence: {_some(claims)}")
    if is_materialised(store, base):
        add, remove = rebuild(store, base)
        if add or remove:
            subjects = sorted({t.subject.value for t in add + remove})
            first = f"stored {remove[0]} ." if remove else f"missing {add[0]} ."
            problems.append(f"the materialised facts of {len(subjects)} node"
                            f"{'s' if len(subjects) != 1 else ''} differ from a recount: "
                            f"{_some(subjects)}; first: {first}")
    return problems


def _some(items: list[str]) -> str:
    return ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")
