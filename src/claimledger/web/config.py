"""How ``claimledger serve`` runs: which ledger, where it listens, who may do what.

Three modes, decided at start-up:

* **local** (``--agent NAME``): one person on their own machine; every write is theirs. Only
  on a loopback address, so that nobody else on the network writes in their name.
* **desk** (``--desk``): colleagues log in with the token ``claimledger user add`` gave them
  (or, with ``--user-header``, a trusted reverse proxy names them); editors write, readers
  read. Nothing is shown to someone who has not logged in.
* **read-only** (neither): anyone who reaches the page may read; nobody may write.

>>> parse_bind("127.0.0.1:8080")
('127.0.0.1', 8080)
>>> parse_bind("[::1]:9000")
('::1', 9000)
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from claimledger.errors import InputError

DEFAULT_BIND = "127.0.0.1:8080"
#: Seconds a SPARQL query on /sparql may run before it is stopped.
DEFAULT_QUERY_TIMEOUT = 10.0
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class WebConfig:
    """The server's settings (see the module doc for the modes).

    :param ledger: the ledger directory.
    :param agent: local mode: who writes.
    :param desk: desk mode: users log in.
    :param user_header: desk mode behind a reverse proxy: the request header that names the
        user (trusted only from ``trusted_proxies``).
    :param wait: seconds a request waits for the ledger's lock.
    :param query_timeout: seconds a /sparql query may run.
    :param allowed_hosts: host names the ``Host`` header may carry (empty: any); on a
        loopback address the loopback names, against DNS rebinding.
    """

    ledger: Path
    host: str = "127.0.0.1"
    port: int = 8080
    agent: str | None = None
    desk: bool = False
    user_header: str | None = None
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    wait: float = 30.0
    query_timeout: float = DEFAULT_QUERY_TIMEOUT
    page_size: int = 50
    allowed_hosts: tuple[str, ...] = ()
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    @property
    def mode(self) -> str:
        if self.agent:
            return "local"
        return "desk" if self.desk else "read-only"

    def check(self) -> WebConfig:
        """Refuse settings that would let the wrong people write.

        :raises InputError: naming the offending option.
        """
        if self.agent and self.desk:
            raise InputError("--agent (local mode) and --desk (users log in) exclude each other",
                             argument="--agent")
        if self.agent:
            if not is_loopback(self.host):
                raise InputError(f"local mode writes as {self.agent} for anyone who reaches the "
                                 f"page: bind it to 127.0.0.1 or ::1, or use --desk so that "
                                 "users log in", argument="--bind")
        if self.user_header and not self.desk:
            raise InputError("--user-header is for desk mode (add --desk)",
                             argument="--user-header")
        if self.user_header and not _HEADER_OK(self.user_header):
            raise InputError(f"{self.user_header!r} is not an HTTP header name",
                             argument="--user-header")
        if self.query_timeout <= 0:
            raise InputError("give a positive number of seconds", argument="--query-timeout")
        return self

    def hosts(self) -> tuple[str, ...]:
        """Host names the ``Host`` header may carry; empty for any."""
        if self.allowed_hosts:
            return tuple(h.lower() for h in self.allowed_hosts)
        if is_loopback(self.host):
            return LOOPBACK_NAMES
        return ()


def _HEADER_OK(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c == "-" for c in name)


def is_loopback(host: str) -> bool:
    """True for a loopback address (127.0.0.0/8, ::1) or ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_bind(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[V6]:PORT`` for IPv6) as a host and a port.

    :raises InputError: naming ``--bind``.
    """
    text = (value or "").strip()
    host, sep, port = text.rpartition(":")
    if not sep:
        raise InputError(f"{value!r} is not HOST:PORT (e.g. {DEFAULT_BIND})", argument="--bind")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host:
        raise InputError(f"{value!r} names no host (e.g. {DEFAULT_BIND})", argument="--bind")
    if host != "localhost":
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise InputError(f"{host!r} is not an IP address (or localhost)",
                             argument="--bind") from None
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise InputError(f"{port!r} is not a port number (0–65535)", argument="--bind")
    return host, int(port)


def ledger_dir(path: str | Path) -> Path:
    """The ledger directory as an absolute path."""
    return Path(path).resolve()
