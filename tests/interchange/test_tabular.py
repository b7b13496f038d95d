"""CSV in claimledger's column layout: round trips, spreadsheet dialects, all-or-nothing imports
that name every bad row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from benchmarks import generate as gen
from claimledger.interchange import tabular
from claimledger.interchange.formats import export_any
from claimledger.interchange.tabular_import import import_csv
from claimledger.ledger import Ledger
from claimledger.model import vocab as V
from conftest import BASE, EX, Cli, snapshot
from desk import build_desk

#: The node types a CSV carries; the round trip compares the graphs of these nodes.
CARRIED = (V.CLAIM, V.SOURCE, V.EVIDENCE, V.VERDICT, V.RETRACTION, V.DISCREDITING,
           V.TEXT_QUOTE_SELECTOR)


def carried_graph(ledger_dir: Path) -> set[str]:
    """The triples about every claim, source, evidence, quote, verdict, retraction and
    discrediting of a ledger (derived facts included), as N-Triples lines."""
    with Ledger.open(ledger_dir) as led:
        nodes = {t.subject for cls in CARRIED for t in led.store.triples(None, V.TYPE, cls)}
        return {f"{t} ." for n in nodes for t in led.store.triples(n, None, None)}


def assert_same_graph(a: set[str], b: set[str]) -> None:
    missing, extra = sorted(a - b), sorted(b - a)
    assert not missing and not extra, ("lost:\n" + "\n".join(missing[:20])
                                       + "\ngained:\n" + "\n".join(extra[:20]))


def fresh(tmp_path: Path, name: str) -> tuple[Path, Cli]:
    path = tmp_path / name
    Ledger.create(path, base=BASE, agent="importer").close()
    return path, Cli(path)


def test_csv_round_trip_keeps_every_claim_source_evidence_and_record(run, ledger_dir, tmp_path):
    build_desk(run)
    exported = run.ok("export", "--format", "csv").stdout_bytes  # .stdout folds CRLF
    path = tmp_path / "desk.csv"
    path.write_bytes(exported)
    other, run2 = fresh(tmp_path, "other")
    result = run2.ok("import", "--format", "csv", str(path), "--format", "json")
    assert json.loads(result.stdout)["event"] == 2  # one write
    assert_same_graph(carried_graph(ledger_dir), carried_graph(other))
    # and the second export is the first one, byte for byte
    assert run2.ok("export", "--format", "csv").stdout_bytes == exported
    run2.ok("verify")


def test_csv_cells_are_neutralised_against_formulas(run, tmp_path):
    build_desk(run)
    data = run.ok("export", "--format", "csv").stdout_bytes.decode()
    rows = list(csv.reader(io.StringIO(data, newline="")))
    header = rows[0]
    titles = {r[header.index("source_title")] for r in rows[1:]}
    assert "'=HYPERLINK(\"http://evil.example\")" in titles
    assert "''quoted title" in titles  # a leading apostrophe is doubled, so it survives
    values = {r[header.index("value")] for r in rows[1:]}
    assert "-42" in values  # a number stays a number
    assert "'@here; \"quoted\", and\nmore" in values
    every = [cell for r in rows[1:] for cell in r]
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in every)
    assert not any(c.startswith("-") and not c.lstrip("-").isdigit() for c in every)


def test_generated_ledger_round_trips_through_csv(tmp_path):
    nt = tmp_path / "gen.nt"
    gen.generate(120, nt, seed=5, base=BASE)
    first, second = tmp_path / "first", tmp_path / "second"
    with Ledger.create(first, base=BASE, agent="bench") as led:
        from claimledger.interchange import import_file
        import_file(led, nt, max_bytes=1 << 30)
        buf = io.BytesIO()
        export_any(led, buf, fmt="csv")
    path = tmp_path / "gen.csv"
    path.write_bytes(buf.getvalue())
    with Ledger.create(second, base=BASE, agent="bench") as led:
        result = import_csv(led, path, max_bytes=1 << 30)
    assert result.sequence == 2
    # The generator writes verdicts as they were recorded before verdict scales (no cl:rating);
    # recorded again through `claim verdict`, each gains the rating its status names.
    rating = f" <{V.RATING.value}> "
    gained = {t for t in carried_graph(second) - carried_graph(first) if rating in t}
    assert gained and all(t.split(rating)[1].split("#verdict-")[1].startswith(("refuted", "retracted"))
                          for t in gained)
    assert_same_graph(carried_graph(first), carried_graph(second) - gained)


@pytest.mark.parametrize("bulk", [False, True])
def test_both_write_paths_give_the_same_ledger(tmp_path, bulk, run, ledger_dir):
    build_desk(run)
    path = tmp_path / "desk.csv"
    path.write_bytes(run.ok("export", "--format", "csv").stdout_bytes)
    other, _ = fresh(tmp_path, "other")
    with Ledger.open(other, write=True, agent="importer") as led:
        import_csv(led, path, max_bytes=1 << 20, bulk=bulk)
    assert_same_graph(carried_graph(ledger_dir), carried_graph(other))
    Cli(other).ok("verify")


HEADER = ["claim", "subject", "predicate", "object", "text", "confidence", "source",
          "source_title", "reliability", "stance", "quote", "locator"]


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", bom: bool = False,
              header: list[str] = HEADER) -> Path:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))
    return path


def test_semicolons_a_byte_order_mark_and_line_breaks_in_cells(run, tmp_path):
    path = write_csv(tmp_path / "desk.csv", [
        ["c1", "ex:a", "ex:b", "ex:c", "Première ligne\nseconde; ligne", "low", "s1",
         "Source; un", "B", "supports", "dit « ceci »;\nencore", ""],
        ["c1", "", "", "", "", "", "s2", "Source 2", "", "supports", "", "para 3"],
    ], delimiter=";", bom=True)
    run.ok("import", "--format", "csv", str(path))
    claim = json.loads(run.ok("claim", "show", "c1", "--format", "json").stdout)["claim"]
    assert claim["text"] == "Première ligne\nseconde; ligne"
    assert [e["quote"] for e in claim["evidence"]] == ["dit « ceci »;\nencore", None]
    assert claim["status"] == "corroborated"
    source = json.loads(run.ok("source", "show", "s1", "--format", "json").stdout)
    assert source["title"] == "Source; un" and source["reliability"] == "B"


def test_three_bad_rows_among_a_thousand_are_named_and_nothing_is_imported(run, ledger_dir,
                                                                           tmp_path):
    rows = []
    for i in range(1000):
        rows.append([f"c{i}", "ex:a", "ex:b", f"ex:o{i}", f"Statement {i}", "low", f"s{i % 40}",
                     f"Source {i % 40}", "C", "supports", f"quote {i}", ""])
    rows[99][9] = "agrees"            # line 101: not a stance
    rows[499][1] = "not an iri"       # line 501: subject
    rows[899][5] = "certain"          # line 901: not a confidence level
    path = write_csv(tmp_path / "big.csv", rows)
    before = snapshot(ledger_dir)
    result = run("import", "--format", "csv", str(path))
    assert result.exit_code == 2, result.output
    reported = [line for line in result.stderr.splitlines() if line.startswith("  line ")]
    assert [line.split(",")[0].strip() for line in reported] == ["line 101", "line 501", "line 901"]
    assert "column stance" in reported[0] and "column subject" in reported[1]
    assert "column confidence" in reported[2]
    assert "3 rows cannot be imported; nothing was imported" in result.stderr
    assert snapshot(ledger_dir) == before


def test_a_row_that_breaks_a_sourcing_rule_is_named(run, ledger_dir, tmp_path):
    path = write_csv(tmp_path / "rule.csv", [
        ["c1", "ex:a", "ex:b", "ex:c", "Text", "high", "s1", "One source", "B", "supports", "q", ""],
        ["c2", "ex:a", "ex:b", "ex:c", "Text", "low", "s1", "", "", "supports", "", ""],
    ])
    before = snapshot(ledger_dir)
    result = run("import", "--format", "csv", str(path))
    assert result.exit_code == 1
    assert "line 2, column confidence: [Violation] high-confidence-sourcing" in result.stderr
    assert "line 3: [Violation] evidence-structure" in result.stderr
    assert snapshot(ledger_dir) == before


def test_repeats_must_agree_and_every_problem_is_listed(run, ledger_dir, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [
        ["c1", "ex:a", "ex:b", "ex:c", "Text", "low", "s1", "Title", "", "supports", "q", ""],
        ["c1", "ex:a", "ex:b", "ex:other", "", "", "s1", "Another title", "", "supports", "q", ""],
        ["c2", "ex:a", "ex:b", "ex:c", "Text", "low", "nowhere", "", "", "supports", "q", ""],
        ["", "", "", "", "", "", "", "", "", "supports", "q", ""],
        ["bad slug!", "ex:a", "ex:b", "ex:c", "Text", "low", "", "", "", "", "", ""],
    ])
    before = snapshot(ledger_dir)
    result = run("import", "--format", "csv", str(path))
    assert result.exit_code == 2
    err = result.stderr
    assert "line 3, column object: claim 'c1' has 'ex:c' on line 2 but 'ex:other' here" in err
    assert "line 3, column source_title: source 's1' has 'Title' on line 2" in err
    assert "line 4, column source_title: source 'nowhere' is not in the ledger" in err
    assert "line 5, column quote: evidence needs both a claim and a source" in err
    assert "line 6, column claim:" in err and "not a valid slug" in err
    assert snapshot(ledger_dir) == before


def test_malformed_files_are_refused(run, ledger_dir, tmp_path):
    before = snapshot(ledger_dir)
    cases = {
        "latin1.csv": "claim,text\nc1,caf\xe9\n".encode("latin-1"),
        "unclosed.csv": b'claim,text\nc1,"never closed\n',
        "unknown.csv": b"claim,colour\nc1,red\n",
        "twice.csv": b"claim,text,Text\nc1,a,b\n",
        "wide.csv": b"claim,text\nc1,a,extra\n",
        "empty.csv": b"",
        "nul.csv": b"claim,text\nc1,a\x00b\n",
    }
    expected = {"latin1.csv": "line 2: not UTF-8", "unclosed.csv": "malformed CSV",
                "unknown.csv": "column colour: unknown column",
                "twice.csv": "column Text: column given twice",
                "wide.csv": "line 2: 3 cells, but the header names 2 columns",
                "empty.csv": "line 1: no header line", "nul.csv": "line 2"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        result = run("import", "--format", "csv", str(tmp_path / name))
        assert result.exit_code == 2, (name, result.output)
        assert expected[name] in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.output
    assert snapshot(ledger_dir) == before


def test_existing_claims_and_sources_are_named_by_slug(run, ledger_dir, tmp_path):
    run.ok("source", "add", "s1", "--title", "Known", "--reliability", "B")
    run.ok("claim", "add", "c1", "--subject", "ex:a", "--predicate", "ex:b", "--object", "ex:c",
           "--text", "Known claim")
    path = write_csv(tmp_path / "more.csv", [
        ["c1", "", "", "", "", "", "s1", "", "", "supports", "q", ""],
        ["c1", f"<{EX}a>", "ex:b", "", "Known claim", "", "s1", "Known", "B", "supports", "", "p1"],
    ])
    run.ok("import", "--format", "csv", str(path))
    claim = json.loads(run.ok("claim", "show", "c1", "--format", "json").stdout)["claim"]
    assert len(claim["evidence"]) == 2
    clash = write_csv(tmp_path / "clash.csv", [
        ["c1", "", "", "ex:z", "", "", "s1", "Renamed", "", "supports", "q", ""]])
    before = snapshot(ledger_dir)
    result = run("import", "--format", "csv", str(clash))
    assert result.exit_code == 2
    assert "column object: claim 'c1' is in the ledger already" in result.stderr
    assert "column source_title: source 's1' is in the ledger already" in result.stderr
    assert snapshot(ledger_dir) == before


def test_derivation_cycles_in_a_file_are_named(run, ledger_dir, tmp_path):
    header = ["source", "source_title", "derived_from"]
    path = write_csv(tmp_path / "cycle.csv", [["a", "A", "b"], ["b", "B", "c"], ["c", "C", "a"],
                                              ["d", "D", "a"]], header=header)
    result = run("import", "--format", "csv", str(path))
    assert result.exit_code == 2
    assert "derivation cycle: " in result.stderr and "column derived_from" in result.stderr


def test_recorded_by_and_at_are_kept_and_checked(run, tmp_path):
    header = HEADER + ["recorded_by", "recorded_at", "claim_recorded_by", "claim_recorded_at"]
    path = write_csv(tmp_path / "who.csv", [
        ["c1", "ex:a", "ex:b", "ex:c", "T", "low", "s1", "S", "", "supports", "q", "",
         "alice", "2020-05-01T10:00:00Z", "<https://orcid.org/0000-0002-1825-0097>",
         "2020-04-01T09:00:00+02:00"]], header=header)
    run.ok("import", "--format", "csv", str(path))
    claim = json.loads(run.ok("claim", "show", "c1", "--format", "json").stdout)["claim"]
    assert claim["recorded_at"] == "2020-04-01T09:00:00+02:00"
    assert claim["recorded_by"] == "<https://orcid.org/0000-0002-1825-0097>"
    assert claim["evidence"][0]["recorded_by"] == "alice"
    assert claim["evidence"][0]["recorded_at"] == "2020-05-01T10:00:00Z"
    assert "import" in run.ok("log", "c1").stdout  # the audit trail says who imported it
    future = write_csv(tmp_path / "future.csv", [
        ["c2", "ex:a", "ex:b", "ex:c", "T", "low", "s1", "", "", "supports", "q", "",
         "bob", "2999-01-01T00:00:00Z", "", "yesterday"]], header=header)
    result = run("import", "--format", "csv", str(future))
    assert result.exit_code == 2
    assert "line 2, column recorded_at: '2999-01-01T00:00:00Z' lies in the future" in result.stderr
    assert "line 2, column claim_recorded_at" in result.stderr


def test_long_cells_up_to_the_ledgers_limit(run, tmp_path):
    quote = "très long " * 30_000  # 300,000 characters: beyond csv's default field limit
    path = write_csv(tmp_path / "long.csv", [
        ["c1", "ex:a", "ex:b", "ex:c", "T", "low", "s1", "S", "", "supports", quote, ""]])
    run.ok("import", "--format", "csv", str(path))
    claim = json.loads(run.ok("claim", "show", "c1", "--format", "json").stdout)["claim"]
    assert claim["evidence"][0]["quote"] == quote
    too_long = write_csv(tmp_path / "too-long.csv", [
        ["c2", "ex:a", "ex:b", "ex:c", "T", "low", "s1", "", "", "supports", "x" * (1 << 24) + "x",
         ""]])
    result = run("import", "--format", "csv", str(too_long))
    assert result.exit_code == 2
    assert "line 2, column quote: is 16,777,217 characters long; the limit is 16,777,216" in \
        result.stderr


def test_the_format_comes_from_the_extension_or_one_format_option(run, ledger_dir, tmp_path):
    path = write_csv(tmp_path / "desk.csv", [
        ["c1", "ex:a", "ex:b", "ex:c", "T", "low", "s1", "S", "", "supports", "q", ""]])
    before = snapshot(ledger_dir)
    result = run("import", str(path), "--format", "csv", "--format", "claimreview")
    assert result.exit_code == 2 and "at most one file format" in result.stderr
    assert snapshot(ledger_dir) == before
    data = json.loads(run.ok("import", str(path), "--format", "json").stdout)  # .csv: CSV
    assert data["status_changes"][0]["claim"] == "c1"


def test_no_progress_bar_when_stderr_is_not_a_terminal(run, tmp_path):
    rows = [[f"c{i}", "ex:a", "ex:b", "ex:c", "T", "low", "s", "S", "", "supports", "q", ""]
            for i in range(300)]
    result = run.ok("import", "--format", "csv", str(write_csv(tmp_path / "p.csv", rows)))
    assert "importing [" not in result.stderr


def test_the_layout_in_the_readme_is_the_layout_in_the_code():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for column in tabular.COLUMNS:
        assert f"`{column}`" in readme, column
