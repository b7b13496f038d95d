"""``claim``: recording claims, their confidence, verdicts and revisions; showing them."""

from __future__ import annotations

import click

from claimledger import render
from claimledger.cli import complete
from claimledger.cli.input import text_or_file
from claimledger.cli.options import case_option, format_option, page_options, reading, writing
from claimledger.cli.output import emit_json, emit_more, emit_rows, emit_write


@click.group()
def claim():
    """Record and inspect claims, and record verdicts on them."""


@claim.command("add")
@click.argument("slug")
@click.option("--subject", required=True, help="Subject of the triple: CURIE or IRI.")
@click.option("--predicate", required=True, help="Predicate of the triple: CURIE or IRI.")
@click.option("--object", "obj", default=None, help="Object of the triple: CURIE or IRI.")
@click.option("--value", default=None, help="Object of the triple as a literal value.")
@click.option("--lang", default=None, help="Language tag of --value.")
@click.option("--datatype", default=None, help="Datatype of --value (CURIE or IRI, e.g. xsd:date).")
@click.option("--text", default=None, help="The statement as it was made, in words.")
@click.option("--text-file", default=None, metavar="FILE",
              help="Read the statement from FILE (UTF-8; - for stdin) instead of --text.")
@click.option("--text-lang", default="en", show_default=True, help="Language of --text.")
@click.option("--confidence", default="low", show_default=True,
              shell_complete=complete.confidence_levels,
              help="Confidence (ICD 203): low, moderate or high.")
@click.option("--case", "cases", multiple=True, metavar="CASE", shell_complete=complete.cases,
              help="Tag the claim into this case (repeatable).")
@writing
@format_option("text", "json")
def claim_add(ledger, slug, subject, predicate, obj, value, lang, datatype, text, text_file,
              text_lang, confidence, cases, reason, fmt):
    """Record a claim: the triple it asserts and its statement text.

    \b
    Example:
      claimledger claim add kunduz-cooperation --subject ex:Taliban \\
          --predicate ex:cooperatedWith --object ex:ISIS-K \\
          --text "The Taliban and ISIS cooperated against government forces in Kunduz"
      claimledger claim add speech --subject ex:Minister --predicate ex:said \\
          --object ex:Speech --text-file speech.txt
    """
    text = text_or_file(text, text_file, option="--text", file_option="--text-file",
                        required=True)
    result = ledger.claims.add(slug, subject=subject, predicate=predicate, object=obj,
                               value=value, lang=lang, datatype=datatype, text=text,
                               text_lang=text_lang, confidence=confidence, reason=reason,
                               cases=list(cases))
    emit_write(ledger, result, fmt, f"recorded claim {slug}")


@claim.command("verdict")
@click.argument("slug", metavar="CLAIM", shell_complete=complete.claims)
@click.argument("rating")
@click.option("--scale", default=None, metavar="SCALE", shell_complete=complete.scales,
              help="The scale RATING is on [default: the ledger's default scale, then "
                   "claimledger's own: true, mostly-true, half-true, mostly-false, false, "
                   "misleading, missing-context, unproven, refuted, retracted].")
@click.option("--evidence", "evidence", multiple=True, metavar="EVIDENCE",
              shell_complete=complete.evidence,
              help="A piece of evidence that settles it (repeatable).")
@click.option("--supersede", is_flag=True,
              help="Replace the verdict in force (the new one records that it supersedes it).")
@writing(reason_required=True, reason_help="Why: the verdict's justification.")
@format_option("text", "json")
def claim_verdict(ledger, slug, rating, scale, evidence, supersede, reason, fmt):
    """Record a verdict on a claim: a RATING on a verdict scale. The verdict wins over evidence.

    The rating sets the claim's status: true, mostly true → confirmed; false, mostly false,
    refuted → refuted; half true, misleading, missing context → mixed; unproven →
    inconclusive; retracted → retracted. An outlet's own scale (scale add) maps each of its
    ratings the same way. A claim rated false or retracted is held with low confidence, one
    rated mixed or inconclusive with moderate at most. A second verdict needs --supersede.

    \b
    Example:
      claimledger claim verdict bagram-release false --evidence bagram-release-3 \\
          --reason "prison records show ..."
      claimledger claim verdict bagram-release "Pants on Fire" --scale politifact \\
          --supersede --reason "..."
    """
    result = ledger.claims.verdict(slug, rating, reason=reason, scale=scale,
                                   evidence=list(evidence), supersede=supersede)
    emit_write(ledger, result, fmt, f"recorded verdict {rating} on {slug}")


@claim.command("withdraw-verdict")
@click.argument("slug", metavar="CLAIM", shell_complete=complete.claims)
@writing(reason_required=True, reason_help="Why the verdict is withdrawn.")
@format_option("text", "json")
def claim_withdraw_verdict(ledger, slug, reason, fmt):
    """Withdraw the verdict in force on a claim; it stays recorded, with the reason.

    The verdict it superseded, if any, is in force again; otherwise the claim's status is
    derived from its evidence again.

    \b
    Example:
      claimledger claim withdraw-verdict bagram-release --reason "rated the wrong claim"
    """
    result = ledger.claims.withdraw_verdict(slug, reason=reason)
    emit_write(ledger, result, fmt, f"withdrew the verdict on {slug}")


