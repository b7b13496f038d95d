"""All of claimledger's HTTP goes through here: one :class:`Client` owns a requests session,
and a :class:`Policy` per use says what it may do.

Policies (build them with :meth:`Policy.for_sources` and :meth:`Policy.for_endpoint`):

* **sources** — pages fetched by ``source fetch`` / ``source recheck``: only globally
  routable addresses unless ``allow_private`` or ``allow_hosts`` say otherwise (checked on the
  address actually connected to, on every redirect hop; see :mod:`.addresses`), up to 10
  redirects and never to a scheme other than http(s), a body cap enforced while streaming and
  after decompression (20 MB by default), connect and read timeouts and a total deadline.
* **endpoint** — a configured SPARQL endpoint: private addresses allowed (the desk's
  network), no redirect followed (a 3xx is an error naming where it pointed), longer reads,
  no total deadline by default, retries with backoff — for idempotent requests only.

The client::

    with Client(Policy.for_endpoint(retries=2), credentials=creds) as client:
        r = client.post(url, form={"query": text}, accept="application/sparql-results+json",
                        idempotent=True)                      # a query: retried on failure
        check_status(r, what="the SPARQL endpoint", hints={413: "lower the batch size"})
        expect_type(r, ("application/sparql-results+json",), what="the SPARQL endpoint")
        rows = r.json()
        r = client.post(update_url, body=update.encode(), content_type="application/sparql-update",
                        idempotent=False)                     # an update: never retried
        r = client.get(page_url, accept="text/html", on_progress=callback)

* :meth:`Client.get` / :meth:`Client.post` / :meth:`Client.request` return a
  :class:`Response` whatever its HTTP status (``status``, ``reason``, ``url`` after
  redirects, ``headers``, ``header_list`` as received, ``body`` decoded from its
  Content-Encoding, ``redirects``, ``started`` / ``finished`` in UTC, ``request_headers``
  sent — without Authorization or Cookie). ``form=`` sends a form-encoded body, ``body=`` with
  ``content_type=`` a raw one; ``accept=`` sets Accept; ``headers=`` adds more.
* Every failure becomes :class:`~claimledger.net.errors.RequestFailed` (an
  ``EndpointError``, exit 2) with a ``kind``: ``dns``, ``connect``, ``timeout``, ``deadline``,
  ``tls``, ``too-large``, ``refused``, ``redirect``, ``protocol``; :func:`check_status` turns a
  non-success status into one (``kind="status"``, with clear words for 401/403, 404, 405,
  410, 413, 429 and 5xx), :func:`expect_type` a body of the wrong media type
  (``kind="content"``). A URL that is not http(s) is an ``InputError``.
* Credentials (:mod:`.credentials`) are attached only to requests for their own origin and
  are never part of a message, a log line or a :class:`Response`.
* Every request sends ``User-Agent: claimledger/<version>``; requests' environment
  (proxies, ``.netrc``, CA bundle variables) is not used: the policy decides.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.structures import CaseInsensitiveDict

from claimledger.errors import InputError
from claimledger.net.addresses import Resolver
from claimledger.net.body import read_body
from claimledger.net.connection import Blocked, Deadline, Guard, GuardedAdapter
from claimledger.net.credentials import Credentials
from claimledger.net.errors import RequestFailed, display_url
from claimledger.net.failures import translate
from claimledger.net.policy import MB, Policy
from claimledger.net.responses import Redirect, Response, check_status, expect_type

__all__ = ["MB", "Client", "Policy", "Redirect", "RequestFailed", "Response", "check_status",
           "check_url", "expect_type", "user_agent"]

#: Statuses a retry may cure (for idempotent requests only).
RETRY_STATUSES = frozenset({429, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def user_agent() -> str:
    """``claimledger/<version> (+https://w3id.org/claimledger)``."""
    try:
        from importlib.metadata import version

        mine = version("claimledger")
    except Exception:  # not installed as a distribution (running from a source tree)
        mine = "unknown"
    return f"claimledger/{mine} (+https://w3id.org/claimledger)"


class Client:
    """Sends requests under one :class:`Policy`; owns its requests session. Close it (or use
    it as a context manager) when done.

    :param policy: what the client may do.
    :param credentials: sent with requests for their origin only.
    :param resolver: how host names are resolved (default:
        :data:`claimledger.net.addresses.default_resolver`).
    """

    def __init__(self, policy: Policy, *, credentials: Credentials | None = None,
                 resolver: Resolver | None = None) -> None:
        self.policy = policy
        self.credentials = credentials
        session = requests.Session()
        session.trust_env = False  # no proxies, .netrc or CA variables from the environment
        session.headers["User-Agent"] = user_agent()
        session.headers["Accept-Encoding"] = "gzip, deflate"
        adapter = GuardedAdapter(Guard(policy.addresses, resolver))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        self._session = session

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests ------------------------------------------------------------------------
    def get(self, url: str, *, accept: str | None = None,
            headers: Mapping[str, str] | None = None,
            on_progress: Callable[[int, int | None], None] | None = None,
            timeout: tuple[float, float] | None = None, sink: BinaryIO | None = None
            ) -> Response:
        """GET ``url`` (idempotent: retried as the policy allows)."""
        return self.request("GET", url, accept=accept, headers=headers, idempotent=True,
                            on_progress=on_progress, timeout=timeout, sink=sink)

    def post(self, url: str, *, form: Mapping[str, str] | None = None,
             body: bytes | None = None, content_type: str | None = None,
             accept: str | None = None, headers: Mapping[str, str] | None = None,
             idempotent: bool = False, timeout: tuple[float, float] | None = None,
             sink: BinaryIO | None = None) -> Response:
        """POST a form-encoded ``form`` or a raw ``body`` of ``content_type``.

        :param idempotent: True for a read (a SPARQL query): retried as the policy allows.
            An update must leave it False: it is then sent once, whatever happens.
        """
        return self.request("POST", url, form=form, body=body, content_type=content_type,
                            accept=accept, headers=headers, idempotent=idempotent,
                            timeout=timeout, sink=sink)

    def request(self, method: str, url: str, *, form: Mapping[str, str] | None = None,
                body: bytes | None = None, content_type: str | None = None,
                accept: str | None = None, headers: Mapping[str, str] | None = None,
                idempotent: bool = False,
                on_progress: Callable[[int, int | None], None] | None = None,
                timeout: tuple[float, float] | None = None, sink: BinaryIO | None = None
                ) -> Response:
        """Send one request (following redirects as the policy allows) and read its body.

        :param timeout: ``(connect, read)`` seconds for this request instead of the policy's
            (a capability probe that must give up quickly).
        :param sink: write the decoded body there as it arrives instead of keeping it
            (``Response.body`` is then empty): a large export or graph download. The caps
            and the deadline still apply; a retried request writes to it again, so give a
            sink that can be rewound only with ``idempotent=False`` or truncate it yourself.

        :raises InputError: for a URL that is not an absolute http(s) URL.
        :raises RequestFailed: for every way the exchange can fail (see the module doc).
        """
        if form is not None and body is not None:
            raise ValueError("give form or body, not both")
        check_url(url)
        extra = dict(headers or {})
        if accept:
            extra["Accept"] = accept
        if content_type:
            extra["Content-Type"] = content_type
        attempts = 1 + (self.policy.retries if idempotent else 0)
        for attempt in range(attempts):
            try:
                response = self._exchange(method, url, form, body, extra, on_progress,
                                          timeout, sink)
            except RequestFailed as exc:
                if attempt + 1 < attempts and exc.kind in ("connect", "timeout", "protocol"):
                    time.sleep(self.policy.backoff * 2 ** attempt)
                    continue
                raise
            if attempt + 1 < attempts and response.status in RETRY_STATUSES:
                time.sleep(_retry_after(response) or self.policy.backoff * 2 ** attempt)
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(self, method: str, url: str, form, body, headers: dict, on_progress,
                  timeout: tuple[float, float] | None, sink: BinaryIO | None) -> Response:
        policy = self.policy
        end = time.monotonic() + policy.deadline if policy.deadline is not None else None
        started = datetime.now(timezone.utc)
        redirects: list[Redirect] = []
        current = url
        while True:
            remaining = None if end is None else end - time.monotonic()
            with Deadline(remaining) as deadline:
                try:
                    response = self._send(method, current, form, body, headers, timeout)
                    try:
                        if response.status_code in _REDIRECTS and "Location" in response.headers:
                            location = response.headers["Location"]
                            response.close()
                            nxt = self._redirect(method, current, response.status_code,
                                                 location, len(redirects))
                            redirects.append(Redirect(current, response.status_code, nxt))
                            current = nxt
                            continue
                        data = read_body(response, policy.max_body, end, on_progress,
                                         display_url(current), sink)
                    finally:
                        response.close()
                except Blocked as exc:
                    if deadline.fired:
                        raise _deadline(current, policy) from None
                    error = _with_url(exc.error, current)
                    if redirects and error.kind == "refused":
                        error.message += f" (a redirect from {display_url(redirects[-1].url)})"
                        error.args = (error.message,)
                    raise error from None
                except RequestFailed as exc:
                    if deadline.fired or exc.kind == "deadline":
                        raise _deadline(current, policy) from None
                    raise _with_url(exc, current) from None
                except (requests.RequestException, urllib3.exceptions.HTTPError,
                        http.client.HTTPException, OSError, ValueError) as exc:
                    if deadline.fired:
                        raise _deadline(current, policy) from None
                    raise translate(exc, current, policy) from None
                if deadline.fired:
                    raise _deadline(current, policy)
            raw = response.raw
            return Response(
                method=method, requested_url=url, url=response.url or current,
                status=response.status_code,
                reason=response.reason or "", http_version=_version(raw),
                headers=CaseInsensitiveDict(response.headers),
                header_list=[(k, v) for k, v in raw.headers.items()],
                body=data, content_encoding=response.headers.get("Content-Encoding"),
                request_headers=[(k, v) for k, v in response.request.headers.items()
                                 if k.lower() not in ("authorization", "cookie")],
                started=started, finished=datetime.now(timezone.utc), redirects=redirects)

    def _send(self, method: str, url: str, form, body, headers: dict,
              timeout: tuple[float, float] | None = None) -> requests.Response:
        policy = self.policy
        auth = None
        if self.credentials is not None and self.credentials.applies_to(url):
            auth = self.credentials.auth()
        request = requests.Request(method, url, data=form if form is not None else body,
                                   headers=headers, auth=auth)
        prepared = self._session.prepare_request(request)
        return self._session.send(prepared, stream=True, allow_redirects=False,
                                  timeout=timeout or (policy.connect_timeout,
                                                      policy.read_timeout),
                                  verify=policy.verify_tls, proxies={})

    def _redirect(self, method: str, url: str, status: int, location: str, followed: int) -> str:
        shown = display_url(url)
        if followed >= self.policy.max_redirects:
            if self.policy.max_redirects == 0:
                raise RequestFailed(f"{shown} redirects (HTTP {status}) to "
                                    f"{display_url(urljoin(url, location))}; configure that "
                                    "URL instead", kind="redirect", url=shown, status=status)
            raise RequestFailed(f"{shown}: more than {self.policy.max_redirects} redirects",
                                kind="redirect", url=shown, status=status)
        target = urljoin(url, location.strip())
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            raise RequestFailed(f"{shown} redirects to a {scheme or 'relative'}: URL, which is "
                                "never followed (only http and https)", kind="redirect",
                                url=shown, status=status)
        if method != "GET" and status not in (307, 308):
            raise RequestFailed(f"{shown} answered a {method} with a redirect (HTTP {status}) "
                                "that would turn it into a GET; not followed",
                                kind="redirect", url=shown, status=status)
        try:
            check_url(target)
        except InputError as exc:
            raise RequestFailed(f"{shown} redirects to a bad URL: {exc.message}",
                                kind="redirect", url=shown, status=status) from None
        return target


def check_url(url: str, *, argument: str = "URL") -> str:
    """Return ``url`` if it is an absolute http(s) URL with a host.

    :raises InputError: otherwise (``file:``, ``ftp:``, ``data:``, relative, malformed, or
        with a user name or password in it).
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except (ValueError, TypeError, AttributeError):
        raise InputError(f"{_shown(url)} is not a valid URL", argument=argument) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        what = f"a {scheme}: URL" if scheme else "not an absolute URL"
        raise InputError(f"{_shown(url)} is {what}; only http and https URLs can be fetched",
                         argument=argument)
    if not parts.hostname:
        raise InputError(f"{_shown(url)} has no host", argument=argument)
    if "@" in parts.netloc:  # it would be recorded, logged and shown with the URL
        raise InputError(f"{_shown(url)} carries a user name or password; claimledger takes "
                         "credentials from the environment or a netrc-style file, never from "
                         "a URL", argument=argument)
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise InputError(f"{_shown(url)} contains white space or control characters",
                         argument=argument)
    return url


def _shown(url: object) -> str:
    text = display_url(url) if isinstance(url, str) else repr(url)
    return repr(text if len(text) <= 100 else text[:99] + "…")


def _retry_after(response: Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return min(float(value), 30.0) if value.isdigit() else None


def _version(raw: Any) -> str:
    version = getattr(raw, "version", 11)
    return {10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}.get(version, "HTTP/1.1")


def _deadline(url: str, policy: Policy) -> RequestFailed:
    return RequestFailed(f"{display_url(url)} did not finish within the {policy.deadline:g} s "
                         "deadline", kind="deadline", url=display_url(url))


def _with_url(error: RequestFailed, url: str) -> RequestFailed:
    if error.url is None:
        error.url = display_url(url)
    return error
