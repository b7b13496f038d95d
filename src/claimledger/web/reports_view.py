"""Report pages: every packaged report with its parameters, as a table and as a download.

``/reports`` lists them (:func:`claimledger.query.reports.available`); ``/reports/NAME``
shows a form for its parameters and, once they are given, runs it
(:func:`claimledger.query.reports.run`, exactly what ``claimledger report`` runs) and shows the
table as the CLI's table does (slugs and CURIEs, parameter columns left out). ``format=csv``,
``tsv``, ``json``, ``sparql-csv``, ``sparql-tsv`` or ``sparql-json`` downloads the file
:func:`claimledger.render.report_file` writes, byte for byte what ``report --format`` writes.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from claimledger import render
from claimledger.errors import InputError
from claimledger.query import reports
from claimledger.web.access import reading
from claimledger.web.auth import config

bp = Blueprint("reports", __name__)

DOWNLOADS = render.REPORT_FILES
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
    table = rows = None
    errors: dict[str, str] = {}
    general = None
    if len(given) == len(spec.params):
        with reading(config()) as ledger:
            try:
                table = reports.run(ledger, name, given)
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
    return render_template("report.html", spec=spec, given=given, table=table, rows=rows,
                           headers=[c for c in (table.columns if table else [])
                                    if c not in (table.hidden if table else ())],
                           errors=errors, general=general, claim_columns=CLAIM_COLUMNS,
                           source_columns=SOURCE_COLUMNS), status
