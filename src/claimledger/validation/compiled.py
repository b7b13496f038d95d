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
reaches it, which then goes to pyshacl (:mod:`.fallback`): SPARQL-based constraint components, SHACL Advanced Features, blank nodes or literals the store would
rewrite as constraint values, datatypes whose lexical space :mod:`.xsd` does not define,
counts above :data:`.conditions.MAX_NESTED_COUNT` inside nested shapes, and SHACL-SPARQL
constraints in nested shapes. The conditions themselves are written by :mod:`.conditions`. ``tests/validation/test_w3c.py`` and ``test_random_shapes.py`` check the
results against the W3C test suite and against pyshacl.

Everything written into a query comes from the shapes graph, serialised by Oxigraph's term
writer; no data value is written into a query.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import SH, Literal, URIRef

from claimledger.validation.conditions import TYPE, SUBCLASS, Conditions, Unsupported
from claimledger.validation.definitions import Constraint, Shape, ShapesGraph
from claimledger.validation.paths import Path
from claimledger.validation.plan import Check
from claimledger.validation.results import message_of
from claimledger.validation.support import ox_term

#: Longer queries mean shapes nested too deeply to run well: left to pyshacl.
MAX_QUERY = 400_000

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



@dataclass(frozen=True)
class SparqlJob:
    """A SHACL-SPARQL constraint of a shape, with the pattern of its focus nodes (``?this``)."""

    shape: Shape
    top: Shape
    constraint: object
    focus: str
    keys: str = ""


class Compiler(Conditions):
    """The core constraints of a shapes graph, compiled.

    :param literal_ok: whether the store keeps a literal of the shapes graph as it is written
        (constraint values the store would rewrite cannot be compared term for term).
    """

    def __init__(self, shapes: ShapesGraph, literal_ok: Callable[[Literal], bool]) -> None:
        super().__init__(shapes, literal_ok)
        self.checks: list[Check] = []
        self.jobs: list[SparqlJob] = []
        #: Targeted shapes left to pyshacl, with the reason.
        self.unsupported: dict = {}
        if any(s.advanced for s in shapes.shapes.values()):
            # SHACL-AF (rules, custom targets, node expressions) changes what is validated:
            # the whole validation runs in pyshacl's advanced mode.
            self.unsupported = {top.node: "SHACL Advanced Features in the shapes graph"
                                for top in shapes.targeted}
            return
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
    def _results(self, shape: Shape, focus: Focus, top: Shape, trail: tuple,
                 checks: list[Check], jobs: list[SparqlJob]) -> None:
        if shape.deactivated:
            return
        trail = self._guard(shape, trail)
        for c in shape.sparql:
            jobs.append(SparqlJob(shape, top, c, focus("?this"), focus.keys("?this")))

        keys = focus.keys("?this")
        rule = self.s.rule_of(shape.node, top.node)
        named = shape.node if isinstance(shape.node, URIRef) else self.s.owner(shape.node)
        owner = str(named if named is not None else top.node)

        def add(query: str, component: URIRef, value: str | None, path_column: bool = False):
            if keys:  # one result per outer focus node too (see Focus)
                query = re.sub(r"SELECT (DISTINCT )?\?this\b", lambda m: f"{m.group(0)} {keys}", query)
                query = query.replace("GROUP BY ?this", f"GROUP BY ?this {keys}")
            checks.append(Check(query, ox_term(top.node), ox_term(component), value, path_column,
                                rule, owner, ox_term(shape.severity), ox_term(shape.node),
                                tuple(message_of(m) for m in shape.messages), shape.path))

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

