"""Reports: named SPARQL queries shipped with claimledger, run on the ledger's own engine.

Each report is a ``.rq`` file in ``claimledger/queries/reports``. Its header comment — the
``#`` lines before the first query line — says what it answers: the first paragraph (up to a
line holding only ``#``) is the one-line description ``report --list`` shows, the rest the
details (semantics, columns). Lines of the form::

    # param source (source): the source to discredit hypothetically

declare its parameters: a name, a kind (``source``, ``claim``, ``date``, ``iri``, ``text``)
and a description. Parameters are bound as RDF terms through SPARQL pre-binding (Oxigraph
substitutions), never pasted into the query text; the query must project them, and the table
view leaves them out.

Reports run on Oxigraph, never through rdflib's SPARQL engine on the whole ledger: measured
here, rdflib needs 17 s for a single-origin report on 1,000 claims (and four times that on
2,000); Oxigraph needs milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pyoxigraph import Literal, NamedNode

from claimledger import resources
from claimledger.model import terms
from claimledger.rules import corroboration
from claimledger.model import vocab as V
from claimledger.errors import InputError
from claimledger.core.facts import gather_facts
from claimledger.core.ledger import LedgerCore
from claimledger.core.view import StateView
from claimledger.query import ordering
from claimledger.store.base import ChangeSet, Rows
from claimledger.store.oxigraph import OxigraphStore

PARAM_KINDS = ("source", "claim", "date", "iri", "text")
_PARAM_RE = re.compile(r"^#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*\((\w+)\)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class ReportSpec:
    """A packaged report: its name, what it answers, its parameters and its SPARQL."""

    name: str
    description: str
    params: tuple[Param, ...]
    sparql: str
    #: The rest of the header: what the report counts and its columns.
    details: str = ""


@dataclass
class Table:
    """The result of a SELECT: column names and rows of RDF terms (``None`` when unbound)."""

    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    hidden: tuple[str, ...] = ()
    #: Set on a page (``limit``) when more rows follow it.
    more: bool = False


def load(name: str, *, scan: bool = False) -> ReportSpec:
    """The report called ``name``.

    :param scan: its form that computes from the ledger's records what the report reads from
        the materialised facts (``queries/scans/``, for a ledger that does not keep them);
        the report itself when it has no such form.
    :raises InputError: if there is no such report.
    """
    shown = repr(name) if len(repr(name)) <= 80 else repr(name)[:79] + "…"
    if not re.fullmatch(r"[a-z0-9-]+", name or ""):
        raise InputError(f"{shown} is not a report name", argument="NAME")
    # Looked up in the listing: no path is ever built from what the user typed.
    if name not in resources.report_names():
        raise InputError(f"no report called {shown} (see: claimledger report --list)",
                         argument="NAME")
    try:
        text = (resources.scan(name) if scan else None) or resources.report(name)
    except OSError:  # pragma: no cover - listed a moment ago
        raise InputError(f"no report called {shown} (see: claimledger report --list)",
                         argument="NAME") from None
    return parse_spec(name, text)


def available() -> list[ReportSpec]:
    """Every packaged report, by name."""
    return [load(name) for name in resources.report_names()]


def parse_spec(name: str, text: str) -> ReportSpec:
    """A report from its ``.rq`` text: the header (see the module doc) and the query, checked
    like any SPARQL claimledger did not write in this process (no update, no SERVICE:
    :func:`claimledger.model.sparql.check_query`).

    :raises InputError: if the query is refused.
    """
    from claimledger.model import sparql

    checked = sparql.check_query(text, argument=f"report {name}")
    paragraphs: list[list[str]] = [[]]
    params: list[Param] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _PARAM_RE.match(stripped)
        if m:
            if m.group(2) not in PARAM_KINDS:
                raise ValueError(f"report {name}: unknown parameter kind {m.group(2)!r}")
            params.append(Param(m.group(1), m.group(2), m.group(3).strip()))
            continue
        words = stripped.lstrip("#").strip()
        if words:
            paragraphs[-1].append(words)
        elif paragraphs[-1]:
            paragraphs.append([])
    description = " ".join(paragraphs[0])
    details = " ".join(" ".join(p) for p in paragraphs[1:] if p)
    return ReportSpec(name, description, tuple(params), checked.text, details)


def run(ledger: LedgerCore, name: str, params: dict[str, str] | None = None, *,
        case: str | None = None, limit: int | None = None, offset: int = 0,
        scan: bool | None = None, engine_order: bool | None = None) -> Table:
    """Run report ``name`` with ``params`` (``{name: value}`` as typed by the user).

    :param case: keep only what is tagged into this case (see :func:`in_case`).
    :param limit: at most this many rows (the table's ``more`` says whether others follow),
        from row ``offset`` of the report's order.
    :param scan: compute what the report reads from the materialised facts (see
        :mod:`claimledger.rules.materialised`) from the records instead; by default only on a
        ledger that does not keep them. The rows are the same.
    :param engine_order: leave the report's final ``ORDER BY`` to the engine; by default
        only on a store other than Oxigraph's own (a SPARQL server sorts and pages on its
        side). Otherwise the rows are sorted in Python, in the same order
        (:mod:`claimledger.query.ordering`).
    :raises InputError: for an unknown report, a missing, unknown or malformed parameter, a
        negative limit or offset.
    :raises NotFoundError: for an unknown case.
    """
    check_page(limit, offset)
    spec = load(name, scan=not ledger.materialised if scan is None else scan)
    bindings = bind(ledger, spec, params or {})
    case_node = ledger.resolve("case", case, argument="--case") if case is not None else None
    finish = _FINISH.get(name)
    sparql = spec.sparql
    hidden = tuple(p.name for p in spec.params)
    if engine_order is None:
        engine_order = not isinstance(ledger.store, OxigraphStore)
    order = None if engine_order else ordering.split(sparql)
    table = None
    if order is not None:
        table = to_table(ledger.store.query(order.bare, bindings), hidden=hidden)
        rows = ordering.sort_rows(table.columns, table.rows, order.keys)
        # Terms whose order only the engine knows (no packaged report returns them in its
        # sort columns): the query runs again below, with its ORDER BY.
        table = replace(table, rows=rows) if rows is not None else None
    paged_in_query = table is None and limit is not None and finish is None and case_node is None
    if paged_in_query:  # one more row than asked: whether more follow
        sparql += f"\nLIMIT {int(limit) + 1}" + (f" OFFSET {int(offset)}" if offset else "")
    if table is None:  # the engine orders
        table = to_table(ledger.store.query(sparql, bindings), hidden=hidden)
    table = finish(ledger, bindings, table) if finish is not None else table
    table = in_case(ledger, table, case_node) if case_node is not None else table
    if paged_in_query:
        return replace(table, rows=table.rows[:limit], more=len(table.rows) > limit)
    if limit is not None or offset:
        end = None if limit is None else offset + limit
        return replace(table, rows=table.rows[offset:end],
                       more=end is not None and len(table.rows) > end)
    return table


def check_page(limit: int | None, offset: int) -> None:
    """:raises InputError: for a negative ``limit`` or ``offset``."""
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise InputError(f"{limit} is not a number of rows (give 0 or more)", argument="--limit")
    if not isinstance(offset, int) or offset < 0:
        raise InputError(f"{offset} is not a number of rows to skip (give 0 or more)",
                         argument="--offset")


def in_case(ledger: LedgerCore, table: Table, case: NamedNode) -> Table:
    """A report's rows for one case: rows about a claim tagged into it (a ``claim`` column),
    else about a source tagged into it (a ``source`` column); ``summary`` recounted over the
    case's claims."""
    tagged = {t.subject for t in ledger.store.triples(None, V.IN_CASE, case)}
    if "claim" in table.columns:
        col = table.columns.index("claim")
        return replace(table, rows=[r for r in table.rows if r[col] in tagged])
    if table.columns[:1] == ["status"]:  # summary
        return _summary_of(ledger, table, tagged)
    if "source" in table.columns:
        col = table.columns.index("source")
        return replace(table, rows=[r for r in table.rows if r[col] in tagged])
    return table


