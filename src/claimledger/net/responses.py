"""HTTP responses as claimledger's client returns them, and the checks callers make on them:
:func:`check_status` (a success, or an error in words) and :func:`expect_type` (the media
type expected). Re-exported by :mod:`claimledger.net.http`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from requests.structures import CaseInsensitiveDict

from claimledger.net.errors import RequestFailed, display_url


@dataclass
class Redirect:
    """One redirect followed: from ``url``, with ``status``, to ``location``."""

    url: str
    status: int
    location: str


@dataclass
class Response:
    """An HTTP response, read whole (see the module doc for the fields)."""

    method: str
    requested_url: str
    url: str
    status: int
    reason: str
    http_version: str
    headers: CaseInsensitiveDict
    header_list: list[tuple[str, str]]
    body: bytes
    content_encoding: str | None
    request_headers: list[tuple[str, str]]
    started: datetime
    finished: datetime
    redirects: list[Redirect] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str | None:
        """The media type, lower case, without parameters (``text/html``)."""
        value = self.headers.get("Content-Type")
        return value.split(";")[0].strip().lower() or None if value else None

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of Content-Type, if any."""
        for param in (self.headers.get("Content-Type") or "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"').lower()
        return None

    def text(self) -> str:
        """The body decoded with its charset (UTF-8 when none is declared)."""
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON.

        :raises RequestFailed: (``kind="content"``) if it is not JSON.
        """
        try:
            return json.loads(self.text())
        except ValueError as exc:
            raise RequestFailed(f"{display_url(self.url)} answered with a body that is not "
                                f"JSON ({exc.msg} at position {exc.pos})", kind="content",
                                url=display_url(self.url)) from None


def check_status(response: Response, *, what: str = "the server",
                 hints: Mapping[int, str] | None = None, ok: Iterable[int] = ()) -> Response:
    """Return ``response`` if its status is a success (2xx, or one of ``ok``).

    :param what: what answered, for the message ("the SPARQL endpoint").
    :param hints: a sentence to add for a status ("lower --batch-size" for 413).
    :raises RequestFailed: ``kind="status"`` with the status in words.
    """
    status = response.status
    if 200 <= status < 300 or status in set(ok):
        return response
    shown = display_url(response.url)
    words = {
        401: f"{what} refused access to {shown} (HTTP 401 Unauthorized: credentials missing or not accepted)",
        403: f"{what} refused access to {shown} (HTTP 403 Forbidden)",
        404: f"nothing at {shown} (HTTP 404 Not Found)",
        405: f"{what} does not accept {response.method} at {shown} (HTTP 405 Method Not Allowed)",
        410: f"{shown} is gone (HTTP 410 Gone)",
        413: f"{what} refused the request as too large (HTTP 413 Payload Too Large)",
        429: f"{what} is refusing requests for now (HTTP 429 Too Many Requests)",
    }
    message = words.get(status) or (
        f"{what} failed at {shown} (HTTP {status} {response.reason})".rstrip() if status >= 500
        else f"{what} answered HTTP {status} {response.reason} for {shown}".rstrip())
    hint = (hints or {}).get(status)
    raise RequestFailed(message + (f"; {hint}" if hint else ""), kind="status", url=shown,
                        status=status)


def expect_type(response: Response, types: Iterable[str], *, what: str = "the server"
                ) -> Response:
    """Return ``response`` if its media type is one of ``types``.

    :raises RequestFailed: ``kind="content"`` otherwise.
    """
    wanted = tuple(t.lower() for t in types)
    if response.content_type in wanted:
        return response
    raise RequestFailed(f"{what} answered with {response.content_type or 'no content type'}, "
                        f"not {' or '.join(wanted)}", kind="content",
                        url=display_url(response.url), status=response.status)
