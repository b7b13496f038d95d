"""The web application: Flask, server-rendered pages, a second face over the library.

:func:`create_app` builds it for one :class:`~claimledger.web.config.WebConfig`; :func:`serve`
runs it under waitress (a production WSGI server). Pages are plain HTML that work without
JavaScript; ``static/app.js`` only adds comforts. Every value is escaped by Jinja2's
autoescaping (the ledger holds hostile text by design), a strict Content-Security-Policy
allows nothing but this site's own files, and the claimledger errors become pages with the
library's message and the HTTP status that matches its exit code.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask, Response, render_template, request

from claimledger import __version__
from claimledger.errors import ClaimLedgerError, LedgerBusy, NotFoundError
from claimledger.web import auth
from claimledger.web.config import WebConfig

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def create_app(config: WebConfig) -> Flask:
    """The application for ``config`` (checked: see :meth:`WebConfig.check`).

    :raises InputError: for settings that would let the wrong people write.
    """
    config.check()
    app = Flask("claimledger.web", static_url_path="/static")
    app.config.update(
        CLAIMLEDGER=config,
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="claimledger_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=8 * 1024 * 1024,
    )
    app.url_map.merge_slashes = False  # a claim imported under another base is named by IRI
    app.jinja_env.autoescape = True
    app.jinja_env.filters["web_link"] = web_link
    app.jinja_env.globals.update(csrf_token=auth.csrf_token, current_user=auth.current_user,
                                 version=__version__, mode=lambda: config.mode)

    from claimledger.web import pages, reports_view, sparql, writes

    for blueprint in (auth.bp, pages.bp, writes.bp, reports_view.bp, sparql.bp):
        app.register_blueprint(blueprint)

    @app.before_request
    def _guard():
        allowed = config.hosts()
        if allowed and hostname(request.host) not in allowed:
            return Response("unknown host\n", status=421, mimetype="text/plain")
        auth.check_csrf()
        return auth.require_login()

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(ClaimLedgerError)
    def _library_error(exc: ClaimLedgerError):
        status = 404 if isinstance(exc, NotFoundError) else 503 if isinstance(exc, LedgerBusy) \
            else 422 if exc.exit_code == 1 else 400
        headers = {"Retry-After": "5"} if status == 503 else {}
        return render_template("error.html", title="Not done", message=exc.message), \
            status, headers

    @app.errorhandler(404)
    def _not_found(_exc):
        return render_template("error.html", title="Not found",
                               message="There is no such page."), 404

    @app.errorhandler(500)
    def _internal(_exc):
        return render_template("error.html", title="Internal error",
                               message="Something went wrong on the server; nothing was "
                                       "written. Please report this."), 500

    return app


def web_link(url: str | None) -> str | None:
    """``url`` if it is an http(s) address a page may link to, else None (a source's URL is
    any IRI: ``javascript:`` and ``data:`` ones are shown, never linked)."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def hostname(host: str) -> str:
    """The name part of a ``Host`` header: ``[::1]:8080`` → ``::1``, ``a.b:80`` → ``a.b``."""
    host = (host or "").strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def serve(config: WebConfig, *, threads: int = 4, announce=None) -> None:
    """Run the application on ``config.host:config.port`` until interrupted.

    :param announce: called with the address listened on (``http://host:port/``, the real
        port when ``config.port`` is 0) once the socket is bound.
    """
    import waitress

    app = create_app(config)
    logging.getLogger("waitress").setLevel(logging.WARNING)
    server = waitress.create_server(app, host=config.host, port=config.port, threads=threads,
                                    ident="claimledger", clear_untrusted_proxy_headers=True)
    host, port = server.socket.getsockname()[:2]
    if announce is not None:
        announce(f"http://{f'[{host}]' if ':' in host else host}:{port}/")
    try:
        server.run()
    finally:
        server.close()
