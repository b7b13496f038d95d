"""Importing a CSV file in the layout of :mod:`.tabular`: all or nothing, every bad row named.

The rows are recorded through the record APIs — ``sources.add``, ``claims.add``,
``evidence.add``, ``evidence.retract``, ``claims.verdict``, ``sources.discredit`` — joined into
one write by :class:`~claimledger.interchange.batch.Batch`, so a CSV can hold only what a user
could record with the commands, and each cell is checked exactly as the command's option is.
In order: sources (upstreams first), claims, evidence in file order (so a claim's evidence is
numbered as the file lists it), retractions, verdicts, discreditings. The ``…_by`` / ``…_at``
columns, when given, say who recorded each thing and when; the import's own event says who
imported it.

A claim or source already in the ledger may be named by its slug alone; cells given for it
must agree with what the ledger holds (a verdict or discrediting it lacks is recorded).

Nothing is written unless every row can be recorded and the whole import keeps the sourcing
rules. Otherwise :class:`~.tabular.TableError` (exit 2) or :class:`TableRuleViolation` (exit 1)
lists every bad row with its line, column and reason.
"""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult
from claimledger.errors import ClaimLedgerError, InputError, RuleViolation
from claimledger.interchange import tabular as T
from claimledger.interchange.batch import Batch
from claimledger.interchange.tabular_plan import (
    CLAIM_ARGS, CLAIM_IDENTITY, EVIDENCE_ARGS, FALSE_CELLS, LIST_SEPARATORS, SOURCE_ARGS,
    SOURCE_IDENTITY, TRUE_CELLS, Entity, Plan, Progress, TableRuleViolation, plan)
from claimledger.model import terms
from claimledger.model import vocab as V


def import_csv(ledger: LedgerCore, path: str | Path, *, max_bytes: int, reason: str | None = None,
               progress: Progress | None = None, bulk: bool | None = None) -> WriteResult:
    """Record a CSV file in the layout as one write, all or nothing (see the module doc).

    :param progress: called with ``(done, total)`` as rows are recorded.
    :param bulk: force the bulk path (True) or the ordinary one (False); by size when None.
    :raises TableError: listing every row that cannot be recorded (nothing is written).
    :raises TableRuleViolation: listing the rows that break a sourcing rule (nothing written).
    :raises InputError: for a missing or oversized file.
    """
    name = Path(path).name
    rows, digest = T.read_file(path, max_bytes=max_bytes)
    arguments = {"file": name, "sha256": digest, "format": "csv", "rows": len(rows)}
    the_plan = plan(rows)
    with Batch.open(ledger, "import", arguments, reason=reason) as batch:
        writer = _Writer(batch, the_plan, progress)
        writer.run()
        if the_plan.problems:
            raise T.TableError(name, the_plan.problems)
        if not rows:
            raise InputError(f"{name!r} holds no rows to import", argument="FILE")
        try:
            return batch.commit(bulk=bulk)
        except RuleViolation as exc:
            raise TableRuleViolation(name, exc.report, writer.where) from None


