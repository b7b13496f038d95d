"""The text of SHACL-SPARQL queries: SHACL's restrictions on them, pre-binding by substitution,
and whether one query over all focus nodes gives what per-node pre-binding would.

SHACL pre-binds ``$this`` by inserting its value into every basic graph pattern (SHACL-SPARQL,
appendix "Pre-binding of Variables"); with MINUS, VALUES, SERVICE and ``AS ?this`` ruled out,
writing the focus node into the query text in place of the variable does exactly that. A
query is tokenised, never parsed by hand beyond the few structures these rules need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = r'''
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"""[\s\S]*?"""|'\'\'[\s\S]*?'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z][\w.-]*)?:[\w.:%\\-]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<num>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;|/^*+?!=<>@-])
  | (?P<other>.)
'''

AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
PRE_BOUND = {"this", "shapesGraph", "currentShape"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int = 0
    end: int = 0

    @property
    def word(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    @property
    def var(self) -> str | None:
        return self.text[1:] if self.kind == "var" else None


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    """The pattern, compiled when first needed (only reading shapes does)."""
    return re.compile(_TOKEN, re.VERBOSE)


def tokens(text: str) -> list[Token]:
    """The query's tokens, whitespace and comments left out."""
    out = []
    for m in _token_re().finditer(text):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start(), m.end()))
    return out


def restrictions(text: str, *, pre_bound: set[str] = PRE_BOUND) -> list[str]:
    """What in ``text`` breaks SHACL's rules for pre-bound queries, or that claimledger does
    not support (``$shapesGraph``, ``$currentShape``)."""
    toks = tokens(text)
    problems = []
    for i, t in enumerate(toks):
        if t.word in ("MINUS", "VALUES", "SERVICE"):
            problems.append(f"it uses {t.word}, which SHACL does not allow in these queries")
        if t.word == "AS" and i + 1 < len(toks) and toks[i + 1].var in pre_bound:
            problems.append(f"it binds the pre-bound variable ${toks[i + 1].var} with AS")
        if t.var in ("shapesGraph", "currentShape"):
            problems.append(f"it uses ${t.var}, which claimledger does not support")
    selects = [i for i, t in enumerate(toks) if t.word == "SELECT"]
    for i in selects[1:]:
        projected = {t.var for t in _projection(toks, i)}
        if "this" not in projected:
            problems.append("a subquery must return $this (SHACL: subqueries return every "
                            "pre-bound variable)")
    return sorted(set(problems))


def _projection(toks: list[Token], select: int) -> list[Token]:
    """The tokens of the SELECT clause starting at ``select``, up to WHERE or ``{``."""
    out = []
    depth = 0
    for t in toks[select + 1:]:
        if depth == 0 and (t.word == "WHERE" or t.text == "{"):
            break
        depth += t.text == "("
        depth -= t.text == ")"
        out.append(t)
    return out


def projects(text: str, var: str) -> bool:
    toks = tokens(text)
    selects = [i for i, t in enumerate(toks) if t.word == "SELECT"]
    return bool(selects) and any(t.var == var for t in _projection(toks, selects[0]))


def uses(text: str, var: str) -> bool:
    return any(t.var == var for t in tokens(text))


def substitute(text: str, values: dict[str, str]) -> str:
    """``text`` with each variable of ``values`` replaced by the SPARQL text of a term
    (pre-binding): as ``(term AS ?var)`` where the outer query projects it (a subquery's
    projection gets a name of its own, the outer one being a constant), ``(term)`` in GROUP
    BY and ORDER BY, ``(true)`` for ``BOUND(?var)``, the term itself everywhere else."""
    return Template(text, set(values)).fill(values)


class Template:
    """A query cut where its pre-bound variables are, to be filled in once per focus node
    (tokenised once: :func:`substitute` without the cost of tokenising every time)."""

    def __init__(self, text: str, variables: set[str]) -> None:
        toks = tokens(text)
        #: Alternating text and (variable, form) slots.
        self.parts: list = []
        done = 0
        clause = None  # "select", "group" or None
        depth = 0
        selects = 0
        skip_until = -1
        for i, t in enumerate(toks):
            if i <= skip_until:
                continue
            if (t.word == "BOUND" and i + 3 < len(toks) and toks[i + 1].text == "("
                    and toks[i + 2].var in variables and toks[i + 3].text == ")"):
                self.parts += [text[done:t.start], " (true) "]
                done = toks[i + 3].end
                skip_until = i + 3
                continue
            if t.word == "SELECT":
                clause, depth = "select", 0
                selects += 1
            elif t.word in ("GROUP", "ORDER") and i + 1 < len(toks) and toks[i + 1].word == "BY":
                clause, depth = "group", 0
            elif clause == "select" and depth == 0 and (t.word == "WHERE" or t.text == "{"):
                clause = None
            elif clause == "group" and depth == 0 and (t.word in ("HAVING", "LIMIT", "OFFSET", "ORDER")
                                                        or t.text in ("{", "}")):
                clause = None
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth -= 1
            if t.var in variables:
                self.parts.append(text[done:t.start])
                done = t.end
                if clause == "select" and depth == 0:
                    name = t.var if selects == 1 else f"{t.var}_{i}_"
                    self.parts.append((t.var, " ({term} AS ?" + name + ") "))
                elif clause == "group" and depth == 0:
                    self.parts.append((t.var, " ({term}) "))
                else:
                    self.parts.append((t.var, " {term} "))
        self.parts.append(text[done:])

    @classmethod
    def from_parts(cls, parts: Iterable) -> Template:
        """The template whose :attr:`parts` these are (as :meth:`fill` reads them: text, and
        ``(variable, form)`` slots)."""
        template = cls.__new__(cls)
        template.parts = [p if isinstance(p, str) else (str(p[0]), str(p[1])) for p in parts]
        return template

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Template) and self.parts == other.parts

    __hash__ = None  # mutable parts

    def fill(self, values: dict[str, str]) -> str:
        return "".join(p if isinstance(p, str) else p[1].replace("{term}", values[p[0]])
                       for p in self.parts)


