"""SHACL validation: shape sets (:mod:`.shapes`) read from shapes graphs (:mod:`.definitions`,
:mod:`.paths`), typed results (:mod:`.results`), SHACL Core compiled to SPARQL
(:mod:`.compiled`), SHACL-SPARQL constraints (:mod:`.sparql`, :mod:`.sparqltext`), XSD lexical
spaces (:mod:`.xsd`), pyshacl for what the compiler leaves (:mod:`.fallback`), and whole-store
runs (:mod:`.whole`).
"""

from claimledger.validation.results import SEVERITIES, ValidationReport, ValidationResult
from claimledger.validation.shapes import SHAPES_NS, ShapeSet, parse_shapes, read_shapes_file
from claimledger.validation.whole import validate_store

__all__ = ["SEVERITIES", "SHAPES_NS", "ShapeSet", "ValidationReport", "ValidationResult",
           "parse_shapes", "read_shapes_file", "validate_store"]
