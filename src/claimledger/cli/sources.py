"""``source``: recording, correcting, linking, discrediting and showing sources."""

from __future__ import annotations

import click

from claimledger import render
from claimledger.cli import complete
from claimledger.cli.options import case_option, format_option, page_options, reading, writing
from claimledger.cli.output import emit_json, emit_more, emit_rows, emit_write


@click.group()
def source():
    """Record and inspect sources: documents, people, organizations, records, media, data."""


@source.command("add")
@click.argument("slug")
@click.option("--title", required=True, help="Title or name of the source.")
@click.option("--kind", default="document", show_default=True, shell_complete=complete.kinds,
              help="document, person, organization, official-record, media or dataset.")
@click.option("--url", default=None, help="Where the source can be found (an IRI).")
@click.option("--published", default=None, metavar="DATE",
              help="Publication date: YYYY, YYYY-MM, YYYY-MM-DD or an ISO date-time.")
@click.option("--anonymous", is_flag=True, help="The source's identity is withheld.")
@click.option("--justification", default=None, help="Why anonymity was granted (anonymous sources).")
@click.option("--known-to", "known_to", default=None, metavar="AGENT",
              help="Who knows the anonymous source's identity (an editor).")
@click.option("--reliability", default="F", show_default=True,
              shell_complete=complete.reliability,
              help="Admiralty reliability grade A–F (F: cannot be judged).")
@click.option("--derived-from", "derived_from", multiple=True, metavar="SLUG",
              shell_complete=complete.sources,
              help="A source this one reprints or was built on (repeatable).")
@click.option("--case", "cases", multiple=True, metavar="CASE", shell_complete=complete.cases,
              help="Tag the source into this case (repeatable).")
@writing
@format_option("text", "json")
def source_add(ledger, slug, title, kind, url, published, anonymous, justification, known_to,
               reliability, derived_from, cases, reason, fmt):
    """Record a new source.

    Use --derived-from only for whole-source derivation (a reprint, a report built on
    another). An article quoting someone does not derive from them: record that on the
    evidence with --attributed-to.

    \b
    Example:
      claimledger source add nds-sources --title "NDS sources" --kind person \\
          --anonymous --justification "serving intelligence officers" \\
          --known-to author --reliability C
    """
    result = ledger.sources.add(slug, title=title, kind=kind, url=url, published=published,
                                anonymous=anonymous, justification=justification,
                                known_to=known_to, reliability=reliability,
                                derived_from=list(derived_from), reason=reason,
                                cases=list(cases))
    emit_write(ledger, result, fmt, f"recorded source {slug}")


@source.command("link")
@click.argument("slug", metavar="SOURCE", shell_complete=complete.sources)
@click.option("--derived-from", "derived_from", multiple=True, required=True, metavar="SLUG",
              help="The source SLUG turns out to derive from (repeatable).")
@writing
@format_option("text", "json")
def source_link(ledger, slug, derived_from, reason, fmt):
    """Record that SLUG derives from another source, learned later.

    Every claim whose support passes through SLUG is re-derived in the same write.

    \b
    Example:
      claimledger source link outlet-b --derived-from wire-story \\
          --reason "both outlets reprint the same wire copy"
    """
    result = ledger.sources.link(slug, derived_from=list(derived_from), reason=reason)
    emit_write(ledger, result, fmt, f"linked {slug} → {', '.join(derived_from)}")


@source.command("update")
@click.argument("slug", metavar="SOURCE", shell_complete=complete.sources)
@click.option("--title", default=None, help="A corrected title.")
@click.option("--kind", default=None, shell_complete=complete.kinds, help="A corrected kind.")
@click.option("--url", default=None, help="A corrected URL.")
@click.option("--published", default=None, metavar="DATE", help="A corrected publication date.")
@click.option("--reliability", default=None, shell_complete=complete.reliability,
              help="A new reliability grade A–F.")
@writing(reason_required=True, reason_help="Why the source is corrected or re-graded.")
@format_option("text", "json")
def source_update(ledger, slug, title, kind, url, published, reliability, reason, fmt):
    """Correct or re-grade a source; claims it reaches are re-derived.

    \b
    Example:
      claimledger source update nds-sources --reliability B \\
          --reason "three of its reports confirmed since"
    """
    result = ledger.sources.update(slug, title=title, kind=kind, url=url, published=published,
                                   reliability=reliability, reason=reason)
    emit_write(ledger, result, fmt, f"updated source {slug}")


@source.command("discredit")
@click.argument("slug", metavar="SOURCE", shell_complete=complete.sources)
@writing(reason_required=True, reason_help="Why the source is discredited.")
@format_option("text", "json")
def source_discredit(ledger, slug, reason, fmt):
    """Discredit a source: its evidence, and evidence traced to it, stop counting.

    Every affected claim is re-derived in the same write and the changes are printed.

    \b
    Example:
      claimledger source discredit curveball --reason "fabricated, per the 2004 review"
    """
    result = ledger.sources.discredit(slug, reason=reason)
    emit_write(ledger, result, fmt, f"discredited source {slug}")


@source.command("show")
@click.argument("slug", metavar="SOURCE", shell_complete=complete.sources)
@reading
@format_option("text", "json")
def source_show(ledger, slug, fmt):
    """Show one source.

    \b
    Example:
      claimledger source show nds-sources
    """
    record = ledger.sources.get(slug)
    if fmt == "json":
        emit_json(record)
        return
    click.echo(render.source_text(record), nl=False)


@source.command("list")
@click.option("--kind", default=None, shell_complete=complete.kinds,
              help="Only sources of this kind (document, person, organization, "
                   "official-record, media, dataset).")
@click.option("--reliability", "--grade", "reliability", default=None,
              shell_complete=complete.reliability, help="Only sources graded so (A–F).")
@click.option("--anonymous/--named", "anonymous", default=None,
              help="Only anonymous sources, or only named ones.")
@case_option
@page_options
@reading
@format_option("text", "json")
def source_list(ledger, kind, reliability, anonymous, case, limit, offset, fmt):
    """List sources, filtered and paged.

    \b
    Example:
      claimledger source list --anonymous --grade C
      claimledger source list --kind person --format json
    """
    page = ledger.sources.page(kind=kind, reliability=reliability, anonymous=anonymous,
                               case=case, limit=limit, offset=offset)
    if fmt == "json":
        emit_json(page.items)
    else:
        rows = [[r.slug, r.kind, r.reliability, "yes" if r.anonymous else "",
                 ", ".join(r.derived_from), "yes" if r.discredited else "", r.title]
                for r in page.items]
        emit_rows(["source", "kind", "grade", "anonymous", "derived from", "discredited",
                   "title"], rows)
    emit_more(page)
