"""SHACL validation: shape sets (:mod:`.shapes`) read from shapes graphs (:mod:`.definitions`,
:mod:`.paths`), typed results (:mod:`.results`), SHACL Core compiled to SPARQL
(:mod:`.compiled`), SHACL-SPARQL constraints (:mod:`.sparql`, :mod:`.sparqltext`), what the
store's engine runs as plain data, cached between processes (:mod:`.plan`), XSD lexical
spaces (:mod:`.xsd`), pyshacl for what the compiler leaves (:mod:`.fallback`), and whole-store
runs (:mod:`.whole`).

The names below are loaded when first used: reading shapes needs rdflib, running a cached
plan (a write's check) does not.
"""

from importlib import import_module

_WHERE = {"SEVERITIES": "results", "ValidationReport": "results", "ValidationResult": "results",
          "SHAPES_NS": "shapes", "ShapeSet": "shapes", "parse_shapes": "shapes",
          "read_shapes_file": "shapes", "validate_store": "whole"}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f"claimledger.validation.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'claimledger.validation' has no attribute {name!r}")
