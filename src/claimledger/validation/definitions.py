"""What a shapes graph says: its shapes, their targets, constraints and paths, read once and
checked against SHACL's syntax rules (an ill-formed shapes graph is refused: SHACL 3.4.2 says
a processor should report a failure rather than validate with it).

The engines (:mod:`.compiled`, :mod:`.sparql`, :mod:`.fallback`) work from these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import rdflib
from rdflib import OWL, RDF, RDFS, SH, XSD, BNode, Literal, URIRef

from claimledger.errors import InputError
from claimledger.validation.paths import IllFormedPath, Path, parse_path, read_list
from claimledger.validation.recursion import refuse_recursion
from claimledger.validation.support import shape_name as _name
from claimledger.validation.support import term_key as _key

TARGETS = {SH.targetClass: "class", SH.targetNode: "node", SH.targetSubjectsOf: "subjectsOf",
           SH.targetObjectsOf: "objectsOf"}
#: Core parameters whose every value is a constraint of its own, with their components.
SINGLE = {SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind",
          SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.minExclusive: "MinExclusive",
          SH.minInclusive: "MinInclusive", SH.maxExclusive: "MaxExclusive",
          SH.maxInclusive: "MaxInclusive", SH.minLength: "MinLength", SH.maxLength: "MaxLength",
          SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang", SH.equals: "Equals",
          SH.disjoint: "Disjoint", SH.lessThan: "LessThan",
          SH.lessThanOrEquals: "LessThanOrEquals", SH["not"]: "Not", SH["and"]: "And",
          SH["or"]: "Or", SH.xone: "Xone", SH.node: "Node", SH.hasValue: "HasValue",
          SH["in"]: "In"}
#: Parameters of the components with several parameters.
MULTI = {SH.pattern, SH.flags, SH.closed, SH.ignoredProperties, SH.qualifiedValueShape,
         SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}
PARAMETERS = set(SINGLE) | MULTI | {SH.property, SH.sparql}
#: Parameters allowed on property shapes only.
PROPERTY_ONLY = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals,
                 SH.qualifiedValueShape}
#: At most one value each (SHACL's syntax rules; the multi-parameter rule for MULTI).
AT_MOST_ONE = {SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minExclusive,
               SH.minInclusive, SH.maxExclusive, SH.maxInclusive, SH.minLength, SH.maxLength,
               SH.languageIn, SH.uniqueLang, SH["in"], SH.severity, SH.deactivated} | MULTI
#: SHACL Advanced Features that change what is validated: left to pyshacl's advanced mode.
ADVANCED = {URIRef(str(SH) + n) for n in ("target", "rule", "expression", "values")}
NODE_KINDS = {SH.IRI, SH.BlankNode, SH.Literal, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral,
              SH.IRIOrLiteral}


def component(name: str) -> URIRef:
    return SH[name + "ConstraintComponent"]


@dataclass(frozen=True)
class Constraint:
    """One constraint of a shape: its component, the value of its main parameter, and (for
    components with several parameters or list values) the rest."""

    component: URIRef
    parameter: URIRef
    value: rdflib.term.Node
    members: tuple = ()
    extra: tuple[tuple[URIRef, rdflib.term.Node], ...] = ()

    def get(self, parameter: URIRef, default=None):
        return dict(self.extra).get(parameter, default)


@dataclass
class Shape:
    """A shape as SHACL defines it (SHACL 2.1)."""

    node: rdflib.term.Node
    path: Path | None
    severity: URIRef
    messages: tuple[Literal, ...]
    deactivated: bool
    targets: tuple[tuple[str, rdflib.term.Node], ...]
    constraints: tuple[Constraint, ...]
    properties: tuple[rdflib.term.Node, ...]
    sparql: tuple[rdflib.term.Node, ...]
    #: SPARQL-based constraint components (declared in the shapes graph) the shape uses.
    custom: tuple[URIRef, ...] = ()
    advanced: bool = False
    closed: Constraint | None = field(default=None)

    @property
    def is_property(self) -> bool:
        return self.path is not None


class ShapesGraph:
    """The shapes of ``graph``, read and checked.

    :param name: what to call the shapes in messages (a file or policy name).
    :raises InputError: if the graph is ill-formed (SHACL's syntax rules), or asks for
        entailment, which claimledger does not support.
    """

    def __init__(self, graph: rdflib.Graph, *, name: str) -> None:
        self.graph = graph
        self.name = name
        self._po: dict = {}  # subject -> predicate -> objects, read once
        for s, p, o in graph:
            self._po.setdefault(s, {}).setdefault(p, []).append(o)
        self.components = self._custom_components()
        self.shapes: dict[rdflib.term.Node, Shape] = {}
        for node in sorted(self._shape_nodes(), key=_key):
            self.shapes[node] = self._read(node)
        for shape in self.shapes.values():
            self._check_references(shape)
        refuse_recursion(self)
        if any(True for _ in graph.triples((None, SH.entailment, None))):
            raise InputError(f"shapes {name!r} ask for entailment (sh:entailment): claimledger "
                             "validates without inference")

    # -- what is a shape ---------------------------------------------------------------------
    def _types(self, node) -> set:
        seen, todo = set(), list(self.graph.objects(node, RDF.type))
        while todo:
            t = todo.pop()
            if t not in seen:
                seen.add(t)
                todo.extend(self.graph.objects(t, RDFS.subClassOf))
        return seen

    def _shape_nodes(self) -> set:
        g = self.graph
        nodes = set()
        for cls in (SH.NodeShape, SH.PropertyShape):
            for sub in self._subclasses(cls):
                nodes.update(g.subjects(RDF.type, sub))
        params = PARAMETERS | set(TARGETS) | {p for c in self.components.values() for p in c}
        for p in params:
            nodes.update(g.subjects(p, None))
        for p in (SH.node, SH.property, SH.qualifiedValueShape, SH["not"]):
            nodes.update(g.objects(None, p))
        for p in (SH["and"], SH["or"], SH.xone):
            for lst in g.objects(None, p):
                try:
                    nodes.update(read_list(g, lst, "a list of shapes"))
                except IllFormedPath:
                    pass  # reported when the shape holding it is read
        return {n for n in nodes if isinstance(n, (URIRef, BNode))} | {
            n for n in nodes if isinstance(n, Literal)}

    def _subclasses(self, cls) -> set:
        seen, todo = set(), [cls]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(self.graph.subjects(RDFS.subClassOf, c))
        return seen

    def _custom_components(self) -> dict[URIRef, tuple[URIRef, ...]]:
        """SPARQL-based constraint components: their mandatory parameters."""
        out = {}
        for cls in self._subclasses(SH.ConstraintComponent):
            for comp in self.graph.subjects(RDF.type, cls):
                mandatory = []
                for param in self.graph.objects(comp, SH.parameter):
                    path = self.graph.value(param, SH.path)
                    if (param, SH.optional, Literal(True)) not in self.graph and path is not None:
                        mandatory.append(path)
                if mandatory:
                    out[comp] = tuple(sorted(mandatory))
        return out

    # -- reading one shape -------------------------------------------------------------------
    def fail(self, node, problem: str) -> InputError:
        return InputError(f"shapes {self.name!r} are ill-formed: {_name(node)}: {problem}")

    def _values(self, node, p) -> list:
        values = sorted(self._po.get(node, {}).get(p, ()), key=_key)
        if p in AT_MOST_ONE and len(values) > 1:
            raise self.fail(node, f"sh:{_local(p)} has {len(values)} values (at most one)")
        return values

    def _list(self, node, p, value) -> list:
        try:
            return read_list(self.graph, value, f"the value of sh:{_local(p)}")
        except IllFormedPath as exc:
            raise self.fail(node, str(exc)) from None

    def _read(self, node) -> Shape:
        g = self.graph
        if isinstance(node, Literal):
            raise self.fail(node, "a shape must be an IRI or a blank node")
        paths = self._values(node, SH.path)
        if len(paths) > 1:
            raise self.fail(node, "a property shape has exactly one sh:path")
        path = None
        if paths:
            if SH.NodeShape in self._types(node):
                raise self.fail(node, "a sh:NodeShape cannot have a sh:path")
            try:
                path = parse_path(g, paths[0])
            except IllFormedPath as exc:
                raise self.fail(node, f"its sh:path is ill-formed: {exc}") from None
        severity = self._values(node, SH.severity)
        if severity and not isinstance(severity[0], URIRef):
            raise self.fail(node, "sh:severity must be an IRI")
        messages = tuple(self._values(node, SH.message))
        for m in messages:
            if not isinstance(m, Literal) or (m.datatype not in (None, XSD.string)):
                raise self.fail(node, "sh:message must be a string or a language-tagged string")
        deactivated = self._values(node, SH.deactivated)
        if deactivated:
            self._boolean(node, SH.deactivated, deactivated[0])
        targets = []
        for p, kind in TARGETS.items():
            for t in self._values(node, p):
                if kind == "node" and isinstance(t, BNode) or kind != "node" and not isinstance(t, URIRef):
                    raise self.fail(node, f"sh:{_local(p)} {t.n3()}: "
                                    + ("an IRI or a literal" if kind == "node" else "an IRI"))
                targets.append((kind, t))
        if RDFS.Class in self._types(node) and self._types(node) & (
                self._subclasses(SH.NodeShape) | self._subclasses(SH.PropertyShape)):
            if not isinstance(node, URIRef):
                raise self.fail(node, "a shape that is also a class must be an IRI")
            targets.append(("class", node))
        constraints = self._constraints(node, path is not None)
        closed = next((c for c in constraints if c.component == component("Closed")), None)
        custom = tuple(sorted(c for c, params in self.components.items()
                              if all((node, p, None) in g for p in params)))
        properties = tuple(self._values(node, SH.property))
        for p in properties:
            if not isinstance(p, (URIRef, BNode)):
                raise self.fail(node, "the values of sh:property are shapes")
        return Shape(
            node=node, path=path, severity=severity[0] if severity else SH.Violation,
            messages=messages, deactivated=bool(deactivated) and deactivated[0] == Literal(True),
            targets=tuple(sorted(targets, key=lambda t: (t[0], _key(t[1])))),
            constraints=tuple(c for c in constraints if c.component != component("Closed")),
            properties=properties, sparql=tuple(self._values(node, SH.sparql)), custom=custom,
            advanced=any((node, p, None) in g for p in ADVANCED), closed=closed)

    def _constraints(self, node, is_property: bool) -> list[Constraint]:
        out = []
        for p, name in SINGLE.items():
            for v in self._values(node, p):
                if p in PROPERTY_ONLY and not is_property:
                    raise self.fail(node, f"sh:{_local(p)} is for property shapes only")
                out.append(self._single(node, p, name, v))
        pattern = self._values(node, SH.pattern)
        if pattern:
            flags = self._values(node, SH.flags)
            for v in pattern + flags:
                if not (isinstance(v, Literal) and v.datatype in (None, XSD.string) and not v.language):
                    raise self.fail(node, "sh:pattern and sh:flags are strings")
            out.append(Constraint(component("Pattern"), SH.pattern, pattern[0],
                                  extra=((SH.flags, flags[0]),) if flags else ()))
        closed = self._values(node, SH.closed)
        if closed:
            self._boolean(node, SH.closed, closed[0])
            ignored = self._values(node, SH.ignoredProperties)
            members = self._list(node, SH.ignoredProperties, ignored[0]) if ignored else []
            if any(not isinstance(m, URIRef) for m in members):
                raise self.fail(node, "sh:ignoredProperties lists IRIs")
            if closed[0] == Literal(True):
                out.append(Constraint(component("Closed"), SH.closed, closed[0], tuple(members)))
        qvs = self._values(node, SH.qualifiedValueShape)
        if qvs:
            if not is_property:
                raise self.fail(node, "sh:qualifiedValueShape is for property shapes only")
            disjoint = self._values(node, SH.qualifiedValueShapesDisjoint)
            if disjoint:
                self._boolean(node, SH.qualifiedValueShapesDisjoint, disjoint[0])
            extra = ((SH.qualifiedValueShapesDisjoint, disjoint[0] if disjoint else Literal(False)),)
            for p, name in ((SH.qualifiedMinCount, "QualifiedMinCount"),
                            (SH.qualifiedMaxCount, "QualifiedMaxCount")):
                for v in self._values(node, p):
                    self._integer(node, p, v)
                    out.append(Constraint(component(name), p, v, (qvs[0],), extra))
        return sorted(out, key=lambda c: (str(c.component), _key(c.value)))

    def _single(self, node, p, name, v) -> Constraint:
        iri_valued = {SH["class"], SH.datatype, SH.equals, SH.disjoint, SH.lessThan,
                      SH.lessThanOrEquals}
        if p in iri_valued and not isinstance(v, URIRef):
            raise self.fail(node, f"sh:{_local(p)} must be an IRI")
        if p == SH.nodeKind and v not in NODE_KINDS:
            raise self.fail(node, f"sh:nodeKind {v.n3()} is not one of the six node kinds")
        if p in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
            self._integer(node, p, v)
        if p in (SH.minExclusive, SH.minInclusive, SH.maxExclusive, SH.maxInclusive) and not isinstance(v, Literal):
            raise self.fail(node, f"sh:{_local(p)} must be a literal")
        if p == SH.uniqueLang:
            self._boolean(node, p, v)
        if p in (SH.node, SH["not"]) and not isinstance(v, (URIRef, BNode)):
            raise self.fail(node, f"sh:{_local(p)} must be a shape")
        members: tuple = ()
        if p in (SH["in"], SH.languageIn, SH["and"], SH["or"], SH.xone):
            members = tuple(self._list(node, p, v))
            if p == SH.languageIn and any(not isinstance(m, Literal) or m.datatype not in (None, XSD.string)
                                          or m.language for m in members):
                raise self.fail(node, "sh:languageIn lists strings")
            if p in (SH["and"], SH["or"], SH.xone) and any(isinstance(m, Literal) for m in members):
                raise self.fail(node, f"sh:{_local(p)} lists shapes")
        return Constraint(component(name), p, v, members)

    def _integer(self, node, p, v) -> None:
        if not (isinstance(v, Literal) and v.datatype == XSD.integer and not v.ill_typed):
            raise self.fail(node, f"sh:{_local(p)} must be an xsd:integer")

    def _boolean(self, node, p, v) -> None:
        """An xsd:boolean (only the term ``true`` switches a parameter on: SHACL says true,
        and ``"1"^^xsd:boolean`` is another term)."""
        if not (isinstance(v, Literal) and v.datatype == XSD.boolean and str(v) in ("true", "false", "1", "0")):
            raise self.fail(node, f"sh:{_local(p)} must be an xsd:boolean")

    def _check_references(self, shape: Shape) -> None:
        for p in shape.properties:
            if self.shapes[p].path is None:
                raise self.fail(shape.node, f"sh:property {_name(p)} is not a property shape "
                                "(it has no sh:path)")
        for c in shape.constraints:
            if c.parameter == SH.node and self.shapes[c.value].path is not None:
                raise self.fail(shape.node, f"sh:node {_name(c.value)} is a property shape")

    # -- questions the engines ask -------------------------------------------------------------
    @cached_property
    def targeted(self) -> list[Shape]:
        """The shapes validation starts from: those with targets, not deactivated."""
        return [s for s in self.shapes.values() if s.targets and not s.deactivated]

    def shape(self, node) -> Shape:
        return self.shapes[node]

    def rule_of(self, node, top=None) -> str:
        """claimledger's rule id for a result of shape ``node`` reached from ``top``: the local
        name of the shape when it has an IRI, else of the named shape it belongs to."""
        for candidate in (node, top):
            if isinstance(candidate, URIRef):
                return _local(candidate)
        owner = self.owner(node)
        return _local(owner) if owner is not None else str(node)

    def owner(self, node) -> URIRef | None:
        """The named shape a blank shape hangs from (through sh:property, lists, sh:not…)."""
        seen, todo = set(), [node]
        while todo:
            n = todo.pop(0)
            if isinstance(n, URIRef):
                return n
            if n in seen:
                continue
            seen.add(n)
            todo.extend(sorted(self.graph.subjects(None, n), key=_key))
        return None

    def siblings(self, shape: Shape, qvs) -> list:
        """The sibling shapes of a qualified value shape (SHACL 4.7.3): the qualified value
        shapes of the property shapes of the shapes that have ``shape`` as a property."""
        out = set()
        for parent in self.graph.subjects(SH.property, shape.node):
            for ps in self.graph.objects(parent, SH.property):
                out.update(self.graph.objects(ps, SH.qualifiedValueShape))
        out.discard(qvs)
        return sorted(out, key=_key)

    def prefixes(self, node) -> dict[str, str]:
        """The prefix declarations ``node`` reaches by sh:prefixes/owl:imports*/sh:declare.

        :raises InputError: if one prefix is declared with two namespaces.
        """
        g = self.graph
        out: dict[str, str] = {}
        for start in g.objects(node, SH.prefixes):
            seen, todo = set(), [start]
            while todo:
                o = todo.pop()
                if o in seen:
                    continue
                seen.add(o)
                todo.extend(g.objects(o, OWL.imports))
                for decl in g.objects(o, SH.declare):
                    prefix, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
                    if prefix is None or ns is None:
                        raise self.fail(node, "a prefix declaration needs sh:prefix and sh:namespace")
                    if out.get(str(prefix), str(ns)) != str(ns):
                        raise self.fail(node, f"the prefix {str(prefix)!r} is declared with two namespaces")
                    out[str(prefix)] = str(ns)
        return out


def _local(node) -> str:
    text = str(node)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[-1]
    return text

