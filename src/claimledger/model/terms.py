"""Turning what users type into RDF terms, and refusing what cannot be one.

Slugs name the ledger's own things (``nds-2017``); IRIs and CURIEs name anything else
(``ex:Taliban``, ``<https://www.wikidata.org/wiki/Q42>``); literals carry text, dates and
values. Every function here either returns a valid term or raises :class:`InputError`
naming the argument and what is wrong with it.

>>> check_slug("kunduz-cooperation", argument="SLUG")
'kunduz-cooperation'
>>> expand_iri("ex:Taliban", {"ex": "https://example.org/"}, argument="--subject").value
'https://example.org/Taliban'
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from pyoxigraph import Literal, NamedNode

from claimledger.errors import InputError
from claimledger.model import literals
from claimledger.model.vocab import XSD, XSD_DATE, XSD_DATETIME

# ``\Z``, not ``$`` (which also matches before a final newline); ASCII digits only.
SLUG_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,126}[A-Za-z0-9_])?\Z")
PREFIX_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}\Z")
LANG_RE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
# C0 controls except tab, newline, carriage return; DEL; C1 controls.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# RFC 3987 section 4.1: IRIs must not contain bidirectional formatting characters.
_BIDI_RE = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")

#: Longest text a single field may hold (1 MiB of characters) ...
MAX_TEXT = 1 << 20
#: ... except a claim's statement and a verbatim quote (16 MiB: a transcript, a long speech).
MAX_LONG_TEXT = 16 << 20

_LANG_DATATYPES = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
                   "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"}


def check_slug(value: str, *, argument: str) -> str:
    """Return ``value`` if it is a valid slug.

    A slug is 1–128 characters: ASCII letters and digits, ``-``, ``_`` and ``.``, starting
    with a letter or digit and not ending with ``-`` or ``.``.

    :raises InputError: if it is not, naming the first character that is not ASCII (a
        Cyrillic ``с`` looks like a Latin ``c``).
    """
    if not isinstance(value, str) or not SLUG_RE.match(value) or ".." in value:
        foreign = next((c for c in value if ord(c) > 127), None) if isinstance(value, str) else None
        why = ""
        if foreign is not None:
            import unicodedata

            name = unicodedata.name(foreign, "")
            why = f": {foreign!r} (U+{ord(foreign):04X}{' ' + name if name else ''}) is not ASCII"
        raise InputError(
            f"{_show(value)} is not a valid slug{why} (use 1–128 ASCII letters, digits, '-', "
            "'_' or '.', starting with a letter or digit)",
            argument=argument,
        )
    return value


def check_text(value: str, *, argument: str, allow_empty: bool = False,
               max_length: int = MAX_TEXT) -> str:
    """Return ``value`` if it is text that can be stored faithfully.

    Quotes, newlines, backslashes, braces and any Unicode text are fine: they are stored as
    they are. Refused: unpaired surrogates (not Unicode text at all), NUL and other control
    characters (other than tab, newline and carriage return), and text over ``max_length``
    characters (1 MiB unless told otherwise).

    :raises InputError: naming ``argument``.
    """
    if not isinstance(value, str):
        raise InputError("expected text", argument=argument)
    if not allow_empty and not value.strip():
        raise InputError("must not be empty", argument=argument)
    if _SURROGATE_RE.search(value):
        raise InputError("contains an unpaired UTF-16 surrogate, which is not valid Unicode text",
                         argument=argument)
    bad = _CONTROL_RE.search(value)
    if bad:
        raise InputError(
            f"contains the control character U+{ord(bad.group()):04X} at position {bad.start()}",
            argument=argument,
        )
    if len(value) > max_length:
        raise InputError(f"is {len(value):,} characters long; the limit is {max_length:,}",
                         argument=argument)
    return value


def check_iri(value: str, *, argument: str) -> NamedNode:
    """Return ``value`` as an IRI node if it is an absolute IRI (RFC 3987).

    :raises InputError: if it is relative, malformed, or contains bidirectional
        formatting characters.
    """
    if not isinstance(value, str) or not value:
        raise InputError("an IRI is required", argument=argument)
    if _SURROGATE_RE.search(value) or _BIDI_RE.search(value):
        raise InputError(f"{_show(value)} contains characters an IRI may not contain",
                         argument=argument)
    try:
        return NamedNode(value)
    except ValueError as exc:
        raise InputError(f"{_show(value)} is not a valid absolute IRI ({exc})",
                         argument=argument) from None


def expand_iri(value: str, prefixes: dict[str, str], *, argument: str) -> NamedNode:
    """Turn ``<IRI>``, ``prefix:local`` or an absolute IRI into an IRI node.

    ``prefix:local`` is read as a CURIE when ``prefix`` is declared in ``prefixes``;
    otherwise the value must be an absolute IRI (``https://…``, ``urn:…``, ``mailto:…``).

    :raises InputError: for an undeclared prefix or a malformed IRI.
    """
    if not isinstance(value, str) or not value:
        raise InputError("an IRI or CURIE is required", argument=argument)
    if value.startswith("<") and value.endswith(">"):
        return check_iri(value[1:-1], argument=argument)
    head, sep, local = value.partition(":")
    if sep and head in prefixes:
        if local.startswith("//"):
            raise InputError(f"{_show(value)}: a CURIE's local part may not start with '//'",
                             argument=argument)
        return check_iri(prefixes[head] + local, argument=argument)
    if sep and ("/" in local or head.lower() in {"urn", "mailto", "tag", "did", "doi"}):
        return check_iri(value, argument=argument)
    if sep and PREFIX_NAME_RE.match(head):
        raise InputError(
            f"unknown prefix {head!r} in {_show(value)} "
            f"(declare it with: claimledger prefix add {head} IRI)",
            argument=argument,
        )
    raise InputError(f"{_show(value)} is neither a CURIE with a declared prefix nor an absolute IRI",
                     argument=argument)


def make_literal(value: str, *, lang: str | None = None, datatype: NamedNode | None = None,
                 argument: str, lang_argument: str = "--lang",
                 max_length: int = MAX_TEXT) -> Literal:
    """Build a literal, in claimledger's canonical form (:mod:`claimledger.model.literals`).

    :raises InputError: for bad text, a malformed language tag, both ``lang`` and
        ``datatype``, a value that is not in the datatype's lexical space or range, or a
        datatype claimledger does not take.
    """
    check_text(value, argument=argument, allow_empty=True, max_length=max_length)
    if lang is not None and datatype is not None:
        raise InputError("give a language tag or a datatype, not both", argument=argument)
    if lang is not None:
        if not LANG_RE.match(lang):
            raise InputError(f"{_show(lang)} is not a valid language tag (BCP 47, e.g. en, fr-CA)",
                             argument=lang_argument)
        return Literal(value, language=lang.lower())
    if datatype is not None:
        if datatype.value in _LANG_DATATYPES:
            raise InputError(f"<{datatype.value}> is the datatype of language-tagged text: give "
                             "--lang instead of --datatype", argument=argument)
        try:
            return literals.checked(value, datatype)
        except literals.LexicalError as exc:
            raise InputError(str(exc), argument=argument) from None
    return Literal(value)


def parse_date(value: str, *, argument: str, allow_partial: bool = True,
               want_datetime: bool = False) -> Literal:
    """Read a date as typed: ``2017``, ``2017-03``, ``2017-03-14`` or an ISO date-time.

    Returns an ``xsd:gYear``, ``xsd:gYearMonth``, ``xsd:date`` or ``xsd:dateTime`` literal.
    A date-time without a time zone is taken as UTC.

    :raises InputError: if it is not a date, or lies in the future.
    """
    text = value.strip() if isinstance(value, str) else ""
    today = datetime.now(timezone.utc)
    try:
        if allow_partial and re.fullmatch(r"\d{4}", text, re.ASCII):
            if int(text) > today.year:
                raise _future(value, argument)
            return Literal(text, datatype=NamedNode(XSD + "gYear"))
        if allow_partial and re.fullmatch(r"\d{4}-\d{2}", text, re.ASCII):
            year, month = int(text[:4]), int(text[5:])
            if not 1 <= month <= 12:
                raise ValueError("month must be in 1..12")
            if (year, month) > (today.year, today.month):
                raise _future(value, argument)
            return Literal(text, datatype=NamedNode(XSD + "gYearMonth"))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII) and not want_datetime:
            day = date.fromisoformat(text)
            if day > today.date():
                raise _future(value, argument)
            return Literal(text, datatype=XSD_DATE)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", text,
                        re.ASCII):
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            if moment > today:
                raise _future(value, argument)
            return Literal(moment.isoformat().replace("+00:00", "Z"), datatype=XSD_DATETIME)
    except ValueError as exc:
        raise InputError(f"{_show(value)} is not a valid date ({exc})", argument=argument) from None
    raise InputError(
        f"{_show(value)} is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 date-time)",
        argument=argument,
    )


def _future(value: str, argument: str) -> InputError:
    return InputError(f"{_show(value)} lies in the future", argument=argument)


def now_literal() -> Literal:
    """The current UTC time as an ``xsd:dateTime`` literal with millisecond precision."""
    moment = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    return canonical(Literal(moment.replace("+00:00", "Z"), datatype=XSD_DATETIME))


def canonical(term):
    """A term in claimledger's canonical form (see :mod:`claimledger.model.literals`): what
    the ledger stores, hashes and compares.

    :raises InputError: for a literal that is not valid for its datatype.
    """
    try:
        return literals.canonical(term)
    except literals.LexicalError as exc:
        raise InputError(str(exc)) from None


def _show(value: object, limit: int = 80) -> str:
    """A printable, bounded rendering of a user value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
