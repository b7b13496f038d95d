"""A small desk ledger with every kind of thing the interchange formats carry."""

from __future__ import annotations

from conftest import Cli


def build_desk(run: Cli) -> None:
    """A small desk ledger with every kind of thing a CSV carries, and awkward text."""
    run.ok("source", "add", "wire-a", "--title", "Wire story", "--reliability", "B",
           "--url", "https://wire.example/a", "--published", "2021-03")
    run.ok("source", "add", "outlet-b", "--title", "Outlet B", "--derived-from", "wire-a",
           "--kind", "media", "--published", "2021-03-04")
    run.ok("source", "add", "outlet-c", "--title", '=HYPERLINK("http://evil.example")',
           "--reliability", "C")
    run.ok("source", "add", "official", "--title", "An official", "--kind", "person",
           "--anonymous", "--justification", "fear of reprisal", "--known-to", "editor-1",
           "--reliability", "D")
    run.ok("source", "add", "reprint", "--title", "'quoted title", "--derived-from", "outlet-b",
           "--derived-from", "outlet-c")
    run.ok("claim", "add", "freed", "--subject", "ex:Taliban", "--predicate", "ex:freed",
           "--object", "ex:Prisoners", "--text", "The Taliban freed its jailed members")
    run.ok("claim", "add", "count", "--subject", "ex:Taliban", "--predicate", "ex:count",
           "--value", "-42", "--datatype", "xsd:integer", "--text", "+42 « ou moins »",
           "--text-lang", "fr")
    run.ok("claim", "add", "multi", "--subject", "ex:a", "--predicate", "ex:said",
           "--value", "@here; \"quoted\", and\nmore", "--lang", "en-GB",
           "--text", "line one\r\nline two\nthree")
    run.ok("evidence", "add", "freed", "outlet-b", "--supports", "--quote",
           "freed its jailed members", "--prefix", "The Taliban ", "--suffix", ", said")
    run.ok("evidence", "add", "freed", "outlet-c", "--supports", "--locator", "para 4",
           "--attributed-to", "official", "--credibility", "2")
    run.ok("evidence", "add", "freed", "reprint", "--contradicts", "--quote", "-never- freed")
    run.ok("evidence", "add", "count", "outlet-c", "--contradicts", "--locator", "p. 2",
           "--credibility", "5")
    run.ok("evidence", "retract", "count-1", "--reason", "misquoted")
    run.ok("claim", "verdict", "multi", "refuted", "--reason", "the records show otherwise")
    run.ok("source", "discredit", "official", "--reason", "fabricated quotes")
