"""``source``: recording, correcting, linking, discrediting and showing sources."""

from __future__ import annotations

import click

from claimledger import render, settings
from claimledger.cli import complete
from claimledger.cli.capture import ByteProgress, emit_capture, fetch_options
from claimledger.cli.options import (
    _wait_note,
    agent_option,
    case_option,
    format_option,
    ledger_option,
    open_ledger,
    page_options,
    reading,
    reason_option,
    writing,
)
from claimledger.cli.output import emit_json, emit_more, emit_rows, emit_write
from claimledger.errors import InputError


@click.group()
def source():
    """Record and inspect sources: documents, people, organizations, records, media, data."""


@source.command("add")
@click.argument("slug")
@click.option("--title", default=None, help="Title or name of the source (required unless "
              "--fetch finds the page's own).")
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
@click.option("--fetch", "fetch", is_flag=True,
              help="Also download --url and keep a snapshot (see: source fetch --help); the "
                   "fetch options apply.")
@fetch_options
@ledger_option
@agent_option
@reason_option()
@click.option("--sign", "sign", is_flag=True,
              help="Refuse to write unless the write is signed with your key "
                   "[writes are signed whenever your key is found].")
@format_option("text", "json")
def source_add(ledger_dir, wait, agent, slug, title, kind, url, published, anonymous,
               justification, known_to, reliability, derived_from, cases, fetch, policy, reason,
               sign, fmt):
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
    options = dict(kind=kind, published=published, anonymous=anonymous,
                   justification=justification, known_to=known_to, reliability=reliability,
                   derived_from=list(derived_from), cases=list(cases))
    if fetch:
        from claimledger.fetching import fetch_source

        if url is None:
            raise InputError("--fetch needs --url", argument="--fetch")
        progress = ByteProgress(f"fetching {slug}")
        try:
            result = fetch_source(ledger_dir, slug, url, agent=settings.require_agent(agent),
                                  policy=policy(), add={"title": title, **options},
                                  on_progress=progress, wait=wait, on_wait=_wait_note,
                                  reason=reason)
        finally:
            progress.finish()
        click.echo(f"recorded source {slug}")
        emit_capture(result, fmt)
        return
    if title is None:
        raise InputError("a source needs a title", argument="--title")
    agent = settings.require_agent(agent)

    def command():
        with open_ledger(ledger_dir, write=True, agent=agent, wait=wait) as ledger:
            ledger.require_signature = sign
            result = ledger.sources.add(slug, title=title, url=url, reason=reason, **options)
            emit_write(ledger, result, fmt, f"recorded source {slug}")
    from claimledger.core.ledger import retrying

    retrying(command)


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
