"""A shape set's compiled checks as plain data: what the store's engine runs, and what a
write's check reads from a cache file instead of compiling the shapes again.

A :class:`Plan` holds, for every targeted shape the compiler translated
(:mod:`.compiled`), its checks — one SELECT per constraint, with what a row's result says: the
rule, severity, source shape, component, messages and path — and its SHACL-SPARQL
constraints (:mod:`.sparql`: the focus pattern and the query, run once with ``$this`` free or
once per focus node with the node written in), and every targeted shape's targets
(:meth:`Plan.reachable`). It is made from a shape set (:attr:`.shapes.ShapeSet.plan`) and runs
on a store with pyoxigraph alone: the shapes it leaves to pyshacl are named
(:attr:`Plan.fallback`), and a run that meets a focus node it cannot write into a query says
so (:class:`NeedsFallback`); then the shape set does the whole check.

A plan is written as JSON (:meth:`Plan.to_json`; terms as ``["I", iri]``, ``["B", label]``,
``["L", lexical form, datatype, language]``), never pickled: a cache file is data, not code.
:func:`cached` keeps one per shape set in the user's cache directory
(:func:`claimledger.settings.cache_dir`), named by the SHA-256 of the shapes' texts and of
the validation code that compiled them, so that a process that writes once neither parses the
shapes nor loads rdflib. A cache file that is missing, unreadable, not this format or for
another key is ignored and written again; the plan is never trusted for more than its key.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath

import pyoxigraph as ox

from claimledger.errors import InputError
from claimledger.model import ntriples
from claimledger.validation.paths import Path
from claimledger.validation.results import ValidationReport, ValidationResult, short, text_of
from claimledger.validation.sparqltext import Template

#: Bumped when the JSON form changes.
FORMAT = 1
_SH = "http://www.w3.org/ns/shacl#"
_SPARQL_COMPONENT = ox.NamedNode(_SH + "SPARQLConstraintComponent")
_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
Messages = tuple[tuple[str, "str | None"], ...]


class NeedsFallback(Exception):
    """A focus node the query cannot be given (a blank node): the shape goes to pyshacl."""


def each(tasks: Sequence[Callable], workers: int) -> Iterator:
    """What each task returns, in order; the tasks started in order on ``workers`` threads
    when there is more than one (Oxigraph evaluates a query without holding the GIL), else
    each run when its result is asked for."""
    if workers <= 1 or len(tasks) <= 1:
        yield from (task() for task in tasks)
        return
    from concurrent.futures import ThreadPoolExecutor  # a write's check runs on one thread

    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(task) for task in tasks]
        for future in futures:
            yield future.result()


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SELECT whose rows are its validation results.

    ``?this`` is the focus node; ``value`` names the column holding ``sh:value`` (None when
    SHACL defines none); with ``path_column`` the row's ``?path`` is the result path.
    """

    query: str
    top: object
    component: ox.NamedNode
    value: str | None
    path_column: bool
    rule: str
    owner: str
    severity: ox.NamedNode
    source: object
    messages: Messages
    path: Path | None

    def result(self, row) -> ValidationResult:
        value = row[self.value] if self.value is not None else None
        path = Path.predicate(row["path"].value) if self.path_column else self.path
        return ValidationResult(
            focus_node=row["this"], result_severity=self.severity, source_shape=self.source,
            constraint_component=self.component, rule=self.rule, result_path=path,
            value_node=value, messages=self.messages, shape=self.owner, top=self.top)


