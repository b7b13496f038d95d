"""What a command shows of a library result: a write's outcome, a validation report, a claim,
a source, a capture, a verdict scale, a case — as text and as JSON-ready data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimledger.render.tables import table
from claimledger.render.text import fields, one_line, terminal

if TYPE_CHECKING:
    from claimledger.validation import ValidationReport

#: The statuses a verdict sets (as :data:`claimledger.model.vocab.VERDICTS`).
VERDICT_STATUSES = ("confirmed", "refuted", "mixed", "inconclusive", "retracted")


def validation_text(report: ValidationReport, short) -> str:
    """Results grouped by focus node, most severe first, one line per rule."""
    if not report.results:
        return "no results: the ledger satisfies every rule checked\n"
    lines: list[str] = []
    current = None
    for r in report.sorted().results:
        if r.focus != current:
            current = r.focus
            lines.append(short(r.focus))
        value = f" [{short(r.value)}]" if r.value and r.value != r.focus else ""
        lines.append(f"  {r.severity:<9} {r.rule}: {r.message}{value}")
    counts = {s: sum(1 for r in report.results if r.severity == s)
              for s in ("Violation", "Warning", "Info")}
    lines.append("")
    lines.append(f"{counts['Violation']} violation(s), {counts['Warning']} warning(s), "
                 f"{counts['Info']} info")
    return terminal("\n".join(lines) + "\n", keep="\n")


def write_data(names, result, message: str) -> dict:
    """What a write did, as the JSON object ``--format json`` prints (``names`` is the ledger,
    for slugs)."""
    return {
        "message": message, "event": result.sequence if result.event is not None else None,
        "hash": result.hash,
        "created": names.slug(result.created) if result.created is not None else None,
        "status_changes": [
            {"claim": names.slug(c.claim), "before": c.before, "after": c.after,
             "independent_origins": c.origins_after,
             "confidence_before": c.confidence_before, "confidence_after": c.confidence_after}
            for c in result.status_changes],
        "warnings": [{"focus": names.compact_text(w.focus), "severity": w.severity,
                      "rule": w.rule, "message": w.message,
                      "new": (w.focus, w.rule, w.message) not in result.repeated}
                     for w in result.warnings],
    }


def write_text(names, result, message: str) -> tuple[str, list[str]]:
    """What a write did for a person: the text for stdout, and the warning lines for stderr.

    Only what changed is said: a status that stayed the same is not shown as a change (its
    number of independent origins is), and a warning the touched nodes already had before
    the write is not repeated."""
    data = write_data(names, result, message)
    head, *rest = message.split("\n")  # notes on the lines after the first
    lines = [head + (f" (event {result.sequence})" if result.event is not None else ""), *rest]
    for change, c in zip(result.status_changes, data["status_changes"]):
        n = c["independent_origins"]
        noun = "origin" if n == 1 else "origins"
        if c["before"] != c["after"]:
            lines.append(f"  {c['claim']}: {c['before'] or 'new'} → {c['after']} "
                         f"({n} independent {noun})")
        elif change.origins_before != n:
            lines.append(f"  {c['claim']}: {c['after']}, independent origins "
                         f"{change.origins_before} → {n}")
        else:
            lines.append(f"  {c['claim']}: {c['after']}")
        if c["confidence_after"] is not None:
            why = (f"a claim {c['after']} by its verdict allows no more"
                   if c["after"] in VERDICT_STATUSES else "its sourcing no longer supports more")
            lines.append(f"    confidence lowered {c['confidence_before']} → "
                         f"{c['confidence_after']}: {why}")
    warnings = [terminal(f"warning: [{w['rule']}] {w['message']} ({w['focus']})")
                for w in data["warnings"] if w["new"]]
    return terminal("\n".join(lines) + "\n", keep="\n"), warnings


def claim_text(record, versions=None) -> str:
    """``claim show``: a claim with its status, evidence, verdicts and (given) its history."""
    out = [fields([
        ("claim", record.slug), ("text", record.text),
        ("triple", f"{record.subject} {record.predicate} {record.object}"),
        ("status", record.status), ("independent origins", str(record.independent_origins)),
        ("support origins", ", ".join(record.support_origins) or None),
        ("confidence", record.confidence),
        ("recorded", f"{record.recorded_at} by {record.recorded_by}"),
        ("flags", "; ".join(getattr(record, "flags", ())) or None),
    ])]
    lines: list[str] = []
    if record.evidence:
        lines.append("evidence:")
        for e in record.evidence:
            via = f" via {e.attributed_to}" if e.attributed_to else ""
            state = "" if e.counts else (
                " (does not count" + (f": {e.not_counted}" if getattr(e, "not_counted", None)
                                      else f": retracted — {e.retracted}" if e.retracted
                                      else "") + ")")
            lines.append(f"  {e.id}: {e.stance} — {e.source}{via}; origins: "
                         f"{', '.join(e.origins) or '-'}{state}")
            if e.quote:
                before = getattr(e, "prefix", None)
                after = getattr(e, "suffix", None)
                lines.append(f"      quote: {one_line(e.quote)}")
                if before or after:
                    lines.append(f"      in context: …{one_line(before or '')}[{one_line(e.quote)}]"
                                 f"{one_line(after or '')}…")
                standing = quote_standing(getattr(e, "quote_state", None))
                if standing:
                    lines.append(f"        {standing}")
            if e.locator:
                lines.append(f"      at: {e.locator}")
            if e.credibility:
                lines.append(f"      credibility: {e.credibility}")
    for v in record.verdicts:
        rating = getattr(v, "rating", None)
        on = f"{rating} on {v.scale}'s scale → " if rating and getattr(v, "scale", None) else (
            f"{rating} → " if rating else "")
        state = "" if getattr(v, "in_force", True) else (
            " [withdrawn: " + v.withdrawn + "]" if getattr(v, "withdrawn", None) else " [superseded]")
        lines.append(f"verdict {getattr(v, 'id', '')}: {on}{v.verdict} — {one_line(v.reason or '')} "
                     f"({v.at} by {v.by}){state}".replace("verdict : ", "verdict: "))
        if getattr(v, "evidence", None):
            lines.append(f"      settled by: {', '.join(v.evidence)}")
        if getattr(v, "supersedes", None):
            lines.append(f"      supersedes: {v.supersedes}")
    if versions:
        lines.append("history:")
        for v in versions:
            why = f" — {v.reason}" if v.reason else ""
            lines.append(f"  #{v.sequence} {v.time} {v.agent}: {v.command}{why}")
            lines.append(f"      status {v.status}, confidence {v.confidence}, "
                         f"{v.evidence} piece(s) of evidence")
            lines.extend(f"      {change}" for change in v.changes)
    return out[0] + "".join(terminal(line) + "\n" for line in lines)


def quote_standing(state) -> str | None:
    """One line on how a quote stands against its source's snapshots, or None."""
    if state is None:
        return None
    if state.status == "unverified":
        return "UNVERIFIED: recorded without being found in the source's snapshot"
    at = f" (characters {state.start}–{state.end})" if state.start is not None else ""
    if state.status == "orphaned":
        last = (f"; it last stood in snapshot {state.snapshot[:12]} of {state.retrieved_at}{at}"
                if state.snapshot else "")
        return (f"ORPHANED: not in the page as retrieved {state.orphaned_at} (snapshot "
                f"{(state.orphaned_on or '')[:12]}){last}")
    return f"pinned: snapshot {(state.snapshot or '')[:12]} of {state.retrieved_at}{at}"


