"""HTTP credentials for a configured service (the remote SPARQL store): from the environment
or a netrc-style file, never from the ledger.

A :class:`Credentials` object never shows its secret: its ``repr`` and ``str`` mask it, the
client attaches it only to requests for the origin it was read for (a redirect to another
host gets no credentials), and no error message, log line or audit event includes it.

Environment (``PREFIX`` is ``CLAIMLEDGER_ENDPOINT`` unless the caller says otherwise):

| variable | what |
|---|---|
| ``PREFIX_USER`` / ``PREFIX_PASSWORD`` | HTTP basic (or digest) user name and password |
| ``PREFIX_TOKEN`` | a bearer token (``Authorization: Bearer …``) |
| ``PREFIX_AUTH`` | ``basic``, ``digest`` or ``bearer``: which scheme (default: bearer with a token, else basic) |
| ``PREFIX_NETRC`` | a netrc-style file to read instead (default ``~/.netrc`` when it exists) |

A netrc-style file: ``machine HOST login USER password SECRET`` lines; ``account digest`` or
``account bearer`` chooses the scheme (with bearer, ``password`` is the token).

>>> c = Credentials("basic", "ann", "s3cret", origin="https://sparql.example:443")
>>> c
Credentials(scheme='basic', username='ann', secret='***', origin='https://sparql.example:443')
"""

from __future__ import annotations

import netrc
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from claimledger.errors import InputError

SCHEMES = ("basic", "digest", "bearer")


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url`` (default ports filled in), lower case."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    host = (parts.hostname or "").lower()
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port}"


@dataclass(frozen=True)
class Credentials:
    """A user name and secret for one origin, and the HTTP scheme to send them with.

    :param scheme: ``basic``, ``digest`` or ``bearer``.
    :param username: the user name (None for a bearer token).
    :param secret: the password or token; never shown.
    :param origin: ``scheme://host:port`` they may be sent to (None: the URL they are used with).
    """

    scheme: str
    username: str | None
    secret: str = field(repr=False)
    origin: str | None = None

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise InputError(f"{self.scheme!r} is not an HTTP authentication scheme "
                             f"(choose one of: {', '.join(SCHEMES)})")

    def __repr__(self) -> str:
        return (f"Credentials(scheme={self.scheme!r}, username={self.username!r}, "
                f"secret='***', origin={self.origin!r})")

    __str__ = __repr__

    def auth(self):
        """The requests authentication object that sends these credentials."""
        import requests.auth

        if self.scheme == "basic":
            return requests.auth.HTTPBasicAuth(self.username or "", self.secret)
        if self.scheme == "digest":
            return requests.auth.HTTPDigestAuth(self.username or "", self.secret)
        return _Bearer(self.secret)

    def applies_to(self, url: str) -> bool:
        """True if these credentials may be sent with a request for ``url``."""
        return self.origin is None or origin_of(url) == self.origin


class _Bearer:
    """``Authorization: Bearer TOKEN`` (a requests auth callable)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "_Bearer('***')"


def from_environment(url: str, *, env: Mapping[str, str] | None = None,
                     prefix: str = "CLAIMLEDGER_ENDPOINT") -> Credentials | None:
    """Credentials for ``url`` from ``PREFIX_*`` variables, else from the netrc-style file,
    else None.

    :raises InputError: for an unknown ``PREFIX_AUTH``, a password without a user, or a
        netrc-style file that cannot be read (the message names the file, never its content).
    """
    env = os.environ if env is None else env
    user, password = env.get(f"{prefix}_USER"), env.get(f"{prefix}_PASSWORD")
    token = env.get(f"{prefix}_TOKEN")
    scheme = (env.get(f"{prefix}_AUTH") or "").strip().lower() or None
    origin = origin_of(url)
    if token:
        return Credentials(scheme or "bearer", None, token, origin)
    if password and not user:
        raise InputError(f"{prefix}_PASSWORD is set but {prefix}_USER is not")
    if user:
        return Credentials(scheme or "basic", user, password or "", origin)
    path = env.get(f"{prefix}_NETRC")
    if path:
        return from_netrc(url, Path(path))
    default = Path.home() / ".netrc"
    return from_netrc(url, default) if default.is_file() else None


def from_netrc(url: str, path: Path) -> Credentials | None:
    """Credentials for ``url``'s host from a netrc-style file, or None if it has none.

    :raises InputError: if the file cannot be read or parsed (its content is not shown).
    """
    host = (urlsplit(url).hostname or "").lower()
    try:
        entries = netrc.netrc(str(path))
    except FileNotFoundError:
        raise InputError(f"the credentials file {path} does not exist") from None
    except netrc.NetrcParseError as exc:
        where = f" (line {exc.lineno})" if exc.lineno else ""
        raise InputError(f"the credentials file {path} cannot be read{where}") from None
    except OSError as exc:
        raise InputError(f"the credentials file {path} cannot be read: {exc.strerror}") from None
    found = entries.authenticators(host)
    if found is None:
        return None
    login, account, password = found
    scheme = (account or "").strip().lower() or ("basic" if login else "bearer")
    if scheme not in SCHEMES:
        scheme = "basic"
    return Credentials(scheme, login or None, password or "", origin_of(url))