def path_positions_ok(text: str, var: str = "PATH") -> bool:
    """Whether ``$PATH`` appears only as the predicate of triple patterns (SHACL: any other
    use makes the query ill-formed)."""
    toks = tokens(text)
    expr = _expression_mask(toks)
    first_group = next((i for i, t in enumerate(toks) if t.text == "{"), len(toks))
    for i, t in enumerate(toks):
        if t.var != var:
            continue
        if expr[i] or i <= first_group:
            return False
        before = toks[i - 1]
        after = toks[i + 1] if i + 1 < len(toks) else None
        subject_end = before.kind in ("var", "iri", "pname", "string", "num") or before.text in (
            "]", ")", ";") or before.word in ("A",)
        if not subject_end or before.word in ("AS", "BY", "SELECT", "DISTINCT", "REDUCED"):
            return False
        if after is None or after.text in (".", ";", ",", "}", ")"):
            return False
    return True


def _expression_mask(toks: list[Token]) -> list[bool]:
    """For each token: inside an expression (FILTER, BIND, HAVING, a SELECT expression)?"""
    mask = [False] * len(toks)
    stack: list[str] = []  # "expr" or "group" or "paren"
    pending = False
    for i, t in enumerate(toks):
        in_expr = bool(stack) and stack[-1] == "expr"
        if t.text == "(":
            stack.append("expr" if pending or in_expr else "paren")
            pending = False
        elif t.text == ")":
            if stack:
                stack.pop()
        elif t.text == "{":
            stack.append("group")
            pending = False
        elif t.text == "}":
            if stack:
                stack.pop()
        elif t.word in ("FILTER", "BIND", "HAVING") or (t.word in AGGREGATES):
            pending = True
        mask[i] = bool(stack) and stack[-1] == "expr"
    return mask


def free_this_equivalent(text: str) -> bool:
    """Whether running the query once with ``$this`` free and keeping each solution for its
    ``$this`` gives, for every focus node, exactly what pre-binding that node gives.

    Conservative: true only when the WHERE clause opens with a triple pattern of ``$this``
    (so every later part of the top-level group sees it bound), ``$this`` is used in
    expressions only in the top-level group, in FILTERs at the top of an OPTIONAL, or inside
    EXISTS, there is no subquery, no LIMIT or OFFSET, and aggregates are grouped by ``$this``.
    Anything else is run once per focus node, with the node written in.
    """
    toks = tokens(text)
    words = [t.word for t in toks]
    if words.count("SELECT") != 1 or "LIMIT" in words or "OFFSET" in words:
        return False
    try:
        where = next(i for i, t in enumerate(toks) if t.text == "{")
    except StopIteration:
        return False
    if where + 1 >= len(toks) or toks[where + 1].var != "this":
        return False
    if any(w in AGGREGATES for w in words):
        try:
            g = next(i for i in range(len(toks) - 1) if words[i] == "GROUP" and words[i + 1] == "BY")
        except StopIteration:
            return False
        group_vars = []
        for t in toks[g + 2:]:
            if t.word in ("HAVING", "ORDER", "LIMIT", "OFFSET") or t.text in ("{", "}"):
                break
            group_vars.append(t.var)
        if "this" not in group_vars:
            return False
    # Walk the groups: which kind of group each $this used in an expression sits in.
    stack: list[str] = []
    pending_group = "top"
    expr_depth = 0
    pending_expr = False
    last_expr_kind = ""
    for i, t in enumerate(toks):
        if i < where:
            continue
        if t.word in ("EXISTS",):
            pending_group = "exists"
        elif t.word == "OPTIONAL":
            pending_group = "optional"
        elif t.word in ("FILTER", "BIND"):
            pending_expr = True
            last_expr_kind = t.word
        if t.text == "{":
            stack.append(pending_group if pending_group else "group")
            pending_group = ""
            pending_expr = False
        elif t.text == "}":
            if stack:
                stack.pop()
        elif t.text == "(":
            if pending_expr or expr_depth:
                expr_depth += 1
            pending_expr = False
        elif t.text == ")":
            if expr_depth:
                expr_depth -= 1
        if t.var == "this" and expr_depth:
            kind = stack[-1] if stack else "top"
            if "exists" in stack:
                continue
            if kind == "top" and len(stack) == 1:
                continue
            if kind == "optional" and last_expr_kind == "FILTER":
                continue
            return False
        if t.var == "this" and not expr_depth and len(stack) > 1 and "exists" not in stack:
            continue  # a triple pattern binding $this in an inner group: a join on $this
    return True
