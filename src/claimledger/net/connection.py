"""The urllib3 plumbing under :mod:`claimledger.net.http`: connections that apply an
:class:`~claimledger.net.addresses.AddressPolicy` to the address they actually connect to,
and a watchdog that enforces a total deadline on a request.

Each new connection resolves its host once (through the client's resolver, or as an IP
literal in any spelling), asks the policy about every address, opens a socket to exactly the
first address allowed, and checks the socket's peer address before any byte is sent. The
same host is never resolved twice for one connection, so a DNS answer that changes between a
check and a connect (DNS rebinding) has nothing to slip into. Every redirect hop is a new
request, so it goes through the same check.

The deadline: while a request runs (:class:`Deadline` is active on the thread), each socket
it uses is registered; when the deadline passes, a timer shuts those sockets down, which ends
any blocking read at once — a server that drips a byte a second, or sends headers for ever,
is cut off whatever the read timeout.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection

from claimledger.errors import InputError
from claimledger.net import addresses
from claimledger.net.errors import RequestFailed

_local = threading.local()
#: Resolver errors that say nothing about the name (the resolver is unreachable or busy): a
#: name that fails so is not *gone*.
_TEMPORARY = frozenset(e for e in (getattr(socket, "EAI_AGAIN", None),
                                   getattr(socket, "EAI_FAIL", None),
                                   getattr(socket, "EAI_SYSTEM", None)) if e is not None)


class Blocked(Exception):
    """Raised inside urllib3 to carry a :class:`RequestFailed` out unchanged (it is not an
    ``OSError``, so urllib3 and requests neither wrap nor retry it)."""

    def __init__(self, error: RequestFailed) -> None:
        super().__init__(error.message)
        self.error = error


class Deadline:
    """A total time limit for one request, enforced by shutting its sockets down.

    Use as a context manager around the request; :attr:`fired` tells afterwards whether the
    limit was reached (a read cut short by it may otherwise look like a clean end of body).
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.fired = False
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._timer: threading.Timer | None = None

    def __enter__(self) -> Deadline:
        if self.seconds is not None:
            self._timer = threading.Timer(max(self.seconds, 0.0), self._fire)
            self._timer.daemon = True
            self._timer.start()
        self._outer = getattr(_local, "deadline", None)
        _local.deadline = self
        return self

    def __exit__(self, *exc: object) -> None:
        _local.deadline = self._outer
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            socks, self._socks = self._socks, []
        for s in socks:
            s.close()

    def watch(self, sock: socket.socket) -> None:
        """Register ``sock`` (a duplicate of its descriptor: shutting that down ends reads on
        the original too, TLS included)."""
        try:  # a plain socket on a duplicate descriptor (an SSLSocket cannot dup() itself)
            dup = socket.fromfd(sock.fileno(), sock.family, sock.type)
        except (OSError, ValueError):
            return
        with self._lock:
            self._socks.append(dup)
            fired = self.fired
        if fired:
            _shutdown(dup)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            socks = list(self._socks)
        for s in socks:
            _shutdown(s)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _watch(sock: socket.socket | None) -> None:
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and sock is not None:
        deadline.watch(sock)


