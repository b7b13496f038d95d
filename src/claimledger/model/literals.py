"""The one canonical form claimledger writes, hashes and compares for every literal it takes.

Stores rewrite literals: Oxigraph keeps typed values, so ``"007"^^xsd:integer`` comes back as
``"7"``, ``"3.0e1"^^xsd:double`` as ``"30"`` and ``"3"^^xsd:byte`` as an ``xsd:integer``;
SPARQL servers rewrite numeric forms too (``0.50`` → ``0.5``, ``1e3`` → ``1000.0``). So
claimledger decides the form itself, from the XSD 1.1 canonical mappings, and applies it
everywhere: to what a user types and what an import brings (refusing what is not a valid
literal of its datatype), and to every literal a store gives back, so that the same ledger on
any engine reads, compares and hashes the same.

Datatypes and their canonical forms:

========================  ==========================================================
``xsd:string``            as given; a plain literal is an ``xsd:string``
``rdf:langString``        as given, language tag in lower case
``xsd:boolean``           ``true`` / ``false``
``xsd:integer``           no sign for positives, no leading zeros
``xsd:decimal``           no leading or trailing zeros; no point for whole numbers
``xsd:double``            ``1.0E3``: one digit before the point, the fewest digits that
``xsd:float``             round-trip (in 64 or 32 bits); ``0.0E0``, ``INF``, ``-INF``, ``NaN``
``xsd:date``, ``xsd:dateTime``, ``xsd:time``, ``xsd:gYear``, ``xsd:gYearMonth``,
``xsd:gMonth``, ``xsd:gDay``, ``xsd:gMonthDay``
                          as given, but fractional seconds without trailing zeros,
                          ``24:00:00`` as 00:00:00 of the next day, a zero offset as ``Z``
``xsd:duration``, ``xsd:dayTimeDuration``, ``xsd:yearMonthDuration``
                          years and months, days, hours, minutes and seconds carried over
``xsd:anyURI``            as given
any other datatype        as given (not an XSD datatype: claimledger cannot know its rules)
========================  ==========================================================

Refused: every other XSD datatype — the derived integer types (``xsd:byte``, ``xsd:int``,
``xsd:nonNegativeInteger`` …) and ``xsd:dateTimeStamp`` because stores keep only the value (a
round trip would change the datatype), the rest because claimledger does not check them.

>>> canonical_form("007", XSD + "integer"), canonical_form("3.0e1", XSD + "double")
('7', '3.0E1')
>>> canonical_form("2017-03-14T10:00:00.260+00:00", XSD + "dateTime")
'2017-03-14T10:00:00.26Z'
"""

from __future__ import annotations

import math
import re
import struct
from datetime import date, timedelta
from decimal import Decimal, localcontext

from pyoxigraph import Literal, NamedNode

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
STRING = XSD + "string"
LANG_STRING = RDF + "langString"


class LexicalError(ValueError):
    """A value that is not a valid literal of its datatype, or a datatype claimledger refuses."""


