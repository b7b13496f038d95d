"""The shapes the SPARQL compiler cannot translate, checked by pyshacl.

The compiled engine (:mod:`claimledger.validation.compiled`) runs SHACL core; what it cannot
translate exactly (``sh:closed``, property-pair constraints, SHACL-AF) goes to pyshacl, on an
rdflib graph of the data. pyshacl's shapes graph is harvested once per shape set and reused.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import rdflib
from rdflib import RDF as R_RDF
from rdflib import SH as R_SH
from rdflib import URIRef

from claimledger.validation.results import ValidationResult
from claimledger.validation.support import local, path_text, rdflib_node, term_text

_TARGETS = (R_SH.targetClass, R_SH.targetNode, R_SH.targetSubjectsOf, R_SH.targetObjectsOf)


class PyshaclFallback:
    """The pyshacl part of a :class:`~claimledger.validation.shapes.ShapeSet`: its
    :attr:`core` shapes that :attr:`compiled` left :attr:`~Compiler.unsupported`."""

    core: rdflib.Graph

    def _core(self, data: rdflib.Graph, focus: list[str] | None) -> list[ValidationResult]:
        """Core constraints by pyshacl: every target in ``data``, or only the ``focus`` nodes.

        With ``focus``, each top-level shape validates those of its targets that are focus
        nodes, against the whole of ``data``; nested shapes (``sh:not``, ``sh:or``,
        ``sh:qualifiedValueShape``…) see every node. pyshacl's own ``focus_nodes`` option is
        not used: in pyshacl 0.40 it also filters the value nodes of nested shapes and then
        reports false results (see ``tests/validation/test_shapes.py``).
        """
        if not self.has_core:
            return []
        engine = self._pyshacl
        if engine is None:  # shapes that need SHACL-AF, or a pyshacl without these internals
            return self._core_public(data, focus)
        shapes_graph, targeted, executor_class, report_of = engine
        unsupported = set(self.compiled.unsupported)
        targeted = [t for t in targeted if str(t.node) in unsupported]
        executor = executor_class(advanced_mode=False, abort_on_first=False, allow_infos=True,
                                  allow_warnings=True, iterate_rules=False, sparql_mode=False,
                                  focus_nodes=None, debug=False)
        wanted = {rdflib_node(n) for n in focus} if focus is not None else None
        reports = []
        for shape in targeted:
            if wanted is None:
                _conforms, found = shape.validate(executor, data)
            else:
                targets = [n for n in shape.focus_nodes(data) if n in wanted]
                if not targets:
                    continue
                _conforms, found = shape.validate(executor, data, focus=targets)
            reports.extend(found)
        if not reports:
            return []
        graph, _text = report_of(shapes_graph, False, reports)
        return list(self._read_results(graph))

    @cached_property
    def _pyshacl(self):
        """pyshacl's shapes graph for :attr:`core`, harvested once and reused for every run.

        None when the fast path cannot be used: the shapes use SHACL Advanced Features
        (rules, custom targets, node expressions, functions), or pyshacl lacks the internals.
        """
        advanced = (R_SH.rule, R_SH.target, R_SH.expression, R_SH.order)
        if any(True for p in advanced for _ in self.core.triples((None, p, None))):
            return None
        try:
            import logging

            from pyshacl.pytypes import SHACLExecutor
            from pyshacl.shapes_graph import ShapesGraph
            from pyshacl.validator import Validator

            shapes_graph = ShapesGraph(self.core, False, logging.getLogger("pyshacl"))
            # Only shapes with targets start a validation; the others are reached from them.
            targeted = [s for s in shapes_graph.shapes
                        if any(True for p in _TARGETS for _ in self.core.triples((s.node, p, None)))
                        or (s.node, R_RDF.type, rdflib.RDFS.Class) in self.core]
            return shapes_graph, targeted, SHACLExecutor, Validator.create_validation_report
        except (ImportError, AttributeError, TypeError):  # pragma: no cover - other pyshacl
            return None

    def _core_public(self, data: rdflib.Graph, focus: list[str] | None) -> list[ValidationResult]:
        """The same through ``pyshacl.validate``: the whole of ``data``, results kept for focus
        and for the shapes the compiler left to pyshacl."""
        import pyshacl  # deferred: pyshacl is slow to import and only writes and validate need it

        _conforms, graph, _text = pyshacl.validate(
            data, shacl_graph=self.core, inference="none", advanced=True, inplace=True,
            allow_warnings=True, allow_infos=True,
        )
        unsupported = set(self.compiled.unsupported)
        wanted = set(focus) if focus is not None else None
        return [r for r in self._read_results(graph) if r.shape in unsupported
                and (wanted is None or r.focus in wanted)]

    def _read_results(self, graph: rdflib.Graph) -> Iterable[ValidationResult]:
        # Only the report's own results: pyshacl also puts the results of nested shapes
        # (sh:node) in the graph, as sh:detail of the result that reports them.
        for report in graph.subjects(R_RDF.type, R_SH.ValidationReport):
            for node in graph.objects(report, R_SH.result):
                yield self._result(graph, node)

    def _result(self, graph: rdflib.Graph, node: rdflib.term.Node) -> ValidationResult:
        focus = graph.value(node, R_SH.focusNode)
        severity = graph.value(node, R_SH.resultSeverity)
        shape = graph.value(node, R_SH.sourceShape)
        component = graph.value(node, R_SH.sourceConstraintComponent)
        message = graph.value(node, R_SH.resultMessage)
        path = graph.value(node, R_SH.resultPath)
        value = graph.value(node, R_SH.value)
        shape_id = self._shape_id(shape)
        return ValidationResult(
            focus=term_text(focus),
            severity=local(str(severity)),
            rule=self.rule_of(shape_id),
            shape=shape_id,
            message=str(message) if message is not None else local(str(component)),
            component=local(str(component)),
            path=path_text(path, graph) if path is not None else None,
            value=term_text(value) if value is not None else None,
        )

    def _shape_id(self, shape: rdflib.term.Node | None) -> str:
        """A stable id for a shape: its IRI, or for a blank property shape, its named parent's."""
        if isinstance(shape, URIRef):
            return str(shape)
        for parent in self.core.subjects(R_SH.property, shape):
            if isinstance(parent, URIRef):
                return str(parent)
        return str(shape)