class Guard:
    """What a client's connections check: its address policy and resolver."""

    def __init__(self, policy: addresses.AddressPolicy, resolver: addresses.Resolver | None
                 ) -> None:
        self.policy = policy
        self.resolver = resolver

    def candidates(self, host: str, port: int) -> list[tuple[int, tuple]]:
        """The addresses to try for ``host``, resolved once.

        :raises Blocked: if the name does not resolve or looks like a broken address.
        """
        try:
            ip = addresses.parse_ip_host(host)
        except InputError as exc:
            raise Blocked(RequestFailed(exc.message, kind="dns")) from None
        if ip is not None:
            family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            sockaddr = (str(ip), port, 0, ip.scope_id or 0) if ip.version == 6 else (str(ip), port)
            return [(family, sockaddr)]
        resolver = self.resolver or addresses.default_resolver
        try:
            found = list(resolver(host, port))
        except (OSError, UnicodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            if isinstance(exc, socket.gaierror) and exc.errno in _TEMPORARY:
                raise Blocked(RequestFailed(f"the host name {host!r} could not be looked up "
                                            f"now ({why}); try again later",
                                            kind="connect")) from None
            raise Blocked(RequestFailed(f"the host name {host!r} does not resolve ({why})",
                                        kind="dns")) from None
        if not found:
            raise Blocked(RequestFailed(f"the host name {host!r} has no address", kind="dns"))
        return found


class _GuardedMixin:
    """Replaces urllib3's ``_new_conn``: resolve once, check, connect to that address, check
    the peer."""

    guard: Guard
    _dns_host: str
    host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any

    def _new_conn(self) -> socket.socket:
        host, port = self._dns_host, self.port
        refused: list[str] = []
        failures: list[str] = []
        for family, sockaddr in self.guard.candidates(host, port):
            ip = ipaddress.ip_address(sockaddr[0].partition("%")[0])
            why = self.guard.policy.refusal(host, port, ip)
            if why is not None:
                refused.append(why)
                continue
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                for opt in self.socket_options or ():
                    sock.setsockopt(*opt)
                if self.timeout is None or isinstance(self.timeout, (int, float)):
                    sock.settimeout(self.timeout)  # else urllib3's "default" sentinel
                _watch(sock)
                sock.connect(sockaddr)
                peer = ipaddress.ip_address(sock.getpeername()[0].partition("%")[0])
            except socket.timeout:
                sock.close()
                raise Blocked(RequestFailed(
                    f"timed out connecting to {_hostport(host, port)} after {self.timeout} s",
                    kind="timeout")) from None
            except OSError as exc:
                sock.close()
                failures.append(exc.strerror or str(exc))
                continue
            if peer != ip or self.guard.policy.refusal(host, port, peer) is not None:
                sock.close()  # cannot happen with a plain TCP socket; checked all the same
                raise Blocked(RequestFailed(f"connected to {peer}, not to the checked {ip}",
                                            kind="refused"))
            return sock
        if refused and not failures:
            raise Blocked(RequestFailed(
                f"refused to connect to {_hostport(host, port)}: {refused[0]} (not globally "
                "routable; use --allow-host HOST[:PORT] or --allow-private to allow it)",
                kind="refused"))
        raise Blocked(RequestFailed(
            f"could not connect to {_hostport(host, port)}: {failures[0] if failures else 'no address'}",
            kind="connect"))

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _watch(getattr(self, "sock", None))

    def request(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "sock", None) is not None:  # a kept-alive connection, reused
            _watch(self.sock)  # type: ignore[attr-defined]
        super().request(*args, **kwargs)  # type: ignore[misc]


def _hostport(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def pool_manager(guard: Guard, **kwargs: Any) -> PoolManager:
    """A urllib3 pool manager whose connections all go through ``guard``."""
    conn = type("GuardedHTTPConnection", (_GuardedMixin, HTTPConnection), {"guard": guard})
    sconn = type("GuardedHTTPSConnection", (_GuardedMixin, HTTPSConnection), {"guard": guard})
    pool = type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": conn})
    spool = type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": sconn})
    manager = PoolManager(**kwargs)
    manager.pool_classes_by_scheme = {"http": pool, "https": spool}
    return manager


class GuardedAdapter(HTTPAdapter):
    """A requests transport adapter over :func:`pool_manager`; proxies are refused (a proxy
    would be the address connected to, and the target's address would go unchecked)."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        super().__init__(max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False,
                         **pool_kwargs: Any) -> None:
        self._pool_connections, self._pool_maxsize, self._pool_block = connections, maxsize, block
        self.poolmanager = pool_manager(self.guard, num_pools=connections, maxsize=maxsize,
                                        block=block, **pool_kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any):
        raise Blocked(RequestFailed("claimledger does not send requests through a proxy",
                                    kind="refused"))
