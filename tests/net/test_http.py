"""The HTTP client against real local servers (stdlib http.server on 127.0.0.x): the address
check on every hop, the caps, the timeouts, errors in words, and what the remote store needs
(POST forms and raw bodies, retries for reads only, credentials that never leak)."""

from __future__ import annotations

import hashlib
import json
import re
import socket

import pytest

from claimledger.errors import InputError
from claimledger.net import credentials as creds
from claimledger.net.errors import RequestFailed
from claimledger.net.http import Client, Policy, check_status, expect_type, user_agent

from local_http import (LocalServer, chunked, dns, drip, gzipped, other_server, page,  # noqa: F401
                        redirect, self_signed, send, server, stall)


def sources(srv: LocalServer, **kw) -> Policy:
    return Policy.for_sources(allow_hosts=[srv.hostport], **kw)


def get(policy: Policy, url: str, **kw):
    with Client(policy) as client:
        return client.get(url, **kw)


def failure(policy: Policy, url: str) -> RequestFailed:
    with pytest.raises(RequestFailed) as info:
        get(policy, url)
    return info.value


def test_get_follows_redirects_and_names_itself(server):
    server.routes["/a"] = redirect("/b")
    server.routes["/b"] = redirect(server.url("/page"), 301)
    server.routes["/page"] = page("<p>hello</p>")
    r = get(sources(server), server.url("/a"))
    assert (r.status, r.url, r.body, r.content_type, r.charset) == (
        200, server.url("/page"), b"<p>hello</p>", "text/html", "utf-8")
    assert [(h.status, h.location) for h in r.redirects] == [(302, server.url("/b")),
                                                             (301, server.url("/page"))]
    headers = server.requests[-1][2]
    assert headers["User-Agent"] == user_agent()
    assert re.fullmatch(r"claimledger/\d+\.\d+\.\d+\S* \(\+https://w3id\.org/claimledger\)",
                        user_agent())
    assert "Authorization" not in headers


def test_loopback_is_refused_unless_allowed(server):
    server.routes["/"] = page("x")
    error = failure(Policy.for_sources(), server.url("/"))
    assert error.kind == "refused" and "127.0.0.1 is a loopback address" in error.message
    assert server.requests == []
    assert get(Policy.for_sources(allow_private=True), server.url("/")).status == 200


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x",
                                    "data:text/plain,hello", "gopher://127.0.0.1:70/",
                                    "javascript:alert(1)"])
def test_a_redirect_to_another_scheme_is_never_followed(server, target):
    server.routes["/"] = redirect(target)
    error = failure(sources(server), server.url("/"))
    assert error.kind == "redirect" and "only http and https" in error.message


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "data:,x",
                                 "example.org/page", "http:///nohost", "http://a b/"])
def test_urls_that_are_not_http_are_refused_as_input(url):
    with Client(Policy.for_sources()) as client, pytest.raises(InputError):
        client.get(url)


def test_more_than_ten_redirects_are_refused(server):
    for k in range(12):
        server.routes[f"/{k}"] = redirect(f"/{k + 1}")
    error = failure(sources(server), server.url("/0"))
    assert error.kind == "redirect" and "more than 10 redirects" in error.message
    assert len(server.requests) == 11


def test_a_redirect_to_another_loopback_host_is_refused_on_that_hop(server, other_server):
    server.routes["/"] = redirect(other_server.url("/", host="2130706434"))
    other_server.routes["/"] = page("secret")
    error = failure(sources(server), server.url("/"))
    assert error.kind == "refused" and "127.0.0.2 is a loopback address" in error.message
    assert other_server.requests == []


def test_dns_rebinding_cannot_move_a_checked_connection(server, dns):
    """The host is resolved once per connection, checked, and that very address connected:
    an answer that changes afterwards (here to 127.0.0.2) is never used for it."""
    twin = LocalServer("127.0.0.2", port=server.port)  # same port, another loopback address
    try:
        answers = iter(["127.0.0.1", "127.0.0.2", "127.0.0.2"])
        dns["flip.example"] = lambda: next(answers)
        server.routes["/"] = page("the allowed host")
        twin.routes["/"] = page("the rebound host")
        r = get(sources(server), f"http://flip.example:{server.port}/")
        assert r.body == b"the allowed host" and dns.calls == ["flip.example"]
        error = failure(sources(server), f"http://flip.example:{server.port}/")
        assert error.kind == "refused" and "127.0.0.2" in error.message
        assert twin.requests == []
    finally:
        twin.close()


