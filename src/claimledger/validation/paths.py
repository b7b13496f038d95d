"""SHACL property paths (SHACL 2.3.1): read from a shapes graph, refusing ill-formed ones,
written as SPARQL property paths, and written back into a report graph as path structures.

A :class:`Path` is plain data; rdflib is loaded only to read a path from a shapes graph or to
write one into a report graph (a write's check runs compiled paths without it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    import rdflib

_SH = "http://www.w3.org/ns/shacl#"
_KINDS = {_SH + "inversePath": "inverse", _SH + "alternativePath": "alternative",
          _SH + "zeroOrMorePath": "*", _SH + "oneOrMorePath": "+", _SH + "zeroOrOnePath": "?"}


class IllFormedPath(ValueError):
    """A value of ``sh:path`` that is not a well-formed SHACL property path."""


@dataclass(frozen=True)
class Path:
    """A SHACL property path. ``kind`` is ``iri``, ``inverse``, ``sequence``, ``alternative``,
    ``*``, ``+`` or ``?``; ``iri`` holds the predicate, ``steps`` the inner paths."""

    kind: str
    iri: str | None = None
    steps: tuple[Path, ...] = ()

    @staticmethod
    def predicate(iri: str) -> Path:
        return Path("iri", iri=iri)

    @property
    def nullable(self) -> bool:
        """Whether the path can have length zero (its value nodes include the focus node)."""
        if self.kind in ("*", "?"):
            return True
        if self.kind == "sequence":
            return all(s.nullable for s in self.steps)
        if self.kind == "alternative":
            return any(s.nullable for s in self.steps)
        if self.kind in ("inverse", "+"):
            return self.steps[0].nullable
        return False

    @property
    def simple(self) -> bool:
        """A predicate, an inverse predicate, or alternatives of those (cheap to join)."""
        if self.kind == "iri":
            return True
        if self.kind == "inverse":
            return self.steps[0].kind == "iri"
        if self.kind == "alternative":
            return all(s.simple for s in self.steps)
        return False

    def sparql(self) -> str:
        """The path in SPARQL property path syntax, IRIs written by Oxigraph's serialiser."""
        if self.kind == "iri":
            return str(ox.NamedNode(self.iri))
        inner = [s.sparql() for s in self.steps]
        if self.kind == "inverse":
            return f"^({inner[0]})"
        if self.kind == "sequence":
            return "(" + "/".join(inner) + ")"
        if self.kind == "alternative":
            return "(" + "|".join(inner) + ")"
        return f"({inner[0]}){self.kind}"

    def text(self) -> str:
        """For people and JSON: a predicate path as its bare IRI, others in SPARQL syntax."""
        return self.iri if self.kind == "iri" else self.sparql()

    def inverse(self) -> Path:
        """The inverse path, with the inversion pushed down to the predicates."""
        if self.kind == "iri":
            return Path("inverse", steps=(self,))
        if self.kind == "inverse":
            return self.steps[0]
        if self.kind == "sequence":
            return Path("sequence", steps=tuple(s.inverse() for s in reversed(self.steps)))
        return Path(self.kind, steps=tuple(s.inverse() for s in self.steps))

    def normal(self) -> Path:
        """The same path with every inversion pushed down to a predicate."""
        if self.kind == "iri":
            return self
        if self.kind == "inverse":
            return self.steps[0].normal().inverse() if self.steps[0].kind != "iri" else self
        return Path(self.kind, steps=tuple(s.normal() for s in self.steps))

    def to_rdf(self, graph: rdflib.Graph) -> rdflib.term.Node:
        """The path as a SHACL path structure in ``graph`` (fresh blank nodes for each call)."""
        from rdflib import SH, BNode, URIRef

        if self.kind == "iri":
            return URIRef(self.iri)
        if self.kind == "sequence":
            return _list(graph, [s.to_rdf(graph) for s in self.steps])
        node = BNode()
        if self.kind == "alternative":
            graph.add((node, SH.alternativePath, _list(graph, [s.to_rdf(graph) for s in self.steps])))
        else:
            predicate = {"inverse": SH.inversePath, "*": SH.zeroOrMorePath,
                         "+": SH.oneOrMorePath, "?": SH.zeroOrOnePath}[self.kind]
            graph.add((node, predicate, self.steps[0].to_rdf(graph)))
        return node


