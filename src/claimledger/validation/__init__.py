"""SHACL validation: shape sets (:mod:`.shapes`), typed results (:mod:`.results`), the core
constraints compiled to SPARQL (:mod:`.compiled`), SHACL-SPARQL constraints (:mod:`.sparql`),
pyshacl for what the compiler leaves (:mod:`.fallback`), and whole-ledger runs (:mod:`.whole`).
"""

from claimledger.validation.results import SEVERITIES, ValidationReport, ValidationResult
from claimledger.validation.shapes import SHAPES_NS, ShapeSet, parse_shapes, read_shapes_file
from claimledger.validation.whole import validate_store

__all__ = ["SEVERITIES", "SHAPES_NS", "ShapeSet", "ValidationReport", "ValidationResult",
           "parse_shapes", "read_shapes_file", "validate_store"]
