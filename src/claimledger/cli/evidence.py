"""``evidence``: the link between one claim and one source, recorded and retracted."""

from __future__ import annotations

import click

from claimledger.cli import complete
from claimledger.cli.input import text_or_file
from claimledger.cli.options import format_option, writing
from claimledger.cli.output import emit_write
from claimledger.errors import InputError


@click.group()
def evidence():
    """Record and retract evidence: the link between one claim and one source."""


@evidence.command("add")
@click.argument("claim_slug", metavar="CLAIM", shell_complete=complete.claims)
@click.argument("source_slug", metavar="SOURCE", shell_complete=complete.sources)
@click.option("--supports", is_flag=True, help="The source supports the claim.")
@click.option("--contradicts", is_flag=True, help="The source contradicts the claim.")
@click.option("--attributed-to", "attributed_to", default=None, metavar="SOURCE",
              shell_complete=complete.sources,
              help="The source SOURCE attributes the statement to (\"according to …\").")
@click.option("--quote", default=None, help="The verbatim quote.")
@click.option("--quote-file", default=None, metavar="FILE",
              help="Read the verbatim quote from FILE (UTF-8; - for stdin) instead of --quote.")
@click.option("--prefix", "quote_prefix", default=None, help="Text just before the quote.")
@click.option("--suffix", "quote_suffix", default=None, help="Text just after the quote.")
@click.option("--locator", default=None, help="Where in the source: page, paragraph, timestamp.")
@click.option("--credibility", default=None, shell_complete=complete.credibility,
              help="Admiralty information credibility 1–6.")
@click.option("--occurrence", type=int, default=None, metavar="N",
              help="Which occurrence of the quote in the source's snapshot (1, 2, …), when it "
                   "is found there more than once.")
@click.option("--unverified-quote", "unverified_quote", is_flag=True,
              help="Record the quote although it is not found in the source's snapshot "
                   "(it is marked unverified).")
@writing
@format_option("text", "json")
def evidence_add(ledger, claim_slug, source_slug, supports, contradicts, attributed_to, quote,
                 quote_file, quote_prefix, quote_suffix, locator, credibility, occurrence,
                 unverified_quote, reason, fmt):
    """Record that SOURCE supports or contradicts CLAIM.

    SOURCE is where the statement was found (the document in hand); when it attributes the
    statement to someone else, name them with --attributed-to: corroboration then traces
    origins from them.

    When SOURCE has a snapshot (claimledger source fetch), the quote must be in its text
    (white space, typographic quotes and dashes aside) and is pinned there: its position,
    the snapshot's hash and retrieval time are recorded. A quote not found is refused, with
    the closest passage shown.

    \b
    Example:
      claimledger evidence add kunduz-cooperation article --supports \\
          --attributed-to nds-sources --locator "para 21" --credibility 3 \\
          --quote "there was a small degree of cooperation in northern provinces"
    """
    if supports == contradicts:
        raise InputError("say whether the source supports or contradicts the claim: give "
                         "exactly one of --supports and --contradicts"
                         + (", not both" if supports else ""),
                         argument="--supports/--contradicts")
    stance = "supports" if supports else "contradicts"
    quote = text_or_file(quote, quote_file, option="--quote", file_option="--quote-file")
    result = ledger.evidence.add(claim_slug, source_slug, stance=stance,
                                 attributed_to=attributed_to, quote=quote, prefix=quote_prefix,
                                 suffix=quote_suffix, locator=locator, credibility=credibility,
                                 occurrence=occurrence, unverified_quote=unverified_quote,
                                 reason=reason)
    emit_write(ledger, result, fmt, f"recorded evidence {ledger.slug(result.created)}")


@evidence.command("retract")
@click.argument("evidence_id", metavar="EVIDENCE", shell_complete=complete.evidence)
@writing(reason_required=True, reason_help="Why the evidence is withdrawn.")
@format_option("text", "json")
def evidence_retract(ledger, evidence_id, reason, fmt):
    """Retract a piece of evidence: it stays recorded but no longer counts.

    \b
    Example:
      claimledger evidence retract kunduz-cooperation-2 --reason "misquoted"
    """
    result = ledger.evidence.retract(evidence_id, reason=reason)
    emit_write(ledger, result, fmt, f"retracted evidence {evidence_id}")
