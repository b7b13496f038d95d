"""The write forms: one declarative spec per kind of write, each calling one library function.

A form's fields carry the names the library uses for their errors (the CLI's option names,
``--confidence``, ``SLUG``…) and the SHACL paths and rule ids the sourcing rules report
against them, so that a refusal is shown next to the field it is about. Values go to the
library as the CLI passes them: an empty field is an option not given, a box is a flag; the
library decides what is refused — this module holds no rule of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from claimledger.errors import ClaimLedgerError, InputError, RuleViolation
from claimledger.ledger import Ledger
from claimledger.model import vocab as V
from claimledger.core.transaction import WriteResult



@dataclass(frozen=True)
class Field:
    """One input of a form."""

    name: str
    label: str
    kind: str = "text"  # text, textarea, select, radio, checkbox, list
    #: The argument names the library gives errors about this field.
    arguments: tuple[str, ...] = ()
    #: SHACL result paths (IRIs) and rule ids reported against this field.
    paths: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    default: str = ""
    help: str = ""
    required: bool = False


@dataclass(frozen=True)
class FormSpec:
    """A kind of write: its fields, the library call, what to say and where to go after."""

    name: str
    title: str
    fields: tuple[Field, ...]
    submit: str
    call: Callable[[Ledger, dict], WriteResult]
    message: Callable[[Ledger, dict, WriteResult], str]
    target: Callable[[Ledger, dict, WriteResult], str]
    #: Fields filled from the URL (the claim or source the form is about), not shown.
    fixed: tuple[str, ...] = ()
    intro: str = ""


def values(spec: FormSpec, form: Mapping[str, str], fixed: Mapping[str, str]) -> dict:
    """The form's values as the library takes them: '' is None, a box is a bool, a list
    field is split on commas and line breaks; textareas get their line breaks back as sent
    by a terminal (browsers send CRLF)."""
    out: dict = {}
    for f in spec.fields:
        if f.name in fixed:
            out[f.name] = fixed[f.name]
            continue
        raw = form.get(f.name)
        if f.kind == "checkbox":
            out[f.name] = raw is not None
        elif f.kind == "list":
            out[f.name] = [p.strip() for p in (raw or "").replace("\n", ",").split(",")
                           if p.strip()]
        elif raw is None or raw == "":
            out[f.name] = None
        else:
            out[f.name] = raw.replace("\r\n", "\n") if f.kind == "textarea" else raw
    return out


def place_errors(spec: FormSpec, exc: ClaimLedgerError) -> tuple[dict[str, list[str]], list[str]]:
    """The messages of a refused write, by field (``{name: [message]}``) and for the form."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    if isinstance(exc, RuleViolation):
        for result in exc.report.violations:
            name = _field_for_result(spec, result)
            text = f"{result.rule}: {result.message}"
            (by_field.setdefault(name, []) if name else general).append(text)
        return by_field, general
    if isinstance(exc, InputError) and exc.argument:
        for f in spec.fields:
            if exc.argument in f.arguments and f.name not in spec.fixed:
                message = exc.message
                if message.startswith(f"{exc.argument}: "):
                    message = message[len(exc.argument) + 2:]
                by_field.setdefault(f.name, []).append(message)
                return by_field, general
    general.append(exc.message)
    return by_field, general


def _field_for_result(spec: FormSpec, result) -> str | None:
    for f in spec.fields:
        if f.name in spec.fixed:
            continue
        if result.rule in f.rules or (result.path and result.path in f.paths):
            return f.name
    return None


# -- the specs --------------------------------------------------------------------------------

def _slug_of(ledger: Ledger, result: WriteResult) -> str:
    return ledger.slug(result.created) if result.created is not None else ""


CONFIDENCE_RULES = ("unsourced-claim", "high-confidence-sourcing", "anonymous-only-high",
                    "anonymous-only-moderate")
KINDS = V.SourceKind.tokens
GRADES = V.Reliability.tokens

SLUG = Field("slug", "Slug", arguments=("SLUG",), required=True,
             help="Short name: letters, digits, '-', '_' or '.'.")

