"""SHACL conditions as SPARQL boolean expressions: whether a node conforms to a shape, and
whether a value node satisfies one constraint, for the compiler (:mod:`.compiled`) to inline.

A node conforms to a shape when validating it against the shape gives no result of any
severity (SHACL 2.3.2). Paths inside EXISTS are written as nested EXISTS of single triple
patterns starting from a bound variable (Oxigraph does not push a bound variable into a
property path or a join inside EXISTS); a path that can have length zero also reaches the node
itself, checked directly (a SPARQL zero-length path only reaches nodes in the data); counts
are EXISTS over n pairwise distinct values, up to :data:`MAX_NESTED_COUNT`.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, Literal, URIRef

import claimledger.validation.xsd as xsd
from claimledger.validation.definitions import Constraint, Shape, ShapesGraph
from claimledger.validation.paths import Path

MAX_NESTED_COUNT = 6
#: Longer queries mean shapes nested too deeply to run well: left to pyshacl.
MAX_QUERY = 400_000
TYPE = f"<{RDF.type}>"
SUBCLASS = f"<{RDFS.subClassOf}>"
_KINDS = {SH.IRI: "isIRI({w})", SH.BlankNode: "isBlank({w})", SH.Literal: "isLiteral({w})",
          SH.BlankNodeOrIRI: "!isLiteral({w})", SH.BlankNodeOrLiteral: "!isIRI({w})",
          SH.IRIOrLiteral: "!isBlank({w})"}
_COMPARE = {SH.minExclusive: ">", SH.minInclusive: ">=", SH.maxExclusive: "<",
            SH.maxInclusive: "<="}




class Unsupported(Exception):
    """A shape uses something this compiler does not translate exactly."""




class Conditions:
    """Boolean SPARQL expressions over the shapes of ``shapes``.

    :param literal_ok: whether the store keeps a literal of the shapes graph as it is written
        (constraint values the store would rewrite cannot be compared term for term).
    """

    def __init__(self, shapes: ShapesGraph, literal_ok: Callable[[Literal], bool]) -> None:
        self.s = shapes
        self.literal_ok = literal_ok
        self._n = count(1)

    def _var(self, stem: str = "v") -> str:
        return f"?{stem}{next(self._n)}"

    # -- terms -------------------------------------------------------------------------------
    def term(self, node) -> str:
        """A term of the shapes graph as SPARQL, written by Oxigraph's serialiser."""
        if isinstance(node, URIRef):
            return str(ox.NamedNode(str(node)))
        if isinstance(node, Literal):
            if not self.literal_ok(node):
                raise Unsupported(f"the literal {node.n3()}, which the store would rewrite")
            if node.language:
                return str(ox.Literal(str(node), language=node.language))
            if node.datatype is not None:
                return str(ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype))))
            return str(ox.Literal(str(node)))
        raise Unsupported("a blank node as a constraint value or target")

    def _guard(self, shape: Shape, trail: tuple) -> tuple:
        if shape.node in trail:
            raise Unsupported("recursive shapes")
        if shape.custom:
            raise Unsupported(f"the SPARQL-based constraint component {shape.custom[0]}")
        if shape.advanced:
            raise Unsupported("SHACL Advanced Features")
        return (*trail, shape.node)

    def _not_allowed(self, shape: Shape, var: str) -> str:
        allowed = set(shape.closed.members)
        for p in shape.properties:
            ps = self.s.shape(p)
            if ps.path is not None and ps.path.kind == "iri":
                allowed.add(URIRef(ps.path.iri))
        if not allowed:
            return ""
        return f"FILTER ({var} NOT IN ({', '.join(self.term(a) for a in sorted(allowed))}))"

    # -- conditions on one node --------------------------------------------------------------
    def _ok(self, shape: Shape, c: Constraint, w: str, trail: tuple) -> str:
        """Boolean: value node ``w`` satisfies the value-type constraint ``c``."""
        p, v = c.parameter, c.value
        if p == SH["class"]:
            t = self._var("t")
            return (f"EXISTS {{ {w} {TYPE} {t} . FILTER (sameTerm({t}, {self.term(v)}) || "
                    f"EXISTS {{ {t} {SUBCLASS}+ {self.term(v)} }}) }}")
        if p == SH.datatype:
            if not xsd.known(str(v)):
                raise Unsupported(f"sh:datatype {v.n3()}, whose lexical space is not defined here")
            return xsd.sparql_valid(w, str(v))
        if p == SH.nodeKind:
            return _KINDS[v].format(w=w)
        if p in _COMPARE:
            return f"COALESCE({w} {_COMPARE[p]} {self.term(v)}, false)"
        if p in (SH.minLength, SH.maxLength):
            op = ">=" if p == SH.minLength else "<="
            return f"(!isBlank({w}) && STRLEN(STR({w})) {op} {int(v)})"
        if p == SH.pattern:
            flags = c.get(SH.flags)
            extra = f", {self.term(Literal(str(flags)))}" if flags is not None else ""
            return f"(!isBlank({w}) && REGEX(STR({w}), {self.term(Literal(str(v)))}{extra}))"
        if p == SH.languageIn:
            if not c.members:
                return "false"
            tags = " || ".join(f"langMatches(LANG({w}), {self.term(Literal(str(t)))})" for t in c.members)
            return f"(isLiteral({w}) && ({tags}))"
        if p == SH["in"]:
            if not c.members:
                return "false"
            return "(" + " || ".join(f"sameTerm({w}, {self.term(m)})" for m in c.members) + ")"
        if p == SH.hasValue:
            return f"sameTerm({w}, {self.term(v)})"
        if p == SH.node:
            return self.conforms(v, w, trail)
        if p == SH["not"]:
            return f"!({self.conforms(v, w, trail)})"
        if p in (SH["and"], SH["or"]):
            parts = [self.conforms(m, w, trail) for m in c.members]
            if not parts:
                return "true" if p == SH["and"] else "false"
            return "(" + (" && " if p == SH["and"] else " || ").join(parts) + ")"
        if p == SH.xone:
            parts = [self.conforms(m, w, trail) for m in c.members]
            if not parts:
                return "false"
            return "((" + " + ".join(f"IF({x}, 1, 0)" for x in parts) + ") = 1)"
        if p == SH.equals:
            q = self.term(v)
            o = self._var("o")
            return (f"(EXISTS {{ {w} {q} {w} }} && NOT EXISTS {{ {w} {q} {o} . "
                    f"FILTER (!sameTerm({o}, {w})) }})")
        if p == SH.disjoint:
            return f"NOT EXISTS {{ {w} {self.term(v)} {w} }}"
        raise Unsupported(f"sh:{_local(p)}")  # pragma: no cover - every value-type parameter is above

    def _qualified_ok(self, shape: Shape, c: Constraint, v: str, trail: tuple) -> str:
        [qvs] = c.members
        cond = self.conforms(qvs, v, trail)
        if c.get(SH.qualifiedValueShapesDisjoint) == Literal(True):
            for sibling in self.s.siblings(shape, qvs):
                cond += f" && !({self.conforms(sibling, v, trail)})"
        return f"({cond})"

    def conforms(self, node, x: str, trail: tuple) -> str:
        """Boolean: ``x`` conforms to the shape ``node`` (validating it gives no result of any
        severity; a deactivated shape is conformed to by every node)."""
        shape = self.s.shape(node)
        if shape.deactivated:
            return "true"
        trail = self._guard(shape, trail)
        if shape.sparql:
            raise Unsupported("a SHACL-SPARQL constraint in a nested shape")
        conds = []
        if shape.path is None:
            for c in shape.constraints:
                conds.append(self._ok(shape, c, x, trail))
            if shape.closed is not None:
                conds.append(f"!{self._closed_violated(shape, x)}")
            for p in shape.properties:
                conds.append(self.conforms(p, x, trail))
        else:
            conds.extend(self._property_conditions(shape, x, trail))
        return "(" + " && ".join(conds) + ")" if conds else "true"

    def _property_conditions(self, shape: Shape, x: str, trail: tuple) -> list[str]:
        path = shape.path
        conds = []
        for c in shape.constraints:
            p = c.parameter
            if p == SH.minCount:
                conds.append(self._at_least(x, path, int(c.value), None))
            elif p == SH.maxCount:
                conds.append(f"!{self._at_least(x, path, int(c.value) + 1, None)}")
            elif p == SH.hasValue:
                h = self.term(c.value)
                conds.append(self._anyval(x, path, lambda w, h=h: f"sameTerm({w}, {h})"))
            elif p == SH.uniqueLang:
                if c.value == Literal(True):
                    conds.append("!" + self._anyval(x, path, lambda a: (
                        f"(isLiteral({a}) && LANG({a}) != \"\" && " + self._anyval(
                            x, path, lambda b: f"(!sameTerm({a}, {b}) && LCASE(LANG({b})) = LCASE(LANG({a})))")
                        + ")")))
            elif p in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
                n = int(c.value) + (p == SH.qualifiedMaxCount)
                ok = (lambda v, c=c: self._qualified_ok(shape, c, v, trail))
                cond = self._at_least(x, path, n, ok)
                conds.append(cond if p == SH.qualifiedMinCount else f"!{cond}")
            elif p == SH.equals:
                q = self.term(c.value)
                o = self._var("o")
                conds.append(f"!{self._anyval(x, path, lambda w: f'NOT EXISTS {{ {x} {q} {w} }}')}")
                conds.append(f"NOT EXISTS {{ {x} {q} {o} . FILTER (!"
                             + self._anyval(x, path, lambda w: f"sameTerm({w}, {o})") + ") }")
            elif p == SH.disjoint:
                q = self.term(c.value)
                conds.append(f"!{self._anyval(x, path, lambda w: f'EXISTS {{ {x} {q} {w} }}')}")
            elif p in (SH.lessThan, SH.lessThanOrEquals):
                q, op = self.term(c.value), "<" if p == SH.lessThan else "<="
                o = self._var("o")
                conds.append("!" + self._anyval(x, path, lambda w: (
                    f"EXISTS {{ {x} {q} {o} . FILTER (!COALESCE({w} {op} {o}, false)) }}")))
            else:
                conds.append("!" + self._anyval(
                    x, path, lambda w, c=c: f"!({self._ok(shape, c, w, trail)})"))
        if shape.closed is not None:
            conds.append("!" + self._anyval(x, path, lambda w: self._closed_violated(shape, w)))
        for ps in shape.properties:
            conds.append("!" + self._anyval(x, path, lambda w, ps=ps: f"!({self.conforms(ps, w, trail)})"))
        return conds

    def _closed_violated(self, shape: Shape, w: str) -> str:
        p, o = self._var("p"), self._var("o")
        return f"EXISTS {{ {w} {p} {o} . {self._not_allowed(shape, p)} }}"

    # -- paths in conditions -----------------------------------------------------------------
    def _anyval(self, x: str, path: Path, pred: Callable[[str], str] | None) -> str:
        """Boolean: some value node of ``path`` from ``x`` satisfies ``pred`` (any, if None)."""
        path = path.normal()
        k = path.kind
        if k == "iri" or (k == "inverse" and path.steps[0].kind == "iri"):
            w = self._var()
            body = f" FILTER ({pred(w)})" if pred is not None else ""
            iri = str(ox.NamedNode(path.iri if k == "iri" else path.steps[0].iri))
            triple = f"{x} {iri} {w} ." if k == "iri" else f"{w} {iri} {x} ."
            return f"EXISTS {{ {triple}{body} }}"
        if k == "alternative":
            return "(" + " || ".join(self._anyval(x, s, pred) for s in path.steps) + ")"
        if k == "sequence":
            rest = path.steps[1] if len(path.steps) == 2 else Path("sequence", steps=path.steps[1:])
            return self._anyval(x, path.steps[0], lambda m: self._anyval(m, rest, pred))
        here = pred(x) if pred is not None else "true"
        if k == "?":
            return f"({here} || {self._anyval(x, path.steps[0], pred)})"
        if k == "*":
            return f"({here} || {self._anyval(x, Path('+', steps=path.steps), pred)})"
        w = self._var()
        body = f" FILTER ({pred(w)})" if pred is not None else ""
        found = f"EXISTS {{ {x} {path.sparql()} {w} .{body} }}"
        # (p*)+ can have length zero: it reaches x even where x is not in the data
        return f"({here} || {found})" if path.nullable else found

    def _at_least(self, x: str, path: Path, n: int, pred: Callable[[str], str] | None) -> str:
        """Boolean: at least ``n`` distinct value nodes of ``path`` from ``x`` satisfy ``pred``."""
        if n <= 0:
            return "true"
        if n == 1:
            return self._anyval(x, path, pred)
        if n > MAX_NESTED_COUNT:
            raise Unsupported(f"a count of {n} in a nested shape")
        if not path.nullable:
            return self._distinct(x, path, n, pred, exclude=False)
        here = pred(x) if pred is not None else "true"
        return (f"(({here} && {self._distinct(x, path, n - 1, pred, exclude=True)}) || "
                f"{self._distinct(x, path, n, pred, exclude=True)})")

    def _distinct(self, x: str, path: Path, n: int, pred, *, exclude: bool) -> str:
        if n <= 0:
            return "true"
        vs = [self._var() for _ in range(n)]
        parts = [f"{x} {path.sparql()} {v} ." for v in vs]
        conds = [pred(v) for v in vs] if pred is not None else []
        conds += [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:]]
        if exclude:
            conds += [f"!sameTerm({v}, {x})" for v in vs]
        filt = f" FILTER ({' && '.join(conds)})" if conds else ""
        return f"EXISTS {{ {' '.join(parts)}{filt} }}"


def _local(node) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]

