"""The error every failed HTTP request becomes: :class:`RequestFailed`, an
:class:`~claimledger.errors.EndpointError` (exit 2) that says *how* it failed.

Messages name the host and what went wrong in words; they never hold credentials (URLs are
shown without their user-info part, see :func:`display_url`).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from claimledger.errors import EndpointError

#: The ways a request fails, as :attr:`RequestFailed.kind`.
KINDS = ("dns", "connect", "timeout", "deadline", "tls", "status", "too-large", "refused",
         "redirect", "protocol", "content")


class RequestFailed(EndpointError):
    """An HTTP request did not give a usable answer.

    :param message: what went wrong, for a person.
    :param kind: one of :data:`KINDS` — ``dns`` (the name does not resolve), ``connect``
        (nothing listens, connection refused), ``timeout`` (connect or read timeout),
        ``deadline`` (the whole request took too long), ``tls``, ``status`` (an HTTP status
        that is not success: see :attr:`status`), ``too-large`` (body over the cap),
        ``refused`` (the address policy refused the target), ``redirect`` (a redirect that may
        not be followed), ``protocol`` (a broken or malformed exchange), ``content`` (a body
        that is not what was expected).
    :param url: the URL concerned, as shown (no user-info).
    :param status: the HTTP status, for ``kind="status"``.
    """

    def __init__(self, message: str, *, kind: str, url: str | None = None,
                 status: int | None = None) -> None:
        assert kind in KINDS, kind
        super().__init__(message)
        self.kind = kind
        self.url = url
        self.status = status

    @property
    def gone(self) -> bool:
        """True when the target no longer exists: HTTP 404 or 410, or a name that does not
        resolve (what ``source recheck`` records as *gone*)."""
        return self.kind == "dns" or (self.kind == "status" and self.status in (404, 410))


def display_url(url: str) -> str:
    """``url`` as shown in messages: without user name and password.

    >>> display_url("https://ann:s3cret@sparql.example/query?x=1")
    'https://sparql.example/query?x=1'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<malformed URL>"
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
