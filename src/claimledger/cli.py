"""The ``claimledger`` command line: thin click wrappers over the library.

Each command parses its options, calls one library function, and renders the result. Errors
the library raises on purpose (:class:`ClaimLedgerError`) are turned into a one-line message
on stderr and their exit code in one place, :meth:`LedgerGroup.invoke`: 2 for bad input or an
unusable ledger, 1 for a broken sourcing rule or a failed ``verify``. An unexpected error
exits with 3 and asks for a bug report; ``CLAIMLEDGER_DEBUG=1`` shows its traceback.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from claimledger import __version__
from claimledger.errors import ClaimLedgerError, InputError
from claimledger.ledger import Ledger, WriteResult, ledger_path

INTERNAL_ERROR = 3


class LedgerGroup(click.Group):
    """A click group that maps claimledger's errors to messages and exit codes."""

    def invoke(self, ctx: click.Context):
        if not os.environ.get("CLAIMLEDGER_DEBUG"):
            # rdflib logs a warning with a traceback for every ill-typed literal it reads (one
            # imported from a file, say): a diagnostic for developers, not output for users.
            logging.getLogger("rdflib.term").setLevel(logging.ERROR)
        try:
            return super().invoke(ctx)
        except ClaimLedgerError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was written by the interrupted command", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # The reader of our output went away (`claimledger claim list | head`): not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # a bug: say so plainly, without a traceback by default
            if os.environ.get("CLAIMLEDGER_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                       "nothing was written. Please report this; set CLAIMLEDGER_DEBUG=1 to see "
                       "the traceback.", err=True)
            ctx.exit(INTERNAL_ERROR)


# -- shared options -------------------------------------------------------------------------

def ledger_option(f: Callable) -> Callable:
    f = click.option("--wait", "wait", type=float, default=None, metavar="SECONDS",
                     envvar="CLAIMLEDGER_LOCK_TIMEOUT",
                     help="How long to wait for another process using the ledger "
                          "[default: 30; env: CLAIMLEDGER_LOCK_TIMEOUT].")(f)
    return click.option("--ledger", "ledger_dir", type=click.Path(file_okay=False), default=None,
                        envvar="CLAIMLEDGER_LEDGER",
                        help="The ledger directory [default: ./ledger; env: CLAIMLEDGER_LEDGER].")(f)


def format_option(*choices: str, default: str = "text") -> Callable:
    return click.option("--format", "fmt", type=click.Choice(choices), default=default,
                        show_default=True, help="Output format.")


def agent_option(f: Callable) -> Callable:
    return click.option("--agent", envvar="CLAIMLEDGER_AGENT", default=None,
                        help="Who is writing: a name, CURIE or IRI [env: CLAIMLEDGER_AGENT].")(f)


def reason_option(*, required: bool = False, help: str | None = None) -> Callable:
    return click.option("--reason", required=required,
                        help=help or "Why you are making this change (kept in the audit trail).")


def _require_agent(agent: str | None) -> str:
    if not agent:
        raise InputError("every write must name its agent: pass --agent NAME or set "
                         "CLAIMLEDGER_AGENT", argument="--agent")
    return agent


def _wait_note(message: str) -> None:
    click.echo(message, err=True)


def open_ledger(ledger_dir: str | None, *, write: bool = False, agent: str | None = None,
                wait: float | None = None) -> Ledger:
    return Ledger.open(ledger_dir, write=write, agent=agent, timeout=wait, on_wait=_wait_note)


def reading(f: Callable) -> Callable:
    """Open the ledger read-only for the command as ``ledger``."""
    @ledger_option
    @functools.wraps(f)
    def wrapper(ledger_dir, wait, **kwargs):
        with open_ledger(ledger_dir, wait=wait) as ledger:
            return f(ledger=ledger, **kwargs)
    return wrapper