def _summary_of(ledger: LedgerCore, table: Table, claims: set) -> Table:
    levels = ("low", "moderate", "high")
    counts: dict[str, list[int]] = {}
    for claim in claims:
        if not any(True for _ in ledger.store.triples(claim, V.TYPE, V.CLAIM)):
            continue
        status = V.Status.find(next((t.object for t in ledger.store.triples(claim, V.STATUS, None)),
                                    None))
        level = V.Confidence.find(next((t.object for t in
                                        ledger.store.triples(claim, V.CONFIDENCE, None)), None))
        for key in (status, "total"):
            row = counts.setdefault(key or "", [0, 0, 0, 0])
            if level in levels:
                row[levels.index(level)] += 1
            row[3] += 1
    rows = []
    for row in table.rows:
        name = row[0].value if row[0] is not None else ""
        n = counts.get(name, [0, 0, 0, 0])
        rows.append([row[0], *(Literal(v) for v in n)])
    return replace(table, rows=rows)


def bind(ledger: LedgerCore, spec: ReportSpec, params: dict[str, str]) -> dict[str, object]:
    """Turn typed parameter values into RDF terms for ``spec``."""
    known = {p.name: p for p in spec.params}
    for key in params:
        if key not in known:
            raise InputError(f"report {spec.name!r} takes no parameter {key!r}"
                             + (f" (it takes: {', '.join(known)})" if known else ""),
                             argument="--param")
    out: dict[str, object] = {}
    for p in spec.params:
        if p.name not in params:
            raise InputError(f"report {spec.name!r} needs --param {p.name}=… ({p.description})",
                             argument="--param")
        value = params[p.name]
        arg = f"--param {p.name}"
        if p.kind in ("source", "claim"):
            out[p.name] = ledger.resolve(p.kind, value, argument=arg)
        elif p.kind == "date":
            out[p.name] = terms.parse_date(value, argument=arg)
        elif p.kind == "iri":
            out[p.name] = ledger.expand(value, argument=arg)
        else:
            out[p.name] = Literal(terms.check_text(value, argument=arg))
    return out