def test_body_caps(server):
    server.routes["/declared"] = page(b"a" * 5000, "text/plain")
    server.routes["/chunked"] = chunked(300_000)
    server.routes["/bomb"] = gzipped(b"\0" * 50_000_000)
    policy = sources(server, max_body=100_000)
    for path, how in (("/declared", "it declares 5,000 bytes"), ("/chunked", "on the wire"),
                      ("/bomb", "after decompression")):
        error = failure(sources(server, max_body=4000) if path == "/declared" else policy,
                        server.url(path))
        assert error.kind == "too-large" and how in error.message, error.message
    r = get(sources(server, max_body=60_000_000), server.url("/bomb"))
    assert len(r.body) == 50_000_000 and r.content_encoding == "gzip"


def test_a_server_that_stalls_is_cut_off_by_the_read_timeout(server):
    server.routes["/headers"] = stall(5, headers_first=True)
    server.routes["/silent"] = stall(5, headers_first=False)
    for path in ("/headers", "/silent"):
        error = failure(sources(server, read_timeout=1, deadline=30), server.url(path))
        assert error.kind == "timeout" and "sent nothing for 1 s" in error.message


def test_a_server_dripping_a_byte_a_second_is_cut_off_by_the_deadline(server):
    server.routes["/drip"] = drip(interval=1.0, count=30)
    error = failure(sources(server, read_timeout=5, deadline=3), server.url("/drip"))
    assert error.kind == "deadline" and "did not finish within the 3 s deadline" in error.message
    assert server.sent < 10  # stopped long before the 30 bytes were out


@pytest.mark.parametrize("status, words", [
    (401, "refused access"), (403, "refused access"), (404, "nothing at"),
    (405, "does not accept GET"), (410, "is gone"), (413, "Payload Too Large); lower the batch size"),
    (429, "Too Many Requests"), (500, "failed at"), (503, "failed at"), (418, "answered HTTP 418"),
])
def test_statuses_in_words(server, status, words):
    server.routes["/"] = page("no", "text/plain", status=status)
    r = get(sources(server), server.url("/"))
    with pytest.raises(RequestFailed) as info:
        check_status(r, what="the endpoint", hints={413: "lower the batch size"})
    assert info.value.kind == "status" and info.value.status == status
    assert words in info.value.message
    assert info.value.gone == (status in (404, 410))


def echo(h):
    send(h, 200, json.dumps({"type": h.headers.get("Content-Type"), "accept": h.headers.get("Accept"),
                             "body": h.body.decode()}).encode(), "application/json")


def test_post_form_encoded_and_raw_bodies(server):
    server.routes["/sparql"] = echo
    with Client(Policy.for_endpoint()) as client:
        r = client.post(server.url("/sparql"), form={"query": "ASK { ?s ?p 'é&x' }"},
                        accept="application/sparql-results+json", idempotent=True)
        assert r.json() == {"type": "application/x-www-form-urlencoded",
                            "accept": "application/sparql-results+json",
                            "body": "query=ASK+%7B+%3Fs+%3Fp+%27%C3%A9%26x%27+%7D"}
        r = client.post(server.url("/sparql"), body="INSERT DATA {}".encode(),
                        content_type="application/sparql-update")
        assert r.json()["type"] == "application/sparql-update"
        assert r.json()["body"] == "INSERT DATA {}"
        expect_type(r, ["application/json"])
        with pytest.raises(RequestFailed, match="not application/sparql-results"):
            expect_type(r, ["application/sparql-results+json"], what="the endpoint")


def test_retries_are_for_reads_only(server):
    calls = []

    def flaky(h):
        calls.append(1)
        send(h, 503 if len(calls) < 3 else 200, b"{}", "application/json")
    server.routes["/q"] = flaky
    with Client(Policy.for_endpoint(retries=2, backoff=0.01)) as client:
        assert client.post(server.url("/q"), form={"query": "x"}, idempotent=True).status == 200
        assert len(calls) == 3
        calls.clear()
        assert client.post(server.url("/q"), body=b"x", content_type="text/plain").status == 503
        assert len(calls) == 1