def writing(f: Callable | None = None, *, reason_required: bool = False,
            reason_help: str | None = None) -> Callable:
    """Open the ledger for writing for the command as ``ledger``; adds --agent and --reason."""
    def decorate(f: Callable) -> Callable:
        @ledger_option
        @agent_option
        @reason_option(required=reason_required, help=reason_help)
        @functools.wraps(f)
        def wrapper(ledger_dir, wait, agent, **kwargs):
            with open_ledger(ledger_dir, write=True, agent=_require_agent(agent), wait=wait) as ledger:
                return f(ledger=ledger, **kwargs)
        return wrapper
    return decorate(f) if f is not None else decorate


def emit_write(ledger: Ledger, result: WriteResult, fmt: str, message: str) -> None:
    """Print what a write did: the message and status changes to stdout, warnings to stderr."""
    changes = [{"claim": ledger.slug(c.claim), "before": c.before, "after": c.after,
                "independent_origins": c.origins_after,
                "confidence_before": c.confidence_before, "confidence_after": c.confidence_after}
               for c in result.status_changes]
    warnings = [{"focus": ledger.compact_text(w.focus), "severity": w.severity, "rule": w.rule,
                 "message": w.message} for w in result.warnings]
    if fmt == "json":
        from claimledger.render import to_json
        click.echo(to_json({
            "message": message, "event": result.sequence, "hash": result.hash,
            "created": ledger.slug(result.created) if result.created is not None else None,
            "status_changes": changes, "warnings": warnings,
        }), nl=False)
        return
    click.echo(f"{message} (event {result.sequence})")
    for c in result.status_changes:
        before = c.before or "new"
        noun = "origin" if c.origins_after == 1 else "origins"
        click.echo(f"  {ledger.slug(c.claim)}: {before} → {c.after} "
                   f"({c.origins_after} independent {noun})")
        if c.confidence_after is not None:
            click.echo(f"    confidence lowered {c.confidence_before} → {c.confidence_after}: "
                       "its sourcing no longer supports more")
    for w in warnings:
        click.echo(f"warning: [{w['rule']}] {w['message']} ({w['focus']})", err=True)


# -- the group ------------------------------------------------------------------------------

@click.group(cls=LedgerGroup, context_settings={"help_option_names": ["-h", "--help"],
                                                 "max_content_width": 100})
@click.version_option(__version__, prog_name="claimledger")
def cli() -> None:
    """Record claims, their sources and evidence; derive corroboration; check sourcing rules.

    A ledger is a directory (./ledger unless --ledger or CLAIMLEDGER_LEDGER say otherwise).
    Every write names its agent (--agent or CLAIMLEDGER_AGENT) and is kept in a tamper-evident
    audit trail.

    \b
    Example:
      export CLAIMLEDGER_AGENT=jdoe
      claimledger init --base https://example.org/desk/
      claimledger source add wsj-2021 --title "Wall Street Journal report" --reliability B
      claimledger claim list
    """


@cli.command()
@click.option("--base", default=None, metavar="IRI",
              help="Base IRI under which the ledger mints its IRIs (ends in / or #) "
                   "[default: https://example.org/ledger/].")
@ledger_option
@agent_option
@format_option("text", "json")
def init(base, ledger_dir, wait, agent, fmt):
    """Create a new, empty ledger.

    \b
    Example:
      claimledger init --ledger desk --base https://example.org/desk/ --agent jdoe
    """
    path = ledger_path(ledger_dir)
    with Ledger.create(path, base=base, agent=_require_agent(agent), timeout=wait) as ledger:
        if fmt == "json":
            from claimledger.render import to_json
            click.echo(to_json({"ledger": str(path), "base": ledger.base}), nl=False)
        else:
            click.echo(f"created ledger {path} (base {ledger.base})")


# -- prefix ---------------------------------------------------------------------------------

@cli.group()
def prefix():
    """Declare the prefixes you type in CURIEs (ex:Taliban)."""


