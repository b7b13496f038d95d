"""Who is asking, and what they may do: the user of a request, logging in, CSRF tokens.

Every write has an agent: in local mode the one named at start-up; in desk mode the user who
logged in with their token (or whom the trusted reverse proxy names). A write without one is
refused before the ledger is opened. Every form carries a CSRF token bound to the browser's
session; a POST without the right one is refused (403) and nothing is read or written.
"""

from __future__ import annotations

import hmac
import secrets

from flask import (Blueprint, Response, abort, current_app, g, redirect, render_template,
                   request, session, url_for)

from claimledger.web import users
from claimledger.web.config import WebConfig
from claimledger.web.users import User

bp = Blueprint("auth", __name__)

#: Paths anyone may reach in desk mode without logging in.
OPEN_ENDPOINTS = frozenset({"auth.login", "static"})


def config() -> WebConfig:
    return current_app.config["CLAIMLEDGER"]


def current_user() -> User | None:
    """The user of this request, or None (nobody logged in, or read-only mode)."""
    if "user" in g:
        return g.user
    cfg = config()
    user: User | None = None
    if cfg.mode == "local":
        user = User(cfg.agent or "", "editor")
    elif cfg.mode == "desk":
        if cfg.user_header and request.remote_addr in cfg.trusted_proxies:
            named = request.headers.get(cfg.user_header)
            if named:
                user = users.find_user(cfg.ledger, named)
        if user is None and request.authorization is not None \
                and request.authorization.type == "bearer":
            user = users.authenticate(cfg.ledger, request.authorization.token or "")
        if user is None and session.get("user"):
            # Looked up again on every request: a user removed, or made a reader, is so at once.
            user = users.find_user(cfg.ledger, session["user"])
    g.user = user
    return user


def writer() -> User:
    """The user of this request if they may write; otherwise the request ends (401 / 403)."""
    user = current_user()
    if user is None:
        abort(Response(render_template("error.html", title="Not allowed",
                                       message=_why_not_write()), status=401))
    if not user.can_write:
        abort(Response(render_template("error.html", title="Read-only",
                                       message=f"{user.name} may read this ledger but not "
                                               "write to it."), status=403))
    return user


def _why_not_write() -> str:
    cfg = config()
    if cfg.mode == "read-only":
        return ("This server is read-only: no write without an authenticated agent. Start it "
                "with --agent NAME (local mode) or --desk (users log in) to record.")
    return "Log in to record: every write names its agent."


def require_login() -> Response | None:
    """Desk mode: send someone who has not logged in to the login page."""
    cfg = config()
    if cfg.mode != "desk" or request.endpoint in OPEN_ENDPOINTS or request.endpoint is None:
        return None
    if current_user() is not None:
        return None
    if request.endpoint == "sparql.endpoint":
        return Response("log in, or send Authorization: Bearer TOKEN\n", status=401,
                        mimetype="text/plain", headers={"WWW-Authenticate": "Bearer"})
    return redirect(url_for("auth.login", next=request.full_path))


# -- CSRF -------------------------------------------------------------------------------------

def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    """Refuse a POST whose form does not carry this session's token (403)."""
    if request.method != "POST" or request.endpoint in (None, "sparql.endpoint", "static"):
        return
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(Response(render_template(
            "error.html", title="Form expired",
            message="This form was not sent from this page in this browser session (CSRF "
                    "check). Nothing was written. Go back, reload the page and try again."),
            status=403))


# -- logging in -------------------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():
    cfg = config()
    error = None
    if cfg.mode != "desk":
        return redirect(url_for("claims.index"))
    if request.method == "POST":
        user = users.authenticate(cfg.ledger, request.form.get("token", ""))
        if user is None:
            error = "That token does not open this ledger (see: claimledger user add)."
        else:
            session.clear()
            session["user"] = user.name
            csrf_token()
            target = request.args.get("next", "")
            # Only paths on this site: never an open redirect.
            if not target.startswith("/") or target.startswith("//") or "\\" in target:
                target = url_for("claims.index")
            return redirect(target)
    return render_template("login.html", error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("auth.login") if config().mode == "desk" else url_for("claims.index"))
