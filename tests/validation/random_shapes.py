"""Random SHACL shapes graphs and small data graphs, for the differential test against pyshacl.

:func:`pair` makes, from a seed and an index, one shapes graph (targeted shapes with every
kind of target, every SHACL Core constraint component, every kind of path, property shapes
nested in node and property shapes, shapes nested through sh:node, sh:not, sh:and, sh:or,
sh:xone and qualified value shapes) and one data graph over a small vocabulary (so that
constraints meet values that pass and values that fail). Deterministic for ``(seed, index)``.

Run as a script to see one pair and both engines' results::

    .venv/bin/python tests/validation/random_shapes.py SEED INDEX
"""

from __future__ import annotations

import random
import sys

import rdflib
from rdflib import RDF, RDFS, SH, XSD, BNode, Literal, URIRef

EX = "http://example.org/r#"
NODES = [URIRef(f"{EX}n{i}") for i in range(6)]
PREDICATES = [URIRef(f"{EX}p{i}") for i in range(4)]
CLASSES = [URIRef(f"{EX}C{i}") for i in range(3)]
LITERALS = [
    Literal("a"), Literal("b"), Literal("ab"), Literal("A b"),
    Literal("a", lang="en"), Literal("b", lang="en"), Literal("a", lang="de"), Literal("c", lang="en-GB"),
    Literal("1", datatype=XSD.integer), Literal("2", datatype=XSD.integer),
    Literal("3", datatype=XSD.integer), Literal("-1", datatype=XSD.integer),
    Literal("1.5", datatype=XSD.decimal), Literal("true", datatype=XSD.boolean),
    Literal("2020-01-01", datatype=XSD.date), Literal("2021-06-30", datatype=XSD.date),
    Literal("x", datatype=XSD.integer),  # ill-typed
    Literal("http://example.org/r#n1", datatype=XSD.anyURI),
]
DATATYPES = [XSD.string, XSD.integer, RDF.langString, XSD.boolean, XSD.decimal, XSD.date,
             XSD.anyURI, URIRef(EX + "myType")]
KINDS = [SH.IRI, SH.BlankNode, SH.Literal, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral, SH.IRIOrLiteral]
SEVERITIES = [SH.Violation, SH.Violation, SH.Warning, SH.Info]