@claim.command("revise")
@click.argument("slug", metavar="CLAIM", shell_complete=complete.claims)
@click.argument("new_slug", metavar="NEW")
@click.option("--subject", default=None, help="Corrected subject (CURIE or IRI).")
@click.option("--predicate", default=None, help="Corrected predicate (CURIE or IRI).")
@click.option("--object", "obj", default=None, help="Corrected object (CURIE or IRI).")
@click.option("--value", default=None, help="Corrected object as a literal value.")
@click.option("--lang", default=None, help="Language tag of --value.")
@click.option("--datatype", default=None, help="Datatype of --value.")
@click.option("--text", default=None, help="Corrected statement text.")
@click.option("--text-file", default=None, metavar="FILE",
              help="Read the corrected statement from FILE (- for stdin).")
@click.option("--text-lang", default=None, help="Language of --text.")
@click.option("--confidence", default=None, help="Confidence of the new version [default: low].")
@writing(reason_required=True, reason_help="Why the claim is superseded.")
@format_option("text", "json")
def claim_revise(ledger, slug, new_slug, subject, predicate, obj, value, lang, datatype, text,
                 text_file, text_lang, confidence, reason, fmt):
    """Supersede a claim by a corrected version NEW (prov:wasRevisionOf); nothing is deleted.

    The old claim is retracted with a verdict naming NEW; its evidence stays with it. Record
    the evidence for NEW again once checked against its wording.

    \b
    Example:
      claimledger claim revise casualties casualties-v2 --value 13 \\
          --datatype xsd:integer --reason "the toll was revised"
    """
    text = text_or_file(text, text_file, option="--text", file_option="--text-file")
    result = ledger.claims.revise(slug, new_slug, reason=reason, subject=subject,
                                  predicate=predicate, object=obj, value=value, lang=lang,
                                  datatype=datatype, text=text, text_lang=text_lang,
                                  confidence=confidence)
    emit_write(ledger, result, fmt, f"recorded {new_slug} as a revision of {slug}")


@claim.command("confidence")
@click.argument("slug", metavar="CLAIM", shell_complete=complete.claims)
@click.argument("level", type=click.Choice(["low", "moderate", "high"]),
                shell_complete=complete.confidence_levels)
@writing
@format_option("text", "json")
def claim_confidence(ledger, slug, level, reason, fmt):
    """Set a claim's confidence level; the sourcing rules decide whether it may be.

    \b
    Example:
      claimledger claim confidence kunduz-cooperation moderate --reason "second source found"
    """
    result = ledger.claims.set_confidence(slug, level, reason=reason)
    emit_write(ledger, result, fmt, f"set confidence of {slug} to {level}")


@claim.command("show")
@click.argument("slug", metavar="CLAIM", shell_complete=complete.claims)
@click.option("--history", is_flag=True, help="Also show every version of the claim.")
@reading
@format_option("text", "json")
def claim_show(ledger, slug, history, fmt):
    """Show a claim with its status, evidence and verdicts.

    \b
    Example:
      claimledger claim show kunduz-cooperation --history
    """
    record = ledger.claims.get(slug)
    versions = ledger.claims.history(slug) if history else None
    if fmt == "json":
        data = {"claim": record}
        if versions is not None:
            data["history"] = versions
        emit_json(data)
        return
    click.echo(render.claim_text(record, versions), nl=False)


@claim.command("list")
@click.option("--text", default=None, metavar="WORDS",
              help="Only claims whose statement contains WORDS (case and accents ignored).")
@click.option("--source", default=None, metavar="SOURCE",
              help="Only claims with evidence found in, or attributed to, SOURCE.")
@click.option("--origin", default=None, metavar="SOURCE",
              help="Only claims whose counted support traces to the origin SOURCE.")
@click.option("--recorded-from", default=None, metavar="DATE",
              help="Only claims recorded on or after DATE (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("--recorded-to", default=None, metavar="DATE",
              help="Only claims recorded on or before DATE.")
@click.option("--published-from", default=None, metavar="DATE",
              help="Only claims with evidence from a source published on or after DATE.")
@click.option("--published-to", default=None, metavar="DATE",
              help="Only claims with evidence from a source published on or before DATE.")
@click.option("--recorded-by", "recorder", default=None, metavar="AGENT",
              help="Only claims recorded by AGENT.")
@click.option("--status", default=None, metavar="STATUS", shell_complete=complete.statuses,
              help="Only claims with this status (unsourced, single-source, corroborated, "
                   "contested, confirmed, refuted, mixed, inconclusive, retracted).")
@click.option("--confidence", default=None, metavar="LEVEL",
              shell_complete=complete.confidence_levels,
              help="Only claims with this confidence (low, moderate, high).")
@case_option
@page_options
@reading
@format_option("text", "json")
def claim_list(ledger, text, source, origin, recorded_from, recorded_to, published_from,
               published_to, recorder, status, confidence, case, limit, offset, fmt):
    """List claims with their status and confidence, filtered and paged.

    A list of up to 2,000 matches comes sorted by slug; a page (--limit) of a longer one
    follows the store's order, which stays the same while nothing is written, so that a
    page costs the same however large the ledger. stderr says when more follow.

    \b
    Example:
      claimledger claim list --status single-source
      claimledger claim list --text "kunduz" --source article --limit 20
    """
    from claimledger.records.search import ClaimFilter
    wanted = ClaimFilter(text=text, source=source, origin=origin, recorded_from=recorded_from,
                         recorded_to=recorded_to, published_from=published_from,
                         published_to=published_to, recorder=recorder, status=status,
                         confidence=confidence, case=case)
    page = ledger.claims.page(wanted, limit=limit, offset=offset, details=fmt == "json")
    if fmt == "json":
        emit_json(page.items)
    else:
        rows = [[r.slug, r.status, r.confidence, r.independent_origins, r.text]
                for r in page.items]
        emit_rows(["claim", "status", "confidence", "origins", "text"], rows)
    emit_more(page)
