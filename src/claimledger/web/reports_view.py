"""Report pages: every packaged report with its parameters, as a table and as a download.

``/reports`` lists them (:func:`claimledger.query.reports.available`); ``/reports/NAME``
shows a form for its parameters and, once they are given, runs it
(:func:`claimledger.query.reports.run`, exactly what ``claimledger report`` runs) and shows the
table as the CLI's table does (slugs and CURIEs, parameter columns left out), :data:`PAGE` rows
at a time (``offset=N`` and ``limit=N``, as ``report --offset --limit``). ``format=csv``,
``tsv``, ``json``, ``sparql-csv``, ``sparql-tsv`` or ``sparql-json`` downloads the file
:func:`claimledger.render.report_file` writes, byte for byte what ``report --format`` writes.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for

from claimledger import render
from claimledger.errors import InputError
from claimledger.query import reports
from claimledger.web.access import reading
from claimledger.web.auth import config

bp = Blueprint("reports", __name__)

DOWNLOADS = render.REPORT_FILES
#: Rows on one page of a report unless ``limit=N`` (at most :data:`MAX_PAGE`) says otherwise;
#: downloads hold every row.
PAGE = 200
MAX_PAGE = 5000
#: Columns whose values link to a claim or a source page.
CLAIM_COLUMNS = frozenset({"claim"})
SOURCE_COLUMNS = frozenset({"source", "origin"})


@bp.route("/reports")
def index():
    return render_template("reports.html", specs=reports.available())


@bp.route("/reports/<name>")
def report(name: str):
    spec = reports.load(name)
    fmt = request.args.get("format", "html")
    if fmt != "html" and fmt not in DOWNLOADS:
        raise InputError(f"{fmt!r} is not a format (choose html, {', '.join(DOWNLOADS)})",
                         argument="format")
    given = {p.name: request.args[p.name] for p in spec.params if request.args.get(p.name)}
    offset = _count(request.args.get("offset", "0"), "offset", 0)
    limit = _count(request.args.get("limit", str(PAGE)), "limit", 1)
    table = rows = None
    errors: dict[str, str] = {}
    general = None
    if len(given) == len(spec.params):
        with reading(config()) as ledger:
            try:
                page = {} if fmt in DOWNLOADS else {"limit": limit, "offset": offset}
                table = reports.run(ledger, name, given, **page)
            except InputError as exc:
                placed = False
                for p in spec.params:
                    if exc.argument == f"--param {p.name}":
                        errors[p.name] = exc.message.split(": ", 1)[-1]
                        placed = True
                if not placed:
                    general = exc.message
            if table is not None and fmt in DOWNLOADS:
                mimetype = DOWNLOADS[fmt]
                suffix = "-".join(given[p.name] for p in spec.params)
                filename = f"{name}{'-' + suffix if suffix else ''}.{fmt.removeprefix('sparql-')}"
                safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in filename)
                return Response(render.report_file(ledger, table, fmt), mimetype=mimetype,
                                headers={"Content-Disposition": f'attachment; filename="{safe}"'})
            if table is not None:
                keep = [i for i, c in enumerate(table.columns) if c not in table.hidden]
                rows = [[(table.columns[i], None if row[i] is None else ledger.compact(row[i]))
                         for i in keep] for row in table.rows]
    status = 400 if errors or general else 200
    paged = {"limit": limit} if limit != PAGE else {}
    prev_url = next_url = None
    if table is not None and offset:
        prev_url = url_for("reports.report", name=name, offset=max(offset - limit, 0), **paged,
                           **given)
    if table is not None and table.more:
        next_url = url_for("reports.report", name=name, offset=offset + limit, **paged, **given)
    return render_template("report.html", spec=spec, given=given, table=table, rows=rows,
                           headers=[c for c in (table.columns if table else [])
                                    if c not in (table.hidden if table else ())],
                           errors=errors, general=general, claim_columns=CLAIM_COLUMNS,
                           source_columns=SOURCE_COLUMNS, offset=offset, page=limit,
                           prev_url=prev_url, next_url=next_url), status


def _count(text: str, name: str, least: int) -> int:
    """A page's ``offset`` (0 or more) or ``limit`` (1 to :data:`MAX_PAGE`) from the URL."""
    if not text.isdigit() or len(text) > 12 or int(text) < least \
            or (name == "limit" and int(text) > MAX_PAGE):
        most = f" to {MAX_PAGE:,}" if name == "limit" else " or more"
        raise InputError(f"{text!r} is not a number of rows for {name} (give {least}{most})",
                         argument=name)
    return int(text)