class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.g = rdflib.Graph()
        self.blanks = [BNode(f"b{i}") for i in range(2)]

    def pick(self, items):
        return self.rng.choice(items)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def value(self):
        roll = self.rng.random()
        if roll < 0.45:
            return self.pick(NODES)
        if roll < 0.55:
            return self.pick(self.blanks)
        return self.pick(LITERALS)

    def lst(self, items) -> rdflib.term.Node:
        head = RDF.nil
        for item in reversed(items):
            node = BNode()
            self.g.add((node, RDF.first, item))
            self.g.add((node, RDF.rest, head))
            head = node
        return head

    # -- paths -------------------------------------------------------------------------------
    def path(self, depth: int = 2) -> rdflib.term.Node:
        roll = self.rng.random()
        if depth == 0 or roll < 0.5:
            return self.pick(PREDICATES)
        node = BNode()
        if roll < 0.6:
            self.g.add((node, SH.inversePath, self.path(depth - 1)))
            return node
        if roll < 0.7:
            return self.lst([self.path(depth - 1) for _ in range(self.rng.randint(2, 3))])
        if roll < 0.8:
            self.g.add((node, SH.alternativePath,
                        self.lst([self.path(depth - 1) for _ in range(self.rng.randint(2, 3))])))
            return node
        kind = self.pick([SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath])
        self.g.add((node, kind, self.path(depth - 1)))
        return node

    # -- shapes ------------------------------------------------------------------------------
    def once(self, s, p, o) -> bool:
        """Add ``s p o`` unless ``s`` has a value for ``p`` (SHACL allows one for most
        parameters); whether it was added."""
        if (s, p, None) in self.g:
            return False
        self.g.add((s, p, o))
        return True

    def value_constraints(self, s, depth: int, n: int) -> None:
        g = self.g
        once = self.once
        for _ in range(n):
            kind = self.rng.randrange(17)
            if kind == 0:
                g.add((s, SH["class"], self.pick(CLASSES)))
            elif kind == 1:
                once(s, SH.datatype, self.pick(DATATYPES))
            elif kind == 2:
                once(s, SH.nodeKind, self.pick(KINDS))
            elif kind == 3:
                p = self.pick([SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive])
                bound = self.pick([Literal(self.rng.randint(0, 3)), Literal("b"),
                                   Literal("2020-06-01", datatype=XSD.date)])
                once(s, p, bound)
            elif kind == 4:
                once(s, self.pick([SH.minLength, SH.maxLength]), Literal(self.rng.randint(0, 3)))
            elif kind == 5:
                if once(s, SH.pattern, Literal(self.pick(["^a", "b$", "^A", "[0-9]", "n[1-3]$"]))):
                    if self.chance(0.3):
                        g.add((s, SH.flags, Literal("i")))
            elif kind == 6:
                once(s, SH.languageIn, self.lst(self.rng.sample(
                    [Literal("en"), Literal("de"), Literal("fr")], self.rng.randint(1, 2))))
            elif kind == 7:
                once(s, SH["in"], self.lst([self.pick(NODES + LITERALS) for _ in range(self.rng.randint(1, 3))]))
            elif kind == 8:
                g.add((s, SH.hasValue, self.pick(NODES + LITERALS)))
            elif kind == 9 and depth > 0:
                g.add((s, SH.node, self.nested_node(depth - 1)))
            elif kind == 10 and depth > 0:
                g.add((s, SH["not"], self.nested(depth - 1)))
            elif kind in (11, 12, 13) and depth > 0:
                p = [SH["and"], SH["or"], SH.xone][kind - 11]
                members = [self.nested(depth - 1) for _ in range(self.rng.randint(1, 3))]
                if self.chance(0.15):
                    members.append(members[0])  # a duplicate member counts twice in sh:xone
                g.add((s, p, self.lst(members)))
            elif kind == 14:
                g.add((s, self.pick([SH.equals, SH.disjoint]), self.pick(PREDICATES)))
            elif kind == 15 and depth > 0:
                g.add((s, SH.property, self.property_shape(depth - 1)))
            else:
                once(s, SH.nodeKind, self.pick(KINDS))

    def property_shape(self, depth: int, node=None) -> rdflib.term.Node:
        g = self.g
        s = node if node is not None else BNode()
        g.add((s, SH.path, self.path()))
        self.value_constraints(s, depth, self.rng.randint(0, 2))
        for _ in range(self.rng.randint(0, 2)):
            kind = self.rng.randrange(6)
            if kind == 0:
                self.once(s, self.pick([SH.minCount, SH.maxCount]), Literal(self.rng.randint(0, 3)))
            elif kind == 1:
                self.once(s, SH.uniqueLang, Literal(True))
            elif kind == 2:
                g.add((s, self.pick([SH.lessThan, SH.lessThanOrEquals]), self.pick(PREDICATES)))
            elif kind == 3 and depth > 0 and (s, SH.qualifiedValueShape, None) not in g:
                g.add((s, SH.qualifiedValueShape, self.nested(depth - 1)))
                for p in self.rng.sample([SH.qualifiedMinCount, SH.qualifiedMaxCount], self.rng.randint(1, 2)):
                    g.add((s, p, Literal(self.rng.randint(0, 2))))
                if self.chance(0.3):
                    g.add((s, SH.qualifiedValueShapesDisjoint, Literal(True)))
            elif kind == 4 and depth > 0:
                g.add((s, SH.property, self.property_shape(depth - 1)))
            else:
                self.once(s, SH.minCount, Literal(1))
        if self.chance(0.08) and (s, SH.closed, None) not in g:
            self.closed(s)
        return s

    def nested(self, depth: int) -> rdflib.term.Node:
        """A shape without targets or severity, reached from another."""
        if self.chance(0.35):
            return self.property_shape(depth)
        return self.nested_node(depth)

    def nested_node(self, depth: int) -> rdflib.term.Node:
        s = BNode()
        self.value_constraints(s, depth, self.rng.randint(1, 2))
        if self.chance(0.25) and depth > 0:
            self.g.add((s, SH.property, self.property_shape(depth - 1)))
        return s

    def closed(self, s) -> None:
        self.g.add((s, SH.closed, Literal(True)))
        if self.chance(0.5):
            self.g.add((s, SH.ignoredProperties, self.lst([RDF.type, self.pick(PREDICATES)])))

    def targets(self, s) -> None:
        g = self.g
        for _ in range(self.rng.randint(1, 2)):
            kind = self.rng.randrange(4)
            if kind == 0:
                g.add((s, SH.targetNode, self.pick(NODES + [URIRef(EX + "absent")] + LITERALS[:3])))
            elif kind == 1:
                g.add((s, SH.targetClass, self.pick(CLASSES)))
            elif kind == 2:
                g.add((s, SH.targetSubjectsOf, self.pick(PREDICATES)))
            else:
                g.add((s, SH.targetObjectsOf, self.pick(PREDICATES)))

    def shapes(self) -> rdflib.Graph:
        g = self.g
        for i in range(self.rng.randint(1, 2)):
            s = URIRef(f"{EX}S{i}")
            self.targets(s)
            if self.chance(0.7):
                g.add((s, SH.severity, self.pick(SEVERITIES)))
            if self.chance(0.35):
                g.add((s, RDF.type, SH.PropertyShape))
                self.property_shape(2, node=s)
            else:
                g.add((s, RDF.type, SH.NodeShape))
                self.value_constraints(s, 2, self.rng.randint(0, 2))
                for _ in range(self.rng.randint(0, 2)):
                    g.add((s, SH.property, self.property_shape(2)))
                if self.chance(0.1) and (s, SH.closed, None) not in g:
                    self.closed(s)
        return g

    def data(self) -> rdflib.Graph:
        d = rdflib.Graph()
        subjects = NODES + self.blanks
        for _ in range(self.rng.randint(4, 18)):
            d.add((self.pick(subjects), self.pick(PREDICATES), self.value()))
        for _ in range(self.rng.randint(0, 4)):
            d.add((self.pick(subjects), RDF.type, self.pick(CLASSES)))
        if self.chance(0.3):
            d.add((CLASSES[1], RDFS.subClassOf, CLASSES[0]))
        return d