def _list(graph: rdflib.Graph, items: list) -> rdflib.term.Node:
    from rdflib import RDF, BNode

    head: rdflib.term.Node = RDF.nil
    for item in reversed(items):
        node = BNode()
        graph.add((node, RDF.first, item))
        graph.add((node, RDF.rest, head))
        head = node
    return head


def read_list(graph: rdflib.Graph, node, what: str) -> list:
    """The members of a well-formed SHACL list (SHACL 1.4: each node has exactly one
    ``rdf:first`` and one ``rdf:rest``, the last ``rdf:rest`` is ``rdf:nil``, no cycle).

    :raises IllFormedPath: naming ``what`` when it is not such a list.
    """
    from rdflib import RDF, BNode

    items, seen = [], set()
    while node != RDF.nil:
        if not isinstance(node, BNode) or node in seen:
            raise IllFormedPath(f"{what} is not a well-formed RDF list")
        seen.add(node)
        firsts = list(graph.objects(node, RDF.first))
        rests = list(graph.objects(node, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1:
            raise IllFormedPath(f"{what} is not a well-formed RDF list")
        items.append(firsts[0])
        node = rests[0]
    return items


def parse_path(graph: rdflib.Graph, node, _trail: tuple = ()) -> Path:
    """The path that ``node`` denotes in ``graph``.

    :raises IllFormedPath: if it is not well-formed: a literal, a blank node that is not
        exactly one of the path forms (a list and an inverse path at once, say), a sequence or
        alternative of fewer than two members, or a path that contains itself.
    """
    from rdflib import RDF, SH, BNode, URIRef

    if isinstance(node, URIRef):
        return Path.predicate(str(node))
    if not isinstance(node, BNode):
        raise IllFormedPath(f"{node.n3()} is not a path (a path is an IRI or a blank node)")
    if node in _trail:
        raise IllFormedPath("a path contains itself")
    trail = (*_trail, node)
    forms = [p for p in map(URIRef, _KINDS) if (node, p, None) in graph]
    is_list = (node, RDF.first, None) in graph or (node, RDF.rest, None) in graph
    if len(forms) + is_list != 1:
        found = [f"sh:{str(p).rsplit('#', 1)[1]}" for p in forms] + (["an RDF list"] if is_list else [])
        raise IllFormedPath("a path node must be exactly one of a predicate, a sequence (RDF "
                            "list), sh:inversePath, sh:alternativePath, sh:zeroOrMorePath, "
                            "sh:oneOrMorePath or sh:zeroOrOnePath; this one is "
                            + (" and ".join(found) if found else "none of them"))
    if is_list:
        members = read_list(graph, node, "a sequence path")
        if len(members) < 2:
            raise IllFormedPath("a sequence path needs at least two members")
        return Path("sequence", steps=tuple(parse_path(graph, m, trail) for m in members))
    [predicate] = forms
    values = list(graph.objects(node, predicate))
    name = f"sh:{str(predicate).rsplit('#', 1)[1]}"
    if len(values) != 1:
        raise IllFormedPath(f"a path node has {len(values)} values for {name}")
    if predicate == SH.alternativePath:
        members = read_list(graph, values[0], "the list of an alternative path")
        if len(members) < 2:
            raise IllFormedPath("an alternative path needs at least two members")
        return Path("alternative", steps=tuple(parse_path(graph, m, trail) for m in members))
    return Path(_KINDS[str(predicate)], steps=(parse_path(graph, values[0], trail),))
