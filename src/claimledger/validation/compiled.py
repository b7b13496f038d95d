"""SHACL Core compiled to SPARQL, so that a whole ledger is checked by the store's own engine.

pyshacl checks a focus node in about 0.3 ms for simple shapes and several milliseconds for the
sourcing rules: minutes for 100,000 claims. Compiled, each constraint is one SELECT over the
whole store whose rows are exactly the validation results SHACL defines for it (one per
violating value node, per pair for sh:lessThan, per language for sh:uniqueLang, per triple for
sh:closed), and the conformance of nested shapes (sh:node, sh:not, sh:and, sh:or, sh:xone,
qualified value shapes) is inlined as boolean expressions.

The translation follows the definitions of SHACL 4 directly:

* a shape's focus nodes are a graph pattern: its targets, or the value nodes of the property
  shape that has it as sh:property;
* a property shape's value nodes are its path's values; a path that can have length zero
  (``*``, ``?``) also reaches the focus node itself, which is added explicitly, because a
  SPARQL zero-length path only reaches nodes that occur in the data;
* paths inside EXISTS are written as nested EXISTS of single triple patterns (Oxigraph does not
  push a bound variable into a property path or a join inside EXISTS).

What it does not translate exactly raises :class:`Unsupported` for the targeted shape that
reaches it, which then goes to pyshacl (:mod:`.fallback`): recursive shapes, SPARQL-based
constraint components, SHACL Advanced Features, blank nodes or literals the store would
rewrite as constraint values, datatypes whose lexical space :mod:`.xsd` does not define,
counts above :data:`MAX_NESTED_COUNT` inside nested shapes, and SHACL-SPARQL constraints in
nested shapes. ``tests/validation/test_w3c.py`` and ``test_random_shapes.py`` check the
results against the W3C test suite and against pyshacl.

Everything written into a query comes from the shapes graph, serialised by Oxigraph's term
writer; no data value is written into a query.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, BNode, Literal, URIRef

from claimledger.validation import xsd
from claimledger.validation.definitions import Constraint, Shape, ShapesGraph
from claimledger.validation.paths import Path

#: The largest count a nested shape may require (n distinct values are n variables).
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


class Focus:
    """Focus nodes as a graph pattern that binds a variable to each of them.

    The focus nodes of a property shape nested in a property shape are the outer shape's value
    nodes, validated once per outer focus node: the pattern also binds ``depth`` keys
    (``{var}_k1``…, the outer focus nodes), which every query projects, so that a value node
    reached from two focus nodes gives its results twice, as SHACL's definition does.
    """

    def __init__(self, make: Callable[[str], str], depth: int = 0) -> None:
        self.make = make
        self.depth = depth

    def __call__(self, var: str) -> str:
        return self.make(var)

    def keys(self, var: str) -> str:
        return " ".join(f"{var}_k{i}" for i in range(1, self.depth + 1))


class Unsupported(Exception):
    """A shape uses something this compiler does not translate exactly."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SELECT whose rows are its validation results.

    ``?this`` is the focus node; ``value`` names the column holding ``sh:value`` (None when
    SHACL defines none); with ``path_column`` the row's ``?path`` is the result path.
    """

    query: str
    shape: Shape
    top: Shape
    component: URIRef
    value: str | None
    path_column: bool = False


@dataclass(frozen=True)
class SparqlJob:
    """A SHACL-SPARQL constraint of a shape, with the pattern of its focus nodes (``?this``)."""

    shape: Shape
    top: Shape
    constraint: object
    focus: str
    keys: str = ""


class Compiler:
    """The core constraints of a shapes graph, compiled.

    :param literal_ok: whether the store keeps a literal of the shapes graph as it is written
        (constraint values the store would rewrite cannot be compared term for term).
    """

    def __init__(self, shapes: ShapesGraph, literal_ok: Callable[[Literal], bool]) -> None:
        self.s = shapes
        self.literal_ok = literal_ok
        self._n = count(1)
        self.checks: list[Check] = []
        self.jobs: list[SparqlJob] = []
        #: Targeted shapes left to pyshacl, with the reason.
        self.unsupported: dict = {}
        for top in shapes.targeted:
            checks: list[Check] = []
            jobs: list[SparqlJob] = []
            try:
                self._results(top, self._targets(top), top, (), checks, jobs)
                if any(len(c.query) > MAX_QUERY for c in checks):
                    raise Unsupported("shapes nested too deeply to compile")
            except Unsupported as exc:
                self.unsupported[top.node] = str(exc)
                continue
            self.checks.extend(checks)
            self.jobs.extend(jobs)

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

    # -- focus nodes -------------------------------------------------------------------------
    def _targets(self, shape: Shape) -> Focus:
        parts_of = []
        for kind, t in shape.targets:
            parts_of.append((kind, self.term(t)))

        def focus(var: str) -> str:
            parts = []
            nodes = [t for kind, t in parts_of if kind == "node"]
            if nodes:
                parts.append(f"{{ VALUES {var} {{ {' '.join(nodes)} }} }}")
            for kind, t in parts_of:
                if kind == "class":
                    parts.append(f"{{ {var} {TYPE}/{SUBCLASS}* {t} }}")
                elif kind == "subjectsOf":
                    parts.append(f"{{ {var} {t} {self._var('t')} }}")
                elif kind == "objectsOf":
                    parts.append(f"{{ {self._var('t')} {t} {var} }}")
            return f"{{ SELECT DISTINCT {var} WHERE {{ {' UNION '.join(parts)} }} }}"
        return Focus(focus)

    def _values(self, focus: Focus, path: Path, this: str, value: str) -> str:
        """A pattern binding ``this`` to each focus node and ``value`` to each of its value
        nodes of ``path`` (the focus node itself too when the path can have length zero)."""
        step = f"{focus(this)} {this} {path.sparql()} {value} ."
        if not path.nullable:
            return step
        return f"{{ {step} }} UNION {{ {focus(this)} BIND ({this} AS {value}) }}"

    def _value_focus(self, focus: Focus, path: Path) -> Focus:
        depth = focus.depth + 1

        def nested(var: str) -> str:
            f = self._var("f")
            keys = [f"({f}_k{i} AS {var}_k{i})" for i in range(1, depth)] + [f"({f} AS {var}_k{depth})"]
            return (f"{{ SELECT DISTINCT {' '.join(keys)} {var} WHERE "
                    f"{{ {self._values(focus, path, f, var)} }} }}")
        return Focus(nested, depth)

    # -- result-producing shapes -------------------------------------------------------------
    def _guard(self, shape: Shape, trail: tuple) -> tuple:
        if shape.node in trail:
            raise Unsupported("recursive shapes")
        if shape.custom:
            raise Unsupported(f"the SPARQL-based constraint component {shape.custom[0]}")
        if shape.advanced:
            raise Unsupported("SHACL Advanced Features")
        return (*trail, shape.node)

    def _results(self, shape: Shape, focus: Focus, top: Shape, trail: tuple,
                 checks: list[Check], jobs: list[SparqlJob]) -> None:
        if shape.deactivated:
            return
        trail = self._guard(shape, trail)
        for c in shape.sparql:
            jobs.append(SparqlJob(shape, top, c, focus("?this"), focus.keys("?this")))

        keys = focus.keys("?this")

        def add(query: str, component: URIRef, value: str | None, path_column: bool = False):
            if keys:  # one result per outer focus node too (see Focus)
                query = re.sub(r"SELECT (DISTINCT )?\?this\b", lambda m: f"{m.group(0)} {keys}", query)
                query = query.replace("GROUP BY ?this", f"GROUP BY ?this {keys}")
            checks.append(Check(query, shape, top, component, value, path_column))

        if shape.path is None:
            for c in shape.constraints:
                self._node_checks(shape, c, focus, trail, add)
            if shape.closed is not None:
                add(f"SELECT DISTINCT ?this ?path ?value WHERE {{ {focus('?this')} "
                    f"?this ?path ?value . {self._not_allowed(shape, '?path')} }}",
                    shape.closed.component, "value", True)
            for p in shape.properties:
                self._results(self.s.shape(p), focus, top, trail, checks, jobs)
            return
        path = shape.path
        for c in shape.constraints:
            self._property_checks(shape, c, focus, trail, add)
        if shape.closed is not None:
            v = self._var()
            add(f"SELECT DISTINCT ?this {v} ?path ?value WHERE {{ {self._values(focus, path, '?this', v)} "
                f"{v} ?path ?value . {self._not_allowed(shape, '?path')} }}",
                shape.closed.component, "value", True)
        for p in shape.properties:
            self._results(self.s.shape(p), self._value_focus(focus, path), top, trail, checks, jobs)

    def _node_checks(self, shape: Shape, c: Constraint, focus: Focus, trail: tuple, add) -> None:
        f = focus("?this")
        p = c.parameter
        if p == SH.hasValue:
            add(f"SELECT ?this WHERE {{ {f} FILTER (!sameTerm(?this, {self.term(c.value)})) }}",
                c.component, None)
        elif p == SH.equals:
            q = self.term(c.value)
            add(f"SELECT ?this WHERE {{ {f} FILTER NOT EXISTS {{ ?this {q} ?this }} }}",
                c.component, "this")
            add(f"SELECT DISTINCT ?this ?value WHERE {{ {f} ?this {q} ?value . "
                f"FILTER (!sameTerm(?value, ?this)) }}", c.component, "value")
        elif p == SH.disjoint:
            add(f"SELECT ?this WHERE {{ {f} FILTER EXISTS {{ ?this {self.term(c.value)} ?this }} }}",
                c.component, "this")
        else:
            add(f"SELECT ?this WHERE {{ {f} FILTER (!({self._ok(shape, c, '?this', trail)})) }}",
                c.component, "this")

    def _property_checks(self, shape: Shape, c: Constraint, focus: Focus, trail: tuple, add) -> None:
        path, p = shape.path, c.parameter
        psp = path.sparql()
        f = focus("?this")
        comp = c.component
        if p == SH.minCount:
            n = int(c.value)
            if n <= 0 or (path.nullable and n == 1):
                return
            if path.nullable:
                add(f"SELECT ?this WHERE {{ {f} OPTIONAL {{ ?this {psp} ?m FILTER (!sameTerm(?m, ?this)) }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?m) + 1 < {n})", comp, None)
            elif n == 1 and path.simple:
                add(f"SELECT ?this WHERE {{ {f} MINUS {{ ?this {psp} ?m }} }}", comp, None)
            elif n == 1:
                add(f"SELECT ?this WHERE {{ {f} FILTER (!{self._anyval('?this', path, None)}) }}", comp, None)
            else:
                add(f"SELECT ?this WHERE {{ {f} OPTIONAL {{ ?this {psp} ?m }} }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?m) < {n})", comp, None)
        elif p == SH.maxCount:
            add(f"SELECT ?this WHERE {{ {self._values(focus, path, '?this', '?m')} }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?m) > {int(c.value)})", comp, None)
        elif p == SH.hasValue:
            h = self.term(c.value)
            if path.simple:
                add(f"SELECT ?this WHERE {{ {f} MINUS {{ ?this {psp} {h} }} }}", comp, None)
            else:
                cond = self._anyval("?this", path, lambda w: f"sameTerm({w}, {h})")
                add(f"SELECT ?this WHERE {{ {f} FILTER (!{cond}) }}", comp, None)
        elif p == SH.uniqueLang:
            if c.value != Literal(True):
                return
            other = self._anyval("?this", path, lambda b: f"(!sameTerm(?a, {b}) && LCASE(LANG({b})) = ?lang)")
            add(f"SELECT DISTINCT ?this ?lang WHERE {{ {self._values(focus, path, '?this', '?a')} "
                f"FILTER (isLiteral(?a) && LANG(?a) != \"\") BIND (LCASE(LANG(?a)) AS ?lang) "
                f"FILTER ({other}) }}", comp, None)
        elif p in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            n = int(c.value)

            def ok(v: str) -> str:
                return self._qualified_ok(shape, c, v, trail)
            if p == SH.qualifiedMaxCount:
                add(f"SELECT ?this WHERE {{ {self._values(focus, path, '?this', '?q')} FILTER ({ok('?q')}) }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?q) > {n})", comp, None)
            elif n > 0 and not path.nullable:
                add(f"SELECT ?this WHERE {{ {f} OPTIONAL {{ ?this {psp} ?q FILTER ({ok('?q')}) }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?q) < {n})", comp, None)
            elif n > 0:
                add(f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?q) AS ?n) WHERE {{ {f} "
                    f"OPTIONAL {{ ?this {psp} ?q FILTER (!sameTerm(?q, ?this) && {ok('?q')}) }} }} "
                    f"GROUP BY ?this }} FILTER (?n + IF({ok('?this')}, 1, 0) < {n}) }}", comp, None)
        elif p == SH.equals:
            q = self.term(c.value)
            add(f"SELECT DISTINCT ?this ?value WHERE {{ {self._values(focus, path, '?this', '?value')} "
                f"FILTER NOT EXISTS {{ ?this {q} ?value }} }}", comp, "value")
            cond = self._anyval("?this", path, lambda w: f"sameTerm({w}, ?value)")
            add(f"SELECT DISTINCT ?this ?value WHERE {{ {f} ?this {q} ?value . FILTER (!{cond}) }}",
                comp, "value")
        elif p == SH.disjoint:
            add(f"SELECT DISTINCT ?this ?value WHERE {{ {self._values(focus, path, '?this', '?value')} "
                f"FILTER EXISTS {{ ?this {self.term(c.value)} ?value }} }}", comp, "value")
        elif p in (SH.lessThan, SH.lessThanOrEquals):
            op = "<" if p == SH.lessThan else "<="
            add(f"SELECT DISTINCT ?this ?value ?other WHERE {{ {self._values(focus, path, '?this', '?value')} "
                f"?this {self.term(c.value)} ?other . FILTER (!COALESCE(?value {op} ?other, false)) }}",
                comp, "value")
        else:
            v = "?value"
            add(f"SELECT DISTINCT ?this ?value WHERE {{ {self._values(focus, path, '?this', v)} "
                f"FILTER (!({self._ok(shape, c, v, trail)})) }}", comp, "value")

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
        return f"EXISTS {{ {x} {path.sparql()} {w} .{body} }}"

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