@prefix.command("add")
@click.argument("name")
@click.argument("iri")
@writing
@format_option("text", "json")
def prefix_add(ledger, name, iri, reason, fmt):
    """Declare NAME: as a prefix for IRI.

    \b
    Example:
      claimledger prefix add ex https://example.org/entity/
    """
    result = ledger.add_prefix(name, iri, reason=reason)
    emit_write(ledger, result, fmt, f"declared prefix {name}: <{iri}>")


@prefix.command("list")
@reading
@format_option("text", "json")
def prefix_list(ledger, fmt):
    """List the prefixes the ledger knows.

    \b
    Example:
      claimledger prefix list
    """
    items = sorted(ledger.prefixes.items())
    if fmt == "json":
        from claimledger.render import to_json
        click.echo(to_json(dict(items)), nl=False)
    else:
        from claimledger.render import table
        click.echo(table(["prefix", "namespace"], items), nl=False)


# -- source ---------------------------------------------------------------------------------

@cli.group()
def source():
    """Record and inspect sources: documents, people, organizations, records, media, data."""


@source.command("add")
@click.argument("slug")
@click.option("--title", required=True, help="Title or name of the source.")
@click.option("--kind", default="document", show_default=True,
              help="document, person, organization, official-record, media or dataset.")
@click.option("--url", default=None, help="Where the source can be found (an IRI).")
@click.option("--published", default=None, metavar="DATE",
              help="Publication date: YYYY, YYYY-MM, YYYY-MM-DD or an ISO date-time.")
@click.option("--anonymous", is_flag=True, help="The source's identity is withheld.")
@click.option("--justification", default=None, help="Why anonymity was granted (anonymous sources).")
@click.option("--known-to", "known_to", default=None, metavar="AGENT",
              help="Who knows the anonymous source's identity (an editor).")
@click.option("--reliability", default="F", show_default=True,
              help="Admiralty reliability grade A–F (F: cannot be judged).")
@click.option("--derived-from", "derived_from", multiple=True, metavar="SLUG",
              help="A source this one reprints or was built on (repeatable).")
@writing
@format_option("text", "json")
def source_add(ledger, slug, title, kind, url, published, anonymous, justification, known_to,
               reliability, derived_from, reason, fmt):
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
                                derived_from=list(derived_from), reason=reason)
    emit_write(ledger, result, fmt, f"recorded source {slug}")


@source.command("link")
@click.argument("slug")
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
@click.argument("slug")
@click.option("--title", default=None, help="A corrected title.")
@click.option("--kind", default=None, help="A corrected kind.")
@click.option("--url", default=None, help="A corrected URL.")
@click.option("--published", default=None, metavar="DATE", help="A corrected publication date.")
@click.option("--reliability", default=None, help="A new reliability grade A–F.")
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
@click.argument("slug")
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
@click.argument("slug")
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
        from claimledger.render import to_json
        click.echo(to_json(record), nl=False)
        return
    fields = [
        ("source", record.slug), ("title", record.title), ("kind", record.kind),
        ("reliability", record.reliability), ("anonymous", "yes" if record.anonymous else "no"),
        ("justification", record.justification), ("known to", record.known_to),
        ("url", record.url), ("published", record.published),
        ("derived from", ", ".join(record.derived_from) or None),
        ("discredited", record.discredited and
         f"{record.discredited} ({record.discredited_at} by {record.discredited_by})"),
        ("recorded", f"{record.recorded_at} by {record.recorded_by}"),
    ]
    _print_fields(fields)


@source.command("list")
@reading
@format_option("text", "json")
def source_list(ledger, fmt):
    """List every source.

    \b
    Example:
      claimledger source list --format json
    """
    records = ledger.sources.list()
    if fmt == "json":
        from claimledger.render import to_json
        click.echo(to_json(records), nl=False)
        return
    from claimledger.render import table
    rows = [[r.slug, r.kind, r.reliability, "yes" if r.anonymous else "",
             ", ".join(r.derived_from), "yes" if r.discredited else "", r.title] for r in records]
    click.echo(table(["source", "kind", "grade", "anonymous", "derived from", "discredited",
                      "title"], rows), nl=False)


