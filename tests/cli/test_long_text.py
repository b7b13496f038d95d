"""Long statements and quotes from a file or standard input (a 5 MB statement cannot pass as
an argument)."""

import pytest

from claimledger.ledger import Ledger
from claimledger.model import terms
from conftest import snapshot

CLAIM = ["claim", "add", "speech", "--subject", "ex:Minister", "--predicate", "ex:said",
         "--object", "ex:Speech"]


@pytest.fixture
def speech():
    # about 5 MB of UTF-8, with line breaks, quotes and non-ASCII text kept as they are
    line = 'Der Minister sagte: „Wir haben 12 Häftlinge freigelassen“ — and "more".\r\n'
    return (line * (5_000_000 // len(line.encode())))


def test_a_5_mb_statement_from_a_file(run, ledger_dir, tmp_path, speech):
    path = tmp_path / "speech.txt"
    path.write_text(speech, encoding="utf-8", newline="")
    assert path.stat().st_size > 4_900_000
    run.ok(*CLAIM, "--text-file", str(path))
    with Ledger.open(ledger_dir) as led:
        assert led.claims.get("speech").text == speech
    run.ok("verify")


def test_statement_and_quote_from_stdin(run, ledger_dir):
    run.ok("source", "add", "tv", "--title", "TV", "--kind", "media")
    run.ok(*CLAIM, "--text-file", "-", input="Er sagte es.\nZweimal.\n")
    run.ok("evidence", "add", "speech", "tv", "--supports", "--quote-file", "-",
           "--locator", "00:12:30", input="„Wir haben sie freigelassen“")
    with Ledger.open(ledger_dir) as led:
        record = led.claims.get("speech")
        assert record.text == "Er sagte es.\nZweimal.\n"
        assert record.evidence[0].quote == "„Wir haben sie freigelassen“"


def test_a_byte_order_mark_is_not_part_of_the_text(run, ledger_dir, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffStatement".encode("utf-8"))
    run.ok(*CLAIM, "--text-file", str(path))
    with Ledger.open(ledger_dir) as led:
        assert led.claims.get("speech").text == "Statement"


@pytest.mark.parametrize("extra, setup, message", [
    (["--text", "t", "--text-file", "FILE"], "ok", "give --text or --text-file, not both"),
    ([], None, "give the text with --text TEXT or --text-file FILE"),
    (["--text-file", "FILE"], None, "--text-file: cannot read"),
    (["--text-file", "FILE"], "latin-1", "is not UTF-8 text"),
    (["--text-file", "DIR"], None, "is a directory"),
    (["--text-file", "FILE"], "empty", "--text: must not be empty"),
    (["--text-file", "FILE"], "nul", "control character U+0000"),
])
def test_bad_text_files_are_refused(run, ledger_dir, tmp_path, extra, setup, message):
    path = tmp_path / "text.txt"
    if setup == "ok":
        path.write_text("fine", encoding="utf-8")
    elif setup == "latin-1":
        path.write_bytes("Häftlinge".encode("latin-1"))
    elif setup == "empty":
        path.write_text("  \n", encoding="utf-8")
    elif setup == "nul":
        path.write_text("a\x00b", encoding="utf-8")
    args = [str(path) if a == "FILE" else str(tmp_path) if a == "DIR" else a for a in extra]
    before = snapshot(ledger_dir)
    result = run(*CLAIM, *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert snapshot(ledger_dir) == before


def test_a_statement_over_the_limit_is_refused(run, ledger_dir, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("x" * (terms.MAX_LONG_TEXT + 1), encoding="ascii")
    before = snapshot(ledger_dir)
    result = run(*CLAIM, "--text-file", str(path))
    assert result.exit_code == 2
    assert f"the limit is {terms.MAX_LONG_TEXT:,}" in result.stderr
    assert snapshot(ledger_dir) == before