@dataclass(frozen=True)
class Job:
    """A SHACL-SPARQL constraint of a shape, with the pattern of its focus nodes (``?this``)."""

    top: object
    focus: str
    keys: str
    rule: str
    owner: str
    severity: ox.NamedNode
    source: object
    path: Path | None
    constraint: object
    select: str
    free: bool
    deactivated: bool
    messages: Messages
    template: Template | None

    def run(self, store, focus: set | None) -> list[ValidationResult]:
        """The results of the constraint for the shape's focus nodes (those in ``focus`` when
        given), as SHACL 5.3.2 maps solutions to results.

        :raises NeedsFallback: for a blank focus node the query would need written in.
        :raises InputError: when a solution binds ``?failure`` to true (SHACL: a failure).
        """
        if self.deactivated:
            return []
        times: dict = {}  # a nested shape's focus node is validated once per outer focus node
        for r in store.query(f"SELECT DISTINCT ?this {self.keys} WHERE {{ {self.focus} }}"):
            times[r["this"]] = times.get(r["this"], 0) + 1
        nodes = [n for n in times if focus is None or n in focus]
        if not nodes:
            return []
        rows = []
        if self.free and focus is None:
            wanted = set(nodes)
            for row in store.query(self.select):
                this = _opt(row, "this")
                if this is not None and this in wanted:
                    rows.append((this, row))
        else:
            for n in sorted(nodes, key=str):
                text = self.template.fill({"this": _node_text(n)})
                rows.extend((n, row) for row in store.query(text))
        out = []
        for this, row in [(this, row) for this, row in rows for _ in range(times[this])]:
            if _opt(row, "failure") == _TRUE:
                raise InputError(f"shapes: the SPARQL constraint of {self.rule} "
                                 f"reported a failure for {this}")
            value, path, message = _opt(row, "value"), _opt(row, "path"), _opt(row, "message")
            result_path = Path.predicate(path.value) if isinstance(path, ox.NamedNode) else self.path
            if value is None and self.path is None:
                value = this
            if message is not None:
                messages = ((message.value, message.language or None),)
            else:
                messages = tuple((_fill(text, row), lang) for text, lang in self.messages)
            out.append(ValidationResult(
                focus_node=this, result_severity=self.severity, source_shape=self.source,
                constraint_component=_SPARQL_COMPONENT, rule=self.rule, result_path=result_path,
                value_node=value, messages=messages, source_constraint=self.constraint,
                shape=self.owner, top=self.top))
        return out


def _opt(row, name: str):
    try:
        return row[name]
    except (KeyError, IndexError, TypeError):
        return None


def _node_text(term) -> str:
    """A focus node in SPARQL syntax, for pre-binding."""
    if isinstance(term, ox.BlankNode):
        raise NeedsFallback(term)
    return str(term)


def _fill(message: str, row) -> str:
    def sub(m: re.Match[str]) -> str:
        value = _opt(row, m.group(1))
        return short(text_of(value)) if value is not None else m.group(0)
    return re.sub(r"\{[$?]([A-Za-z_][A-Za-z0-9_]*)\}", sub, message)


