"""A lexer for SPARQL 1.1, and the checks claimledger makes on SPARQL text it did not write.

:func:`tokens` cuts a query (or update) into the terminals of the SPARQL 1.1 grammar
(https://www.w3.org/TR/sparql11-query/#grammar, section 19.8): ``IRIREF``, ``PNAME_NS``,
``PNAME_LN``, ``BLANK_NODE_LABEL``, ``VAR1``, ``VAR2``, ``LANGTAG``, ``INTEGER``, ``DECIMAL``,
``DOUBLE`` and their ``_POSITIVE`` / ``_NEGATIVE`` forms, the four string forms
(``STRING_LITERAL1``, ``STRING_LITERAL2``, ``STRING_LITERAL_LONG1``, ``STRING_LITERAL_LONG2``),
``NIL``, ``ANON``, ``WS``, ``COMMENT``, ``KEYWORD`` (matched case-insensitively, except ``a``)
and ``PUNCT`` (punctuation and operators). Every character of the text belongs to exactly one
token, so ``"".join(t.text for t in tokens(q)) == q``; positions are offsets into the text.
Longest match decides between terminals, as the grammar says. A run of letters that is
neither a prefixed name nor a SPARQL 1.1 keyword is not lexed (``SELECTDISTINCT``,
``LATERAL``): the lexer fails closed, with the position, on anything it cannot read.

Codepoint escapes (``\\u`` / ``\\U``): SPARQL 1.1 decodes them in the whole text before
parsing (section 19.2), the engine claimledger runs (Oxigraph) only inside strings and IRIs,
as SPARQL 1.2 and Turtle do. A text may only use them where both readings agree — inside a
string or an IRI, for a character that cannot end or change that token — and is refused
otherwise, so that no engine can read a token boundary the check did not see.

:func:`check_query` decides on the token stream whether claimledger may run the text:

* ``SERVICE`` (federated query) is refused wherever it is code — as the keyword, and inside
  the prefix of a prefixed name (``SERVICE:x``, ``SERVICEex:x``), because an engine that
  matches keywords without a word boundary (Oxigraph does) reads those as ``SERVICE``
  followed by a name. Inside strings, IRIs and comments it is only text; variables
  (``?service``) and blank node labels can never be read as a keyword.
* SPARQL Update is refused: any keyword that only an update operation uses.
* Brackets nested deeper than :data:`MAX_NESTING` are refused (the engine recurses on them).
* What is run is the text with its comments blanked out (replaced by spaces, line breaks
  kept), so that no engine can disagree with this lexer about where a comment ends.

>>> [t.kind for t in tokens("ASK { ?s a <x:y> }") if t.kind != "WS"]
['KEYWORD', 'PUNCT', 'VAR1', 'KEYWORD', 'IRIREF', 'PUNCT']
>>> check_query("SELECT * WHERE { ?s ?p ?o } # the lot").form
'SELECT'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from claimledger.errors import InputError

# -- the terminals (section 19.8; numbers are the grammar's production numbers) -------------

def _names(base_rest: str, chars_rest: str) -> dict[str, str]:
    """The name terminals' patterns; ``base_rest`` and ``chars_rest`` are the non-ASCII
    parts of PN_CHARS_BASE and PN_CHARS (empty: the same patterns for ASCII text only)."""
    base = "A-Za-z" + base_rest                                           # [164] PN_CHARS_BASE
    u = base + "_"                                                        # [165] PN_CHARS_U
    chars = u + "\\-0-9" + chars_rest                                     # [167] PN_CHARS
    varname = f"[{u}0-9][{u}0-9{chars_rest}]*"                            # [166] VARNAME
    pn_prefix = f"[{base}](?:[{chars}.]*[{chars}])?"                      # [168]
    plx = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"                     # [170]-[173]
    pn_local = f"(?:[{u}:0-9]|{plx})(?:(?:[{chars}.:]|{plx})*(?:[{chars}:]|{plx}))?"  # [169]
    return {"PN_PREFIX": pn_prefix,
            "PNAME_LN": f"(?:{pn_prefix})?:{pn_local}",                   # [141]
            "PNAME_NS": f"(?:{pn_prefix})?:",                             # [140]
            "BLANK_NODE_LABEL": f"_:[{u}0-9](?:[{chars}.]*[{chars}])?",   # [142]
            "VAR1": f"\\?{varname}",                                      # [143]
            "VAR2": f"\\${varname}"}                                      # [144]


_BASE_REST = ("\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
              "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
              "\U00010000-\U000EFFFF")
_CHARS_REST = "\u00B7\u0300-\u036F\u203F-\u2040"
_NAMES = _names(_BASE_REST, _CHARS_REST)
_PN_PREFIX = _NAMES["PN_PREFIX"]
_ECHAR = r"\\[tbnrf\\\"']"                                                # [160]
#: A codepoint escape where SPARQL 1.2 (and the engine) accept one: in strings and IRIs.
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_EXPONENT = r"[eE][+-]?[0-9]+"                                            # [155]
_DOUBLE = f"(?:[0-9]+\\.[0-9]*{_EXPONENT}|\\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT})"  # [148]
_DECIMAL = r"[0-9]*\.[0-9]+"                                              # [147]
_INTEGER = r"[0-9]+"                                                      # [146]
_WS = " \t\r\n"                                                           # [162] WS


def _terminals(names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Each terminal, tried in this order at every position (the order makes the first match
    the longest one: long strings before short ones, DOUBLE before DECIMAL before INTEGER…)."""
    return (
        ("WS", f"[{_WS}]+"),
        ("COMMENT", r"#[^\r\n]*"),                                        # section 19.6
        ("IRIREF", f"<(?:[^<>\"{{}}|^`\\\\\\x00-\\x20]|{_UCHAR})*>"),     # [139]
        ("STRING_LITERAL_LONG1", f"'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}|{_UCHAR}))*'''"),  # [158]
        ("STRING_LITERAL_LONG2", f'"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}|{_UCHAR}))*"""'),  # [159]
        ("STRING_LITERAL1", f"'(?:[^'\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*'"), # [156]
        ("STRING_LITERAL2", f'"(?:[^"\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*"'), # [157]
        *((kind, names[kind]) for kind in ("PNAME_LN", "PNAME_NS", "BLANK_NODE_LABEL",
                                            "VAR1", "VAR2")),
        ("LANGTAG", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),                     # [145]
        ("DOUBLE_POSITIVE", f"\\+{_DOUBLE}"),                             # [151]
        ("DECIMAL_POSITIVE", f"\\+{_DECIMAL}"),                           # [150]
        ("INTEGER_POSITIVE", f"\\+{_INTEGER}"),                           # [149]
        ("DOUBLE_NEGATIVE", f"-{_DOUBLE}"),                               # [154]
        ("DECIMAL_NEGATIVE", f"-{_DECIMAL}"),                             # [153]
        ("INTEGER_NEGATIVE", f"-{_INTEGER}"),                             # [152]
        ("DOUBLE", _DOUBLE),
        ("DECIMAL", _DECIMAL),
        ("INTEGER", _INTEGER),
        ("NIL", f"\\([{_WS}]*\\)"),                                       # [161]
        ("ANON", f"\\[[{_WS}]*\\]"),                                      # [163]
        ("WORD", r"[A-Za-z][A-Za-z0-9_]*"),                               # a keyword, or refused
        ("PUNCT", r"\^\^|\|\||&&|!=|<=|>=|[{}()\[\].,;*/+\-!?^|=<>]"),
    )


