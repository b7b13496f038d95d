"""SHACL core constraints compiled to SPARQL, so that a whole ledger is checked by Oxigraph.

pyshacl checks a focus node in about 0.3 ms for simple shapes and several milliseconds for the
sourcing rules (``sh:or`` of property shapes, qualified value shapes, property paths): minutes
for a ledger of 100,000 claims. Compiled to SPARQL, each constraint is one query over the
whole store, which Oxigraph answers with its indexes.

The compilation follows the SHACL definitions directly:

* a shape's targets become a graph pattern binding ``?this``;
* a value-type constraint (``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:in``,
  ``sh:hasValue`` on a node shape, lengths, ``sh:pattern``, ranges, ``sh:languageIn``,
  ``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``) becomes a boolean expression
  over a value node, and a violation is a value node for which it is false;
* a count constraint (``sh:minCount``, ``sh:maxCount``, ``sh:hasValue`` on a path,
  ``sh:qualifiedValueShape`` with its counts, ``sh:uniqueLang``) becomes an ``EXISTS`` over
  distinct values;
* a nested shape's conformance is the conjunction of its constraints, inlined recursively.

Shapes using anything else (``sh:closed``, property-pair constraints, SHACL-AF, recursion)
are reported by :meth:`Compiler.unsupported` and left to pyshacl. The results match pyshacl's
(focus node, shape, severity, value): ``tests/validation/test_differential.py`` checks that on a
generated ledger, and the shapes tests check it rule by rule.

Everything written into a query comes from the shapes graph and is serialised by Oxigraph's
term writer; no data value is pasted into a query.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count

import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS, SH, BNode, URIRef
from rdflib import Literal as RLiteral
from rdflib.collection import Collection

XSD = "http://www.w3.org/2001/XMLSchema#"
#: XSD datatypes whose lexical form SPARQL can check with a cast of the same name.
_CASTABLE = {XSD + n for n in ("boolean", "integer", "decimal", "double", "float", "dateTime",
                               "date", "time")}

_VALUE_PARAMS = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.minLength, SH.maxLength,
                 SH.pattern, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
                 SH.languageIn, SH.node, SH["not"], SH["and"], SH["or"], SH.xone}
_COUNT_PARAMS = {SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.uniqueLang}
_IGNORED = {RDF.type, SH.path, SH.property, SH.severity, SH.message, SH.name, SH.description,
            SH.order, SH.group, SH.defaultValue, SH.deactivated, RDFS.comment, RDFS.label,
            SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.flags,
            SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
            SH.sparql, SH.prefixes, SH.declare}
_COMPONENT = {
    SH["class"]: "ClassConstraintComponent", SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent", SH["in"]: "InConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent", SH.maxLength: "MaxLengthConstraintComponent",
    SH.pattern: "PatternConstraintComponent", SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent", SH.node: "NodeConstraintComponent",
    SH["not"]: "NotConstraintComponent", SH["and"]: "AndConstraintComponent",
    SH["or"]: "OrConstraintComponent", SH.xone: "XoneConstraintComponent",
    SH.minCount: "MinCountConstraintComponent", SH.maxCount: "MaxCountConstraintComponent",
    SH.hasValue: "HasValueConstraintComponent",
    SH.qualifiedValueShape: "QualifiedValueShapeConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent",
}


class Unsupported(Exception):
    """A shape uses a SHACL feature this compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SELECT whose rows (``?this``, optional ``?value``) are
    violations of ``shape`` with ``severity``."""

    query: str
    shape: str
    severity: str
    message: str
    component: str
    path: str | None

    @property
    def has_value(self) -> bool:
        return "AS ?value)" in self.query


class Compiler:
    """Compiles the core constraints of a shapes graph.

    :param graph: the shapes graph (without ``sh:sparql`` constraints, which run separately).
    """

    def __init__(self, graph: rdflib.Graph) -> None:
        self.g = graph
        self._vars = count(1)
        self.checks: list[Check] = []
        self.unsupported: dict[str, str] = {}
        for shape in self._top_shapes():
            try:
                self.checks.extend(self._compile_top(shape))
            except Unsupported as exc:
                self.unsupported[str(shape)] = str(exc)

    # -- top level -----------------------------------------------------------------------
    def _top_shapes(self) -> Iterator[rdflib.term.Node]:
        seen = set()
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            for shape in self.g.subjects(p, None):
                seen.add(shape)
        for shape in self.g.subjects(RDF.type, RDFS.Class):
            if (shape, RDF.type, SH.NodeShape) in self.g or (shape, RDF.type, SH.PropertyShape) in self.g:
                seen.add(shape)
        for shape in sorted(seen, key=str):
            if not self._deactivated(shape):
                yield shape

    def _deactivated(self, shape) -> bool:
        return (shape, SH.deactivated, RLiteral(True)) in self.g

    def _targets(self, shape) -> str:
        parts = []
        for c in self.g.objects(shape, SH.targetClass):
            parts.append(f"{{ ?this a/{_iri(RDFS.subClassOf)}* {_term(c)} }}")
        if (shape, RDF.type, RDFS.Class) in self.g:
            parts.append(f"{{ ?this a/{_iri(RDFS.subClassOf)}* {_term(shape)} }}")
        nodes = [_term(n) for n in self.g.objects(shape, SH.targetNode)]
        if nodes:
            parts.append(f"{{ VALUES ?this {{ {' '.join(nodes)} }} }}")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_term(p)} ?t_ }} }}")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?t_ {_term(p)} ?this }} }}")
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    def _compile_top(self, shape) -> list[Check]:
        targets = self._targets(shape)
        checks = []
        path = self.g.value(shape, SH.path)
        if path is not None:  # a property shape with targets of its own
            checks.extend(self._property_checks(shape, targets, owner=shape))
        else:
            checks.extend(self._node_checks(shape, targets))
            for ps in self.g.objects(shape, SH.property):
                if self._deactivated(ps):
                    continue
                checks.extend(self._property_checks(ps, targets, owner=shape))
        return checks

    def _node_checks(self, shape, targets: str) -> list[Check]:
        """Constraints of a node shape on the focus node itself."""
        severity = _local(self.g.value(shape, SH.severity) or SH.Violation)
        message = self._message(shape)
        checks = []
        for param, value in self._params(shape):
            if param in _VALUE_PARAMS or param == SH.hasValue:
                cond = self._value_condition(param, value, "?this", shape)
                q = f"SELECT DISTINCT ?this WHERE {{ {targets} FILTER (!({cond})) }}"
                checks.append(Check(q, str(shape), severity, message, _COMPONENT[param], None))
            elif param in _COUNT_PARAMS:
                raise Unsupported(f"{_local(param)} on a node shape")
        return checks

    def _property_checks(self, ps, targets: str, *, owner) -> list[Check]:
        severity = _local(self.g.value(ps, SH.severity) or SH.Violation)
        message = self._message(ps)
        path = self._path(self.g.value(ps, SH.path))
        path_text = _path_label(self.g, self.g.value(ps, SH.path))
        shape_id = str(ps) if isinstance(ps, URIRef) else str(owner)
        checks = []
        for param, value in self._params(ps):
            component = _COMPONENT[param]
            if param in _VALUE_PARAMS:
                v = self._var()
                cond = self._value_condition(param, value, v, ps)
                q = (f"SELECT DISTINCT ?this ({v} AS ?value) WHERE {{ {targets} ?this {path} {v} . "
                     f"FILTER (!({cond})) }}")
            else:
                q = self._top_count_query(param, value, targets, path, ps)
            checks.append(Check(q, shape_id, severity, message, component, path_text))
        return checks

    def _top_count_query(self, param, value, targets: str, path: str, ps) -> str:
        """A count constraint over every target at once, as set operations (a hash anti-join
        or an aggregate) rather than one EXISTS per focus node."""
        if param == SH.minCount and int(value) == 1:
            return f"SELECT DISTINCT ?this WHERE {{ {targets} MINUS {{ ?this {path} ?m_ }} }}"
        if param == SH.hasValue:
            return (f"SELECT DISTINCT ?this WHERE {{ {targets} MINUS {{ ?this {path} "
                    f"{_term(value)} }} }}")
        if param == SH.maxCount:
            return (f"SELECT ?this WHERE {{ {targets} ?this {path} ?m_ }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?m_) > {int(value)})")
        cond = self._count_condition(param, value, "?this", path, ps)
        return f"SELECT DISTINCT ?this WHERE {{ {targets} FILTER (!({cond})) }}"

    def _params(self, shape) -> list[tuple]:
        out = []
        for p, o in self.g.predicate_objects(shape):
            if p in _IGNORED:
                continue
            if p in _VALUE_PARAMS or p in _COUNT_PARAMS or p == SH.hasValue:
                out.append((p, o))
            elif str(p).startswith(str(SH)):
                raise Unsupported(f"sh:{_local(p)}")
        return sorted(out, key=lambda po: (str(po[0]), str(po[1])))

    def _message(self, shape) -> str:
        messages = list(self.g.objects(shape, SH.message))
        if not messages:
            return ""
        english = [m for m in messages if getattr(m, "language", None) in (None, "en")]
        return str((english or messages)[0])

    # -- conditions ----------------------------------------------------------------------
    def _conforms(self, shape, x: str, depth: int = 0) -> str:
        """A boolean SPARQL expression: node ``x`` conforms to ``shape``."""
        if depth > 16:
            raise Unsupported("shapes nested too deeply (recursive shapes?)")
        if self._deactivated(shape):
            return "true"
        conds = []
        path_node = self.g.value(shape, SH.path)
        if path_node is not None:
            conds.extend(self._property_conditions(shape, x, depth))
        else:
            for param, value in self._params(shape):
                if param in _COUNT_PARAMS:
                    raise Unsupported(f"{_local(param)} on a node shape")
                conds.append(self._value_condition(param, value, x, shape, depth))
            for ps in self.g.objects(shape, SH.property):
                if not self._deactivated(ps):
                    conds.extend(self._property_conditions(ps, x, depth))
        return " && ".join(f"({c})" for c in conds) if conds else "true"

    def _property_conditions(self, ps, x: str, depth: int) -> list[str]:
        path_node = self.g.value(ps, SH.path)
        path = self._path(path_node)
        conds = []
        for param, value in self._params(ps):
            if param in _VALUE_PARAMS:
                w = self._var()
                cond = self._value_condition(param, value, w, ps, depth)
                conds.append("!" + self._exists(x, path_node, w, f"FILTER (!({cond}))"))
            elif param == SH.hasValue:
                conds.append(self._exists(x, path_node, _term(value), ""))
            elif param == SH.minCount and int(value) == 1:
                conds.append(self._exists(x, path_node, self._var(), ""))
            else:
                conds.append(self._count_condition(param, value, x, path, ps, depth))
        return conds

    def _exists(self, x: str, node, w: str, body: str) -> str:
        """``EXISTS { x <path> w . body }`` written so that Oxigraph evaluates it per row.

        Oxigraph does not push the outer binding into a property path or a join inside
        EXISTS: ``EXISTS { ?x (a/b) ?w }`` scans the whole store for every row (measured:
        17 s instead of 0.4 s for 20,000 rows). A sequence is therefore written as nested
        EXISTS of single triple patterns, each starting from a bound variable.
        """
        g = self.g
        if isinstance(node, URIRef):
            return f"EXISTS {{ {x} {_term(node)} {w} . {body} }}"
        inverse = g.value(node, SH.inversePath)
        if isinstance(inverse, URIRef):
            return f"EXISTS {{ {w} {_term(inverse)} {x} . {body} }}"
        alt = g.value(node, SH.alternativePath)
        if alt is not None:
            return "(" + " || ".join(self._exists(x, m, w, body) for m in Collection(g, alt)) + ")"
        if (node, RDF.first, None) in g:
            steps = list(Collection(g, node))
            if not steps:
                raise Unsupported("an empty sequence path")
            inner = w
            text = None
            # build from the last step outwards
            mids = [self._var() for _ in steps[:-1]]
            starts = [x, *mids]
            ends = [*mids, w]
            text = self._exists(starts[-1], steps[-1], ends[-1], body)
            for start, step, end in zip(reversed(starts[:-1]), reversed(steps[:-1]),
                                        reversed(ends[:-1])):
                text = self._exists(start, step, end, f"FILTER ({text})")
            del inner
            return text
        return f"EXISTS {{ {x} {self._path(node)} {w} . {body} }}"

    def _value_condition(self, param, value, w: str, shape, depth: int = 0) -> str:
        g = self.g
        if param == SH["class"]:
            t = self._var()
            return (f"EXISTS {{ {w} a {t} . FILTER (sameTerm({t}, {_term(value)}) || "
                    f"EXISTS {{ {t} {_iri(RDFS.subClassOf)}+ {_term(value)} }}) }}")
        if param == SH.datatype:
            dt = str(value)
            if dt == str(RDF.langString):
                return f"(isLiteral({w}) && LANG({w}) != \"\")"
            base = f"isLiteral({w}) && DATATYPE({w}) = {_term(value)}"
            if dt in _CASTABLE:
                return f"({base} && COALESCE(DATATYPE({_term(value)}({w})) = {_term(value)}, false))"
            return f"({base})"
        if param == SH.nodeKind:
            kinds = {
                SH.IRI: f"isIRI({w})", SH.BlankNode: f"isBlank({w})", SH.Literal: f"isLiteral({w})",
                SH.BlankNodeOrIRI: f"!isLiteral({w})", SH.BlankNodeOrLiteral: f"!isIRI({w})",
                SH.IRIOrLiteral: f"!isBlank({w})",
            }
            if value not in kinds:
                raise Unsupported(f"sh:nodeKind {value}")
            return kinds[value]
        if param == SH["in"]:
            members = list(Collection(g, value))
            if not members:
                return "false"
            return " || ".join(f"sameTerm({w}, {_term(m)})" for m in members)
        if param == SH.hasValue:
            return f"sameTerm({w}, {_term(value)})"
        if param in (SH.minLength, SH.maxLength):
            op = ">=" if param == SH.minLength else "<="
            return f"(!isBlank({w}) && STRLEN(STR({w})) {op} {int(value)})"
        if param == SH.pattern:
            flags = g.value(shape, SH.flags)
            flag_text = f", {_term(RLiteral(str(flags)))}" if flags is not None else ""
            return f"(!isBlank({w}) && REGEX(STR({w}), {_term(RLiteral(str(value)))}{flag_text}))"
        if param in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            op = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
                  SH.maxExclusive: "<"}[param]
            return f"COALESCE({w} {op} {_term(value)}, false)"
        if param == SH.languageIn:
            tags = [str(t) for t in Collection(g, value)]
            if not tags:
                return "false"
            matches = " || ".join(f"langMatches(LANG({w}), {_term(RLiteral(t))})" for t in tags)
            return f"(isLiteral({w}) && ({matches}))"
        if param == SH.node:
            return self._conforms(value, w, depth + 1)
        if param == SH["not"]:
            return f"!({self._conforms(value, w, depth + 1)})"
        if param == SH["and"]:
            parts = [self._conforms(s, w, depth + 1) for s in Collection(g, value)]
            return " && ".join(f"({p})" for p in parts) if parts else "true"
        if param == SH["or"]:
            parts = [self._conforms(s, w, depth + 1) for s in Collection(g, value)]
            return " || ".join(f"({p})" for p in parts) if parts else "false"
        if param == SH.xone:
            parts = [self._conforms(s, w, depth + 1) for s in Collection(g, value)]
            if not parts:
                return "false"
            return "(" + " + ".join(f"IF({p}, 1, 0)" for p in parts) + ") = 1"
        raise Unsupported(f"sh:{_local(param)}")

    def _count_condition(self, param, value, x: str, path: str, ps, depth: int = 0) -> str:
        if param == SH.minCount:
            n = int(value)
            return "true" if n <= 0 else f"EXISTS {{ {self._distinct(x, path, n)} }}"
        if param == SH.maxCount:
            n = int(value)
            return f"NOT EXISTS {{ {self._distinct(x, path, n + 1)} }}"
        if param == SH.hasValue:
            return f"EXISTS {{ {x} {path} {_term(value)} }}"
        if param == SH.uniqueLang:
            if str(value).lower() != "true":
                return "true"
            a, b = self._var(), self._var()
            return (f"NOT EXISTS {{ {x} {path} {a} . {x} {path} {b} . FILTER ({a} != {b} && "
                    f"LANG({a}) != \"\" && LANG({a}) = LANG({b})) }}")
        if param == SH.qualifiedValueShape:
            if (ps, SH.qualifiedValueShapesDisjoint, RLiteral(True)) in self.g:
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            conds = []
            low = self.g.value(ps, SH.qualifiedMinCount)
            high = self.g.value(ps, SH.qualifiedMaxCount)
            if low is not None and int(low) > 0:
                conds.append(f"EXISTS {{ {self._distinct(x, path, int(low), value, depth)} }}")
            if high is not None:
                conds.append(f"NOT EXISTS {{ {self._distinct(x, path, int(high) + 1, value, depth)} }}")
            return " && ".join(conds) if conds else "true"
        raise Unsupported(f"sh:{_local(param)}")

    def _distinct(self, x: str, path: str, n: int, shape=None, depth: int = 0) -> str:
        """A pattern matching ``n`` pairwise distinct values of ``path`` from ``x`` (that
        conform to ``shape``, if given)."""
        if n > 8:
            raise Unsupported(f"a count of {n}")
        vs = [self._var() for _ in range(n)]
        parts = [f"{x} {path} {v} ." for v in vs]
        if shape is not None:
            parts += [f"FILTER ({self._conforms(shape, v, depth + 1)})" for v in vs]
        parts += [f"FILTER ({a} != {b} || !sameTerm({a}, {b}))" for i, a in enumerate(vs)
                  for b in vs[i + 1:]]
        return " ".join(parts)

    def _path(self, node) -> str:
        g = self.g
        if node is None:
            raise Unsupported("a property shape without sh:path")
        if isinstance(node, URIRef):
            return _term(node)
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            return f"^({self._path(inverse)})"
        for p, op in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = g.value(node, p)
            if inner is not None:
                return f"({self._path(inner)}){op}"
        alt = g.value(node, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self._path(m) for m in Collection(g, alt)) + ")"
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self._path(m) for m in Collection(g, node)) + ")"
        raise Unsupported("an unknown property path")

    def _var(self) -> str:
        return f"?v{next(self._vars)}"


def run(store, compiler: Compiler) -> Iterator[tuple[Check, object, object]]:
    """Run every compiled check on ``store``: yields ``(check, focus, value)`` per violation."""
    for check in compiler.checks:
        for row in store.query(check.query):
            yield check, row["this"], row["value"] if check.has_value else None


def _term(node) -> str:
    """A shapes-graph term in SPARQL syntax, written by Oxigraph's serialiser."""
    if isinstance(node, URIRef):
        return str(ox.NamedNode(str(node)))
    if isinstance(node, RLiteral):
        if node.language:
            return str(ox.Literal(str(node), language=node.language))
        if node.datatype is not None:
            return str(ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype))))
        return str(ox.Literal(str(node)))
    if isinstance(node, BNode):
        raise Unsupported("a blank node as a constraint value")
    raise Unsupported(f"the term {node!r}")


def _iri(node) -> str:
    return _term(node)


def _local(node) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _path_label(g: rdflib.Graph, node) -> str | None:
    if isinstance(node, URIRef):
        return str(node)
    if node is None:
        return None
    inverse = g.value(node, SH.inversePath)
    if isinstance(inverse, URIRef):
        return f"^{inverse}"
    return None
