"""Local HTTP servers for the capture and HTTP tests, and a stubbed resolver.

Servers are the standard library's ``http.server`` in a thread, bound to a loopback address
(127.0.0.0/8) on a free port: no test sends traffic anywhere else. Routes map a path to a
handler that writes the response; helpers make the usual ones (a page, a redirect, a stall, a
drip). Every loop a handler runs is bounded in count and time.

The ``dns`` fixture replaces name resolution: host names resolve only as the test says
(``dns["news.example"] = "127.0.0.1"``), unknown names fail as a real resolver would, and any
attempt to reach the system resolver for a name fails the test — no test queries a real DNS
server.
"""

from __future__ import annotations

import gzip
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from claimledger.net import addresses

Handler = Callable[[BaseHTTPRequestHandler], None]


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _route(self) -> None:
        server: LocalServer = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        server.requests.append((self.command, self.path, dict(self.headers), self.body))
        handler = server.routes.get(self.path.split("?")[0])
        if handler is None:
            send(self, 404, b"not here", "text/plain")
            return
        handler(self)

    do_GET = do_POST = do_HEAD = _route


class LocalServer:
    """An HTTP server on ``host`` (a loopback address), port chosen by the system."""

    def __init__(self, host: str = "127.0.0.1", *, port: int = 0,
                 tls: tuple[Path, Path] | None = None) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, str, dict, bytes]] = []
        self.sent = 0  # bytes a dripping handler got out
        self.httpd = ThreadingHTTPServer((host, port), _Quiet)
        self.httpd.daemon_threads = True
        # a client that hangs up on purpose (a cap, a deadline) is no error of the server's
        self.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.httpd.owner = self  # type: ignore[attr-defined]
        if tls is not None:
            import ssl

            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(str(tls[0]), str(tls[1]))
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.host, self.port = host, self.httpd.server_port
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str | None,
         headers: dict | None = None) -> None:
    h.send_response(status)
    if content_type:
        h.send_header("Content-Type", content_type)
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(body)


def page(body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200,
         headers: dict | None = None) -> Handler:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda h: send(h, status, data, content_type, headers)


def redirect(location: str, status: int = 302) -> Handler:
    return lambda h: send(h, status, b"", None, {"Location": location})


def gzipped(raw: bytes, content_type: str = "text/plain") -> Handler:
    data = gzip.compress(raw, compresslevel=9)
    return lambda h: send(h, 200, data, content_type, {"Content-Encoding": "gzip"})


def chunked(total: int, piece: int = 65536) -> Handler:
    """A body of ``total`` bytes in chunks, with no Content-Length."""
    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        sent = 0
        try:
            while sent < total:
                n = min(piece, total - sent)
                h.wfile.write(b"%x\r\n" % n + b"a" * n + b"\r\n")
                sent += n
            h.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass
    return handler


def stall(seconds: float = 5.0, *, headers_first: bool = True) -> Handler:
    """Send the headers (or nothing) and then nothing for ``seconds``."""
    def handler(h: BaseHTTPRequestHandler) -> None:
        if headers_first:
            h.send_response(200)
            h.send_header("Content-Type", "text/plain")
            h.send_header("Content-Length", "1000")
            h.end_headers()
            h.wfile.flush()
        time.sleep(seconds)
    return handler


def drip(interval: float = 1.0, count: int = 30) -> Handler:
    """A body of ``count`` bytes, one every ``interval`` seconds (stops when the client goes)."""
    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Content-Length", str(count))
        h.end_headers()
        for _ in range(count):
            try:
                h.wfile.write(b"x")
                h.wfile.flush()
            except OSError:
                return
            h.server.owner.sent += 1  # type: ignore[attr-defined]
            time.sleep(interval)
    return handler


@pytest.fixture
def server():
    srv = LocalServer("127.0.0.1")
    yield srv
    srv.close()


@pytest.fixture
def other_server():
    """A second server on another loopback address (127.0.0.2): must never be reached."""
    srv = LocalServer("127.0.0.2")
    yield srv
    srv.close()


class StubDNS(dict):
    """Names → addresses (a string or a list of strings, or a callable returning them)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def resolve(self, host: str, port: int):
        self.calls.append(host)
        answer = self.get(host.rstrip(".").lower())
        if callable(answer):
            answer = answer()
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        out = []
        for ip in [answer] if isinstance(answer, str) else answer:
            family = socket.AF_INET6 if ":" in ip else socket.AF_INET
            out.append((family, (ip, port, 0, 0) if family == socket.AF_INET6 else (ip, port)))
        return out


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    """Host names resolve through a stub; the system resolver is off limits for names."""
    stub = StubDNS()
    monkeypatch.setattr(addresses, "default_resolver", stub.resolve)
    real = socket.getaddrinfo

    def guarded(host, *args, **kwargs):
        text = host.decode() if isinstance(host, bytes) else str(host)
        try:
            addresses.parse_ip_host(text)
            numeric = addresses.parse_ip_host(text) is not None
        except Exception:
            numeric = False
        if not numeric:
            raise AssertionError(f"a test asked the system resolver for {text!r}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    return stub


def self_signed(tmp: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (made with the openssl command)."""
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key