SOURCE_ADD = FormSpec(
    name="source-add", title="Record a source", submit="Record source",
    fields=(
        SLUG,
        Field("title", "Title", arguments=("--title",), paths=(V.NAME.value,), required=True),
        Field("kind", "Kind", "select", arguments=("--kind",), paths=(V.KIND.value,),
              choices=KINDS, default="document"),
        Field("reliability", "Reliability (Admiralty A–F)", "select",
              arguments=("--reliability",), paths=(V.RELIABILITY.value,), choices=GRADES,
              default="F", help="F: reliability cannot be judged."),
        Field("url", "URL", arguments=("--url",), paths=(V.URL.value,)),
        Field("published", "Published", arguments=("--published",),
              paths=(V.DATE_PUBLISHED.value,), help="YYYY, YYYY-MM, YYYY-MM-DD or date-time."),
        Field("anonymous", "Anonymous source", "checkbox", arguments=("--anonymous",),
              paths=(V.ANONYMOUS.value,)),
        Field("justification", "Why anonymity was granted", arguments=("--justification",),
              paths=(V.ANONYMITY_JUSTIFICATION.value,)),
        Field("known_to", "Identity known to (agent)", arguments=("--known-to",),
              paths=(V.IDENTITY_KNOWN_TO.value,)),
        Field("derived_from", "Derived from (slugs, comma-separated)", "list",
              arguments=("--derived-from",), paths=(V.WAS_DERIVED_FROM.value,),
              help="Only for reprints and documents built on others."),
        Field("reason", "Reason", "textarea", arguments=("--reason",)),
    ),
    call=lambda led, v: led.sources.add(
        v["slug"], title=v["title"], kind=v["kind"] or "document", url=v["url"],
        published=v["published"], anonymous=v["anonymous"], justification=v["justification"],
        known_to=v["known_to"], reliability=v["reliability"] or "F",
        derived_from=v["derived_from"], reason=v["reason"]),
    message=lambda led, v, r: f"recorded source {v['slug']}",
    target=lambda led, v, r: f"/sources/{v['slug']}",
)

CLAIM_ADD = FormSpec(
    name="claim-add", title="Record a claim", submit="Record claim",
    intro="The triple the statement asserts, and the statement as it was made.",
    fields=(
        SLUG,
        Field("subject", "Subject (CURIE or IRI)", arguments=("--subject",),
              paths=(V.SUBJECT.value,), required=True),
        Field("predicate", "Predicate (CURIE or IRI)", arguments=("--predicate",),
              paths=(V.PREDICATE.value,), required=True),
        Field("object", "Object (CURIE or IRI)", arguments=("--object",),
              paths=(V.OBJECT.value,), help="Or give a literal value below."),
        Field("value", "…or object as a literal value", arguments=("--value",)),
        Field("lang", "Language of the value", arguments=("--lang",)),
        Field("datatype", "Datatype of the value", arguments=("--datatype",),
              help="e.g. xsd:date"),
        Field("text", "Statement text", "textarea", arguments=("--text",),
              paths=(V.TEXT.value,), required=True),
        Field("text_lang", "Language of the text", arguments=("--text-lang",), default="en"),
        Field("confidence", "Confidence (ICD 203)", "select", arguments=("--confidence",),
              paths=(V.CONFIDENCE.value,), rules=CONFIDENCE_RULES,
              choices=V.Confidence.tokens, default="low"),
        Field("reason", "Reason", "textarea", arguments=("--reason",)),
    ),
    call=lambda led, v: led.claims.add(
        v["slug"], subject=v["subject"], predicate=v["predicate"], object=v["object"],
        value=v["value"], lang=v["lang"], datatype=v["datatype"], text=v["text"],
        text_lang=v["text_lang"] or "en", confidence=v["confidence"] or "low",
        reason=v["reason"]),
    message=lambda led, v, r: f"recorded claim {v['slug']}",
    target=lambda led, v, r: f"/claims/{v['slug']}",
)

