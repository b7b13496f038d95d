"""The web app over HTTP: a real ``claimledger serve`` on 127.0.0.1, spoken to with requests.

Set up through the CLI, act through the page, check through the CLI and the library.
"""

from __future__ import annotations

import json
import re

import requests

from conftest import snapshot
from webserver import serve  # noqa: F401  (a fixture)

HOSTILE = 'Freed "all" <script>window.__pwned = 1</script> & \u202eevil\u202c \u200fend'


def tour_ledger(run) -> None:
    run.ok("source", "add", "wire-a", "--title", "Wire story", "--reliability", "B")
    run.ok("source", "add", "outlet-b", "--title", "Outlet B", "--derived-from", "wire-a")
    run.ok("source", "add", "outlet-c", "--title", "Outlet C", "--reliability", "C")
    run.ok("claim", "add", "freed", "--subject", "ex:Taliban", "--predicate", "ex:freed",
           "--object", "ex:Prisoners", "--text", "The Taliban freed its jailed members")
    run.ok("evidence", "add", "freed", "outlet-b", "--supports", "--quote", "freed its jailed")
    run.ok("evidence", "add", "freed", "outlet-c", "--supports", "--locator", "para 4")


def rows(html: str) -> list[str]:
    return re.findall(r'href="/claims/([^"/]+)"', html)


def test_pages_show_what_the_cli_shows(run, ledger_dir, serve):
    tour_ledger(run)
    server = serve(ledger_dir)
    listing = server.http.get(server.url("/claims")).text
    assert "freed" in rows(listing) and "corroborated" in listing
    page = server.http.get(server.url("/claims/freed"))
    assert page.status_code == 200
    shown = json.loads(run.ok("claim", "show", "freed", "--format", "json").stdout)["claim"]
    assert shown["status"] == "corroborated"
    assert f'status-{shown["status"]}' in page.text
    for ev in shown["evidence"]:
        assert ev["id"] in page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="origin-tree"' in page.text
    assert page.text.count('class="node source origin') == 2  # wire-a and outlet-c
    assert "claim add" in page.text and "evidence add" in page.text  # history
    svg = server.http.get(server.url("/claims/freed/origins.svg"))
    assert svg.headers["Content-Type"].startswith("image/svg+xml")
    assert svg.text.startswith("<?xml") and "</svg>" in svg.text
    source = server.http.get(server.url("/sources/outlet-c")).text
    assert "Outlet C" in source and 'href="/claims/freed"' in source
    assert re.search(r"claims it supports</th><td class=\"num\">1<", source)
    assert server.http.get(server.url("/claims/nope")).status_code == 404
    assert server.http.get(server.url("/sources/nope")).status_code == 404
    impact = server.http.get(server.url("/sources/outlet-c?impact=1")).text
    assert "drops to one origin" in impact


def test_the_cli_keeps_working_while_the_server_runs(run, ledger_dir, serve):
    tour_ledger(run)
    server = serve(ledger_dir, "--agent", "web-editor")
    assert server.http.get(server.url("/claims/freed")).status_code == 200
    result = run.ok("source", "link", "outlet-c", "--derived-from", "wire-a",
                    "--reason", "C reprints the wire copy")
    assert "corroborated → single-source" in result.stdout
    page = server.http.get(server.url("/claims/freed")).text
    assert "status-single-source" in page
    run.ok("verify")