def test_the_endpoint_policy_reaches_private_addresses_but_follows_no_redirect(server):
    server.routes["/q"] = redirect("/elsewhere", 307)
    with Client(Policy.for_endpoint()) as client, pytest.raises(RequestFailed) as info:
        client.post(server.url("/q"), form={"query": "x"}, idempotent=True)
    assert info.value.kind == "redirect" and server.url("/elsewhere") in info.value.message


def test_a_post_is_not_turned_into_a_get_by_a_redirect(server):
    server.routes["/q"] = redirect("/other", 302)
    with Client(sources(server)) as client, pytest.raises(RequestFailed, match="turn it into a GET"):
        client.post(server.url("/q"), body=b"x", content_type="text/plain")


def test_proxies_from_the_environment_are_not_used(server, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.9:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.9:9")
    server.routes["/"] = page("direct")
    assert get(sources(server), server.url("/")).body == b"direct"


def test_tls_errors_and_a_given_ca_bundle(tmp_path):
    cert, key = self_signed(tmp_path)
    srv = LocalServer("127.0.0.1", tls=(cert, key))
    try:
        srv.routes["/"] = page("over tls")
        error = failure(sources(srv), srv.url("/"))
        assert error.kind == "tls" and "certificate verify failed" in error.message
        with Client(Policy.for_endpoint(verify_tls=str(cert))) as client:
            assert client.get(srv.url("/")).body == b"over tls"
    finally:
        srv.close()


def test_nothing_listening_is_a_connection_failure():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        error = failure(Policy.for_sources(allow_private=True), f"http://127.0.0.1:{port}/")
    assert error.kind == "connect" and "could not connect to 127.0.0.1" in error.message


# -- credentials -------------------------------------------------------------------------

def test_basic_and_bearer_credentials_go_to_their_origin_only(server, other_server):
    seen = []
    server.routes["/q"] = lambda h: (seen.append(h.headers.get("Authorization")),
                                     send(h, 200, b"ok", "text/plain"))
    server.routes["/hop"] = redirect(other_server.url("/q"))
    other_server.routes["/q"] = lambda h: (seen.append(h.headers.get("Authorization")),
                                           send(h, 200, b"ok", "text/plain"))
    basic = creds.Credentials("basic", "ann", "s3cret", creds.origin_of(server.url()))
    with Client(Policy.for_endpoint(), credentials=basic) as client:
        client.get(server.url("/q"))
    assert seen == ["Basic YW5uOnMzY3JldA=="]
    bearer = creds.Credentials("bearer", None, "tok-123", creds.origin_of(server.url()))
    policy = Policy.for_sources(allow_private=True)
    with Client(policy, credentials=bearer) as client:
        client.get(server.url("/hop"))
    assert seen[1:] == [None]  # the redirect to another origin got no credentials
    with Client(policy, credentials=bearer) as client:
        client.get(server.url("/q"))
    assert seen[2:] == ["Bearer tok-123"]


def test_digest_credentials_answer_the_challenge(server):
    realm, nonce = "desk", "abc123"

    def digest(h):
        auth = h.headers.get("Authorization") or ""
        if not auth.startswith("Digest "):
            send(h, 401, b"", "text/plain", {"WWW-Authenticate":
                                             f'Digest realm="{realm}", nonce="{nonce}", qop="auth"'})
            return
        f = dict(re.findall(r'(\w+)="?([^",]+)"?', auth))
        ha1 = hashlib.md5(f"ann:{realm}:s3cret".encode()).hexdigest()
        ha2 = hashlib.md5(f"{h.command}:{f['uri']}".encode()).hexdigest()
        want = hashlib.md5(f"{ha1}:{nonce}:{f['nc']}:{f['cnonce']}:{f['qop']}:{ha2}".encode()).hexdigest()
        send(h, 200 if f["response"] == want else 403, b"in", "text/plain")
    server.routes["/q"] = digest
    good = creds.Credentials("digest", "ann", "s3cret", creds.origin_of(server.url()))
    with Client(Policy.for_endpoint(), credentials=good) as client:
        assert client.get(server.url("/q")).status == 200
    bad = creds.Credentials("digest", "ann", "wrong", creds.origin_of(server.url()))
    with Client(Policy.for_endpoint(), credentials=bad) as client:
        assert client.get(server.url("/q")).status == 403


def test_secrets_never_show(server):
    c = creds.Credentials("basic", "ann", "s3cret")
    assert "s3cret" not in repr(c) and "s3cret" not in str(c)
    server.routes["/"] = page("x", status=401)
    url = f"http://ann:s3cret@127.0.0.1:{server.port}/missing"
    r = get(Policy.for_endpoint(), url)
    with pytest.raises(RequestFailed) as info:
        check_status(r)
    assert "s3cret" not in info.value.message and "ann" not in info.value.message
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://ann:s3cret@127.0.0.1:{s.getsockname()[1]}/"
        error = failure(Policy.for_endpoint(retries=0), dead)
    assert "s3cret" not in error.message and "ann:" not in error.message and error.url
    assert "s3cret" not in error.url


def test_credentials_from_the_environment_and_a_netrc_file(tmp_path):
    url = "https://sparql.example/query"
    got = creds.from_environment(url, env={"CLAIMLEDGER_ENDPOINT_USER": "ann",
                                           "CLAIMLEDGER_ENDPOINT_PASSWORD": "pw"})
    assert (got.scheme, got.username, got.secret, got.origin) == (
        "basic", "ann", "pw", "https://sparql.example:443")
    got = creds.from_environment(url, env={"CLAIMLEDGER_ENDPOINT_TOKEN": "t0k"})
    assert (got.scheme, got.secret) == ("bearer", "t0k")
    got = creds.from_environment(url, env={"CLAIMLEDGER_ENDPOINT_USER": "ann",
                                           "CLAIMLEDGER_ENDPOINT_PASSWORD": "pw",
                                           "CLAIMLEDGER_ENDPOINT_AUTH": "digest"})
    assert got.scheme == "digest"
    netrc = tmp_path / "netrc"
    netrc.write_text("machine sparql.example login bob password hunter2 account digest\n"
                     "machine other.example password t0ken account bearer\n")
    netrc.chmod(0o600)
    got = creds.from_environment(url, env={"CLAIMLEDGER_ENDPOINT_NETRC": str(netrc)})
    assert (got.scheme, got.username, got.secret) == ("digest", "bob", "hunter2")
    assert creds.from_netrc("https://other.example/", netrc).scheme == "bearer"
    assert creds.from_netrc("https://third.example/", netrc) is None
    netrc.write_text("machine sparql.example login bob password hunter2 bogus\n")
    with pytest.raises(InputError) as info:
        creds.from_netrc(url, netrc)
    assert "hunter2" not in info.value.message and str(netrc) in info.value.message
    with pytest.raises(InputError, match="USER is not"):
        creds.from_environment(url, env={"CLAIMLEDGER_ENDPOINT_PASSWORD": "pw"})


def test_a_body_can_stream_to_a_file_and_a_call_can_have_its_own_timeouts(server, tmp_path):
    server.routes["/export"] = gzipped(b"<s> <p> <o> .\n" * 100_000, "application/n-triples")
    server.routes["/slow"] = stall(5)
    target = tmp_path / "export.nt"
    with Client(Policy.for_endpoint(read_timeout=60)) as client:
        with target.open("wb") as sink:
            r = client.get(server.url("/export"), sink=sink)
        assert r.body == b"" and target.read_bytes() == b"<s> <p> <o> .\n" * 100_000
        with pytest.raises(RequestFailed) as info:
            client.get(server.url("/slow"), timeout=(2, 1))
    assert info.value.kind == "timeout"


def _raw(data: bytes, close: bool = True):
    def handler(h):
        h.wfile.write(data)
        h.wfile.flush()
        if close:
            h.close_connection = True
    return handler


@pytest.mark.parametrize("data, words", [
    (b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this", "broke off in the middle"),
    (b"NOT HTTP AT ALL\r\n\r\n", "malformed HTTP response"),
    (b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(200)) + b"\r\n",
     "malformed HTTP response"),
    (b"", "closed the connection without answering"),
    (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\nnot gzip!!",
     "sent a corrupt gzip body"),
    (b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 2\r\n\r\nxx",
     "content encoding 'br'"),
])
def test_broken_responses_are_errors_in_words(server, data, words):
    server.routes["/"] = _raw(data)
    error = failure(sources(server), server.url("/"))
    assert words in error.message, error.message