def to_table(result, *, hidden: tuple[str, ...] = ()) -> Table:
    """A SELECT result (:class:`~claimledger.store.base.Rows`) as a :class:`Table`."""
    if not isinstance(result, Rows):
        raise InputError("reports are SELECT queries")
    return Table(list(result.variables), [list(row) for row in result], hidden)


# -- impact: a hypothetical discrediting, recounted exactly -----------------------------------

#: What ``impact`` says about a claim that would fall, worst first.
IMPACT_EFFECTS = ("loses all support", "drops to one origin")
IMPACT_COLUMNS = ("source", "claim", "text", "effect", "status_before", "status_after",
                  "origins_before", "origins_after", "confidence", "lost")


def impact(ledger: LedgerCore, bindings: dict[str, object], candidates: Table) -> Table:
    """The ``impact`` report: which claims would fall if ``bindings["source"]`` were discredited.

    ``candidates`` holds the rows of ``impact.rq``: every piece of evidence found in or
    attributed to the source, or to a source derived from it, with its claim. Each of those
    claims is re-derived twice with :func:`claimledger.corroboration.derive` on the facts the
    write path would use — as it stands, and with the source marked discredited — so the
    answer is exactly what ``source discredit`` would do, independence (maximum set packing of
    origin sets) included. Nothing is written.
    """
    source = bindings["source"]
    if not isinstance(source, NamedNode):
        raise InputError("impact needs a source", argument="--param source")
    col = {c: i for i, c in enumerate(candidates.columns)}
    reached: dict[NamedNode, dict[NamedNode, set[tuple[str, NamedNode]]]] = {}
    for row in candidates.rows:
        claim, ev = row[col["claim"]], row[col["evidence"]]
        if not isinstance(claim, NamedNode) or not isinstance(ev, NamedNode):
            continue
        reached.setdefault(claim, {}).setdefault(ev, set()).add(
            (row[col["role"]].value, row[col["via"]]))
    view = StateView(ledger.store, ChangeSet())
    view.prefetch(reached, [])  # every claim's facts in a few queries, not one per node
    found: list[tuple[int, str, list[object]]] = []
    for claim, evidence in reached.items():
        if not view.has(claim, V.TYPE, V.CLAIM):
            continue
        facts = gather_facts(view, claim)
        if facts.verdict is not None or source not in facts.sources:
            continue
        lineage = corroboration.Lineage(facts.sources)
        before = corroboration.derive(facts.evidence, facts.sources, lineage=lineage)
        discredited = dict(facts.sources)
        discredited[source] = replace(facts.sources[source], discredited=True)
        after = corroboration.derive(facts.evidence, discredited,
                                     lineage=corroboration.Lineage(discredited))
        if before.independent_origins >= 1 and after.independent_origins == 0:
            effect = IMPACT_EFFECTS[0]
        elif before.independent_origins >= 2 and after.independent_origins == 1:
            effect = IMPACT_EFFECTS[1]
        else:
            continue
        lost = []
        for ev in sorted(facts.evidence, key=lambda e: e.iri.value):
            if ev.stance != "supports" or not before.counts[ev.iri] or after.counts[ev.iri]:
                continue
            ways = []
            for role, via in sorted(evidence.get(ev.iri, ()), key=lambda rv: (rv[0], rv[1].value)):
                way = f"{'found in' if role == 'found' else 'quoting'} {ledger.slug(via)}"
                if via != source:
                    way += f", derived from {ledger.slug(source)}"
                ways.append(way)
            lost.append(f"{ledger.slug(ev.iri)}: {' and '.join(ways)}")
        text = view.value(claim, V.TEXT)
        confidence = view.value(claim, V.CONFIDENCE)
        found.append((IMPACT_EFFECTS.index(effect), claim.value, [
            source, claim, text, Literal(effect), Literal(before.status), Literal(after.status),
            Literal(before.independent_origins), Literal(after.independent_origins),
            Literal(V.Confidence.token(confidence)) if isinstance(confidence, NamedNode) else None,
            Literal("; ".join(lost)),
        ]))
    found.sort(key=lambda f: (f[0], f[1]))
    return Table(list(IMPACT_COLUMNS), [row for _, _, row in found], candidates.hidden)


#: Reports finished in Python after their query (see the report's header).
_FINISH = {"impact": impact}
