"""The write pages: show a form, send it to the library, show what changed or why not.

Every POST needs a user who may write (:func:`claimledger.web.auth.writer`) and this
session's CSRF token (checked before any view runs). The ledger is opened read-write for the
one library call the form names and closed at once. A refused write shows the library's
messages next to the fields they are about and writes nothing (the library guarantees it);
a done one redirects to the claim or source with the same status changes and warnings the
CLI prints (:func:`claimledger.render.write_data`).
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session

from claimledger import render
from claimledger.errors import ClaimLedgerError, LedgerBusy, RuleViolation
from claimledger.web.access import writing
from claimledger.web.auth import config, current_user, writer
from claimledger.web.forms import FORMS, place_errors, values

bp = Blueprint("writes", __name__)

#: Status changes kept for the page shown after a write (the cookie is small).
MAX_SHOWN = 25


def form_view(name: str, **fixed: str):
    """GET: the empty form (pre-filled from the query string); POST: the write."""
    spec = FORMS[name]
    if request.method == "GET":
        shown = {f.name: request.args.get(f.name, f.default) for f in spec.fields}
        return render_template("form.html", spec=spec, fixed=fixed, values=shown, errors={},
                               general=[], user=current_user())
    user = writer()
    given = values(spec, request.form, fixed)
    try:
        with writing(config(), user.name) as ledger:
            result = spec.call(ledger, given)
            message = spec.message(ledger, given, result)
            summary = render.write_data(ledger, result, message)
            target = spec.target(ledger, given, result)
    except ClaimLedgerError as exc:
        errors, general = place_errors(spec, exc)
        status = 503 if isinstance(exc, LedgerBusy) else 422 if isinstance(exc, RuleViolation) \
            else 400
        return render_template("form.html", spec=spec, fixed=fixed, values=request.form,
                               errors=errors, general=general, user=user,
                               refused=True), status
    changes = summary["status_changes"]
    summary["more_changes"] = max(0, len(changes) - MAX_SHOWN)
    summary["status_changes"] = changes[:MAX_SHOWN]
    summary["warnings"] = summary["warnings"][:MAX_SHOWN]
    session["done"] = summary
    return redirect(target, code=303)


def _route(rule: str, name: str, *keys: str):
    def view(**kwargs):
        return form_view(name, **{k: kwargs[k] for k in keys})
    view.__name__ = name.replace("-", "_")
    bp.add_url_rule(rule, view.__name__, view, methods=["GET", "POST"])


_route("/new/source", "source-add")
_route("/new/claim", "claim-add")
_route("/new/prefix", "prefix-add")
_route("/claims/<path:claim>/evidence", "evidence-add", "claim")
_route("/claims/<path:claim>/confidence", "claim-confidence", "claim")
_route("/claims/<path:claim>/verdict", "claim-verdict", "claim")
_route("/claims/<path:claim>/revise", "claim-revise", "claim")
_route("/evidence/<path:evidence>/retract", "evidence-retract", "evidence")
_route("/sources/<path:source>/link", "source-link", "source")
_route("/sources/<path:source>/update", "source-update", "source")
_route("/sources/<path:source>/discredit", "source-discredit", "source")