EVIDENCE_ADD = FormSpec(
    name="evidence-add", title="Record evidence", submit="Record evidence", fixed=("claim",),
    intro="The source is the document in hand, where the quote is. When it attributes the "
          "statement to someone else, name them under 'attributed to'.",
    fields=(
        Field("claim", "Claim", arguments=("CLAIM",)),
        Field("source", "Source (slug)", arguments=("SOURCE",), paths=(V.SOURCE_LINK.value,),
              required=True),
        Field("stance", "Stance", "radio", arguments=("--stance", "--supports/--contradicts"),
              paths=(V.STANCE.value,), choices=V.Stance.tokens),
        Field("attributed_to", "Attributed to (source slug)", arguments=("--attributed-to",),
              paths=(V.HAD_PRIMARY_SOURCE.value,)),
        Field("quote", "Verbatim quote", "textarea", arguments=("--quote",),
              paths=(V.EXACT.value, V.HAS_SELECTOR.value)),
        Field("prefix", "Text just before the quote", arguments=("--prefix",),
              paths=(V.PREFIX.value,)),
        Field("suffix", "Text just after the quote", arguments=("--suffix",),
              paths=(V.SUFFIX.value,)),
        Field("locator", "Locator (page, paragraph, timestamp)", arguments=("--locator",),
              paths=(V.LOCATOR.value,)),
        Field("credibility", "Credibility (Admiralty 1–6)", "select",
              arguments=("--credibility",), paths=(V.CREDIBILITY.value,),
              choices=("",) + V.Credibility.tokens),
        Field("reason", "Reason", "textarea", arguments=("--reason",)),
    ),
    call=lambda led, v: led.evidence.add(
        v["claim"], v["source"] or "", stance=v["stance"] or "",
        attributed_to=v["attributed_to"], quote=v["quote"], prefix=v["prefix"],
        suffix=v["suffix"], locator=v["locator"], credibility=v["credibility"],
        reason=v["reason"]),
    message=lambda led, v, r: f"recorded evidence {_slug_of(led, r)}",
    target=lambda led, v, r: f"/claims/{v['claim']}",
)

REASON_REQUIRED = Field("reason", "Reason", "textarea", arguments=("--reason",),
                        paths=(V.REASON.value,), required=True)

CLAIM_CONFIDENCE = FormSpec(
    name="claim-confidence", title="Set the confidence", submit="Set confidence",
    fixed=("claim",),
    fields=(Field("claim", "Claim", arguments=("CLAIM",)),
            Field("level", "Confidence (ICD 203)", "select", arguments=("LEVEL",),
                  paths=(V.CONFIDENCE.value,), rules=CONFIDENCE_RULES,
                  choices=V.Confidence.tokens),
            Field("reason", "Reason", "textarea", arguments=("--reason",))),
    call=lambda led, v: led.claims.set_confidence(v["claim"], v["level"] or "",
                                                  reason=v["reason"]),
    message=lambda led, v, r: f"set confidence of {v['claim']} to {v['level']}",
    target=lambda led, v, r: f"/claims/{v['claim']}",
)

CLAIM_VERDICT = FormSpec(
    name="claim-verdict", title="Record a verdict", submit="Record verdict", fixed=("claim",),
    intro="A verdict wins over the status derived from evidence; the evidence stays recorded.",
    fields=(Field("claim", "Claim", arguments=("CLAIM",)),
            Field("verdict", "Verdict", "radio", arguments=("VERDICT",),
                  paths=(V.VERDICT_VALUE.value,), choices=V.VERDICTS),
            REASON_REQUIRED),
    call=lambda led, v: led.claims.verdict(v["claim"], v["verdict"] or "",
                                           reason=v["reason"] or ""),
    message=lambda led, v, r: f"recorded verdict {v['verdict']} on {v['claim']}",
    target=lambda led, v, r: f"/claims/{v['claim']}",
)

CLAIM_REVISE = FormSpec(
    name="claim-revise", title="Revise the claim", submit="Record revision", fixed=("claim",),
    intro="Supersedes the claim by a corrected version; the old one is retracted and stays.",
    fields=(Field("claim", "Claim", arguments=("CLAIM",)),
            Field("new", "Slug of the new version", arguments=("NEW",), required=True),
            Field("text", "Corrected statement text", "textarea", arguments=("--text",),
                  paths=(V.TEXT.value,)),
            Field("object", "Corrected object (CURIE or IRI)", arguments=("--object",)),
            Field("value", "…or corrected literal value", arguments=("--value",)),
            Field("confidence", "Confidence of the new version", "select",
                  arguments=("--confidence",), rules=CONFIDENCE_RULES,
                  choices=("",) + V.Confidence.tokens),
            REASON_REQUIRED),
    call=lambda led, v: led.claims.revise(v["claim"], v["new"] or "", reason=v["reason"] or "",
                                          text=v["text"], object=v["object"], value=v["value"],
                                          confidence=v["confidence"]),
    message=lambda led, v, r: f"recorded {v['new']} as a revision of {v['claim']}",
    target=lambda led, v, r: f"/claims/{v['new']}",
)