# -- claim ----------------------------------------------------------------------------------

@cli.group()
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
@click.option("--text", required=True, help="The statement as it was made, in words.")
@click.option("--text-lang", default="en", show_default=True, help="Language of --text.")
@click.option("--confidence", default="low", show_default=True,
              help="Confidence (ICD 203): low, moderate or high.")
@writing
@format_option("text", "json")
def claim_add(ledger, slug, subject, predicate, obj, value, lang, datatype, text, text_lang,
              confidence, reason, fmt):
    """Record a claim: the triple it asserts and its statement text.

    \b
    Example:
      claimledger claim add kunduz-cooperation --subject ex:Taliban \\
          --predicate ex:cooperatedWith --object ex:ISIS-K \\
          --text "The Taliban and ISIS cooperated against government forces in Kunduz"
    """
    result = ledger.claims.add(slug, subject=subject, predicate=predicate, object=obj,
                               value=value, lang=lang, datatype=datatype, text=text,
                               text_lang=text_lang, confidence=confidence, reason=reason)
    emit_write(ledger, result, fmt, f"recorded claim {slug}")


@claim.command("verdict")
@click.argument("slug")
@click.argument("verdict", type=click.Choice(["refuted", "retracted"]))
@writing(reason_required=True, reason_help="Why: the verdict's justification.")
@format_option("text", "json")
def claim_verdict(ledger, slug, verdict, reason, fmt):
    """Record a verdict on a claim: refuted or retracted. The verdict wins over evidence.

    \b
    Example:
      claimledger claim verdict bagram-release refuted --reason "prison records show ..."
    """
    result = ledger.claims.verdict(slug, verdict, reason=reason)
    emit_write(ledger, result, fmt, f"recorded verdict {verdict} on {slug}")


@claim.command("revise")
@click.argument("slug")
@click.argument("new_slug", metavar="NEW")
@click.option("--subject", default=None, help="Corrected subject (CURIE or IRI).")
@click.option("--predicate", default=None, help="Corrected predicate (CURIE or IRI).")
@click.option("--object", "obj", default=None, help="Corrected object (CURIE or IRI).")
@click.option("--value", default=None, help="Corrected object as a literal value.")
@click.option("--lang", default=None, help="Language tag of --value.")
@click.option("--datatype", default=None, help="Datatype of --value.")
@click.option("--text", default=None, help="Corrected statement text.")
@click.option("--text-lang", default=None, help="Language of --text.")
@click.option("--confidence", default=None, help="Confidence of the new version [default: low].")
@writing(reason_required=True, reason_help="Why the claim is superseded.")
@format_option("text", "json")
def claim_revise(ledger, slug, new_slug, subject, predicate, obj, value, lang, datatype, text,
                 text_lang, confidence, reason, fmt):
    """Supersede a claim by a corrected version NEW (prov:wasRevisionOf); nothing is deleted.

    The old claim is retracted with a verdict naming NEW; its evidence stays with it. Record
    the evidence for NEW again once checked against its wording.

    \b
    Example:
      claimledger claim revise casualties casualties-v2 --value 13 \\
          --datatype xsd:integer --reason "the toll was revised"
    """
    result = ledger.claims.revise(slug, new_slug, reason=reason, subject=subject,
                                  predicate=predicate, object=obj, value=value, lang=lang,
                                  datatype=datatype, text=text, text_lang=text_lang,
                                  confidence=confidence)
    emit_write(ledger, result, fmt, f"recorded {new_slug} as a revision of {slug}")


