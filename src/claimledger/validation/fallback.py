"""pyshacl, for what the compiled engine does not check exactly.

Per targeted shape: the shapes the compiler reports as unsupported (and those with a
SHACL-SPARQL constraint to be run on a blank focus node). For the whole validation: data that
holds literals the store would rewrite (pyshacl checks them as written), and shapes graphs
using SHACL Advanced Features (pyshacl's advanced mode).

pyshacl is given the whole data graph and computes each shape's focus nodes itself, from its
targets — every focus node, whether or not it is the subject of a triple. It is told not to
allow warnings: allowing them makes pyshacl count a nested shape that fails with severity
Warning or Info as conforming, where SHACL counts any result. Only the report's own results
are read (pyshacl puts those of nested shapes under ``sh:detail``).
"""

from __future__ import annotations

import logging
from functools import cached_property

import rdflib
from rdflib import RDF, SH, URIRef

from claimledger.errors import InputError
from claimledger.validation.definitions import ShapesGraph
from claimledger.validation.paths import IllFormedPath, parse_path
from claimledger.validation.results import ValidationResult
from claimledger.validation.support import first_line


class Pyshacl:
    """pyshacl over the shapes graph of a :class:`~.shapes.ShapeSet`, harvested once."""

    def __init__(self, shapes: ShapesGraph) -> None:
        self.shapes = shapes

    @cached_property
    def _engine(self):
        from pyshacl.pytypes import SHACLExecutor
        from pyshacl.shapes_graph import ShapesGraph as PyShapes

        return PyShapes(self.shapes.graph, False, logging.getLogger("pyshacl")), SHACLExecutor

    @property
    def advanced(self) -> bool:
        return any(s.advanced for s in self.shapes.shapes.values())

    def run(self, data: rdflib.Graph, tops: set | None = None) -> list[ValidationResult]:
        """The results of the targeted shapes ``tops`` (every shape when None) over ``data``.

        :raises InputError: when pyshacl reports a failure (SHACL: the shapes cannot be
            used, e.g. a SPARQL-based constraint component's query breaks SHACL's rules).
        """
        try:
            return self._run(data, tops)
        except Exception as exc:  # pyshacl's failures, and its errors (a TypeError comparing
            # two literals it cannot order): either way pyshacl gives no answer to report
            raise InputError(f"shapes {self.shapes.name!r} cannot be checked: pyshacl: "
                             f"{first_line(exc)}") from None

    def _run(self, data: rdflib.Graph, tops: set | None) -> list[ValidationResult]:
        if self.advanced:
            return self._advanced(data)
        shapes_graph, executor_class = self._engine
        executor = executor_class(advanced_mode=False, abort_on_first=False, allow_infos=False,
                                  allow_warnings=False, iterate_rules=False, sparql_mode=False,
                                  focus_nodes=None, debug=False)
        out = []
        wanted = [s for s in shapes_graph.shapes
                  if s.node in {t.node for t in self.shapes.targeted}
                  and (tops is None or s.node in tops)]
        for shape in sorted(wanted, key=lambda s: str(s.node)):
            _conforms, reports = shape.validate(executor, data)
            if reports:
                from pyshacl.validator import Validator

                graph, _text = Validator.create_validation_report(shapes_graph, False, reports)
                out.extend(self.read(graph, top=shape.node))
        return out

    def _advanced(self, data: rdflib.Graph) -> list[ValidationResult]:
        import pyshacl

        _conforms, graph, _text = pyshacl.validate(
            data, shacl_graph=self.shapes.graph, inference="none", advanced=True,
            inplace=False, allow_warnings=False, allow_infos=False)
        return list(self.read(graph))

    def read(self, graph: rdflib.Graph, top=None) -> list[ValidationResult]:
        """The results of a pyshacl report graph, as terms."""
        out = []
        for report in graph.subjects(RDF.type, SH.ValidationReport):
            for node in graph.objects(report, SH.result):
                out.append(self._result(graph, node, top))
        return out

    def _result(self, graph: rdflib.Graph, node, top) -> ValidationResult:
        shape = graph.value(node, SH.sourceShape)
        path = graph.value(node, SH.resultPath)
        try:
            result_path = parse_path(graph, path) if path is not None else None
        except IllFormedPath:  # pragma: no cover - pyshacl copies the shapes' own paths
            result_path = None
        owner = shape if isinstance(shape, URIRef) else self.shapes.owner(shape)
        if owner is None:
            owner = top
        return ValidationResult(
            focus_node=graph.value(node, SH.focusNode),
            result_severity=graph.value(node, SH.resultSeverity),
            source_shape=shape,
            constraint_component=graph.value(node, SH.sourceConstraintComponent),
            rule=self.shapes.rule_of(shape, top),
            result_path=result_path,
            value_node=graph.value(node, SH.value),
            messages=tuple(sorted(graph.objects(node, SH.resultMessage), key=str)),
            source_constraint=graph.value(node, SH.sourceConstraint),
            shape=str(owner) if owner is not None else str(shape), top=top)
