"""The address policy: which network addresses a request may reach.

A URL's host can be spelt many ways (``127.0.0.1``, ``2130706433``, ``0x7f.1``, ``0177.0.0.1``,
``[::ffff:127.0.0.1]``, a name whose DNS answer changes between two look-ups). The policy is
therefore never applied to the spelling: :mod:`claimledger.net.http` resolves the host once,
asks :meth:`AddressPolicy.refusal` about each address it got, connects to exactly that
address, and checks the socket's peer address again. Nothing is resolved a second time, so a
DNS answer that changes (DNS rebinding) cannot slip a connection past the check.

By default only globally routable addresses may be reached. Refused, with the reason named:
loopback, private (RFC 1918, unique local), link-local (169.254.0.0/16 — where cloud metadata
services answer — and fe80::/10), shared address space (CGNAT, 100.64.0.0/10), multicast,
unspecified, reserved and documentation ranges, and the IPv6 forms that carry one of those
IPv4 addresses (IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, NAT64
``64:ff9b::/96``, 6to4 ``2002::/16``). ``allow_private`` lifts the rule (a newsroom's
intranet); :class:`AllowedHost` entries lift it for exactly one host (and port).

>>> refusal(ipaddress.ip_address("169.254.169.254"))
'link-local (the address of cloud metadata services)'
>>> parse_ip_host("0x7f.1")
IPv4Address('127.0.0.1')
>>> AddressPolicy().refusal("example.org", 80, ipaddress.ip_address("10.0.0.7"))
'10.0.0.7 is a private address'
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from claimledger.errors import InputError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
#: A resolver: ``(host, port)`` → ``[(family, sockaddr), ...]``, like ``socket.getaddrinfo``
#: reduced to what a TCP connection needs. It raises ``socket.gaierror`` when the name does
#: not resolve.
Resolver = Callable[[str, int], Sequence[tuple[int, tuple]]]

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
_NUMBER = re.compile(r"^(0[xX][0-9A-Fa-f]*|[0-9]+)$")
_NAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*$")


def system_resolver(host: str, port: int) -> list[tuple[int, tuple]]:
    """The operating system's resolver (``socket.getaddrinfo``), TCP addresses only.

    :raises socket.gaierror: if the name does not resolve.
    """
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [(family, sockaddr) for family, _type, _proto, _name, sockaddr in answers]


#: The resolver used when a client is given none; tests replace it with a stub so that no
#: test ever asks a real DNS server.
default_resolver: Resolver = system_resolver


def parse_ip_host(host: str) -> Address | None:
    """The IP address ``host`` spells, or None if it is a name to look up in DNS.

    IPv4 in every form URL parsers and ``inet_aton`` accept: dotted decimal, a single 32-bit
    number, octal (``0177``) and hex (``0x7f``) parts, one to four parts (``127.1``). IPv6
    literals with or without brackets (a zone index is kept). A host whose last label is a
    number is an IPv4 address or nothing, as in the WHATWG URL standard: it is never sent
    to DNS.

    :raises InputError: if it looks like an address but is not a valid one.
    """
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        try:
            return ipaddress.IPv6Address(text)
        except ValueError:
            raise InputError(f"{host!r} is not a valid IPv6 address") from None
    parts = text[:-1].split(".") if text.endswith(".") else text.split(".")
    if not parts or not _NUMBER.match(parts[-1]):
        return None
    if len(parts) > 4 or not all(_NUMBER.match(p) for p in parts):
        raise InputError(f"{host!r} is neither a host name nor a valid IPv4 address")
    try:
        numbers = [_ipv4_part(p) for p in parts]
    except ValueError:
        raise InputError(f"{host!r} is not a valid IPv4 address") from None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise InputError(f"{host!r} is not a valid IPv4 address (a part is too large)")
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def _ipv4_part(part: str) -> int:
    if part[:2] in ("0x", "0X"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part, 10)


def embedded_ipv4(ip: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    value = int(ip)
    if ip in _NAT64 or (value >> 32 == 0 and value > 1):  # NAT64, or IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    return None


def refusal(ip: Address) -> str | None:
    """Why ``ip`` is not a globally routable unicast address, or None when it is."""
    inner = embedded_ipv4(ip)
    if inner is not None:  # the address it carries decides (::ffff:8.8.8.8 is 8.8.8.8)
        why = refusal(inner)
        return None if why is None else f"{why} (an IPv6 form of {inner})"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local or ip in _METADATA:
        return "link-local (the address of cloud metadata services)" if ip in _METADATA \
            else "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "shared address space (carrier-grade NAT)"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if ip.is_private:
        return "private"
    if ip.is_reserved or not ip.is_global:
        return "reserved"
    return None


@dataclass(frozen=True)
class AllowedHost:
    """One internal host a request may reach although its address is not global.

    :param host: an IP address (any spelling, stored canonical) or a host name (lower case).
    :param port: the only port allowed, or None for any.
    """

    host: str
    port: int | None = None
    ip: Address | None = None

    @classmethod
    def parse(cls, text: str, *, argument: str = "--allow-host") -> AllowedHost:
        """Read ``HOST``, ``HOST:PORT``, ``[IPv6]`` or ``[IPv6]:PORT``.

        :raises InputError: for anything else.
        """
        value = (text or "").strip()
        port: int | None = None
        if value.startswith("["):
            inner, sep, rest = value[1:].partition("]")
            if not sep or (rest and not rest.startswith(":")):
                raise InputError(f"{text!r} is not HOST[:PORT]", argument=argument)
            host, port_text = inner, rest[1:] if rest else None
        elif value.count(":") == 1:
            host, port_text = value.split(":")
        elif ":" in value:  # a bare IPv6 address, no port
            host, port_text = value, None
        else:
            host, port_text = value, None
        if port_text is not None:
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise InputError(f"{text!r}: the port must be a number from 1 to 65535",
                                 argument=argument)
            port = int(port_text)
        try:
            ip = parse_ip_host(host)
        except InputError as exc:
            raise InputError(exc.message, argument=argument) from None
        if ip is not None:
            return cls(str(ip), port, ip)
        name = host.rstrip(".").lower()
        if not _NAME.match(name):
            raise InputError(f"{text!r} is not HOST[:PORT]", argument=argument)
        return cls(name, port, None)

    def matches(self, host: str, port: int, ip: Address) -> bool:
        """True if a connection to ``ip`` for URL host ``host`` on ``port`` is this host."""
        if self.port is not None and self.port != port:
            return False
        if self.ip is not None:
            return ip == self.ip
        return host.rstrip(".").lower() == self.host

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses requests may connect to.

    :param allow_private: reach any address (an intranet, a desk's SPARQL server).
    :param allowed_hosts: single hosts (and ports) reachable although not global.
    """

    allow_private: bool = False
    allowed_hosts: tuple[AllowedHost, ...] = ()

    @classmethod
    def build(cls, *, allow_private: bool = False, allow_hosts: Iterable[str] = ()
              ) -> AddressPolicy:
        """A policy from option values (``--allow-private``, ``--allow-host`` texts).

        :raises InputError: for a malformed ``--allow-host``.
        """
        return cls(bool(allow_private), tuple(AllowedHost.parse(h) for h in allow_hosts))

    def refusal(self, host: str, port: int, ip: Address) -> str | None:
        """Why a connection to ``ip`` (for URL host ``host``, ``port``) is refused, or None."""
        if self.allow_private:
            return None
        why = refusal(ip)
        if why is None or any(a.matches(host, port, ip) for a in self.allowed_hosts):
            return None
        head, _, tail = why.partition(" (")
        return (f"{ip} is a{'n' if why[0] in 'aeiou' else ''} {head} address"
                + (f" ({tail}" if tail else ""))
