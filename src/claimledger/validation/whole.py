"""Validating a whole store: every compiled check and SHACL-SPARQL constraint as one query over
the store, run on every core; pyshacl, for the shapes the compiler leaves to it, over a copy of
the whole store (so that it sees every focus node its targets select, subject or not, and
everything their paths reach)."""

from __future__ import annotations

from collections.abc import Callable

from claimledger.validation.results import ValidationReport, ValidationResult
from claimledger.validation.shapes import ShapeSet
from claimledger.validation.support import WORKERS

Progress = Callable[[int, int], None]

def validate_store(store, shapes: ShapeSet, *, progress: Progress | None = None) -> ValidationReport:
    """Validate every node of the data in ``store``'s default graph against ``shapes``.

    The results are those :meth:`ShapeSet.validate` gives for a graph of the same triples,
    in the same order. Shapes the compiler cannot translate (``shapes.plan.fallback``) are
    checked by pyshacl over an rdflib copy of the store: that costs memory in proportion to
    the store (about 1 GB per million triples).

    :param progress: called with ``(done, total)`` steps as they finish.
    """
    plan = shapes.plan
    total = len(plan.checks) + len(plan.jobs) + 1
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    results = shapes._run(store, None, None, back={}, workers=WORKERS, progress=step)
    step()
    return ValidationReport(sorted(results, key=ValidationResult.sort_key))