_TZ = r"(Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"(-?(?:[1-9]\d{4,}|\d{4}))"
_PATTERNS = {
    "boolean": re.compile(r"(true|false|1|0)\Z"),
    "integer": re.compile(r"[+-]?\d+\Z"),
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z"),
    "double": re.compile(r"([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)\Z"),
    "date": re.compile(_YEAR + r"-(\d\d)-(\d\d)" + _TZ + r"\Z"),
    "dateTime": re.compile(_YEAR + r"-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?" + _TZ + r"\Z"),
    "time": re.compile(r"(\d\d):(\d\d):(\d\d)(\.\d+)?" + _TZ + r"\Z"),
    "gYear": re.compile(_YEAR + _TZ + r"\Z"),
    "gYearMonth": re.compile(_YEAR + r"-(\d\d)" + _TZ + r"\Z"),
    "gMonth": re.compile(r"--(\d\d)" + _TZ + r"\Z"),
    "gDay": re.compile(r"---(\d\d)" + _TZ + r"\Z"),
    "gMonthDay": re.compile(r"--(\d\d)-(\d\d)" + _TZ + r"\Z"),
    "duration": re.compile(r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
                           r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?\Z"),
}
_PATTERNS["float"] = _PATTERNS["double"]

#: The XSD datatypes claimledger takes, by local name.
ACCEPTED = frozenset({"string", "boolean", "integer", "decimal", "double", "float", "date",
                      "dateTime", "time", "gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay",
                      "duration", "dayTimeDuration", "yearMonthDuration", "anyURI"})
#: Datatypes whose stored form a store may rewrite: only these need canonicalising on read.
_REWRITTEN = frozenset(XSD + n for n in ACCEPTED - {"string", "anyURI"})
_KEPT_AS_VALUE = frozenset({"byte", "short", "int", "long", "unsignedByte", "unsignedShort",
                            "unsignedInt", "unsignedLong", "nonNegativeInteger",
                            "positiveInteger", "negativeInteger", "nonPositiveInteger",
                            "dateTimeStamp"})


def canonical_form(value: str, datatype: str) -> str:
    """The canonical lexical form of ``value`` as a literal of ``datatype`` (an IRI).

    :raises LexicalError: if ``value`` is not in the datatype's lexical space, or claimledger
        refuses the datatype (see the module doc).
    """
    if not datatype.startswith(XSD):
        return value
    local = datatype[len(XSD):]
    if local not in ACCEPTED:
        if local in _KEPT_AS_VALUE:
            base = "xsd:dateTime" if local == "dateTimeStamp" else "xsd:integer"
            raise LexicalError(f"claimledger does not take xsd:{local} literals: stores keep "
                               f"only their value, so the datatype would not survive; give "
                               f"{base} instead")
        raise LexicalError(f"claimledger does not take xsd:{local} literals (it takes "
                           f"xsd:{', xsd:'.join(sorted(ACCEPTED))}, and datatypes of your own)")
    if local in ("string", "anyURI"):
        return value
    kind = {"dayTimeDuration": "duration", "yearMonthDuration": "duration"}.get(local, local)
    m = _PATTERNS[kind].match(value)
    if m is None:
        raise LexicalError(f"{value!r} is not a valid xsd:{local}")
    return _CANON[kind](value, m, local)


def canonical(term, *, strict: bool = True):
    """``term`` in claimledger's canonical form: literals of the accepted XSD datatypes
    rewritten, everything else as it is.

    :param strict: raise for a literal that is not valid for its datatype; with False (how
        store results are read) such a literal is returned as it is.
    :raises LexicalError: (``strict`` only) for a literal not valid for its datatype.
    """
    if type(term) is not Literal:
        return term
    datatype = term.datatype.value
    if datatype == LANG_STRING:
        language = term.language
        return term if language == language.lower() else Literal(term.value, language=language.lower())
    if datatype not in _REWRITTEN and (datatype == STRING or not strict
                                       or not datatype.startswith(XSD)):
        return term
    value = term.value
    try:
        form = canonical_form(value, datatype)
    except LexicalError:
        if strict:
            raise
        return term
    return term if form == value else Literal(form, datatype=term.datatype)


def checked(value: str, datatype: NamedNode) -> Literal:
    """A literal of ``datatype`` in canonical form, or :class:`LexicalError`."""
    return Literal(canonical_form(value, datatype.value), datatype=datatype)


# -- the canonical mappings ------------------------------------------------------------------

def _boolean(value, m, local):
    return "true" if value in ("true", "1") else "false"


def _integer(value, m, local):
    return str(int(value))


def _decimal(value, m, local):
    sign = "-" if value.startswith("-") else ""
    whole, _, fraction = value.lstrip("+-").partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    if whole == "0" and not fraction:
        return "0"
    return sign + whole + ("." + fraction if fraction else "")


def _double(value, m, local):
    if value in ("INF", "+INF"):
        return "INF"
    if value in ("-INF", "NaN"):
        return value
    x = float(value)
    if local == "float":
        x = _to_float32(x)
    if math.isinf(x):
        return "INF" if x > 0 else "-INF"
    if x == 0:
        return "-0.0E0" if math.copysign(1.0, x) < 0 else "0.0E0"
    digits = _shortest(x, local == "float")
    d = Decimal(digits).normalize()
    sign, ds, exp = d.as_tuple()
    mantissa = "".join(map(str, ds))
    exponent = exp + len(mantissa) - 1
    text = mantissa[0] + "." + (mantissa[1:] or "0")
    return ("-" if sign else "") + f"{text}E{exponent}"


def _to_float32(x: float) -> float:
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _shortest(x: float, single: bool) -> str:
    """The fewest significant digits that read back as ``x`` (in 32 bits when ``single``)."""
    if not single:
        return repr(x)
    for n in range(1, 10):
        text = f"{x:.{n}g}"
        if _to_float32(float(text)) == x:
            return text
    return repr(x)  # pragma: no cover - nine digits always round-trip a float32


def _tz(text: str | None) -> str:
    if not text:
        return ""
    return "Z" if text in ("Z", "+00:00", "-00:00") else text


def _check_date(year: str, month: str, day: str | None = None) -> None:
    y, mo = int(year), int(month)
    if not 1 <= mo <= 12:
        raise LexicalError(f"month {month} does not exist")
    if day is not None:
        leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
        if not 1 <= int(day) <= days:
            raise LexicalError(f"day {day} does not exist in {year}-{month}")


def _fraction(text: str | None) -> str:
    if not text:
        return ""
    digits = text[1:].rstrip("0")
    return "." + digits if digits else ""


def _date(value, m, local):
    year, month, day, tz = m.groups()
    _check_date(year, month, day)
    return f"{year}-{month}-{day}{_tz(tz)}"


def _time_of_day(hour: str, minute: str, second: str, frac: str | None) -> bool:
    """Check a time; True if it is 24:00:00 (end of the day)."""
    h, mi, s = int(hour), int(minute), int(second)
    if h == 24 and mi == 0 and s == 0 and not _fraction(frac):
        return True
    if h > 23 or mi > 59 or s > 59:
        raise LexicalError(f"{hour}:{minute}:{second} is not a time of day")
    return False


def _datetime(value, m, local):
    year, month, day, hour, minute, second, frac, tz = m.groups()
    _check_date(year, month, day)
    if _time_of_day(hour, minute, second, frac):
        if not year.startswith("-") and len(year) == 4:
            nxt = date(int(year), int(month), int(day)) + timedelta(days=1)
            year, month, day = f"{nxt.year:04d}", f"{nxt.month:02d}", f"{nxt.day:02d}"
        else:  # beyond what datetime.date can carry: refuse rather than guess
            raise LexicalError(f"{value!r}: 24:00:00 on a year outside 0001–9999")
        hour, frac = "00", None
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}{_fraction(frac)}{_tz(tz)}"