class _Writer:
    """Records a plan through the record APIs of one batch, collecting every problem."""

    def __init__(self, batch: Batch, the_plan: Plan, progress: Progress | None) -> None:
        self.batch = batch
        self.plan = the_plan
        self.progress = progress
        self.failed: set[tuple[str, str]] = set()
        #: Each recorded node (as IRI text) → the line it comes from and its kind.
        self.where: dict[str, tuple[int, str]] = {}
        self.existing: dict[tuple[str, str], dict[str, str]] = {}
        self.total = len(the_plan.sources) * 2 + len(the_plan.claims) * 2 + len(the_plan.evidence)
        self.done = 0

    # -- bookkeeping ---------------------------------------------------------------------
    def problem(self, line: int, column: str | None, reason: str) -> None:
        self.plan.problems.append(T.Problem(line, column, reason))

    def error(self, exc: ClaimLedgerError, columns: dict[str, str], line_of) -> None:
        argument = getattr(exc, "argument", None)
        column = columns.get(argument or "")
        message = exc.message
        if argument and message.startswith(f"{argument}: "):
            message = message[len(argument) + 2:]
        self.problem(line_of(column), column, message)

    def step(self) -> None:
        self.done += 1
        if self.progress is not None and (self.done % 500 == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def stamp(self, node: NamedNode, cells: dict[str, str], by: str, at: str, line_of) -> bool:
        """Set who recorded ``node`` and when from the cells ``by`` / ``at`` (if given)."""
        try:
            agent = (self.batch.agent_iri(cells[by], argument=by) if by in cells else None)
            time = (terms.make_literal(cells[at], datatype=V.XSD_DATETIME, argument=at)
                    if at in cells else None)
        except InputError as exc:
            self.error(exc, {by: by, at: at}, line_of)
            return False
        self.batch.stamp(node, agent, time)
        return True

    def known(self, kind: str, slug: str) -> dict[str, str] | None:
        """The columns of a claim or source the ledger held before this import, if any."""
        key = (kind, slug)
        if key not in self.existing:
            node = self.batch.iri(kind, slug)
            if not any(True for _ in self.batch._ledger.store.triples(node, V.TYPE, None)):
                self.existing[key] = {}
            elif kind == "claim":
                self.existing[key] = T.claim_cells(self.batch._ledger, node).get(node, {})
            else:
                self.existing[key] = T.source_cells(self.batch._ledger, node).get(node, {})
        return self.existing[key] or None

    # -- the steps -----------------------------------------------------------------------
    def run(self) -> None:
        for slug, entity in {**self.plan.claims, **self.plan.sources}.items():
            try:
                terms.check_slug(slug, argument="SLUG")
            except InputError as exc:
                kind = "claim" if slug in self.plan.claims else "source"
                self.problem(entity.line, kind, exc.message.removeprefix("SLUG: "))
                self.failed.add((kind, slug))
        for slug in self._source_order():
            self._source(self.plan.sources[slug])
        for entity in self.plan.claims.values():
            self._claim(entity)
        for row in self.plan.evidence:
            self._evidence(row)
        for entity in self.plan.claims.values():
            self._verdict(entity)
        for entity in self.plan.sources.values():
            self._discredit(entity)

    def _source_order(self) -> list[str]:
        """Sources upstream first; a derivation cycle within the file is a problem."""
        sources = self.plan.sources
        parents = {slug: [p for p in LIST_SEPARATORS.split(e.cells.get("derived_from", "")) if p]
                   for slug, e in sources.items()}
        order: list[str] = []
        state: dict[str, int] = {}  # 1: on the path, 2: done
        for start in sources:
            stack = [(start, iter(parents[start]))]
            if state.get(start):
                continue
            state[start] = 1
            while stack:
                node, it = stack[-1]
                parent = next(it, None)
                if parent is None:
                    stack.pop()
                    state[node] = 2
                    order.append(node)
                elif parent in sources and state.get(parent) == 1:
                    loop = [n for n, _ in stack][[n for n, _ in stack].index(parent):] + [parent]
                    entity = sources[node]
                    self.problem(entity.at("derived_from"), "derived_from",
                                 "derivation cycle: " + " → ".join(loop))
                    self.failed.update(("source", n) for n in loop)
                elif parent in sources and not state.get(parent):
                    state[parent] = 1
                    stack.append((parent, iter(parents[parent])))
        return order

    def _source(self, e: Entity) -> None:
        self.step()
        if ("source", e.slug) in self.failed:
            return
        parents = [p for p in LIST_SEPARATORS.split(e.cells.get("derived_from", "")) if p]
        if any(("source", p) in self.failed for p in parents):
            self.failed.add(("source", e.slug))
            return
        known = self.known("source", e.slug)
        if known is not None:
            self._agree("source", e, known, SOURCE_IDENTITY)
            self.where[self.batch.iri("source", e.slug).value] = (e.line, "source")
            return
        c = e.cells
        if "source_title" not in c:
            self.problem(e.line, "source_title", f"source {e.slug!r} is not in the ledger: give "
                         "its title (and its other columns) on one of its rows")
            self.failed.add(("source", e.slug))
            return
        anonymous = self._flag(e)
        if anonymous is None:
            self.failed.add(("source", e.slug))
            return
        try:
            self.batch.sources.add(
                e.slug, title=c["source_title"], kind=c.get("source_kind", "document"),
                url=c.get("source_url"), published=c.get("published"), anonymous=anonymous,
                justification=c.get("justification"), known_to=c.get("known_to"),
                reliability=c.get("reliability", "F"), derived_from=parents)
        except ClaimLedgerError as exc:
            self.error(exc, SOURCE_ARGS, e.at)
            self.failed.add(("source", e.slug))
            return
        node = self.batch.tx.created
        self.where[node.value] = (e.line, "source")
        self.stamp(node, c, "source_recorded_by", "source_recorded_at", e.at)

    def _flag(self, e: Entity) -> bool | None:
        cell = e.cells.get("anonymous", "false").lower()
        if cell in TRUE_CELLS or cell in FALSE_CELLS:
            return cell in TRUE_CELLS
        self.problem(e.at("anonymous"), "anonymous",
                     f"{e.cells['anonymous']!r} is not true or false")
        return None

    def _claim(self, e: Entity) -> None:
        self.step()
        if ("claim", e.slug) in self.failed:
            return
        known = self.known("claim", e.slug)
        if known is not None:
            self._agree("claim", e, known, CLAIM_IDENTITY)
            self.where[self.batch.iri("claim", e.slug).value] = (e.line, "claim")
            return
        c = e.cells
        if "text" not in c:
            self.problem(e.line, "text", f"claim {e.slug!r} is not in the ledger: give its "
                         "statement text, subject, predicate and object on one of its rows")
            self.failed.add(("claim", e.slug))
            return
        try:
            self.batch.claims.add(
                e.slug, subject=c.get("subject", ""), predicate=c.get("predicate", ""),
                text=c.get("text", ""), object=c.get("object"), value=c.get("value"),
                lang=c.get("language"), datatype=c.get("datatype"),
                text_lang=self._text_language(e), confidence=c.get("confidence", "low"))
        except ClaimLedgerError as exc:
            if getattr(exc, "argument", None) == "--lang" and "language" not in c:
                exc.argument = "--text-lang"
            self.error(exc, CLAIM_ARGS, e.at)
            self.failed.add(("claim", e.slug))
            return
        node = self.batch.tx.created
        self.where[node.value] = (e.line, "claim")
        self.stamp(node, c, "claim_recorded_by", "claim_recorded_at", e.at)

    @staticmethod
    def _text_language(e: Entity) -> str:
        return e.cells.get("text_language", "en")

    def _evidence(self, row: T.Row) -> None:
        self.step()
        c = row.cells
        claim, source = c["claim"], c["source"]
        attributed = c.get("attributed_to")
        if ({("claim", claim), ("source", source), ("source", attributed)} & self.failed):
            return
        try:
            self.batch.evidence.add(
                claim, source, stance=c.get("stance", ""), attributed_to=attributed,
                quote=c.get("quote"), prefix=c.get("quote_prefix"), suffix=c.get("quote_suffix"),
                locator=c.get("locator"), credibility=c.get("credibility"))
        except ClaimLedgerError as exc:
            self.error(exc, EVIDENCE_ARGS, lambda column: row.line)
            return
        node = self.batch.tx.created
        self.where[node.value] = (row.line, "evidence")
        self.where[node.value + "#quote"] = (row.line, "evidence")
        self.stamp(node, c, "recorded_by", "recorded_at", lambda column: row.line)
        if "evidence_retracted" in c:
            try:
                self.batch.evidence.retract(self.batch.slug(node), reason=c["evidence_retracted"])
            except ClaimLedgerError as exc:
                self.error(exc, EVIDENCE_ARGS, lambda column: row.line)
                return
            record = self.batch.tx.view.value(node, V.RETRACTION_LINK)
            self.where[record.value] = (row.line, "retraction")
            self.stamp(record, c, "retracted_by", "retracted_at", lambda column: row.line)
        elif "retracted_by" in c or "retracted_at" in c:
            self.problem(row.line, "evidence_retracted",
                         "retracted_by / retracted_at need the retraction's reason here")

    def _verdict(self, e: Entity) -> None:
        self.step()
        c = e.cells
        if "verdict" not in c:
            for col in ("verdict_scale", "verdict_reason", "verdict_evidence", "verdict_by",
                        "verdict_at"):
                if col in c:
                    self.problem(e.at(col), col, "a verdict's details without a verdict")
                    break
            return
        if ("claim", e.slug) in self.failed:
            return
        known = self.known("claim", e.slug)
        if known is not None and known.get("verdict"):
            if not self._same_rating(c, known):
                self.problem(e.at("verdict"), "verdict",
                             f"claim {e.slug!r} has the verdict {known['verdict']!r} in force in "
                             "the ledger already")
            return
        try:
            self.batch.claims.verdict(
                e.slug, c["verdict"], reason=c.get("verdict_reason", ""),
                scale=c.get("verdict_scale"),
                evidence=[x for x in LIST_SEPARATORS.split(c.get("verdict_evidence", "")) if x])
        except ClaimLedgerError as exc:
            self.error(exc, CLAIM_ARGS, e.at)
            return
        node = self.batch.tx.created
        self.where[node.value] = (e.at("verdict"), "verdict")
        self.stamp(node, c, "verdict_by", "verdict_at", e.at)

    def _same_rating(self, cells: dict[str, str], known: dict[str, str]) -> bool:
        """Whether a file's verdict names the rating of the verdict in force in the ledger."""
        from claimledger.records.scales import Scales

        scales = Scales(self.batch)  # type: ignore[arg-type]
        try:
            mine = scales.resolve(cells["verdict"], scale=cells.get("verdict_scale"))
            theirs = scales.resolve(known["verdict"], scale=known.get("verdict_scale") or None)
        except InputError:
            return cells["verdict"] == known["verdict"]
        return mine.iri == theirs.iri

    def _discredit(self, e: Entity) -> None:
        self.step()
        c = e.cells
        if "source_discredited" not in c:
            for col in ("discredited_by", "discredited_at"):
                if col in c:
                    self.problem(e.at(col), "source_discredited",
                                 f"{col} needs the discrediting's reason in source_discredited")
                    break
            return
        if ("source", e.slug) in self.failed:
            return
        known = self.known("source", e.slug)
        if known is not None and known.get("source_discredited"):
            return
        try:
            self.batch.sources.discredit(e.slug, reason=c["source_discredited"])
        except ClaimLedgerError as exc:
            self.error(exc, SOURCE_ARGS, e.at)
            return
        node = self.batch.iri("source", e.slug)
        record = self.batch.tx.view.value(node, V.DISCREDITED)
        self.where[record.value] = (e.at("source_discredited"), "discrediting")
        self.stamp(record, c, "discredited_by", "discredited_at", e.at)

    # -- agreeing with the ledger ----------------------------------------------------------
    def _agree(self, kind: str, e: Entity, known: dict[str, str], columns: tuple[str, ...]) -> None:
        for col in columns:
            if col not in e.cells:
                continue
            try:
                mine = self._normal(col, e.cells[col])
            except InputError as exc:
                self.problem(e.at(col), col, exc.message.split(": ", 1)[-1])
                continue
            theirs = known.get(col, "")
            if mine != theirs:
                self.problem(e.at(col), col, f"{kind} {e.slug!r} is in the ledger already with "
                             f"{col} {theirs!r}, not {e.cells[col]!r}")

    def _normal(self, column: str, cell: str) -> str:
        """A cell in the form the export writes, to compare with the ledger's."""
        led = self.batch
        if column in ("subject", "predicate", "object"):
            return f"<{led.expand(cell, argument=column).value}>"
        if column == "datatype":
            return T.datatype_cell(led.expand(cell, argument=column))
        if column in ("language", "text_language"):
            return cell.lower()
        if column == "published":
            return terms.parse_date(cell, argument=column).value
        if column == "anonymous":
            return "true" if cell.lower() in TRUE_CELLS else "false" if cell.lower() in FALSE_CELLS else cell
        if column == "known_to":
            return T.iri_cell(led._ledger, led.agent_iri(cell, argument=column), "agent")
        if column == "derived_from":
            return " ".join(sorted(p for p in LIST_SEPARATORS.split(cell) if p))
        return cell


__all__ = ["TableRuleViolation", "import_csv", "plan"]