_TERMINALS = _terminals(_NAMES)


@lru_cache(maxsize=2)
def _master(ascii_only: bool) -> re.Pattern[str]:
    """The terminals as one pattern, compiled when first needed. For a text that is all
    ASCII, the name terminals without their non-ASCII ranges match exactly what the full ones
    do (those ranges cannot match an ASCII character) and compile in a fraction of the time
    (the full character classes cost ~25 ms, the queries a write runs are ASCII)."""
    terminals = _terminals(_names("", "")) if ascii_only else _TERMINALS
    return re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in terminals))


#: The keywords of the SPARQL 1.1 grammar (queries and updates), upper-cased.
KEYWORDS = frozenset("""
    BASE PREFIX SELECT DISTINCT REDUCED AS CONSTRUCT WHERE DESCRIBE ASK FROM NAMED GROUP BY
    HAVING ORDER ASC DESC LIMIT OFFSET VALUES LOAD SILENT INTO CLEAR DROP CREATE ADD TO MOVE
    COPY INSERT DATA DELETE WITH USING DEFAULT GRAPH ALL OPTIONAL SERVICE BIND UNDEF MINUS
    UNION FILTER IN NOT STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR
    ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE
    STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256
    SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC
    REGEX SUBSTR REPLACE EXISTS COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR TRUE FALSE
""".split())
#: Keywords only SPARQL Update uses (productions [29]-[51]): any of them makes the text an update.
UPDATE_KEYWORDS = frozenset(
    "LOAD INTO CLEAR DROP CREATE ADD TO MOVE COPY INSERT DATA DELETE WITH USING DEFAULT ALL".split())
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
STRING_KINDS = frozenset({"STRING_LITERAL1", "STRING_LITERAL2", "STRING_LITERAL_LONG1",
                          "STRING_LITERAL_LONG2"})
