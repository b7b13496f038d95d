"""The same writes through the CLI and through the page give the same ledger.

Two ledgers with the same base: one written with ``claimledger`` commands, the other through
the web forms of a running server (local mode, same agent). Their state graphs must be equal
once recording times are set aside, and their audit trails must hold the same events (command,
arguments, reason, agent) — the page calls the same library functions with the same values.
"""

from __future__ import annotations

import json
import re

from pyoxigraph import Literal

from claimledger.ledger import Ledger
from conftest import BASE, EX, Cli
from webserver import serve  # noqa: F401  (a fixture)

XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"

#: (CLI arguments, web path, form fields) for each write, in order.
WRITES = [
    (["source", "add", "wire-a", "--title", "Wire story", "--reliability", "B",
      "--published", "2021-08-20", "--url", "https://example.org/wire"],
     "/new/source", {"slug": "wire-a", "title": "Wire story", "reliability": "B",
                     "published": "2021-08-20", "url": "https://example.org/wire",
                     "kind": "document"}),
    (["source", "add", "outlet-b", "--title", "Outlet B", "--derived-from", "wire-a"],
     "/new/source", {"slug": "outlet-b", "title": "Outlet B", "derived_from": "wire-a",
                     "kind": "document", "reliability": "F"}),
    (["source", "add", "outlet-c", "--title", "Outlet C", "--reliability", "C"],
     "/new/source", {"slug": "outlet-c", "title": "Outlet C", "reliability": "C",
                     "kind": "document"}),
    (["source", "add", "insider", "--title", "An insider", "--kind", "person", "--anonymous",
      "--justification", "fears reprisal", "--known-to", "editor", "--reliability", "C"],
     "/new/source", {"slug": "insider", "title": "An insider", "kind": "person",
                     "anonymous": "1", "justification": "fears reprisal", "known_to": "editor",
                     "reliability": "C"}),
    (["claim", "add", "freed", "--subject", "ex:Taliban", "--predicate", "ex:freed",
      "--object", "ex:Prisoners", "--text", "The Taliban freed its jailed members"],
     "/new/claim", {"slug": "freed", "subject": "ex:Taliban", "predicate": "ex:freed",
                    "object": "ex:Prisoners", "text": "The Taliban freed its jailed members",
                    "text_lang": "en", "confidence": "low"}),
    (["evidence", "add", "freed", "outlet-b", "--supports", "--quote", "freed its jailed",
      "--prefix", "the group ", "--credibility", "2"],
     "/claims/freed/evidence", {"source": "outlet-b", "stance": "supports",
                                "quote": "freed its jailed", "prefix": "the group ",
                                "credibility": "2"}),
    (["evidence", "add", "freed", "outlet-c", "--supports", "--attributed-to", "insider",
      "--locator", "para 4", "--reason", "second line"],
     "/claims/freed/evidence", {"source": "outlet-c", "stance": "supports",
                                "attributed_to": "insider", "locator": "para 4",
                                "reason": "second line"}),
    (["claim", "confidence", "freed", "moderate", "--reason", "two origins"],
     "/claims/freed/confidence", {"level": "moderate", "reason": "two origins"}),
    (["source", "link", "outlet-c", "--derived-from", "wire-a", "--reason", "reprint"],
     "/sources/outlet-c/link", {"derived_from": "wire-a", "reason": "reprint"}),
    (["source", "update", "outlet-b", "--reliability", "D", "--reason", "corrections"],
     "/sources/outlet-b/update", {"reliability": "D", "reason": "corrections"}),
    (["evidence", "retract", "freed-1", "--reason", "misquoted"],
     "/evidence/freed-1/retract", {"reason": "misquoted"}),
    (["source", "discredit", "insider", "--reason", "made it up"],
     "/sources/insider/discredit", {"reason": "made it up"}),
    (["claim", "revise", "freed", "freed-v2", "--text", "The Taliban freed some members",
      "--reason", "hedged"],
     "/claims/freed/revise", {"new": "freed-v2", "text": "The Taliban freed some members",
                              "reason": "hedged"}),
    (["claim", "verdict", "freed-v2", "refuted", "--reason", "records show otherwise"],
     "/claims/freed-v2/verdict", {"verdict": "refuted", "reason": "records show otherwise"}),
    (["prefix", "add", "geo", "https://example.org/geo/"],
     "/new/prefix", {"name": "geo", "namespace": "https://example.org/geo/"}),
]


def state(path) -> set[tuple[str, str, str]]:
    """The ledger's current state, recording times replaced by a placeholder."""
    out = set()
    with Ledger.open(path) as led:
        for t in led.store.triples(None, None, None):  # the default graph: the state
            o = t.object
            shown = "<time>" if isinstance(o, Literal) and o.datatype.value == XSD_DATETIME \
                else str(o)
            out.add((str(t.subject), str(t.predicate), shown))
    return out


def events(path) -> list[tuple]:
    with Ledger.open(path) as led:
        from claimledger.query.history import log_entries
        return [(e.command, json.dumps(e.arguments, sort_keys=True), e.reason, e.agent)
                for e in log_entries(led)]


def test_web_and_cli_record_the_same_ledger(ledger_dir, tmp_path, serve):
    web_dir = tmp_path / "web-ledger"
    with Ledger.create(web_dir, base=BASE, agent="tester") as led:
        led.add_prefix("ex", EX)
    cli = Cli(ledger_dir)
    server = serve(web_dir, "--agent", "jdoe")
    for args, path, fields in WRITES:
        cli_result = cli(*args, agent="jdoe")
        assert cli_result.exit_code == 0, (args, cli_result.output)
        token = server.csrf(path)
        answer = server.http.post(server.url(path), data={**fields, "csrf_token": token})
        assert answer.status_code == 200, (path, re.findall(r'role="alert">([^<]*)', answer.text))
        for line in cli_result.stdout.splitlines()[1:]:  # the same status changes shown
            claim = line.strip().split(":", 1)[0]
            if "→" in line and claim:
                assert claim in answer.text, (path, line)
    cli_state, web_state = state(ledger_dir), state(web_dir)
    assert cli_state == web_state, (sorted(cli_state - web_state)[:5],
                                    sorted(web_state - cli_state)[:5])
    assert len(cli_state) > 100
    trail = events(web_dir)
    assert len(trail) == 2 + len(WRITES) and trail[-1][0] == "prefix add"
    assert events(ledger_dir) == trail
    assert cli("verify").exit_code == 0
    assert Cli(web_dir)("verify").exit_code == 0