def pair(seed: int, index: int) -> tuple[rdflib.Graph, rdflib.Graph]:
    """``(shapes graph, data graph)`` number ``index`` of the run with ``seed``.

    About one pair in 30 also has a shape the compiler leaves to pyshacl (an ``rdf:XMLLiteral``
    datatype), and one in 50 a literal the store would rewrite (``"01"^^xsd:integer``), so
    that the routes through pyshacl are exercised too.
    """
    gen = _Gen(random.Random(seed * 1_000_003 + index))
    shapes = gen.shapes()
    data = gen.data()
    if gen.chance(1 / 30):
        s = URIRef(f"{EX}S9")
        gen.targets(s)
        shapes.add((s, SH.property, gen.property_shape(0)))
        x = BNode()
        shapes.add((s, SH.property, x))
        shapes.add((x, SH.path, gen.pick(PREDICATES)))
        shapes.add((x, SH.datatype, RDF.XMLLiteral))
    if gen.chance(1 / 50):
        data.add((gen.pick(NODES), gen.pick(PREDICATES), Literal("01", datatype=XSD.integer, normalize=False)))
    return shapes, data


if __name__ == "__main__":
    seed, index = int(sys.argv[1]), int(sys.argv[2])
    shapes_graph, data_graph = pair(seed, index)
    print("# shapes\n" + shapes_graph.serialize(format="turtle"))
    print("# data\n" + data_graph.serialize(format="turtle"))
