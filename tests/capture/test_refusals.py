"""What ``source fetch`` refuses: each a clear error, exit 2, nothing recorded and no file kept.

Traffic goes only to 127.0.0.0/8: the other ranges are refused before any connection (see
tests/net/test_addresses.py, with the resolver stubbed)."""

from __future__ import annotations

import pytest

from conftest import snapshot
from local_http import (LocalServer, chunked, dns, drip, gzipped, other_server, page,  # noqa: F401
                        redirect, server, stall)
from news_site import article, site  # noqa: F401


def refused(run, ledger_dir, *args: str) -> str:
    """Run a fetch that must be refused; return its message."""
    before = snapshot(ledger_dir)
    result = run("source", "fetch", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output
    assert snapshot(ledger_dir) == before
    assert not any((ledger_dir / "snapshots").glob("*/*")), "a snapshot file was kept"
    return result.stderr


@pytest.fixture
def source(run):
    run.ok("source", "add", "page", "--title", "A page")
    return "page"


@pytest.mark.parametrize("url, words", [
    ("file:///etc/passwd", "is a file: URL; only http and https URLs can be fetched"),
    ("ftp://127.0.0.1/pub/x", "is a ftp: URL"),
    ("data:text/html,<p>hello</p>", "is a data: URL"),
    ("//127.0.0.1/x", "is not an absolute URL"),
])
def test_other_schemes_are_refused(run, ledger_dir, source, url, words):
    assert words in refused(run, ledger_dir, source, url)


def test_loopback_is_refused_by_default(run, ledger_dir, source, server):
    server.routes["/"] = page(article("x"))
    message = refused(run, ledger_dir, source, server.url("/"))
    assert "127.0.0.1 is a loopback address" in message and "--allow-host" in message
    assert server.requests == []


@pytest.fixture
def third_server():
    """Another server on 127.0.0.1, on another port: not allowed either."""
    srv = LocalServer("127.0.0.1")
    yield srv
    srv.close()


SPELLINGS_OF_127_0_0_2 = ["127.0.0.2", "2130706434", "0x7f000002", "0177.0.0.2", "0x7f.0.0.2",
                          "127.2", "[::ffff:127.0.0.2]", "loopback2.example"]
SPELLINGS_OF_127_0_0_1 = ["127.0.0.1", "2130706433", "0x7f.1", "0177.0.0.01", "127.1",
                          "[::ffff:7f00:1]", "localhost", "localhost."]


@pytest.mark.parametrize("host", SPELLINGS_OF_127_0_0_2)
def test_a_redirect_to_another_loopback_host_is_refused(run, ledger_dir, site, source,
                                                        other_server, dns, host):
    dns["loopback2.example"] = "127.0.0.2"
    other_server.routes["/"] = page(article("the other host"))
    site.server.routes["/"] = redirect(f"http://{host}:{other_server.port}/")
    message = refused(run, ledger_dir, source, site.url("/"))
    assert "refused to connect" in message and "127.0.0.2" in message
    assert f"(a redirect from {site.url('/')})" in message
    assert other_server.requests == []


@pytest.mark.parametrize("host", SPELLINGS_OF_127_0_0_1)
def test_a_redirect_to_another_port_on_the_allowed_host_is_refused(run, ledger_dir, site, source,
                                                                   third_server, dns, host):
    dns["localhost"] = "127.0.0.1"
    third_server.routes["/"] = page(article("another port"))
    site.server.routes["/"] = redirect(f"http://{host}:{third_server.port}/")
    message = refused(run, ledger_dir, source, site.url("/"))
    assert "is a loopback address" in message and str(third_server.port) in message
    assert third_server.requests == []


def test_the_allowed_host_itself_may_be_spelt_otherwise(run, ledger_dir, site, source):
    site.put("/target", article("The same host, spelt as a number."))
    site.server.routes["/"] = redirect(f"http://2130706433:{site.server.port}/target")
    run.ok("source", "fetch", source, site.url("/"))


def test_a_body_over_the_cap_is_refused_while_streaming(run, ledger_dir, site, source):
    site.server.routes["/big"] = chunked(3_000_000)
    message = refused(run, ledger_dir, source, site.url("/big"), "--max-size", "1MB")
    assert "larger than the 1 MB limit" in message and "--max-size" in message


def test_the_default_cap_is_20_mb(run, ledger_dir, site, source):
    site.server.routes["/big"] = page(b"a" * 20_000_001, "text/plain")
    message = refused(run, ledger_dir, source, site.url("/big"))
    assert "larger than the 20 MB limit (it declares 20,000,001 bytes)" in message


def test_a_compressed_body_that_inflates_past_the_cap_is_refused(run, ledger_dir, site, source):
    site.server.routes["/bomb"] = gzipped(b"\0" * 30_000_000)  # about 30 kB on the wire
    message = refused(run, ledger_dir, source, site.url("/bomb"))
    assert "larger than the 20 MB limit (after decompression)" in message


def test_a_server_that_stalls_past_the_timeout_is_refused(run, ledger_dir, site, source,
                                                          monkeypatch):
    monkeypatch.setenv("CLAIMLEDGER_FETCH_READ_TIMEOUT", "1")
    site.server.routes["/stall"] = stall(6)
    message = refused(run, ledger_dir, source, site.url("/stall"))
    assert "sent nothing for 1 s (read timeout)" in message


def test_a_server_dripping_a_byte_a_second_is_cut_off(run, ledger_dir, site, source):
    site.server.routes["/drip"] = drip(interval=1.0, count=60)
    message = refused(run, ledger_dir, source, site.url("/drip"), "--timeout", "3")
    assert "did not finish within the 3 s deadline" in message
    assert site.server.sent < 10


@pytest.mark.parametrize("status, words", [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone"),
                                           (500, "HTTP 500"), (403, "HTTP 403 Forbidden")])
def test_an_error_status_is_refused(run, ledger_dir, site, source, status, words):
    site.server.routes["/x"] = page("no", "text/plain", status=status)
    assert words in refused(run, ledger_dir, source, site.url("/x"))


def test_a_name_that_does_not_resolve_is_refused(run, ledger_dir, source):
    message = refused(run, ledger_dir, source, "http://no-such-host.example/")
    assert "the host name 'no-such-host.example' does not resolve" in message


def test_bad_limits_are_refused(run, ledger_dir, site, source):
    assert "is not a size" in refused(run, ledger_dir, source, site.url("/"), "--max-size", "lots")
    assert "--timeout" in refused(run, ledger_dir, source, site.url("/"), "--timeout", "0")
    assert "--allow-host" in refused(run, ledger_dir, source, site.url("/"), "--allow-host", "a b")
