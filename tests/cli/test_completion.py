"""Shell completion (click's shell_complete): slugs from the ledger, report names, grades,
kinds, statuses and confidence levels."""

import pytest
from click.shell_completion import ShellComplete

from claimledger.cli import cli


def complete(args: list[str], incomplete: str) -> list[str]:
    comp = ShellComplete(cli, {}, "claimledger", "_CLAIMLEDGER_COMPLETE")
    return [c.value for c in comp.get_completions(args, incomplete)]


@pytest.fixture
def desk(run, monkeypatch):
    run.ok("source", "add", "wire", "--title", "Wire")
    run.ok("source", "add", "wsj", "--title", "WSJ")
    run.ok("case", "add", "kunduz", "--title", "Kunduz")
    for slug in ("freed", "fled", "airport"):
        run.ok("claim", "add", slug, "--subject", "ex:s", "--predicate", "ex:p",
               "--object", f"ex:{slug}", "--text", slug)
    run.ok("evidence", "add", "freed", "wire", "--supports", "--quote", "q")
    monkeypatch.setenv("CLAIMLEDGER_LEDGER", str(run.ledger_dir))
    return run


def test_slugs_come_from_the_ledger(desk):
    assert complete(["claim", "show"], "f") == ["fled", "freed"]
    assert complete(["evidence", "add", "freed"], "w") == ["wire", "wsj"]
    assert complete(["evidence", "add"], "a") == ["airport"]
    assert complete(["evidence", "retract"], "") == ["freed-1"]
    assert complete(["source", "discredit"], "ws") == ["wsj"]
    assert complete(["claim", "list", "--case"], "") == ["kunduz"]
    assert complete(["case", "show"], "k") == ["kunduz"]
    # --ledger on the command line is the ledger completed from
    assert complete(["claim", "show", "--ledger", str(desk.ledger_dir)], "air") == ["airport"]


def test_names_grades_kinds_and_levels(desk, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMLEDGER_LEDGER", str(tmp_path / "none"))  # none needed for these
    assert complete(["report"], "s") == ["single-anecdote", "source-record", "stale", "summary"]
    assert complete(["source", "add", "x", "--reliability"], "") == list("ABCDEF")
    assert complete(["source", "add", "x", "--kind"], "o") == ["organization", "official-record"]
    assert complete(["claim", "confidence", "freed"], "") == ["low", "moderate", "high"]
    assert complete(["claim", "list", "--status"], "c") == ["corroborated", "contested", "confirmed"]
    assert complete(["evidence", "add", "c", "s", "--credibility"], "") == list("123456")
    assert complete(["claim", "show"], "f") == []  # no ledger there: nothing, and no error


def test_the_readme_says_how_to_enable_it():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert '_CLAIMLEDGER_COMPLETE=bash_source claimledger' in readme