def test_hostile_text_is_escaped_everywhere(run, ledger_dir, serve):
    run.ok("claim", "add", "evil", "--subject", "ex:a", "--predicate", "ex:b", "--object",
           "ex:c", "--text", HOSTILE)
    run.ok("source", "add", "s", "--title", '<img src=x onerror=alert(1)> "t"', "--reliability", "C",
           "--url", "javascript:alert(1)")
    run.ok("evidence", "add", "evil", "s", "--supports", "--quote", "<b>bold</b>")
    server = serve(ledger_dir)
    for path in ("/claims", "/claims/evil", "/claims/evil/origins.svg", "/sources", "/sources/s",
                 "/log", "/reports/single-anecdote"):
        body = server.http.get(server.url(path)).text
        assert "<script>window.__pwned" not in body, path
        assert "<img src=x" not in body and "<b>bold</b>" not in body, path
    page = server.http.get(server.url("/claims/evil")).text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "\u202eevil" in page  # kept as it is, shown as text
    assert 'href="javascript:' not in server.http.get(server.url("/sources/s")).text
    csp = server.http.get(server.url("/claims/evil")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_a_form_write_without_the_csrf_token_writes_nothing(run, ledger_dir, serve):
    server = serve(ledger_dir, "--agent", "web-editor")
    before = snapshot(ledger_dir)
    server.http.get(server.url("/new/source"))  # a session, but no token sent
    r = server.http.post(server.url("/new/source"), data={"slug": "x", "title": "X"},
                         allow_redirects=False)
    assert r.status_code == 403
    other = requests.Session()
    token = server.csrf("/new/source", session=other)  # another session's token
    r = server.http.post(server.url("/new/source"), data={"slug": "x", "title": "X",
                                                          "csrf_token": token})
    assert r.status_code == 403
    assert snapshot(ledger_dir) == before


def test_read_only_mode_refuses_every_write(run, ledger_dir, serve):
    server = serve(ledger_dir)  # neither --agent nor --desk
    before = snapshot(ledger_dir)
    token = server.csrf("/new/source")
    r = server.http.post(server.url("/new/source"), data={"slug": "x", "title": "X",
                                                          "csrf_token": token})
    assert r.status_code == 401 and "no write without an authenticated agent" in r.text
    assert snapshot(ledger_dir) == before


def test_a_refused_write_shows_the_clis_message_by_the_field(run, ledger_dir, serve):
    server = serve(ledger_dir, "--agent", "web-editor")
    before = snapshot(ledger_dir)
    cli = run("claim", "add", "x", "--subject", "ex:a", "--predicate", "ex:b", "--object",
              "ex:c", "--text", "t", "--confidence", "high")
    assert cli.exit_code == 1
    token = server.csrf("/new/claim")
    r = server.http.post(server.url("/new/claim"), data={
        "slug": "x", "subject": "ex:a", "predicate": "ex:b", "object": "ex:c", "text": "t",
        "confidence": "high", "csrf_token": token})
    assert r.status_code == 422
    block = re.search(r'data-field="confidence">([\s\S]*?)</div>', r.text).group(1)
    messages = re.findall(r'role="alert">([^<]*)<', block)
    assert messages and all(m.split(": ", 1)[1] in cli.output for m in messages)
    r = server.http.post(server.url("/new/claim"), data={
        "slug": "bad slug!", "subject": "ex:a", "predicate": "ex:b", "object": "ex:c",
        "text": "t", "csrf_token": token})
    assert r.status_code == 400
    assert re.search(r'data-field="slug">[\s\S]*?is not a valid slug', r.text)
    assert snapshot(ledger_dir) == before


def test_local_mode_only_on_loopback_and_the_host_header_checked(run, ledger_dir, serve):
    result = run("serve", "--agent", "jdoe", "--bind", "0.0.0.0:0")
    assert result.exit_code == 2 and "--bind" in result.output
    server = serve(ledger_dir, "--agent", "jdoe")
    r = requests.get(server.url("/claims"), headers={"Host": "attacker.example"})
    assert r.status_code == 421  # DNS rebinding: the page answers only to its own names


def test_desk_mode_logins_roles_and_tokens(run, ledger_dir, serve, tmp_path):
    editor_file, reader_file = tmp_path / "alice.token", tmp_path / "bob.token"
    run.ok("user", "add", "alice", "--ledger", str(ledger_dir), "--token-file", str(editor_file))
    run.ok("user", "add", "bob", "--role", "reader", "--ledger", str(ledger_dir),
           "--token-file", str(reader_file))
    assert oct(editor_file.stat().st_mode & 0o777) == "0o600"
    assert run("user", "add", "alice", "--ledger", str(ledger_dir), "--token-file",
               str(tmp_path / "again.token")).exit_code == 2
    assert editor_file.read_text().strip() not in (ledger_dir / "users" / "alice.json").read_text()
    server = serve(ledger_dir, "--desk")
    r = server.http.get(server.url("/claims"), allow_redirects=False)
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert requests.get(server.url("/sparql?query=ASK%7B%7D")).status_code == 401

    def login(token: str) -> requests.Session:
        s = requests.Session()
        csrf = server.csrf("/login", session=s)
        r = s.post(server.url("/login"), data={"token": token, "csrf_token": csrf},
                   allow_redirects=False)
        assert r.status_code == 302, r.text
        return s

    bad = requests.Session()
    csrf = server.csrf("/login", session=bad)
    assert bad.post(server.url("/login"), data={"token": "alice:wrong", "csrf_token": csrf}
                    ).status_code == 401
    before = snapshot(ledger_dir)
    reader = login(reader_file.read_text())
    token = server.csrf("/new/source", session=reader)
    r = reader.post(server.url("/new/source"), data={"slug": "x", "title": "X",
                                                     "csrf_token": token})
    assert r.status_code == 403
    assert snapshot(ledger_dir) == before
    editor = login(editor_file.read_text())
    token = server.csrf("/new/source", session=editor)
    r = editor.post(server.url("/new/source"), data={"slug": "x", "title": "X",
                                                     "csrf_token": token})
    assert r.status_code == 200 and "recorded source x" in r.text
    log = json.loads(run.ok("log", "x", "--format", "json").stdout)
    assert log[-1]["agent"] == "alice" and log[-1]["command"] == "source add"
    bearer = requests.get(server.url("/sparql"), params={"query": "ASK { ?s ?p ?o }"},
                          headers={"Authorization": "Bearer " + reader_file.read_text().strip()})
    assert bearer.status_code == 200 and bearer.json()["boolean"] is True


def test_a_request_waits_for_the_lock_like_a_command(run, ledger_dir, serve):
    from claimledger.ledger import Ledger

    tour_ledger(run)
    server = serve(ledger_dir, "--agent", "web", "--wait", "0.5")
    with Ledger.open(ledger_dir, write=True, agent="holder"):  # a writer holds the ledger
        busy = server.http.get(server.url("/claims/freed"))
        assert busy.status_code == 503 and "ledger busy" in busy.text
        assert busy.headers["Retry-After"]
    page = server.http.get(server.url("/claims/freed"))
    assert page.status_code == 200
    form = server.csrf("/new/source")
    with Ledger.open(ledger_dir, write=True, agent="holder"):
        r = server.http.post(server.url("/new/source"), data={"slug": "x", "title": "X",
                                                              "csrf_token": form})
        assert r.status_code == 503 and "ledger busy" in r.text
    run.ok("verify")
    assert run("source", "show", "x").exit_code == 2  # nothing was written


def test_a_trusted_proxy_names_the_user(run, ledger_dir, serve, tmp_path):
    run.ok("user", "add", "alice", "--ledger", str(ledger_dir), "--token-file",
           str(tmp_path / "alice.token"))
    server = serve(ledger_dir, "--desk", "--user-header", "X-Remote-User")
    as_alice = requests.Session()
    as_alice.headers["X-Remote-User"] = "alice"
    assert as_alice.get(server.url("/claims")).status_code == 200
    token = server.csrf("/new/source", session=as_alice)
    r = as_alice.post(server.url("/new/source"), data={"slug": "x", "title": "X",
                                                       "csrf_token": token})
    assert r.status_code == 200 and "recorded source x" in r.text
    assert json.loads(run.ok("log", "x", "--format", "json").stdout)[-1]["agent"] == "alice"
    stranger = requests.get(server.url("/claims"), headers={"X-Remote-User": "mallory"},
                            allow_redirects=False)
    assert stranger.status_code == 302  # not a registered user: log in first
    untrusted = serve(ledger_dir, "--desk", "--user-header", "X-Remote-User",
                      "--trusted-proxy", "192.0.2.1")
    ignored = requests.get(untrusted.url("/claims"), headers={"X-Remote-User": "alice"},
                           allow_redirects=False)
    assert ignored.status_code == 302  # the header counts only from the proxy


def test_a_report_page_shows_its_rows_a_page_at_a_time(run, ledger_dir, serve):
    """The page shows a report 200 rows at a time, or ``limit=N`` (``offset=N`` moves on, as
    ``report --limit --offset``); the downloads hold every row."""
    run.ok("source", "add", "wire", "--title", "Wire", "--reliability", "C")
    for k in range(5):
        run.ok("claim", "add", f"c{k}", "--subject", "ex:a", "--predicate", "ex:p",
               "--object", f"ex:o{k}", "--text", f"Claim {k}")
        run.ok("evidence", "add", f"c{k}", "wire", "--supports", "--locator", f"para {k}")
    server = serve(ledger_dir)
    assert rows(server.http.get(server.url("/reports/single-anecdote")).text) == \
        ["c0", "c1", "c2", "c3", "c4"]
    first = server.http.get(server.url("/reports/single-anecdote?limit=2")).text
    assert rows(first) == ["c0", "c1"] and "rows 1–2 of more" in first
    assert 'href="/reports/single-anecdote?offset=2&amp;limit=2" rel="next"' in first
    last = server.http.get(server.url("/reports/single-anecdote?limit=2&offset=4")).text
    assert rows(last) == ["c4"] and 'rel="prev"' in last and 'rel="next"' not in last
    cli = run.ok("report", "single-anecdote", "--limit", "2", "--offset", "4", "--format", "csv")
    assert [line.split(",")[0] for line in cli.stdout.splitlines()[1:]] == ["c4"]
    whole = server.http.get(server.url("/reports/single-anecdote?format=csv")).text
    assert len(whole.strip().splitlines()) == 6  # the header and all five rows
    for query in ("offset=-1", "limit=0", "limit=x", "limit=5001"):
        bad = server.http.get(server.url(f"/reports/single-anecdote?{query}"))
        assert bad.status_code == 400 and query.split("=")[0] in bad.text, query
