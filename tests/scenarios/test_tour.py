"""The foundation's scenarios, driven through the CLI as a fact-checker would."""

import json

from claimledger.ledger import Ledger


def status(run, claim: str) -> tuple[str, int]:
    data = json.loads(run.ok("claim", "show", claim, "--format", "json").stdout)["claim"]
    return data["status"], data["independent_origins"]


def test_circular_reporting_scenario(run):
    run.ok("source", "add", "a", "--title", "Wire story A", "--reliability", "B")
    run.ok("source", "add", "b", "--title", "Outlet B", "--derived-from", "a")
    run.ok("source", "add", "c", "--title", "Outlet C", "--derived-from", "a")
    run.ok("source", "add", "d", "--title", "Outlet D", "--reliability", "C")
    run.ok("claim", "add", "x", "--subject", "ex:Taliban", "--predicate", "ex:freed",
           "--object", "ex:Prisoners", "--text", "The Taliban freed prisoners")
    assert status(run, "x") == ("unsourced", 0)
    run.ok("evidence", "add", "x", "b", "--supports", "--quote", "freed its members")
    run.ok("evidence", "add", "x", "c", "--supports", "--quote", "freed its members")
    assert status(run, "x") == ("single-source", 1)
    result = run.ok("evidence", "add", "x", "d", "--supports", "--locator", "p. 2")
    assert "x: single-source → corroborated (2 independent origins)" in result.stdout
    assert status(run, "x") == ("corroborated", 2)
    result = run.ok("source", "link", "d", "--derived-from", "a",
                    "--reason", "D reprints the same wire copy")
    assert "x: corroborated → single-source (1 independent origin)" in result.stdout
    assert status(run, "x") == ("single-source", 1)


def test_attribution_scenario(run):
    run.ok("source", "add", "article", "--title", "The rivalry between Taliban and ISIS",
           "--reliability", "B")
    run.ok("source", "add", "us-officials", "--title", "US intelligence officials",
           "--kind", "person", "--anonymous", "--justification", "not authorised to speak",
           "--known-to", "author", "--reliability", "C")
    run.ok("source", "add", "afghan-officials", "--title", "Afghan intelligence officials",
           "--kind", "person", "--anonymous", "--justification", "not authorised to speak",
           "--known-to", "author", "--reliability", "C")
    run.ok("source", "add", "multiple", "--title", "Multiple sources", "--kind", "person",
           "--anonymous", "--justification", "unnamed", "--known-to", "author")
    run.ok("claim", "add", "crossover", "--subject", "ex:Taliban", "--predicate", "ex:defectsTo",
           "--object", "ex:ISIS-K", "--text", "There is crossover and defecting")
    for who in ("us-officials", "afghan-officials"):
        run.ok("evidence", "add", "crossover", "article", "--supports", "--attributed-to", who,
               "--quote", "there is some degree of crossover and defecting")
    assert status(run, "crossover") == ("corroborated", 2)
    run.ok("claim", "add", "archrivals", "--subject", "ex:Taliban", "--predicate", "ex:rivalOf",
           "--object", "ex:ISIS-K", "--text", "The outfits are archrivals")
    run.ok("evidence", "add", "archrivals", "article", "--supports",
           "--quote", "the outfits are not collaborators but archrivals")
    assert status(run, "archrivals") == ("single-source", 1)
    run.ok("claim", "add", "prisons", "--subject", "ex:Taliban", "--predicate", "ex:freed",
           "--object", "ex:Members", "--text", "The Taliban freed its members but not ISIS ones")
    run.ok("evidence", "add", "prisons", "article", "--supports", "--attributed-to", "multiple",
           "--quote", "Multiple sources also told me this week")
    assert status(run, "prisons") == ("single-source", 1)