@claim.command("confidence")
@click.argument("slug")
@click.argument("level", type=click.Choice(["low", "moderate", "high"]))
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
@click.argument("slug")
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
        from claimledger.render import to_json
        data = {"claim": record}
        if versions is not None:
            data["history"] = versions
        click.echo(to_json(data), nl=False)
        return
    _print_fields([
        ("claim", record.slug), ("text", record.text),
        ("triple", f"{record.subject} {record.predicate} {record.object}"),
        ("status", record.status), ("independent origins", str(record.independent_origins)),
        ("support origins", ", ".join(record.support_origins) or None),
        ("confidence", record.confidence),
        ("recorded", f"{record.recorded_at} by {record.recorded_by}"),
    ])
    if record.evidence:
        click.echo("evidence:")
        for e in record.evidence:
            via = f" via {e.attributed_to}" if e.attributed_to else ""
            state = "" if e.counts else " (does not count" + (f": retracted — {e.retracted}" if e.retracted else "") + ")"
            click.echo(f"  {e.id}: {e.stance} — {e.source}{via}; origins: "
                       f"{', '.join(e.origins) or '-'}{state}")
            if e.quote:
                click.echo(f"      quote: {_one_line(e.quote)}")
            if e.locator:
                click.echo(f"      at: {e.locator}")
            if e.credibility:
                click.echo(f"      credibility: {e.credibility}")
    for v in record.verdicts:
        click.echo(f"verdict: {v.verdict} — {v.reason} ({v.at} by {v.by})")
    if versions:
        click.echo("history:")
        for v in versions:
            why = f" — {v.reason}" if v.reason else ""
            click.echo(f"  #{v.sequence} {v.time} {v.agent}: {v.command}{why}")
            click.echo(f"      status {v.status}, confidence {v.confidence}, "
                       f"{v.evidence} piece(s) of evidence")
            for change in v.changes:
                click.echo(f"      {change}")


@claim.command("list")
@click.option("--status", default=None,
              help="Only claims with this status (unsourced, single-source, corroborated, "
                   "contested, refuted, retracted).")
@click.option("--confidence", default=None, help="Only claims with this confidence.")
@reading
@format_option("text", "json")
def claim_list(ledger, status, confidence, fmt):
    """List claims with their status and confidence.

    \b
    Example:
      claimledger claim list --status single-source
    """
    records = ledger.claims.list(status=status, confidence=confidence)
    if fmt == "json":
        from claimledger.render import to_json
        click.echo(to_json(records), nl=False)
        return
    from claimledger.render import table
    rows = [[r.slug, r.status, r.confidence, r.independent_origins, r.text] for r in records]
    click.echo(table(["claim", "status", "confidence", "origins", "text"], rows), nl=False)


# -- evidence -------------------------------------------------------------------------------

@cli.group()
def evidence():
    """Record and retract evidence: the link between one claim and one source."""


@evidence.command("add")
@click.argument("claim_slug", metavar="CLAIM")
@click.argument("source_slug", metavar="SOURCE")
@click.option("--supports", "stance", flag_value="supports", help="The source supports the claim.")
@click.option("--contradicts", "stance", flag_value="contradicts",
              help="The source contradicts the claim.")
@click.option("--attributed-to", "attributed_to", default=None, metavar="SOURCE",
              help="The source SOURCE attributes the statement to (\"according to …\").")
@click.option("--quote", default=None, help="The verbatim quote.")
@click.option("--prefix", "quote_prefix", default=None, help="Text just before the quote.")
@click.option("--suffix", "quote_suffix", default=None, help="Text just after the quote.")
@click.option("--locator", default=None, help="Where in the source: page, paragraph, timestamp.")
@click.option("--credibility", default=None, help="Admiralty information credibility 1–6.")
@writing
@format_option("text", "json")
def evidence_add(ledger, claim_slug, source_slug, stance, attributed_to, quote, quote_prefix,
                 quote_suffix, locator, credibility, reason, fmt):
    """Record that SOURCE supports or contradicts CLAIM.

    SOURCE is where the statement was found (the document in hand); when it attributes the
    statement to someone else, name them with --attributed-to: corroboration then traces
    origins from them.

    \b
    Example:
      claimledger evidence add kunduz-cooperation article --supports \\
          --attributed-to nds-sources --locator "para 21" --credibility 3 \\
          --quote "there was a small degree of cooperation in northern provinces"
    """
    if stance is None:
        raise InputError("say whether the source supports or contradicts the claim",
                         argument="--supports/--contradicts")
    result = ledger.evidence.add(claim_slug, source_slug, stance=stance,
                                 attributed_to=attributed_to, quote=quote, prefix=quote_prefix,
                                 suffix=quote_suffix, locator=locator, credibility=credibility,
                                 reason=reason)
    emit_write(ledger, result, fmt, f"recorded evidence {ledger.slug(result.created)}")