@dataclass(frozen=True)
class Plan:
    """What a shape set's engine runs (see the module's text)."""

    checks: tuple[Check, ...]
    jobs: tuple[Job, ...]
    #: Every targeted shape's node with its targets: ``(kind, term)``, kind the local name of
    #: the target property (``class``, ``node``, ``subjectsOf``, ``objectsOf``…).
    targets: tuple[tuple[object, tuple[tuple[str, object], ...]], ...]
    #: Targeted shapes the compiler leaves to pyshacl (their nodes).
    fallback: frozenset
    #: SHACL Advanced Features in the shapes: everything runs in pyshacl's advanced mode.
    advanced: bool = False

    @property
    def complete(self) -> bool:
        """Whether the engine alone checks every shape."""
        return not self.fallback and not self.advanced

    def reachable(self, store, focus: set) -> set:
        """The targeted shapes (their nodes) that can have one of the ``focus`` nodes as a
        focus node in ``store``: a shape none of them is a target of has no result for them,
        so a write's check need not run its queries. Decided from the targets and three
        lookups (the focus nodes' classes with their superclasses, the predicates they are
        subjects and objects of); a shape with a kind of target not read here is kept, and
        every shape when a focus node is a blank node (no query can be given one)."""
        if any(isinstance(f, ox.BlankNode) for f in focus):
            return {top for top, _targets in self.targets}
        values = " ".join(ntriples.term(f) for f in focus)
        classes = {r["c"] for r in store.query(
            f"SELECT DISTINCT ?c WHERE {{ VALUES ?f {{ {values} }} ?f <{_TYPE}>/<{_SUBCLASS}>* ?c }}")}
        subjects_of = {r["p"] for r in store.query(
            f"SELECT DISTINCT ?p WHERE {{ VALUES ?f {{ {values} }} ?f ?p ?o }}")}
        objects_of = {r["p"] for r in store.query(
            f"SELECT DISTINCT ?p WHERE {{ VALUES ?f {{ {values} }} ?s ?p ?f }}")}
        by_kind = {"class": classes, "subjectsOf": subjects_of, "objectsOf": objects_of,
                   "node": focus}
        return {top for top, targets in self.targets
                if any(kind not in by_kind or t in by_kind[kind] for kind, t in targets)}

    def run(self, store, focus: set | None, *, tops: set | None = None, workers: int = 1,
            progress: Callable[[], None] | None = None,
            rules: set[str] | None = None) -> tuple[list[ValidationResult], set]:
        """Run the checks and constraints on ``store``: the results for the ``focus`` nodes
        (pyoxigraph terms), or for all when None, and the targeted shapes found to need
        pyshacl (a blank focus node a constraint's query cannot be given).

        :param workers: queries run at once (a whole-ledger run uses every core; results
            come in the same order).
        :param tops: run only the checks of these targeted shapes (see :meth:`reachable`).
        :param rules: run only the checks of these rules (the results of the others left out).
        """
        checks = [c for c in self.checks if (tops is None or c.top in tops)
                  and (rules is None or c.rule in rules)]
        jobs = [j for j in self.jobs if (tops is None or j.top in tops)
                and (rules is None or j.rule in rules)]
        # The SHACL-SPARQL constraints are started first: on a whole ledger they are the
        # longest queries (one took a third of the time at 10,000 claims), and a long one
        # started last leaves the other cores idle while it runs.
        found = each([lambda j=j: _try(j.run, store, focus) for j in jobs]
                     + [lambda c=c: list(store.query(c.query)) for c in checks], workers)
        results: list[ValidationResult] = []
        needs: set = set()
        job_results = [next(found) for _ in jobs]
        for check in checks:
            results.extend(check.result(row) for row in next(found)
                           if focus is None or row["this"] in focus)
            if progress is not None:
                progress()
        for job, out in zip(jobs, job_results):
            if isinstance(out, NeedsFallback):
                needs.add(job.top)
            else:
                results.extend(out)
            if progress is not None:
                progress()
        return results, needs

    def validate(self, store, focus: set, *, full: Callable[[], object],
                 rules: set[str] | None = None) -> ValidationReport:
        """The results of the ``focus`` nodes (pyoxigraph terms) in ``store`` — a write's
        check — of every rule, or of ``rules`` (the others may be left out). When the engine
        alone cannot give them all (shapes left to pyshacl, a blank focus node), ``full()`` —
        the shape set — checks the whole of it instead."""
        if not focus:
            return ValidationReport()
        if self.complete:
            results, needs = self.run(store, focus, tops=self.reachable(store, focus),
                                      rules=rules)
            if not needs:
                return ValidationReport(sorted(results, key=ValidationResult.sort_key))
        return full().validate(None, focus=[text_of(f) for f in focus], sparql_store=store)

    # -- as JSON -------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {"format": FORMAT,
                "checks": [[c.query, _t(c.top), _t(c.component), c.value, c.path_column, c.rule,
                            c.owner, _t(c.severity), _t(c.source), c.messages, _p(c.path)]
                           for c in self.checks],
                "jobs": [[_t(j.top), j.focus, j.keys, j.rule, j.owner, _t(j.severity),
                          _t(j.source), _p(j.path), _t(j.constraint), j.select, j.free,
                          j.deactivated, j.messages, j.template.parts if j.template else None]
                         for j in self.jobs],
                "targets": [[_t(top), [[kind, _t(t)] for kind, t in targets]]
                            for top, targets in self.targets],
                "fallback": sorted(_t(t) for t in self.fallback),
                "advanced": self.advanced}

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        """The plan ``to_json`` wrote.

        :raises ValueError: if ``data`` is not such a plan.
        """
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a claimledger plan of this format")
        try:
            checks = tuple(
                Check(str(q), _term(top), _term(comp), value, bool(pc), str(rule), str(owner),
                      _term(sev), _term(src), _messages(msgs), _path(path))
                for q, top, comp, value, pc, rule, owner, sev, src, msgs, path in data["checks"])
            jobs = tuple(
                Job(_term(top), str(focus), str(keys), str(rule), str(owner), _term(sev),
                    _term(src), _path(path), _term(node), str(select), bool(free), bool(deact),
                    _messages(msgs), Template.from_parts(parts) if parts is not None else None)
                for (top, focus, keys, rule, owner, sev, src, path, node, select, free, deact,
                     msgs, parts) in data["jobs"])
            targets = tuple((_term(top), tuple((str(kind), _term(t)) for kind, t in ts))
                            for top, ts in data["targets"])
            return cls(checks, jobs, targets, frozenset(_term(t) for t in data["fallback"]),
                       bool(data["advanced"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a claimledger plan: {exc}") from None


def _t(term) -> list:
    if isinstance(term, ox.NamedNode):
        return ["I", term.value]
    if isinstance(term, ox.BlankNode):
        return ["B", term.value]
    return ["L", term.value, term.datatype.value, term.language]


def _term(data):
    kind, *rest = data
    if kind == "I":
        return ox.NamedNode(rest[0])
    if kind == "B":
        return ox.BlankNode(rest[0])
    if kind == "L":
        value, datatype, lang = rest
        return (ox.Literal(value, language=lang) if lang
                else ox.Literal(value, datatype=ox.NamedNode(datatype)))
    raise ValueError(f"not a term: {data!r}")


def _p(path: Path | None):
    return None if path is None else [path.kind, path.iri, [_p(s) for s in path.steps]]


def _path(data) -> Path | None:
    if data is None:
        return None
    kind, iri, steps = data
    return Path(str(kind), iri=iri, steps=tuple(_path(s) for s in steps))


def _messages(data) -> Messages:
    return tuple((str(text), lang) for text, lang in data)


def _try(fn, *args):
    try:
        return fn(*args)
    except NeedsFallback as exc:
        return exc


# -- the cache between processes -----------------------------------------------------------

def _code_digest() -> str:
    """What identifies the code that compiles shapes: every module of this package and of
    :mod:`claimledger.model` (size and modification time: reading their stat is cheaper
    than their text, and an installed or edited module changes one or the other)."""
    h = hashlib.sha256(f"pyoxigraph {ox.__version__}\n".encode())
    here = FilePath(__file__).resolve().parent
    for folder in (here, here.parent / "model"):
        for path in sorted(folder.glob("*.py")):
            st = path.stat()
            h.update(f"{folder.name}/{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def key(texts: Iterable[tuple[str, str]]) -> str:
    """The cache key of a shape set: its ``(name, turtle)`` texts and the code."""
    h = hashlib.sha256(f"claimledger-plan {FORMAT}\n{_code_digest()}\n".encode())
    for name, text in texts:
        h.update(hashlib.sha256(name.encode()).digest())
        h.update(hashlib.sha256(text.encode()).digest())
    return h.hexdigest()


def cached(texts: Sequence[tuple[str, str]], build: Callable[[], Plan], *,
           folder: FilePath | None) -> Plan:
    """The plan of the shape set of ``texts``: read from ``folder`` when a file for its key is
    there, else ``build()`` and written there for the next process (no folder: built)."""
    if folder is None:
        return build()
    name = key(texts)
    path = folder / f"plan-{name}.json"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            data = json.loads(fh.read())
        if data.get("key") == name:
            return Plan.from_json(data["plan"])
    except (OSError, ValueError, AttributeError, KeyError):
        pass  # none yet, or not one this code wrote: made again below
    plan = build()
    _write(folder, path, {"key": name, "plan": plan.to_json()})
    return plan


def _write(folder: FilePath, path: FilePath, data: dict) -> None:
    """Write the cache file whole or not at all (a temporary file renamed over it); a cache
    that cannot be written only costs the next process the compilation."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        import tempfile  # only when the plan is written (tempfile loads shutil, bz2, lzma…)

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".plan-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
