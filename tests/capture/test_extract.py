"""Text extraction: trafilatura for HTML, plain text as it is, what a page declares — and no
network use by the extractor, at import or at run time."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from claimledger.capture.extract import extract

FILLER = " ".join(["Officials described the scene at length for reporters near the river."] * 4)


def article(inner: str, head: str = "") -> bytes:
    return (f"<html><head><title>Bridge falls | Daily</title>{head}</head><body>"
            f"<nav>Home | World | Sport</nav><article><h1>Bridge</h1><p>{FILLER}</p>"
            f"<p>{inner}</p><p>{FILLER}</p></article><footer>(c) Daily</footer></body></html>"
            ).encode()


def test_html_is_read_by_trafilatura_and_inline_markup_disappears():
    text, facts = extract(article("The mayor said <b>the</b> bridge had <i>fallen</i>."),
                          "text/html", "utf-8")
    assert "The mayor said the bridge had fallen." in text.text
    assert "Home | World" not in text.text and "<b>" not in text.text
    assert text.extractor == "trafilatura" and text.version[0].isdigit()
    assert len(text.sha256) == 64
    assert facts.title == "Bridge falls | Daily"


def test_a_declared_publication_date_is_kept_and_a_future_one_is_not():
    _, facts = extract(article("x", '<meta property="article:published_time" '
                                    'content="2021-05-01T10:00:00Z">'), "text/html", None)
    assert facts.published == "2021-05-01"
    _, facts = extract(article("x", '<meta property="article:published_time" '
                                    'content="2999-01-01">'), "text/html", None)
    assert facts.published is None
    _, facts = extract(article("x"), "text/html", None)
    assert facts.published is None


def test_plain_text_is_kept_as_it_is():
    body = "Line one\u00a0— “quoted”\r\nLine two\n".encode("utf-8")
    text, facts = extract(body, "text/plain", None)
    assert text.text == "Line one\u00a0— “quoted”\r\nLine two\n"
    assert text.extractor == "plain text" and facts.title is None
    latin = extract("caf\u00e9".encode("latin-1"), "text/plain", "iso-8859-1")[0]
    assert latin.text == "caf\u00e9"


def test_media_without_text_get_none():
    assert extract(b"%PDF-1.4 ...", "application/pdf", None)[0] is None
    assert extract(b"\x89PNG", "image/png", None)[0] is None


def test_the_extractor_opens_no_socket_at_import_or_run_time():
    """In a fresh interpreter, an audit hook records every socket event that reaches out —
    connections, DNS look-ups, datagrams — while trafilatura is imported and runs on a page
    full of URLs. (urllib3, which trafilatura imports, binds a socket to ::1 port 0 once to
    learn whether IPv6 works; that sends nothing and is not counted.)"""
    script = textwrap.dedent(f"""
        import json, sys
        events = []
        OUT = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
               "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.getnameinfo",
               "socket.sendto", "socket.sendmsg", "http.client.connect", "urllib.Request")
        def hook(name, args):
            if name in OUT:
                events.append(name)
        sys.addaudithook(hook)
        from claimledger.capture.extract import extract
        html = {article('See <a href="https://example.org/x">this</a> '
                        '<img src="https://example.org/i.png">',
                        '<link rel="canonical" href="https://example.org/c">')!r}
        text, facts = extract(html, "text/html", None)
        seen = list(events)
        import socket
        socket.getaddrinfo("127.0.0.1", 9)  # the control: the hook does see a look-up
        print(json.dumps({{"events": seen, "control": events[len(seen):], "text": text.text}}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "See this" in result["text"]
    assert result["events"] == []
    assert result["control"] == ["socket.getaddrinfo"]
