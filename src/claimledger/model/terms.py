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

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad
from pyoxigraph import Store as OxStore

from claimledger.errors import InputError
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

_LEXICAL = {
    "integer": re.compile(r"^[+-]?\d+\Z", re.ASCII),
    "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)\Z", re.ASCII),
    "double": re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)\Z", re.ASCII),
    "float": re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)\Z", re.ASCII),
    "boolean": re.compile(r"^(true|false|1|0)\Z", re.ASCII),
    "gYear": re.compile(r"^-?\d{4,}(Z|[+-]\d{2}:\d{2})?\Z", re.ASCII),
    "gYearMonth": re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])(Z|[+-]\d{2}:\d{2})?\Z", re.ASCII),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}\Z", re.ASCII),
    "dateTime": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?\Z", re.ASCII),
}
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
    """Build a literal, checking the language tag and common XSD lexical forms.

    :raises InputError: for bad text, a malformed language tag, both ``lang`` and
        ``datatype``, or a value that is not in the datatype's lexical space.
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
        _check_lexical(value, datatype, argument=argument)
        return Literal(value, datatype=datatype)
    return Literal(value)


def _check_lexical(value: str, datatype: NamedNode, *, argument: str) -> None:
    if datatype.value in _LANG_DATATYPES:
        raise InputError(f"<{datatype.value}> is the datatype of language-tagged text: give "
                         "--lang instead of --datatype", argument=argument)
    if not datatype.value.startswith(XSD):
        return
    local = datatype.value[len(XSD):]
    pattern = _LEXICAL.get(local)
    if pattern is not None and not pattern.match(value):
        raise InputError(f"{_show(value)} is not a valid xsd:{local}", argument=argument)
    if local == "date":
        parse_date(value, argument=argument, allow_partial=False)
        return
    if local == "dateTime":
        parse_date(value, argument=argument, allow_partial=False, want_datetime=True)
        return
    if _ill_typed(value, datatype):
        raise InputError(f"{_show(value)} is not a valid xsd:{local}", argument=argument)


def _ill_typed(value: str, datatype: NamedNode) -> bool:
    """True if rdflib knows ``datatype`` and ``value`` is not in its lexical space or range
    (``"999"^^xsd:byte``, ``"P1"^^xsd:duration``): Oxigraph would store it as it is, or turn
    it into another datatype."""
    import logging

    import rdflib

    log = logging.getLogger("rdflib.term")  # it logs a traceback for every ill-typed value
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        return rdflib.Literal(value, datatype=rdflib.URIRef(datatype.value)).ill_typed is True
    finally:
        log.setLevel(level)


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


_PLAIN = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_CANON_STORE: OxStore | None = None
_CANON_S = NamedNode("urn:claimledger:canonical")


def canonical(term):
    """A term in the form the ledger's store gives it back.

    Oxigraph keeps typed literals of the XSD datatypes it knows as values, and returns their
    canonical lexical form (``"007"^^xsd:integer`` comes back as ``"7"``, ``"…51.260Z"`` as
    ``"…51.26Z"``). Everything the ledger hashes and stores is put in that form first, so that
    what the audit trail records is exactly what the store holds.
    """
    global _CANON_STORE
    if not isinstance(term, Literal) or term.datatype.value in _PLAIN:
        return term
    if _CANON_STORE is None:
        _CANON_STORE = OxStore()
    quad = Quad(_CANON_S, _CANON_S, term, DefaultGraph())
    _CANON_STORE.add(quad)
    try:
        return next(iter(_CANON_STORE)).object
    finally:
        _CANON_STORE.clear()


def _show(value: object, limit: int = 80) -> str:
    """A printable, bounded rendering of a user value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
