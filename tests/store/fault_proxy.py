"""A fault-injecting HTTP proxy of the tests' own, on 127.0.0.1, in front of a real SPARQL
server: it forwards requests as they are, or — for the requests a test picks — answers 500,
stalls, drops the connection, answers 200 without forwarding, sends malformed results, or
asks for credentials (HTTP basic, digest, or a bearer token)."""

from __future__ import annotations

import base64
import hashlib
import http.client
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Proxy:
    """``Proxy(target_url)``; set ``fault`` (and ``match``: "update" or "query") to inject.

    Faults: ``None`` (forward), ``"500"`` (answer 500, not forwarded), ``"500-after"``
    (forward, then answer 500), ``"stall"`` (forward, then answer nothing for ``stall``
    seconds), ``"drop"`` (forward, then close the connection half-way through the answer),
    ``"swallow"`` (answer 200, not forwarded), ``"malformed"`` (answer 200 with a broken
    results document), ``"kill"`` (forward, then call ``on_kill`` before answering).
    ``times`` limits how many requests are faulted (None: all).
    """

    def __init__(self, target: str) -> None:
        self.target = urlsplit(target)
        self.fault: str | None = None
        self.match = "update"
        self.times: int | None = None
        self.stall = 5.0
        self.auth: tuple[str, str] | None = None  # (scheme, secret): basic "u:p", bearer token
        self.on_kill = None
        self.seen: list[str] = []
        self.faulted = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                proxy._handle(self, b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                proxy._handle(self, self.rfile.read(length))

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address) -> None:
                pass  # a client that went away mid-answer: what these tests provoke

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- handling ----------------------------------------------------------------------------
    def _kind(self, path: str, body: bytes) -> str:
        if path.startswith("/update") or b"update=" in body[:10]:
            return "update"
        return "query"

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        if self.auth is not None and not self._authorised(handler):
            return
        kind = self._kind(handler.path, body)
        self.seen.append(kind)
        fault = self.fault if kind == self.match and (self.times is None or self.times > 0) else None
        if fault is not None:
            self.faulted += 1
            if self.times is not None:
                self.times -= 1
        if fault in ("500", "swallow", "malformed"):
            text = {"500": b"Internal Server Error", "swallow": b"",
                    "malformed": b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": '}[fault]
            status = 500 if fault == "500" else 200
            kind_header = "application/sparql-results+json" if fault == "malformed" else "text/plain"
            self._answer(handler, status, {"Content-Type": kind_header}, text)
            return
        try:
            status, headers, answer = self._forward(handler, body)
        except OSError:  # the server is down: the client sees its connection dropped
            handler.close_connection = True
            return
        if fault == "500-after":
            self._answer(handler, 500, {"Content-Type": "text/plain"}, b"Internal Server Error")
        elif fault == "stall":
            time.sleep(self.stall)
            self._answer(handler, status, headers, answer)
        elif fault == "drop":
            handler.send_response(status)
            handler.send_header("Content-Length", str(len(answer) + 100))
            handler.end_headers()
            handler.wfile.write(answer[: len(answer) // 2])
            handler.wfile.flush()
            handler.close_connection = True
        elif fault == "kill":
            if self.on_kill is not None:
                self.on_kill()
            handler.close_connection = True
        else:
            self._answer(handler, status, headers, answer)

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes):
        conn = http.client.HTTPConnection(self.target.hostname, self.target.port, timeout=30)
        try:
            headers = {k: v for k, v in handler.headers.items()
                       if k.lower() not in ("host", "authorization", "connection")}
            conn.request(handler.command, handler.path, body=body or None, headers=headers)
            r = conn.getresponse()
            data = r.read()
            keep = {k: v for k, v in r.getheaders() if k.lower() in ("content-type",)}
            return r.status, keep, data
        finally:
            conn.close()

    @staticmethod
    def _answer(handler, status: int, headers: dict, body: bytes) -> None:
        handler.send_response(status)
        for k, v in headers.items():
            handler.send_header(k, v)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    # -- authentication ---------------------------------------------------------------------
    def _authorised(self, handler) -> bool:
        scheme, secret = self.auth
        given = handler.headers.get("Authorization") or ""
        if scheme == "basic" and given == "Basic " + base64.b64encode(secret.encode()).decode():
            return True
        if scheme == "bearer" and given == f"Bearer {secret}":
            return True
        if scheme == "digest" and given.startswith("Digest ") and self._digest_ok(handler, given):
            return True
        challenge = {"basic": 'Basic realm="sparql"', "bearer": 'Bearer realm="sparql"',
                     "digest": f'Digest realm="sparql", nonce="{secrets.token_hex(8)}", qop="auth"'}
        handler.send_response(401)
        handler.send_header("WWW-Authenticate", challenge[scheme])
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return False

    def _digest_ok(self, handler, header: str) -> bool:
        fields = {}
        for part in header[len("Digest "):].split(","):
            key, _, value = part.strip().partition("=")
            fields[key] = value.strip('"')
        user, password = self.auth[1].split(":", 1)
        ha1 = hashlib.md5(f"{user}:{fields.get('realm')}:{password}".encode()).hexdigest()
        ha2 = hashlib.md5(f"{handler.command}:{fields.get('uri')}".encode()).hexdigest()
        expected = hashlib.md5(f"{ha1}:{fields.get('nonce')}:{fields.get('nc')}:"
                               f"{fields.get('cnonce')}:{fields.get('qop')}:{ha2}".encode()).hexdigest()
        return fields.get("username") == user and fields.get("response") == expected


def form_of(body: bytes) -> dict:
    return parse_qs(body.decode())