def test_confidence_cannot_outrun_the_sourcing(run, ledger_dir):
    from conftest import snapshot

    run.ok("source", "add", "s", "--title", "S", "--reliability", "A")
    run.ok("claim", "add", "x", "--subject", "ex:a", "--predicate", "ex:b", "--object", "ex:c",
           "--text", "a b c")
    run.ok("evidence", "add", "x", "s", "--supports", "--quote", "a b c")
    before = snapshot(ledger_dir)
    result = run("claim", "confidence", "x", "high")
    assert result.exit_code == 1
    assert "high-confidence-sourcing" in result.stderr
    assert snapshot(ledger_dir) == before


def test_discredit_drops_support_and_lowers_confidence(run):
    run.ok("source", "add", "a", "--title", "A", "--reliability", "A")
    run.ok("source", "add", "b", "--title", "B", "--reliability", "B")
    run.ok("claim", "add", "x", "--subject", "ex:a", "--predicate", "ex:b", "--object", "ex:c",
           "--text", "a b c")
    run.ok("evidence", "add", "x", "a", "--supports", "--quote", "q")
    run.ok("evidence", "add", "x", "b", "--supports", "--quote", "q")
    run.ok("claim", "confidence", "x", "high")
    result = run.ok("source", "discredit", "a", "--reason", "fabricated")
    assert "x: corroborated → single-source" in result.stdout
    assert "confidence lowered high → moderate" in result.stdout
    data = json.loads(run.ok("claim", "show", "x", "--format", "json").stdout)["claim"]
    assert data["confidence"] == "moderate"
    assert [e["counts"] for e in data["evidence"]] == [False, True]


def test_retracting_the_only_evidence_makes_a_claim_unsourced_and_log_tells_the_story(run):
    run.ok("source", "add", "a", "--title", "A", "--reliability", "B")
    run.ok("claim", "add", "x", "--subject", "ex:a", "--predicate", "ex:b", "--object", "ex:c",
           "--text", "a b c")
    run.ok("evidence", "add", "x", "a", "--supports", "--quote", "q", agent="reporter")
    run.ok("evidence", "retract", "x-1", "--reason", "misquoted", agent="editor")
    assert status(run, "x") == ("unsourced", 0)
    log = run.ok("log", "x").stdout
    assert "reporter: evidence add" in log
    assert "editor: evidence retract — misquoted" in log
    assert "status: single-source → unsourced" in log
    shown = run.ok("claim", "show", "x").stdout
    assert "does not count: retracted — misquoted" in shown


def test_import_claimledger_does_not_import_click():
    import subprocess
    import sys

    code = "import sys, claimledger; print('click' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_command_line_loads_the_library_only_when_a_command_runs():
    """``claimledger --help`` and completing a command or option (shell completion runs
    ``claimledger`` at every TAB) import the command line, not the store, the SHACL engine or
    rdflib: those load when a command runs (or a slug is completed from the ledger). ``claimledger.Ledger`` still works (it is imported when asked for)."""
    import subprocess
    import sys

    code = ("import sys, claimledger.cli; "
            "print(sorted(m for m in ('claimledger.ledger', 'claimledger.validation', "
            "'claimledger.store', 'rdflib', 'pyshacl', 'requests') if m in sys.modules)); "
            "import claimledger; print(claimledger.Ledger.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "Ledger"]


def test_every_command_has_help_with_an_example():
    import click

    from claimledger.cli import cli

    ctx = click.Context(cli)

    def walk(cmd, path):  # as --help and completion see them: the commands load when named
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                yield from walk(cmd.get_command(ctx, name), path + [name])
        else:
            yield path, cmd

    commands = list(walk(cli, []))
    assert len(commands) > 20
    assert ["source", "fetch"] in [path for path, _ in commands]
    for path, cmd in commands:
        assert cmd.help and "Example:" in cmd.help, f"claimledger {' '.join(path)} has no example"
        assert any(p.name == "fmt" for p in cmd.params) or path == ["export"], path


def test_library_and_cli_agree_on_a_ledger(ledger_dir):
    with Ledger.open(ledger_dir, write=True, agent="lib") as led:
        led.sources.add("s", title="S")
        assert [s.slug for s in led.sources.list()] == ["s"]
