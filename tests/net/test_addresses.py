"""The address policy, unit by unit: every spelling of a host, every non-global range.

Nothing here connects anywhere: non-global addresses are checked with the resolver stubbed
(a name "resolves" to 10.0.0.7 and the client refuses it before opening a socket), never by
sending traffic to them.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest

from claimledger.errors import InputError
from claimledger.net import addresses
from claimledger.net.addresses import AddressPolicy, AllowedHost, parse_ip_host, refusal
from claimledger.net.connection import Blocked, Guard
from claimledger.net.errors import RequestFailed
from claimledger.net.http import Client, Policy

from local_http import dns  # noqa: F401  (autouse: names resolve only through the stub)

ip = ipaddress.ip_address


@pytest.mark.parametrize("spelling", [
    "127.0.0.1", "2130706433", "0x7f000001", "0X7F000001", "0177.0.0.1", "0x7f.0.0.1",
    "0x7f.1", "127.1", "127.0.1", "0177.0.0.01", "127.0.0.1.", "017700000001",
])
def test_every_ipv4_spelling_of_loopback_is_read_as_127_0_0_1(spelling):
    assert parse_ip_host(spelling) == ip("127.0.0.1")


@pytest.mark.parametrize("spelling, expected", [
    ("[::1]", "::1"), ("::1", "::1"), ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
    ("[::ffff:7f00:1]", "::ffff:7f00:1"), ("[0:0:0:0:0:0:0:1]", "::1"),
    ("169.254.169.254", "169.254.169.254"), ("2852039166", "169.254.169.254"),
    ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"), ("10.1", "10.0.0.1"),
])
def test_other_spellings(spelling, expected):
    assert parse_ip_host(spelling) == ip(expected)


@pytest.mark.parametrize("name", ["example.org", "news.example", "localhost", "a-1.b", "xn--bcher-kva.example"])
def test_names_are_left_for_dns(name):
    assert parse_ip_host(name) is None


@pytest.mark.parametrize("bad", ["1.2.3.08", "256.1.1.1", "1.2.3.4.5", "1.2.3.256", "0x1g.1",
                                 "4294967296", "[::g]", "1.2.3.0400"])
def test_a_host_that_looks_numeric_but_is_not_an_address_is_refused_not_looked_up(bad):
    with pytest.raises(InputError):
        parse_ip_host(bad)


@pytest.mark.parametrize("address, why", [
    ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("::1", "loopback"),
    ("10.0.0.7", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"),
    ("fc00::1", "private"), ("fd12:3456::1", "private"),
    ("169.254.169.254", "link-local (the address of cloud metadata services)"),
    ("fd00:ec2::254", "link-local (the address of cloud metadata services)"),
    ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("100.64.0.1", "shared address space (carrier-grade NAT)"),
    ("100.127.255.254", "shared address space (carrier-grade NAT)"),
    ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("192.0.2.1", "private"), ("198.51.100.7", "private"), ("203.0.113.9", "private"),
    ("240.0.0.1", "private"), ("255.255.255.255", "private"), ("fec0::1", "site-local"),
])
def test_non_global_ranges_are_refused_with_their_reason(address, why):
    assert refusal(ip(address)) == why


@pytest.mark.parametrize("address, inner", [
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link-local (the address of cloud metadata services)"),
    ("::ffff:100.64.0.1", "shared address space (carrier-grade NAT)"),
    ("::127.0.0.1", "loopback"),                     # IPv4-compatible
    ("64:ff9b::10.0.0.1", "private"),                # NAT64
    ("2002:a9fe:a9fe::1", "link-local (the address of cloud metadata services)"),  # 6to4
])
def test_ipv6_forms_of_refused_ipv4_addresses_are_refused(address, inner):
    why = refusal(ip(address))
    assert why == f"{inner} (an IPv6 form of {addresses.embedded_ipv4(ip(address))})"


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "93.184.216.34",
                                     "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_global_addresses_pass(address):
    assert refusal(ip(address)) is None


def test_allowed_host_parsing():
    assert AllowedHost.parse("127.0.0.1:8080") == AllowedHost("127.0.0.1", 8080, ip("127.0.0.1"))
    assert AllowedHost.parse("2130706433:81").host == "127.0.0.1"
    assert AllowedHost.parse("[::1]:81") == AllowedHost("::1", 81, ip("::1"))
    assert AllowedHost.parse("::1") == AllowedHost("::1", None, ip("::1"))
    assert AllowedHost.parse("Intranet.Example.") == AllowedHost("intranet.example", None, None)
    for bad in ("", "host:0", "host:99999", "host:x", "a b", "[::1", "1.2.3.999:80", "-bad-:1"):
        with pytest.raises(InputError, match="--allow-host"):
            AllowedHost.parse(bad)


def test_an_allowed_host_allows_exactly_that_host_and_port():
    policy = AddressPolicy.build(allow_hosts=["127.0.0.1:8080"])
    assert policy.refusal("127.0.0.1", 8080, ip("127.0.0.1")) is None
    assert policy.refusal("2130706433", 8080, ip("127.0.0.1")) is None  # the same host, spelt so
    assert policy.refusal("127.0.0.1", 8081, ip("127.0.0.1")) is not None
    assert policy.refusal("127.0.0.2", 8080, ip("127.0.0.2")) is not None
    assert policy.refusal("x", 8080, ip("::ffff:127.0.0.1")) is not None  # another address
    named = AddressPolicy.build(allow_hosts=["intranet.example"])
    assert named.refusal("intranet.example", 80, ip("10.0.0.5")) is None
    assert named.refusal("INTRANET.example.", 443, ip("10.0.0.5")) is None
    assert named.refusal("other.example", 80, ip("10.0.0.5")) == "10.0.0.5 is a private address"
    assert AddressPolicy(allow_private=True).refusal("x", 1, ip("169.254.169.254")) is None


def test_the_guard_resolves_through_the_given_resolver_once(dns):
    dns["news.example"] = ["10.0.0.7", "8.8.8.8"]
    guard = Guard(AddressPolicy(), None)
    assert guard.candidates("news.example", 80) == [(socket.AF_INET, ("10.0.0.7", 80)),
                                                    (socket.AF_INET, ("8.8.8.8", 80))]
    assert dns.calls == ["news.example"]
    assert guard.candidates("0x7f.1", 80) == [(socket.AF_INET, ("127.0.0.1", 80))]
    assert dns.calls == ["news.example"]  # an address in any spelling is never looked up
    with pytest.raises(Blocked) as info:
        guard.candidates("nowhere.example", 80)
    assert info.value.error.kind == "dns" and "does not resolve" in info.value.error.message


@pytest.mark.parametrize("answer", ["10.0.0.7", "169.254.169.254", "100.64.3.3", "192.168.0.1",
                                    "fe80::1", "::ffff:10.0.0.7", "0.0.0.0", "224.0.0.251",
                                    "fd00:ec2::254"])
def test_a_name_resolving_to_a_non_global_address_is_refused_before_any_connection(dns, answer,
                                                                                   monkeypatch):
    dns["news.example"] = answer
    opened = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, addr: opened.append(addr))
    with Client(Policy.for_sources()) as client, pytest.raises(RequestFailed) as info:
        client.get("http://news.example/page")
    assert info.value.kind == "refused"
    assert "not globally routable" in info.value.message and str(ip(answer)) in info.value.message
    assert opened == []


def test_the_system_resolver_is_replaceable_and_replaced_in_tests():
    assert addresses.default_resolver is not addresses.system_resolver
