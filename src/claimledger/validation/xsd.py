"""Which literals are well-formed for their datatype (``sh:datatype``), from the lexical spaces of
XML Schema 1.1 Part 2, in Python and as a SPARQL expression the compiled engine can inline.

SHACL's ``sh:datatype`` holds for a literal of that datatype that is not ill-typed (RDF 1.1: its
lexical form is in the datatype's lexical space). The lexical spaces are written here as
regular expressions (XSD's own, the day of the month checked against the month and leap
years), with the value ranges of the bounded integer types. In SPARQL, the datatypes whose
cast checks exactly that (:data:`CAST_EXACT`, on Oxigraph) are checked by a cast, the others by
the regular expression. :func:`sparql_valid` and :func:`valid` give the same answer for every
string (``tests/validation/test_xsd.py``).

``rdf:HTML`` accepts every string (RDF 1.1). Datatypes outside this table: other IRIs (a
datatype claimledger knows nothing of: every lexical form counts as well-formed), and the XSD
and RDF datatypes whose lexical space this module does not define (``rdf:XMLLiteral``,
``xsd:QName``, ``xsd:ENTITY`` …), which :func:`known` reports so that the compiler leaves such
shapes to pyshacl.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

_TZ = r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
#: Multiples of 4 from 04 to 96, and from 00 to 96.
_M4X = r"(0[48]|[2468][048]|[13579][26])"
_M4 = r"([02468][048]|[13579][26])"
#: Leap years (proleptic Gregorian, year 0000 included, as XSD 1.1), in the form of _YEAR.
_LEAP = rf"-?([0-9]{{2}}{_M4X}|{_M4}00|[1-9][0-9]{{2,}}{_M4X}|[1-9][0-9]*{_M4}00)"
#: Month and day, 02-29 left out (it depends on the year).
_MD = (r"((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)"
       r"|(0[13578]|1[02])-31)")
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_DATE = rf"({_YEAR}-{_MD}|{_LEAP}-02-29)"
_DUR_T = r"T(([0-9]+H)([0-9]+M)?([0-9]+(\.[0-9]+)?S)?|([0-9]+M)([0-9]+(\.[0-9]+)?S)?|([0-9]+(\.[0-9]+)?S))"
_DUR_YMD = r"([0-9]+Y([0-9]+M)?([0-9]+D)?|([0-9]+M)([0-9]+D)?|([0-9]+D))"
_INT = r"[+-]?[0-9]+"

# XML 1.0 (5th edition) name characters.
_NAME_START = ("A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
               "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
               "\U00010000-\U000EFFFF")
_NAME_CHAR = _NAME_START + r"\-.0-9\u00B7\u0300-\u036F\u203F-\u2040"

#: Lexical spaces as regular expressions (anchored when used).
PATTERNS: dict[str, str] = {
    "boolean": r"true|false|1|0",
    "decimal": r"(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "integer": _INT,
    "float": r"(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)?|(\+|-)?INF|NaN",
    "double": r"(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)?|(\+|-)?INF|NaN",
    "duration": rf"-?P({_DUR_YMD}({_DUR_T})?|{_DUR_T})",
    "dayTimeDuration": rf"-?P(([0-9]+D)({_DUR_T})?|{_DUR_T})",
    "yearMonthDuration": r"-?P(([0-9]+Y)([0-9]+M)?|([0-9]+M))",
    "dateTime": rf"{_DATE}T{_TIME}{_TZ}?",
    "dateTimeStamp": rf"{_DATE}T{_TIME}{_TZ}",
    "date": rf"{_DATE}{_TZ}?",
    "time": rf"{_TIME}{_TZ}?",
    "gYearMonth": rf"{_YEAR}-(0[1-9]|1[0-2]){_TZ}?",
    "gYear": rf"{_YEAR}{_TZ}?",
    "gMonthDay": rf"--({_MD}|02-29){_TZ}?",
    "gDay": rf"---(0[1-9]|[12][0-9]|3[01]){_TZ}?",
    "gMonth": rf"--(0[1-9]|1[0-2]){_TZ}?",
    "hexBinary": r"([0-9a-fA-F]{2})*",
    "base64Binary": (r"((([A-Za-z0-9+/] ?){4})*(([A-Za-z0-9+/] ?){3}[A-Za-z0-9+/]"
                     r"|([A-Za-z0-9+/] ?){2}[AEIMQUYcgkosw048] ?=|[A-Za-z0-9+/] ?[AQgw] ?= ?=))?"),
    "normalizedString": r"[^\r\n\t]*",
    "token": r"([^ \t\r\n]+( [^ \t\r\n]+)*)?",
    "language": r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*",
    "NMTOKEN": f"[{_NAME_CHAR}]+",
    "Name": f"[{_NAME_START}:][{_NAME_CHAR}:]*",
    "NCName": f"[{_NAME_START}][{_NAME_CHAR}]*",
    # Integer types: the integer pattern, then the range below.
    "nonPositiveInteger": r"(-[0-9]+|\+?0+)",
    "negativeInteger": r"-0*[1-9][0-9]*",
    "nonNegativeInteger": r"(\+?[0-9]+|-0+)",
    "positiveInteger": r"\+?0*[1-9][0-9]*",
    "long": _INT, "int": _INT, "short": _INT, "byte": _INT,
    "unsignedLong": r"(\+?[0-9]+|-0+)", "unsignedInt": r"(\+?[0-9]+|-0+)",
    "unsignedShort": r"(\+?[0-9]+|-0+)", "unsignedByte": r"(\+?[0-9]+|-0+)",
}

#: Value ranges of the bounded integer types (inclusive).
RANGES: dict[str, tuple[int, int]] = {
    "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1),
    "byte": (-128, 127), "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1), "unsignedByte": (0, 255),
}

#: Datatypes whose every lexical form is well-formed.
_ANY = {XSD + "string", XSD + "anyURI", RDF + "HTML"}

@lru_cache(maxsize=None)
def _compiled(name: str) -> re.Pattern:
    """The pattern of ``name``, compiled the first time it is needed: compiling all of them
    costs ~30 ms, paid by every process that imports this module otherwise."""
    return re.compile(f"({PATTERNS[name]})")

#: XSD and RDF datatypes without a lexical space defined here.
_UNDEFINED_NAMESPACES = (XSD, RDF)


def known(datatype: str) -> bool:
    """Whether :func:`valid` can decide literals of ``datatype`` (any non-XSD, non-RDF IRI, or
    one of the XSD datatypes of the table, or ``rdf:langString``)."""
    if datatype in _ANY or datatype == RDF + "langString":
        return True
    if datatype.startswith(XSD):
        return datatype[len(XSD):] in PATTERNS
    return not datatype.startswith(RDF)


def valid(lexical: str, datatype: str) -> bool:
    """Whether ``lexical`` is in the lexical space of ``datatype`` (and its value in range).

    :raises KeyError: for a datatype that :func:`known` says is not decided here.
    """
    if datatype in _ANY or datatype == RDF + "langString":
        return True
    if not datatype.startswith(XSD):
        if datatype.startswith(RDF):
            raise KeyError(datatype)
        return True
    name = datatype[len(XSD):]
    if not _compiled(name).fullmatch(lexical):
        return False
    if name in RANGES:
        low, high = RANGES[name]
        return low <= int(lexical) <= high
    return True


#: The most digits a value of a bounded integer type can have (without leading zeros).
_DIGITS = {n: len(str(max(abs(lo), hi))) for n, (lo, hi) in RANGES.items()}


def _lit(text: str) -> str:
    return str(ox.Literal(text))


#: Datatypes whose SPARQL cast accepts exactly the lexical space (checked on Oxigraph against
#: :func:`valid`, ``tests/validation/test_xsd.py``): a cast is much cheaper than compiling a
#: regular expression in every query of a write.
CAST_EXACT = {"boolean", "integer", "decimal", "double", "float", "dateTime", "date", "time",
              "gYear", "gYearMonth", "gDay", "gMonth", "duration", "dayTimeDuration",
              "yearMonthDuration"}


def sparql_valid(w: str, datatype: str, *, casts: bool = True) -> str:
    """A SPARQL expression true iff ``w`` is a literal of ``datatype`` that is well-formed.

    :param casts: for the datatypes of :data:`CAST_EXACT`, let a cast to the datatype decide
        (an engine whose casts do not check the lexical space exactly needs ``casts=False``:
        the regular expressions).
    :raises KeyError: for a datatype that :func:`known` says is not decided here.
    """
    typed = f"(isLiteral({w}) && sameTerm(DATATYPE({w}), {ox.NamedNode(datatype)}))"
    if datatype == RDF + "langString":
        return f"(isLiteral({w}) && LANG({w}) != \"\")"
    if datatype in _ANY:
        return typed
    if not datatype.startswith(XSD):
        if datatype.startswith(RDF):
            raise KeyError(datatype)
        return typed
    name = datatype[len(XSD):]
    if casts and name in CAST_EXACT:
        dt = ox.NamedNode(datatype)
        return f"({typed} && COALESCE(sameTerm(DATATYPE({dt}({w})), {dt}), false))"
    check = f"REGEX(STR({w}), {_lit('^(' + PATTERNS[name] + ')$')})"
    if name in RANGES:
        low, high = RANGES[name]
        digits = f"REPLACE(STR({w}), \"^[+-]?0*\", \"\")"
        value = f"<{XSD}decimal>(STR({w}))"
        check += (f" && STRLEN({digits}) <= {_DIGITS[name]}"
                  f" && {value} >= {low}.0 && {value} <= {high}.0")
    return f"({typed} && COALESCE({check}, false))"