EVIDENCE_RETRACT = FormSpec(
    name="evidence-retract", title="Retract evidence", submit="Retract", fixed=("evidence",),
    intro="The evidence stays recorded but no longer counts.",
    fields=(Field("evidence", "Evidence", arguments=("EVIDENCE",)), REASON_REQUIRED),
    call=lambda led, v: led.evidence.retract(v["evidence"], reason=v["reason"] or ""),
    message=lambda led, v, r: f"retracted evidence {v['evidence']}",
    target=lambda led, v, r: _claim_of_evidence(led, v["evidence"]),
)

SOURCE_LINK = FormSpec(
    name="source-link", title="Link a derivation", submit="Record derivation",
    fixed=("source",),
    intro="This source turns out to derive from another (a reprint, a report built on "
          "another): every claim whose support passes through it is re-derived.",
    fields=(Field("source", "Source", arguments=("SOURCE",)),
            Field("derived_from", "Derives from (slugs, comma-separated)", "list",
                  arguments=("--derived-from",), paths=(V.WAS_DERIVED_FROM.value,),
                  required=True),
            Field("reason", "Reason", "textarea", arguments=("--reason",))),
    call=lambda led, v: led.sources.link(v["source"], derived_from=v["derived_from"],
                                         reason=v["reason"]),
    message=lambda led, v, r: f"linked {v['source']} → {', '.join(v['derived_from'])}",
    target=lambda led, v, r: f"/sources/{v['source']}",
)

SOURCE_UPDATE = FormSpec(
    name="source-update", title="Correct or re-grade the source", submit="Record correction",
    fixed=("source",),
    fields=(Field("source", "Source", arguments=("SOURCE",)),
            Field("title", "Corrected title", arguments=("--title",), paths=(V.NAME.value,)),
            Field("kind", "Corrected kind", "select", arguments=("--kind",),
                  choices=("",) + KINDS),
            Field("url", "Corrected URL", arguments=("--url",)),
            Field("published", "Corrected publication date", arguments=("--published",)),
            Field("reliability", "New reliability grade", "select",
                  arguments=("--reliability",), paths=(V.RELIABILITY.value,),
                  choices=("",) + GRADES),
            REASON_REQUIRED),
    call=lambda led, v: led.sources.update(v["source"], reason=v["reason"] or "",
                                           title=v["title"], kind=v["kind"], url=v["url"],
                                           published=v["published"],
                                           reliability=v["reliability"]),
    message=lambda led, v, r: f"updated source {v['source']}",
    target=lambda led, v, r: f"/sources/{v['source']}",
)

SOURCE_DISCREDIT = FormSpec(
    name="source-discredit", title="Discredit the source", submit="Discredit",
    fixed=("source",),
    intro="Its evidence, and evidence traced to it, stop counting; every claim it reaches is "
          "re-derived. See its impact report first.",
    fields=(Field("source", "Source", arguments=("SOURCE",)), REASON_REQUIRED),
    call=lambda led, v: led.sources.discredit(v["source"], reason=v["reason"] or ""),
    message=lambda led, v, r: f"discredited source {v['source']}",
    target=lambda led, v, r: f"/sources/{v['source']}",
)

PREFIX_ADD = FormSpec(
    name="prefix-add", title="Declare a prefix", submit="Declare prefix",
    intro="Prefixes let you type CURIEs such as ex:Taliban.",
    fields=(Field("name", "Prefix", arguments=("NAME",), required=True),
            Field("namespace", "Namespace IRI", arguments=("IRI",), required=True),
            Field("reason", "Reason", "textarea", arguments=("--reason",))),
    call=lambda led, v: led.add_prefix(v["name"] or "", v["namespace"] or "",
                                       reason=v["reason"]),
    message=lambda led, v, r: f"declared prefix {v['name']}: <{v['namespace']}>",
    target=lambda led, v, r: "/claims",
)


def _claim_of_evidence(ledger: Ledger, evidence_id: str) -> str:
    node = ledger.resolve("evidence", evidence_id, argument="EVIDENCE")
    claim = next(ledger.store.triples(node, V.CLAIM_LINK, None), None)
    return f"/claims/{ledger.slug(claim.object)}" if claim is not None else "/claims"


FORMS: dict[str, FormSpec] = {s.name: s for s in (
    SOURCE_ADD, CLAIM_ADD, EVIDENCE_ADD, CLAIM_CONFIDENCE, CLAIM_VERDICT, CLAIM_REVISE,
    EVIDENCE_RETRACT, SOURCE_LINK, SOURCE_UPDATE, SOURCE_DISCREDIT, PREFIX_ADD)}

__all__ = ["FORMS", "Field", "FormSpec", "place_errors", "values"]
