"""requests' and urllib3's exceptions, told apart and put into words as a
:class:`~claimledger.net.errors.RequestFailed`.

The messages are built here from the exception types and their causes, never by passing on
requests' own text, which can be long and carries URLs as the library saw them.
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests
from urllib3 import exceptions as u3

from claimledger.net.errors import RequestFailed, display_url

if TYPE_CHECKING:
    from claimledger.net.policy import Policy


def _chain(exc: BaseException):
    seen = set()
    stack = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        stack.extend([e.__cause__, e.__context__])
        stack.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        reason = getattr(e, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)


def translate(exc: BaseException, url: str, policy: Policy) -> RequestFailed:
    """The :class:`RequestFailed` for an exception raised while talking to ``url``."""
    shown = display_url(url)
    host = urlsplit(url).hostname or shown
    causes = list(_chain(exc))
    for cause in causes:
        from claimledger.net.connection import Blocked

        if isinstance(cause, Blocked):
            error = cause.error
            error.url = error.url or shown
            return error
    if any(isinstance(c, (requests.exceptions.SSLError, ssl.SSLError, u3.SSLError))
           for c in causes):
        detail = next((f"certificate verify failed: {c.verify_message}" for c in causes
                       if isinstance(c, ssl.SSLCertVerificationError) and c.verify_message), None)
        if detail is None:
            detail = next((f"the TLS handshake failed ({c.reason})" for c in causes
                           if isinstance(c, ssl.SSLError) and getattr(c, "reason", None)),
                          "the TLS handshake failed")
        return RequestFailed(f"TLS error with {host}: {detail}", kind="tls", url=shown)
    if isinstance(exc, requests.exceptions.ConnectTimeout) or any(
            isinstance(c, u3.ConnectTimeoutError) for c in causes):
        return RequestFailed(f"timed out connecting to {host} after {policy.connect_timeout:g} s",
                             kind="timeout", url=shown)
    if isinstance(exc, requests.exceptions.ReadTimeout) or any(
            isinstance(c, (u3.ReadTimeoutError, TimeoutError)) for c in causes):
        return RequestFailed(f"{host} sent nothing for {policy.read_timeout:g} s (read timeout)",
                             kind="timeout", url=shown)
    if any(isinstance(c, (u3.IncompleteRead, requests.exceptions.ChunkedEncodingError))
           for c in causes):
        return RequestFailed(f"the connection to {host} broke off in the middle of the "
                             "response", kind="protocol", url=shown)
    if any(type(c).__name__ == "RemoteDisconnected" for c in causes):
        return RequestFailed(f"{host} closed the connection without answering", kind="protocol",
                             url=shown)
    if any(isinstance(c, (ConnectionResetError, BrokenPipeError)) for c in causes):
        return RequestFailed(f"{host} dropped the connection", kind="protocol", url=shown)
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                        requests.exceptions.MissingSchema, u3.LocationParseError)):
        return RequestFailed(f"{shown} is not a URL that can be requested", kind="protocol",
                             url=shown)
    if isinstance(exc, (requests.exceptions.InvalidHeader, u3.HeaderParsingError)) or any(
            type(c).__name__ in ("LineTooLong", "BadStatusLine", "HTTPException") for c in causes):
        return RequestFailed(f"{host} sent a malformed HTTP response", kind="protocol", url=shown)
    if isinstance(exc, requests.exceptions.ConnectionError):
        return RequestFailed(f"could not talk to {host}: the connection failed", kind="connect",
                             url=shown)
    return RequestFailed(f"the request to {host} failed ({type(exc).__name__})", kind="protocol",
                         url=shown)
