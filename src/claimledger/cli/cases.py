"""``case``: the investigations a desk works in, and the claims and sources tagged into them."""

from __future__ import annotations

import click

from claimledger import render
from claimledger.cli import complete
from claimledger.cli.options import format_option, reading, writing
from claimledger.cli.output import emit_json, emit_rows, emit_write


@click.group()
def case():
    """Open cases and tag claims and sources into them; every list and report takes --case."""


@case.command("add")
@click.argument("slug")
@click.option("--title", required=True, help="What the case is about.")
@click.option("--description", default=None, help="A longer description.")
@writing
@format_option("text", "json")
def case_add(ledger, slug, title, description, reason, fmt):
    """Open a case.

    \b
    Example:
      claimledger case add kunduz-2021 --title "Taliban–ISIS cooperation in Kunduz"
    """
    result = ledger.cases.add(slug, title=title, description=description, reason=reason)
    emit_write(ledger, result, fmt, f"opened case {slug}")


def _members(f):
    f = click.option("--source", "sources", multiple=True, metavar="SOURCE",
                     shell_complete=complete.sources, help="A source (repeatable).")(f)
    return click.option("--claim", "claims", multiple=True, metavar="CLAIM",
                        shell_complete=complete.claims, help="A claim (repeatable).")(f)


@case.command("tag")
@click.argument("slug", metavar="CASE", shell_complete=complete.cases)
@_members
@writing
@format_option("text", "json")
def case_tag(ledger, slug, claims, sources, reason, fmt):
    """Tag claims and sources into CASE (a claim or source may be in several cases).

    \b
    Example:
      claimledger case tag kunduz-2021 --claim kunduz-cooperation --source nds-sources
    """
    result = ledger.cases.tag(slug, claims=list(claims), sources=list(sources), reason=reason)
    emit_write(ledger, result, fmt, f"tagged {len(claims) + len(sources)} into case {slug}")


@case.command("untag")
@click.argument("slug", metavar="CASE", shell_complete=complete.cases)
@_members
@writing(reason_required=True, reason_help="Why they leave the case.")
@format_option("text", "json")
def case_untag(ledger, slug, claims, sources, reason, fmt):
    """Take claims and sources out of CASE (the audit trail keeps that they were in it).

    \b
    Example:
      claimledger case untag kunduz-2021 --claim archrivals --reason "another story"
    """
    result = ledger.cases.untag(slug, claims=list(claims), sources=list(sources), reason=reason)
    emit_write(ledger, result, fmt, f"untagged {len(claims) + len(sources)} from case {slug}")


@case.command("list")
@reading
@format_option("text", "json")
def case_list(ledger, fmt):
    """List the cases.

    \b
    Example:
      claimledger case list
    """
    records = ledger.cases.list()
    if fmt == "json":
        emit_json(records)
        return
    emit_rows(["case", "claims", "sources", "title"],
              [[r.slug, len(r.claims), len(r.sources), r.title] for r in records])


@case.command("show")
@click.argument("slug", metavar="CASE", shell_complete=complete.cases)
@reading
@format_option("text", "json")
def case_show(ledger, slug, fmt):
    """Show a case: its claims with their status summary, and its sources.

    \b
    Example:
      claimledger case show kunduz-2021
    """
    record = ledger.cases.get(slug)
    claims = ledger.claims.list(case=slug)
    if fmt == "json":
        emit_json({"case": record, "claims": claims})
        return
    click.echo(render.case_text(record, claims), nl=False)
