"""What claimledger prints is safe where it lands: CSV and TSV cells that a spreadsheet would
run as a formula are neutralised (OWASP), and control and bidirectional characters never
reach the terminal raw."""

from __future__ import annotations

import csv
import io

import pytest

from claimledger import render

FORMULAS = ['=HYPERLINK("http://127.0.0.1:9/","click")', "+1+1", "-2+3", "@SUM(A1:A2)"]


@pytest.fixture
def texts(run):
    for i, text in enumerate(FORMULAS):
        run.ok("claim", "add", f"f{i}", "--subject", "ex:s", "--predicate", "ex:p",
               "--object", "ex:o", "--text", text)
    return FORMULAS


QUERY = "SELECT ?text WHERE { ?c schema:text ?t BIND(STR(?t) AS ?text) } ORDER BY ?text"


def _cells(out: str, delimiter: str) -> list[str]:
    return [row[0] for row in csv.reader(io.StringIO(out), delimiter=delimiter)][1:]


def test_csv_text_cells_that_start_a_formula_are_neutralised(run, texts):
    cells = _cells(run.ok("query", "-", "--format", "csv", input=QUERY).stdout, ",")
    assert cells and all(c.startswith("'") for c in cells), cells
    raw = _cells(run.ok("query", "-", "--format", "csv", "--raw", input=QUERY).stdout, ",")
    assert raw == sorted(t for t in raw) and any(c.startswith("=") for c in raw)
    assert not any(c.startswith("'") for c in raw)


def test_reports_are_neutralised_too_and_raw_on_request(run, texts):
    out = run.ok("report", "unsourced", "--format", "csv").stdout
    assert "=HYPERLINK" in out and ",=HYPERLINK" not in out and "\n=HYPERLINK" not in out
    raw = run.ok("report", "unsourced", "--format", "csv", "--raw").stdout
    assert ",=HYPERLINK" in raw or "\n=HYPERLINK" in raw or '"=HYPERLINK' in raw


@pytest.mark.parametrize("value, neutral", [
    ('"=1+1"', "'\"=1+1\""),
    ('"-5"^^<http://www.w3.org/2001/XMLSchema#integer>', None),
    ('"-1.5e3"^^<http://www.w3.org/2001/XMLSchema#double>', None),
    ('"-INF"^^<http://www.w3.org/2001/XMLSchema#double>', "'"),
    ('"+5"', "'"),
    ('"@x"@en', "'"),
])
def test_tsv_cells_by_their_value_numbers_stay_numbers(run, value, neutral):
    out = run.ok("query", "-", "--format", "tsv", input=f"SELECT ?v WHERE {{ BIND({value} AS ?v) }}").stdout
    cell = out.splitlines()[1]
    if neutral is None:
        assert not cell.startswith("'"), cell
    else:
        assert cell.startswith(neutral), cell
    raw = run.ok("query", "-", "--format", "tsv", "--raw",
                 input=f"SELECT ?v WHERE {{ BIND({value} AS ?v) }}").stdout
    assert not raw.splitlines()[1].startswith("'")


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_a_leading_tab_or_carriage_return_is_neutralised(run, fmt, delimiter):
    query = 'SELECT ?a ?b WHERE { BIND("\\t=1+1" AS ?a) BIND("\\r=1+1" AS ?b) }'
    out = run.ok("query", "-", "--format", fmt, input=query).stdout
    row = list(csv.reader(io.StringIO(out, newline=""), delimiter=delimiter))[1]
    assert len(row) == 2 and all(cell.startswith("'") for cell in row), row


def test_csv_numbers_stay_numbers(run):
    out = run.ok("query", "-", "--format", "csv", input="SELECT ?n ?d WHERE { BIND(-5 AS ?n) "
                 "BIND(-2.5 AS ?d) }").stdout
    assert out.splitlines()[1] == "-5,-2.5"


BIDI = "safe\u202eevil\u2066x\u200fy\x1b[31mred\x07"


def test_control_and_bidi_characters_are_escaped_in_terminal_output(run):
    run.ok("source", "add", "bidi", "--title", "T\u202eitle")
    run.ok("claim", "add", "bidi", "--subject", "ex:s", "--predicate", "ex:p", "--object", "ex:o",
           "--text", "A claim \u202e reversed \u2067 here", "--reason", "why \u202e not")
    outputs = [run.ok("claim", "show", "bidi").stdout, run.ok("claim", "list").stdout,
               run.ok("source", "show", "bidi").stdout, run.ok("source", "list").stdout,
               run.ok("log", "bidi").stdout,
               run.ok("query", "-", input="SELECT ?t WHERE { ?c schema:text ?t }").stdout,
               run.ok("query", "-", "--format", "markdown",
                      input="SELECT ?t WHERE { ?c schema:text ?t }").stdout]
    for out in outputs:
        assert "\u202e" not in out and "\u2067" not in out, out
    assert "\\u202e" in outputs[0] and "\\u202e" in outputs[4]


def test_terminal_escapes_by_category_and_keeps_text_readable():
    assert render.terminal(BIDI) == "safe\\u202eevil\\u2066x\\u200fy\\x1b[31mred\\x07"
    keep = "naïve Тест עברית العربية 漢字 e\u0301 \u00a0 👩\u200d💻 نمی\u200cخواهم"
    assert render.terminal(keep) == keep
    assert render.terminal("a\nb\tc", keep="\n") == "a\nb\\x09c"
    assert render.terminal("\ud800x\u2028") == "\\ud800x\\u2028"