def _time(value, m, local):
    hour, minute, second, frac, tz = m.groups()
    if _time_of_day(hour, minute, second, frac):
        hour, frac = "00", None
    return f"{hour}:{minute}:{second}{_fraction(frac)}{_tz(tz)}"


def _gyear(value, m, local):
    year, tz = m.groups()
    return f"{year}{_tz(tz)}"


def _gyearmonth(value, m, local):
    year, month, tz = m.groups()
    _check_date(year, month)
    return f"{year}-{month}{_tz(tz)}"


def _gmonth(value, m, local):
    month, tz = m.groups()
    _check_date("2000", month)
    return f"--{month}{_tz(tz)}"


def _gday(value, m, local):
    day, tz = m.groups()
    if not 1 <= int(day) <= 31:
        raise LexicalError(f"day {day} does not exist")
    return f"---{day}{_tz(tz)}"


def _gmonthday(value, m, local):
    month, day, tz = m.groups()
    _check_date("2000", month, day)  # a leap year: --02-29 exists
    return f"--{month}-{day}{_tz(tz)}"


def _duration(value, m, local):
    neg, years, months, days, hours, minutes, seconds = m.groups()
    if value.endswith(("P", "T")) or not any((years, months, days, hours, minutes, seconds)):
        raise LexicalError(f"{value!r} is not a valid xsd:{local}")
    has_ym = years is not None or months is not None
    has_dt = any(v is not None for v in (days, hours, minutes, seconds))
    if local == "dayTimeDuration" and has_ym:
        raise LexicalError(f"{value!r} is not a valid xsd:dayTimeDuration (no years or months)")
    if local == "yearMonthDuration" and has_dt:
        raise LexicalError(f"{value!r} is not a valid xsd:yearMonthDuration (years and months only)")
    total_months = int(years or 0) * 12 + int(months or 0)
    with localcontext() as ctx:
        ctx.prec = 10 + len(value)
        total_seconds = (Decimal(days or 0) * 86400 + Decimal(hours or 0) * 3600
                         + Decimal(minutes or 0) * 60 + Decimal(seconds or 0))
        return _duration_text(neg, total_months, total_seconds, local)


def _duration_text(neg, total_months: int, total_seconds: Decimal, local: str) -> str:
    if total_months == 0 and total_seconds == 0:
        return "P0M" if local == "yearMonthDuration" else "PT0S"
    out = "-P" if neg else "P"
    y, mo = divmod(total_months, 12)
    out += (f"{y}Y" if y else "") + (f"{mo}M" if mo else "")
    if total_seconds:
        d, rest = divmod(total_seconds, 86400)
        h, rest = divmod(rest, 3600)
        mi, s = divmod(rest, 60)
        out += f"{int(d)}D" if d else ""
        if h or mi or s:
            out += "T" + (f"{int(h)}H" if h else "") + (f"{int(mi)}M" if mi else "")
            if s:
                text = format(s.normalize(), "f")
                out += f"{text}S"
    return out


_CANON = {
    "boolean": _boolean, "integer": _integer, "decimal": _decimal, "double": _double,
    "float": _double, "date": _date, "dateTime": _datetime, "time": _time, "gYear": _gyear,
    "gYearMonth": _gyearmonth, "gMonth": _gmonth, "gDay": _gday, "gMonthDay": _gmonthday,
    "duration": _duration,
}

__all__ = ["ACCEPTED", "LexicalError", "XSD", "canonical", "canonical_form", "checked"]