def source_text(record) -> str:
    """``source show``: one source."""
    return fields([
        ("source", record.slug), ("title", record.title), ("kind", record.kind),
        ("reliability", record.reliability), ("anonymous", "yes" if record.anonymous else "no"),
        ("justification", record.justification), ("known to", record.known_to),
        ("url", record.url), ("published", record.published),
        ("derived from", ", ".join(record.derived_from) or None),
        ("discredited", record.discredited and
         f"{record.discredited} ({record.discredited_at} by {record.discredited_by})"),
        ("recorded", f"{record.recorded_at} by {record.recorded_by}"),
    ])


def capture_text(result) -> tuple[str, list[str]]:
    """What ``source fetch`` / ``recheck`` recorded: text for stdout, notes for stderr."""
    if result.outcome == "gone":
        return (f"{result.source}: gone — {result.failure} (event {result.event}); its "
                "snapshots are kept\n", [])
    what = {"new": "snapshot kept", "changed": "changed: new snapshot kept beside the old",
            "unchanged": "unchanged since the last capture"}.get(result.outcome or "", "")
    lines = [f"{result.source}: {what} (event {result.event})"]
    lines.append(fields([
        ("  url", result.url), ("  status", result.status), ("  content type", result.content_type),
        ("  retrieved", result.retrieved_at), ("  sha256", result.sha256),
        ("  size", f"{result.size:,} bytes" if result.size is not None else None),
        ("  redirects", result.redirects or None),
        ("  title", result.title), ("  published", result.published),
        ("  file", result.snapshot_file),
        ("  text", f"{result.text_length:,} characters ({result.extractor})"
         if result.text_length is not None else "none (no text in this media type)"),
    ]).rstrip("\n"))
    notes = []
    for a in result.anchors:
        if a.status == "found":
            lines.append(f"  quote of {a.evidence} ({a.claim}): found (characters {a.start}–{a.end})")
        elif a.status == "unverified":
            lines.append(f"  quote of {a.evidence} ({a.claim}): not in the page; marked unverified")
        else:
            lines.append(f"  quote of {a.evidence} ({a.claim}): ORPHANED — not in the new snapshot")
            if a.hint:
                notes.append(f"hint for {a.evidence}: the closest passage "
                             f"({a.similarity:.0%} alike) reads «{a.hint}» — not recorded as "
                             "its anchor")
    return "\n".join(lines) + "\n", notes


def scale_data(scale) -> dict:
    """A verdict scale as ``scale list`` / ``scale show --format json`` print it."""
    return {"name": scale.name, "iri": scale.iri, "label": scale.label,
            "builtin": scale.builtin, "default": scale.default,
            "best": scale.best, "worst": scale.worst,
            "ratings": [{"iri": r.iri, "label": r.label, "notation": r.notation,
                         "value": r.value, "labels": list(r.labels),
                         "normalised": r.normalised, "status": r.status}
                        for r in scale.ratings]}


def case_text(record, claims) -> str:
    """``case show``: the case, its claims' status summary, its claims and sources."""
    counts = ", ".join(f"{n} {status}" for status, n in record.statuses.items() if n)
    head = fields([
        ("case", record.slug), ("title", record.title), ("description", record.description),
        ("claims", f"{len(record.claims)}" + (f" ({counts})" if counts else "")),
        ("sources", ", ".join(record.sources) or "none"),
        ("opened", f"{record.recorded_at} by {record.recorded_by}"),
    ])
    if not claims:
        return head
    rows = [[c.slug, c.status, c.confidence, c.independent_origins, c.text] for c in claims]
    return head + "\n" + table(["claim", "status", "confidence", "origins", "text"], rows)