@evidence.command("retract")
@click.argument("evidence_id", metavar="EVIDENCE")
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


# -- import / export ------------------------------------------------------------------------

@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--input-format", "input_format", default=None,
              type=click.Choice(["turtle", "trig", "ntriples", "nquads", "jsonld", "rdfxml"]),
              help="The file's RDF format [default: from its extension].")
@click.option("--max-size", "max_size", type=click.IntRange(min=0), default=None,
              metavar="BYTES",
              help="Refuse files larger than this [default: 256 MiB].")
@writing
@format_option("text", "json")
def import_(ledger, file, input_format, max_size, reason, fmt):
    """Import an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) as one write.

    All or nothing: a syntax error, a remote JSON-LD context or a broken sourcing rule
    anywhere in the file writes nothing. Derived facts are recomputed.

    \b
    Example:
      claimledger import data/taliban-isis-rivalry.trig
    """
    from claimledger.interchange import MAX_IMPORT_BYTES, import_file
    max_bytes = MAX_IMPORT_BYTES if max_size is None else max_size  # --max-size 0 means 0
    result = import_file(ledger, file, fmt=input_format, max_bytes=max_bytes, reason=reason)
    emit_write(ledger, result, fmt, f"imported {Path(file).name}: {result.added} triples added")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle", "jsonld"]),
              default="trig", show_default=True,
              help="trig/nquads/jsonld: ledger and audit trail; turtle: current state only.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout.")
@reading
def export(ledger, fmt, output):
    """Export the ledger as RDF.

    \b
    Example:
      claimledger export --format trig -o ledger.trig
    """
    from claimledger.interchange import export as do_export
    if output:
        tmp = Path(output).with_name(Path(output).name + ".part")
        try:
            with open(tmp, "wb") as fh:
                do_export(ledger, fh, fmt=fmt)
            os.replace(tmp, output)
        except OSError as exc:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            raise InputError(f"cannot write {output!r}: {exc.strerror or exc}",
                             argument="--output") from None
    else:
        stream = click.get_binary_stream("stdout")
        do_export(ledger, stream, fmt=fmt)
        stream.flush()


# -- validate -------------------------------------------------------------------------------

@cli.command()
@click.option("--shapes", "shape_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra SHACL shapes file to check as well (repeatable).")
@click.option("--min-severity", type=click.Choice(["info", "warning", "violation"]),
              default="info", show_default=True, help="Leave out results below this severity.")