#: Tokens that are not code: what claimledger's checks never look inside.
TEXT_KINDS = STRING_KINDS | {"IRIREF", "COMMENT", "WS"}
_NOT_IN_IRIREF = frozenset('<>"{}|^`\\') | {chr(c) for c in range(0x21)}
_ENDS_STRING = frozenset("\"'\\\n\r")
#: Where a reader that decodes codepoint escapes first (SPARQL 1.1, section 19.2) sees one.
_ESCAPE_RE = re.compile(r"(?=\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))")
_CODEPOINT_RE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))|\\.", re.S)


@dataclass(frozen=True)
class Token:
    """One terminal: its kind (the grammar's name, ``KEYWORD`` or ``PUNCT``), its text as
    written, and where it is (``text[start:end]``)."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def keyword(self) -> str | None:
        """The keyword, upper-cased (``"a"`` for ``a``), or None for other kinds."""
        if self.kind != "KEYWORD":
            return None
        return "a" if self.text == "a" else self.text.upper()

    @property
    def prefix(self) -> str | None:
        """The prefix of a prefixed name (``ex`` for ``ex:x``, ``""`` for ``:x``), else None."""
        if self.kind not in ("PNAME_NS", "PNAME_LN"):
            return None
        return self.text.partition(":")[0]


class LexError(InputError):
    """Text that is not SPARQL 1.1, with the place where reading stopped.

    :param line: 1-based line; :param column: 1-based column (in characters).
    """

    def __init__(self, message: str, text: str, position: int, *, argument: str | None = None
                 ) -> None:
        self.position = position
        self.line = text.count("\n", 0, position) + 1
        self.column = position - (text.rfind("\n", 0, position) + 1) + 1
        super().__init__(f"SPARQL syntax error at {self.line}:{self.column}: {message}",
                         argument=argument)


def tokens(text: str, *, argument: str | None = None) -> list[Token]:
    """Cut ``text`` into SPARQL 1.1 terminals, whitespace and comments included.

    :raises LexError: at the first character that starts no terminal, at a word that is no
        SPARQL 1.1 keyword, or at a codepoint escape the two readings of the text would
        decode differently (see the module doc).

    >>> [(t.kind, t.text) for t in tokens("?x<=-1.5e3")]
    [('VAR1', '?x'), ('PUNCT', '<='), ('DOUBLE_NEGATIVE', '-1.5e3')]
    """
    out: list[Token] = []
    pos, end = 0, len(text)
    master = _master(text.isascii())
    while pos < end:
        m = master.match(text, pos)
        if m is None:
            raise LexError(f"cannot read {_shown(text, pos)} here", text, pos, argument=argument)
        kind = m.lastgroup
        value = m.group()
        if kind == "WORD":
            if value != "a" and value.upper() not in KEYWORDS:
                raise LexError(f"{value!r} is not a SPARQL 1.1 keyword", text, pos,
                               argument=argument)
            if value.upper() == "A" and value != "a":
                raise LexError("the keyword 'a' is written in lower case", text, pos,
                               argument=argument)
            kind = "KEYWORD"
        out.append(Token(kind, value, pos, m.end()))
        pos = m.end()
    _check_escapes(text, out, argument)
    return out


def code(toks: Iterable[Token]) -> list[Token]:
    """The tokens without whitespace and comments."""
    return [t for t in toks if t.kind not in ("WS", "COMMENT")]


def string_value(token: Token) -> str:
    """The value of a string token, its escapes decoded.

    >>> string_value(tokens(r"'a\\tb'")[0])
    'a\\tb'
    """
    if token.kind not in STRING_KINDS:
        raise ValueError(f"{token.kind} is not a string")
    quote = 3 if token.kind.startswith("STRING_LITERAL_LONG") else 1
    return _decode(token.text[quote:-quote])


def blank_comments(text: str, toks: Sequence[Token]) -> str:
    """``text`` with every comment replaced by as many spaces (positions stay the same)."""
    parts = [(" " * len(t.text)) if t.kind == "COMMENT" else t.text for t in toks]
    return "".join(parts)


@dataclass(frozen=True)
class CheckedQuery:
    """A query claimledger may run: its text with comments blanked out, its form and tokens."""

    text: str
    form: str | None
    tokens: tuple[Token, ...]


#: Deepest nesting of brackets (``(``, ``[``, ``{``) a checked text may have. The engine
#: parses nested groups by recursion: measured here, 5,000 nested parentheses or braces
#: (a 10 KB query) overflow its stack and kill the process (SIGSEGV); 2,000 do not.
MAX_NESTING = 256

_UPDATE_MESSAGE = ("SPARQL Update is not allowed here: record changes with the claimledger "
                   "commands, so that the sourcing rules and the audit trail apply")
_SERVICE_MESSAGE = ("SERVICE (federated query) is not allowed here: a query on the ledger "
                    "never reaches out to the network")


def check_query(text: str, *, argument: str | None = None) -> CheckedQuery:
    """Check that ``text`` is SPARQL that claimledger may run on the ledger: it lexes, it
    is no update, and it never names ``SERVICE`` (see the module doc).

    :returns: the text to run (comments blanked out), its query form (``SELECT``,
        ``CONSTRUCT``, ``DESCRIBE``, ``ASK``, or None when it has none — the engine will
        then say what is wrong) and its tokens.
    :raises LexError: if it does not lex.
    :raises InputError: for an update or a federated query, at the offending token, or
        brackets nested deeper than :data:`MAX_NESTING`.
    """
    toks = tokens(text, argument=argument)
    significant = code(toks)
    depth = 0
    for t in significant:
        if t.kind == "PUNCT" and t.text in "([{":
            depth += 1
            if depth > MAX_NESTING:
                raise LexError(f"brackets nested more than {MAX_NESTING} deep; claimledger "
                               "refuses such a query rather than risk the engine", text,
                               t.start, argument=argument)
        elif t.kind == "PUNCT" and t.text in ")]}":
            depth -= 1
    for t in significant:
        if t.keyword in UPDATE_KEYWORDS:
            raise InputError(_UPDATE_MESSAGE + _at(text, t), argument=argument)
    for t in significant:
        if t.keyword == "SERVICE" or (t.prefix is not None and "service" in t.prefix.casefold()):
            raise InputError(_SERVICE_MESSAGE + _at(text, t), argument=argument)
    return CheckedQuery(blank_comments(text, toks), _form(significant), tuple(toks))


def prologue(prefixes: Mapping[str, str], *, argument: str | None = None) -> str:
    """``PREFIX`` declarations for ``prefixes`` (name → namespace IRI) on one line, each name
    and namespace checked: a name must be a SPARQL prefix that :func:`check_query` accepts,
    a namespace an absolute IRI, written with the RDF library's own escaping.

    :raises InputError: for a name or namespace that is neither.

    >>> prologue({"ex": "https://example.org/"})
    'PREFIX ex: <https://example.org/> '
    """
    parts = []
    for name, namespace in sorted(prefixes.items()):
        check_prefix_name(name, argument=argument)
        parts.append(f"PREFIX {name}: {_iri_text(namespace, argument=argument)} ")
    return "".join(parts)


def check_prefix_name(name: str, *, argument: str | None = None) -> str:
    """Check that ``name`` is a prefix a query may declare (``PN_PREFIX``, or empty).

    :raises InputError: if it is not, or if it holds ``service`` (see :func:`check_query`).
    """
    if not isinstance(name, str) or (name and not re.fullmatch(_PN_PREFIX, name)):
        raise InputError(f"{name!r} is not a SPARQL prefix name", argument=argument)
    if "service" in name.casefold():
        raise InputError(f"the prefix name {name!r} holds 'service', which a query engine can "
                         "read as the SERVICE keyword; choose another name", argument=argument)
    return name


# -- helpers ------------------------------------------------------------------------------

def _form(significant: Sequence[Token]) -> str | None:
    i = 0
    while i < len(significant):  # the prologue: (BASE IRIREF | PREFIX PNAME_NS IRIREF)*
        word = significant[i].keyword
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            break
    word = significant[i].keyword if i < len(significant) else None
    return word if word in QUERY_FORMS else None


def _check_escapes(text: str, toks: Sequence[Token], argument: str | None) -> None:
    """Every ``\\u`` / ``\\U`` must be a codepoint escape inside a string or an IRI, for a
    character that cannot end or change that token (see the module doc)."""
    if "\\u" not in text and "\\U" not in text:
        return  # the common case: nothing to check
    for t in toks:
        if t.kind == "COMMENT":
            continue  # never run: comments are blanked out
        found = [m.start() for m in _ESCAPE_RE.finditer(t.text)]
        if not found:
            continue
        if t.kind not in STRING_KINDS and t.kind != "IRIREF":
            raise LexError("a \\u escape outside a string or an IRI", text, t.start + found[0],
                           argument=argument)
        escapes = {}
        for m in _CODEPOINT_RE.finditer(t.text):
            hexa = m.group(1) or m.group(2)
            if hexa is not None:
                escapes[m.start()] = int(hexa, 16)
        for offset in found:
            value = escapes.get(offset)
            bad = _NOT_IN_IRIREF if t.kind == "IRIREF" else _ENDS_STRING
            if (value is None or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF
                    or chr(value) in bad):
                raise LexError(
                    "a \\u escape that SPARQL 1.1 and the query engine would read differently "
                    "(write the character itself, or an escape like \\n or \\\")",
                    text, t.start + offset, argument=argument)


def _decode(body: str) -> str:
    simple = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
              "\\": "\\"}

    def one(m: re.Match[str]) -> str:
        hexa = m.group(1) or m.group(2)
        if hexa is not None:
            return chr(int(hexa, 16))
        return simple[m.group()[1]]
    return _CODEPOINT_RE.sub(one, body)


def _iri_text(namespace: str, *, argument: str | None) -> str:
    from claimledger.model.terms import check_iri

    return str(check_iri(namespace, argument=argument))


def _at(text: str, token: Token) -> str:
    line = text.count("\n", 0, token.start) + 1
    column = token.start - (text.rfind("\n", 0, token.start) + 1) + 1
    return f" ({token.text!r} at {line}:{column})"


def _shown(text: str, pos: int) -> str:
    piece = text[pos:pos + 12]
    return repr(piece) + ("…" if len(text) > pos + 12 else "")
