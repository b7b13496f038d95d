"""The reading pages: the claims list, a claim, its origin picture, the sources, a source, the log.

Each view opens the ledger read-only for the request, calls the library's read functions
(:mod:`claimledger.records`, :mod:`claimledger.query`) and renders a template; nothing is
computed here that the CLI does not compute the same way.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, session, url_for
from claimledger.errors import InputError
from claimledger.model import vocab as V
from claimledger.query import reports
from claimledger.query.history import log_entries
from claimledger.query.track import track_record
from claimledger.records.claim_pages import SORTS, ClaimFilter, claim_page
from claimledger.records.source_pages import source_page
from claimledger.web import svg
from claimledger.web.access import reading
from claimledger.web.auth import config
from claimledger.web.origins import origin_tree

bp = Blueprint("claims", __name__)


def _int(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise InputError(f"{raw!r} is not a page number", argument=name)
    return int(raw)


@bp.route("/")
def home():
    return redirect(url_for("claims.index"))


@bp.route("/claims")
def index():
    cfg = config()
    where = ClaimFilter(status=request.args.get("status") or None,
                        confidence=request.args.get("confidence") or None,
                        source=request.args.get("source") or None,
                        text=request.args.get("q") or None)
    sort = request.args.get("sort") or "any"
    page_no = max(1, _int("page", 1))
    size = cfg.page_size
    with reading(cfg) as ledger:
        page = claim_page(ledger, where, sort=sort, offset=(page_no - 1) * size, limit=size)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("claims.html", page=page, where=where, sort=sort, sorts=SORTS,
                           page_no=page_no, args=args, statuses=V.Status.tokens,
                           confidences=V.Confidence.tokens, done=session.pop("done", None))


@bp.route("/claims/<path:slug>")
def claim(slug: str):
    with reading(config()) as ledger:
        record = ledger.claims.get(slug)
        versions = ledger.claims.history(slug)
        tree = origin_tree(ledger, record)
    picture = svg.render(tree, title=f"Where the support of {record.slug} comes from")
    return render_template("claim.html", claim=record, versions=versions, tree=tree,
                           picture=picture, colour=svg.colour, done=session.pop("done", None))


@bp.route("/claims/<path:slug>/origins.svg")
def claim_svg(slug: str):
    with reading(config()) as ledger:
        record = ledger.claims.get(slug)
        tree = origin_tree(ledger, record)
    body = svg.render(tree, title=f"Where the support of {record.slug} comes from")
    if not str(body).startswith("<svg"):
        abort(404)
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + str(body),
                    mimetype="image/svg+xml")


@bp.route("/sources")
def sources():
    cfg = config()
    page_no = max(1, _int("page", 1))
    size = cfg.page_size
    with reading(cfg) as ledger:
        page = source_page(ledger, offset=(page_no - 1) * size, limit=size)
    return render_template("sources.html", sources=page.rows, page_no=page_no, more=page.more,
                           done=session.pop("done", None))


@bp.route("/sources/<path:slug>")
def source(slug: str):
    cfg = config()
    with reading(cfg) as ledger:
        record = ledger.sources.get(slug)
        node = ledger.resolve("source", slug, argument="SOURCE")
        derived = sorted(ledger.slug(t.subject) for t in
                         ledger.store.triples(None, V.WAS_DERIVED_FROM, node))
        track = track_record(ledger, slug)
        supported = claim_page(ledger, ClaimFilter(source=slug), limit=cfg.page_size)
        impact = None
        if request.args.get("impact") == "1":
            impact = reports.run(ledger, "impact", {"source": slug})
            impact = [[None if v is None else ledger.compact(v) for v in row]
                      for row in impact.rows]
    return render_template("source.html", source=record, derived=derived, track=track,
                           supported=supported, impact=impact,
                           impact_columns=reports.IMPACT_COLUMNS,
                           done=session.pop("done", None))


@bp.route("/log")
def log():
    ref = request.args.get("ref") or None
    with reading(config()) as ledger:
        entries = log_entries(ledger, ref)
    limit = 200
    return render_template("log.html", entries=list(reversed(entries))[:limit], ref=ref,
                           total=len(entries), limit=limit)