@reading
@format_option("text", "json", "turtle")
def validate(ledger, shape_files, min_severity, fmt):
    """Check the whole ledger against the sourcing rules and its policies.

    Exit 0 when there is no Violation, 1 when there are Violations, 2 on an error.

    \b
    Example:
      claimledger validate --min-severity warning
    """
    from claimledger.validation import ShapeSet, validate_store
    extra = []
    for f in shape_files:
        try:
            extra.append((Path(f).name, Path(f).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {f!r}: {exc}", argument="--shapes") from None
    shapes = ShapeSet.builtin([*ledger.policies.texts(), *extra])
    progress = _Progress("validating")
    report = validate_store(ledger.store, shapes, progress=progress)
    progress.finish()
    shown = report.at_least(min_severity.capitalize())
    if fmt == "json":
        from claimledger.render import to_json
        click.echo(to_json(shown.sorted().results), nl=False)
    elif fmt == "turtle":
        click.echo(shown.to_graph().serialize(format="turtle"), nl=False)
    else:
        from claimledger.render import validation_text
        click.echo(validation_text(shown, ledger.compact_text), nl=False)
    if not report.conforms:
        sys.exit(1)


class _Progress:
    """A progress bar on stderr that appears only once the work has taken a second."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if time.monotonic() - self.start < 1.0 and not self.shown:
            return
        self.shown = True
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


# -- policy ---------------------------------------------------------------------------------

@cli.group()
def policy():
    """Store a newsroom's own SHACL shapes in the ledger; they are enforced like the rules."""


@policy.command("add")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--name", default=None, help="Name of the policy [default: the file's stem].")
@writing
@format_option("text", "json")
def policy_add(ledger, file, name, reason, fmt):
    """Add the SHACL shapes in FILE as a policy of this ledger.

    \b
    Example:
      claimledger policy add newsroom.ttl --name two-named-sources
    """
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {file!r}: {exc}", argument="FILE") from None
    name = name or Path(file).stem
    result = ledger.policies.add(name, text, reason=reason)
    emit_write(ledger, result, fmt, f"added policy {name}")


@policy.command("list")
@reading
@format_option("text", "json")
def policy_list(ledger, fmt):
    """List the ledger's policies.

    \b
    Example:
      claimledger policy list
    """
    records = ledger.policies.list()
    if fmt == "json":
        from claimledger.render import to_json
        click.echo(to_json(records), nl=False)
        return
    from claimledger.render import table
    click.echo(table(["policy", "shapes", "added by", "added at"],
                     [[r.name, r.shapes, r.recorded_by, r.recorded_at] for r in records]), nl=False)


@policy.command("remove")
@click.argument("name")
@writing
@format_option("text", "json")
def policy_remove(ledger, name, reason, fmt):
    """Stop enforcing a policy (the audit trail keeps what it said).

    \b
    Example:
      claimledger policy remove two-named-sources --reason "superseded"
    """
    result = ledger.policies.remove(name, reason=reason)
    emit_write(ledger, result, fmt, f"removed policy {name}")


# -- reports and queries --------------------------------------------------------------------

TABLE_FORMATS = ("table", "csv", "tsv", "json", "markdown")


@cli.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the reports and what they answer.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A report parameter (repeatable).")
@reading
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table",
              show_default=True, help="table, W3C SPARQL results csv/tsv/json, or markdown.")
def report(ledger, name, list_, params, fmt):
    """Run a packaged report (a SPARQL query) on the ledger.

    \b
    Example:
      claimledger report --list
      claimledger report single-anecdote
      claimledger report impact --param source=nds-sources --format csv
    """
    from claimledger import reports
    if list_ or not name:
        specs = reports.available()
        if fmt == "json":
            from claimledger.render import to_json
            click.echo(to_json([{"name": s.name, "description": s.description,
                                 "params": [p.name for p in s.params]} for s in specs]), nl=False)
        else:
            from claimledger.render import table
            rows = [[s.name, ", ".join(f"{p.name}=" for p in s.params), s.description]
                    for s in specs]
            click.echo(table(["report", "params", "answers"], rows, max_width=100), nl=False)
        return
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"{item!r} is not KEY=VALUE", argument="--param")
        values[key] = value
    result = reports.run(ledger, name, values)
    _emit_table(ledger, result, fmt)


@cli.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@reading
@click.option("--format", "fmt",
              type=click.Choice([*TABLE_FORMATS, "turtle", "trig", "nquads"]), default="table",
              show_default=True,
              help="For SELECT: table, csv, tsv, json, markdown; for CONSTRUCT: turtle, trig, nquads.")
def query(ledger, file, fmt):
    """Run your own SPARQL SELECT, ASK or CONSTRUCT query (FILE, or - for stdin).

    Updates are refused: writes go through the recording commands so the rules are enforced.
    The ledger's prefixes are predeclared.

    \b
    Example:
      echo 'SELECT ?c WHERE { ?c cl:status cl:status-contested }' | claimledger query -
    """
    from claimledger.querying import run_user_query
    text = file.read()
    result = run_user_query(ledger, text)
    if isinstance(result, bool):
        if fmt == "json":
            from claimledger.render import to_json
            click.echo(to_json({"head": {}, "boolean": result}), nl=False)
        else:
            click.echo("true" if result else "false")
        return
    if isinstance(result, list):  # CONSTRUCT / DESCRIBE triples
        from claimledger.querying import serialize_triples
        click.echo(serialize_triples(result, fmt, ledger.prefixes), nl=False)
        return
    _emit_table(ledger, result, fmt)


def _emit_table(ledger, result, fmt: str) -> None:
    from claimledger import render
    if fmt in ("csv", "tsv", "json"):
        fn = {"csv": render.sparql_csv, "tsv": render.sparql_tsv, "json": render.sparql_json}[fmt]
        click.echo(fn(result.columns, result.rows), nl=False)
        return
    if fmt in ("turtle", "trig", "nquads"):
        raise InputError(f"--format {fmt} is for CONSTRUCT queries; this is a SELECT",
                         argument="--format")
    keep = [i for i, c in enumerate(result.columns) if c not in result.hidden]
    headers = [result.columns[i] for i in keep]
    rows = [[None if row[i] is None else ledger.compact(row[i]) for i in keep] for row in result.rows]
    if fmt == "markdown":
        click.echo(render.markdown(headers, rows), nl=False)
    else:
        click.echo(render.table(headers, rows, max_width=80), nl=False)
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


# -- audit ----------------------------------------------------------------------------------

@cli.command()
@click.argument("slug", required=False)
@reading
@format_option("text", "json")
def log(ledger, slug, fmt):
    """Show the audit trail: every write, or those that touched a claim or source.

    \b
    Example:
      claimledger log kunduz-cooperation
    """
    from claimledger.history import log_entries
    entries = log_entries(ledger, slug)
    if fmt == "json":
        from claimledger.render import to_json
        click.echo(to_json(entries), nl=False)
        return
    for e in entries:
        why = f" — {e.reason}" if e.reason else ""
        click.echo(f"#{e.sequence} {e.time} {e.agent}: {e.command}{why}")
        for line in e.details:
            click.echo(f"    {line}")


@cli.command()
@click.option("--expect", default=None, metavar="HASH",
              help="Also check that the chain ends at this hash (recorded elsewhere earlier).")
@reading
@format_option("text", "json")
def verify(ledger, expect, fmt):
    """Check the audit trail: hash chain intact, and the ledger equals its replay.

    Exit 0 when all is well; 1, naming what differs, when anything was edited outside
    claimledger.

    \b
    Example:
      claimledger verify
    """
    from claimledger.audit import verify as do_verify
    report = do_verify(ledger.store, ledger.base)
    problems = list(report.problems)
    if expect and not report.head_hash.startswith(expect):
        problems.append(f"the chain ends at {report.head_hash}, not at {expect}")
    if fmt == "json":
        from claimledger.render import to_json
        click.echo(to_json({"ok": not problems, "events": report.events,
                            "head": report.head_hash, "problems": problems}), nl=False)
    elif not problems:
        click.echo(f"ok: {report.events} events, chain intact, ledger matches its audit trail\n"
                   f"head: {report.head_hash}")
    else:
        click.echo(f"FAILED: {len(problems)} problem(s) in {report.events} events", err=True)
        for p in problems:
            click.echo(f"  {p}", err=True)
    if problems:
        sys.exit(1)


# -- helpers --------------------------------------------------------------------------------

def _print_fields(fields) -> None:
    width = max(len(k) for k, _ in fields)
    for key, value in fields:
        if value is None or value == "":
            continue
        click.echo(f"{key + ':':<{width + 1}} {_one_line(str(value))}")


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def main() -> None:
    """Entry point of the ``claimledger`` console script."""
    cli(prog_name="claimledger")


if __name__ == "__main__":  # pragma: no cover
    main()
