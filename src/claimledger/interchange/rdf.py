"""Import and export: moving ledgers in and out as standard RDF.

Export writes the ledger as TriG or N-Quads (the current state in the default graph and the
audit trail in its named graphs), as Turtle (the current state only) or as JSON-LD.

Import reads Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML and records its triples as
one event, all or nothing:

* the file is size-bounded and parsed completely before anything is written; a syntax error
  anywhere writes nothing;
* JSON-LD remote ``@context`` documents are never fetched (a document that needs one is
  refused), and RDF/XML whose DTD declares entities or is external is refused outright;
* blank nodes are skolemised into IRIs under the ledger's base (``.well-known/genid/``), so
  that the audit trail stays canonical;
* what the file may add is decided by one rule, shared with the bulk path
  (:mod:`claimledger.interchange.admit`): records a user could record, prefixes checked as
  ``prefix add`` checks them, descriptions in the user's own vocabularies; anything on the
  ledger node, in its audit trail, among its key records or in any named graph is refused
  naming the first offending quad (keys change only through ``claimledger key``); derived
  facts are dropped and re-derived; a ledger export's own node, key records and audit trail
  are left out, never merged;
* the imported claims, evidence and sources are checked with the sourcing rules like any write;
* a policy in the file (``cl:Policy`` with its ``cl:shapes`` text) is checked as ``policy add``
  checks one (it must parse and be SHACL claimledger can run) and, like ``policy add``, is
  enforced from the next write on;
* a file that adds nothing the ledger does not already hold is recorded as nothing (no event).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, RdfFormat, Triple

from claimledger.model import vocab as V
from claimledger.records.prefixes import check_prefix, prefix_triples
from claimledger.store.memory import MemoryStore
from claimledger.errors import InputError
from claimledger.interchange.admit import Admission, canonical_object
from claimledger.interchange.ordered import ordered_store
from claimledger.core.ledger import LedgerCore
from claimledger.core.transaction import WriteResult

#: Files larger than this go through the bulk path (:mod:`claimledger.bulk`): loaded into a
#: staging copy of the store by Oxigraph's bulk loader, re-derived and validated as a whole,
#: and swapped in — instead of one update. Measured here on 1,000 generated claims (3.9 MB):
#: 2.9 s of CPU by the bulk path, 14.6 s by the ordinary write path.
BULK_BYTES = 1024 * 1024
BULK_FORMATS = (RdfFormat.N_TRIPLES, RdfFormat.N_QUADS, RdfFormat.TURTLE, RdfFormat.TRIG)

#: Largest file ``import`` reads unless told otherwise (``--max-size``).
MAX_IMPORT_BYTES = 256 * 1024 * 1024

EXPORT_FORMATS = {
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
    "turtle": RdfFormat.TURTLE,
    "jsonld": RdfFormat.JSON_LD,
}

IMPORT_EXTENSIONS = {
    ".ttl": RdfFormat.TURTLE,
    ".turtle": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".nquads": RdfFormat.N_QUADS,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
}
IMPORT_FORMATS = {
    "turtle": RdfFormat.TURTLE, "trig": RdfFormat.TRIG, "ntriples": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS, "jsonld": RdfFormat.JSON_LD, "rdfxml": RdfFormat.RDF_XML,
}

def export(ledger: LedgerCore, output: io.BufferedIOBase, *, fmt: str = "trig") -> None:
    """Write the ledger to ``output`` in ``fmt`` (trig, nquads, turtle, jsonld).

    ``turtle`` holds the current state only (Turtle has no named graphs); the others hold the
    audit trail too. Quads come in one canonical order (:mod:`.ordered`), so the same ledger
    exports to the same bytes from every store.

    :raises InputError: for an unknown format.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"{fmt!r} is not an export format (choose one of: "
                         f"{', '.join(EXPORT_FORMATS)})", argument="--format")
    rdf_format = EXPORT_FORMATS[fmt]
    prefixes = {k: v for k, v in ledger.prefixes.items()} if fmt in ("trig", "turtle") else None
    if fmt == "turtle":
        data = (q.triple for q in ordered_store(ledger.store, default_graph_only=True))
    else:
        data = ordered_store(ledger.store)
    ox.serialize(data, output, rdf_format, prefixes=prefixes)


def check_file(file: Path, *, fmt: str | None, max_bytes: int) -> tuple[RdfFormat, int]:
    """The RDF format of ``file`` (from ``fmt`` or its extension) and its size, checked.

    :raises InputError: for an unknown format, a missing file or one over ``max_bytes``.
    """
    if fmt is not None:
        if fmt not in IMPORT_FORMATS:
            raise InputError(f"{fmt!r} is not an import format (choose one of: "
                             f"{', '.join(IMPORT_FORMATS)})", argument="--input-format")
        rdf_format = IMPORT_FORMATS[fmt]
    else:
        rdf_format = IMPORT_EXTENSIONS.get(file.suffix.lower())
        if rdf_format is None:
            raise InputError(f"cannot tell the RDF format of {file.name!r} from its extension; "
                             "give --input-format", argument="FILE")
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read {str(file)!r}: {exc.strerror}", argument="FILE") from None
    if not file.is_file():
        raise InputError(f"{str(file)!r} is not a file", argument="FILE")
    if size > max_bytes:
        raise InputError(f"{file.name!r} is {size:,} bytes; imports are limited to {max_bytes:,} "
                         "(raise the limit with --max-size)", argument="FILE")
    return rdf_format, size


def read_file(path: str | os.PathLike[str], *, fmt: str | None = None,
              max_bytes: int = MAX_IMPORT_BYTES) -> tuple[list[ox.Quad], RdfFormat, str]:
    """Parse an RDF file completely, refusing what claimledger cannot take.

    :returns: the quads, the format, and the file's SHA-256.
    :raises InputError: for a missing, oversized or malformed file, an unknown format, a
        remote JSON-LD context, or RDF 1.2 triple terms.
    """
    file = Path(path)
    rdf_format, _size = check_file(file, fmt=fmt, max_bytes=max_bytes)
    try:
        with open(file, "rb") as fh:  # read no more than allowed, whatever stat said
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {str(file)!r}: {exc.strerror}", argument="FILE") from None
    if len(data) > max_bytes:
        raise InputError(f"{file.name!r} is over {max_bytes:,} bytes; imports are limited to that "
                         "(raise the limit with --max-size)", argument="FILE")
    digest = hashlib.sha256(data).hexdigest()
    if rdf_format == RdfFormat.RDF_XML:
        _check_xml_dtd(data, file.name)
    if rdf_format == RdfFormat.JSON_LD:
        _check_json_depth(data, file.name)
    try:
        quads = list(ox.parse(data, rdf_format, base_iri=None))
    except SyntaxError as exc:
        message = str(exc)
        if "LoadDocumentCallback" in message or "remote context" in message.lower():
            raise InputError(f"{file.name!r} names a remote JSON-LD @context; claimledger never "
                             "fetches contexts from the network — inline the context in the file",
                             argument="FILE") from None
        raise InputError(f"{file.name!r} is not valid {rdf_format.name}: {message}",
                         argument="FILE") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{file.name!r} cannot be read as {rdf_format.name}: {exc}",
                         argument="FILE") from None
    except MemoryError as exc:  # Oxigraph's parsers refuse a token over their buffer limit
        raise InputError(f"{file.name!r} holds a term too large to read ({exc})",
                         argument="FILE") from None
    for q in quads:
        if isinstance(q.object, ox.Triple) or isinstance(q.subject, ox.Triple):
            raise InputError(f"{file.name!r} uses RDF 1.2 triple terms, which a ledger cannot hold "
                             "(rdflib and pyshacl do not read them)", argument="FILE")
    return quads, rdf_format, digest


#: Deepest nesting of JSON objects and arrays a JSON-LD import may have. Oxigraph's JSON-LD
#: parser recurses on nested objects: about 4,000 levels overflow an 8 MiB stack and kill the
#: process (SIGSEGV) — a 200 KB file was enough.
MAX_JSON_DEPTH = 256
_JSON_TOKEN_RE = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _check_json_depth(data: bytes, name: str) -> None:
    """Refuse a JSON-LD document nested deeper than :data:`MAX_JSON_DEPTH`."""
    depth = 0
    for m in _JSON_TOKEN_RE.finditer(data):
        c = m.group()[0]
        if c in b"[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise InputError(f"{name!r} nests JSON objects or arrays more than {MAX_JSON_DEPTH} "
                                 "deep; claimledger refuses it rather than risk the parser",
                                 argument="FILE")
        elif c in b"]}":
            depth -= 1


class _Stop(Exception):
    """Raised inside the XML prolog check: what was found (None: the prolog is fine)."""


def _check_xml_dtd(data: bytes, name: str) -> None:
    """Refuse RDF/XML whose document type declaration declares entities, or names an
    external DTD — outright, as defusedxml does, rather than counting what they expand to.

    The prolog is read with expat (entity declarations inside comments or processing
    instructions are no declarations), and reading stops at the root element.
    Oxigraph's RDF/XML parser expands internal entities, nested ones included: ten nested
    declarations in a 600-byte file ask it for 10 GB and abort the process.

    :raises InputError: for an entity declaration, an external DTD, or a prolog that is not
        well-formed XML.
    """
    import xml.parsers.expat as expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def entity(entity_name, *args) -> None:
        raise _Stop(f"declares the XML entity {entity_name!r}")

    def doctype(doctype_name, system_id, public_id, has_internal_subset) -> None:
        if system_id or public_id:
            raise _Stop(f"names an external DTD ({system_id or public_id!r})")

    def root(*args) -> None:
        raise _Stop(None)

    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        parser.Parse(data, True)
    except _Stop as found:
        if found.args[0] is None:
            return
        raise InputError(f"{name!r} {found.args[0]} in its DTD; claimledger refuses RDF/XML whose "
                         "DTD declares entities or is external, outright — write the values in "
                         "place of the &name; references", argument="FILE") from None
    except expat.ExpatError as exc:
        raise InputError(f"{name!r} is not well-formed XML ({expat.ErrorString(exc.code)}, "
                         f"line {exc.lineno})", argument="FILE") from None


def import_file(ledger: LedgerCore, path: str | os.PathLike[str], *, fmt: str | None = None,
                max_bytes: int = MAX_IMPORT_BYTES, reason: str | None = None,
                progress: Callable[[int, int], None] | None = None) -> WriteResult:
    """Record the triples of an RDF file in the ledger as one event (see the module doc).

    :param progress: called with ``(done, total)`` steps of a big file's import (its phases:
        :data:`claimledger.interchange.bulk.PHASES`); a small file is one quick write.

    :raises InputError: for a bad file (nothing is written).
    :raises RuleViolation: if the imported data breaks a sourcing rule (nothing is written).
    """
    rdf_format, size = check_file(Path(path), fmt=fmt, max_bytes=max_bytes)
    if size > BULK_BYTES and rdf_format in BULK_FORMATS:
        from claimledger.interchange.bulk import bulk_import

        arguments = {"file": Path(path).name, "sha256": _sha256(path), "format": rdf_format.name}
        return bulk_import(ledger, path, rdf_format, arguments=arguments, reason=reason,
                           progress=progress)
    ledger.check_writable(reason)
    quads, rdf_format, digest = read_file(path, fmt=fmt, max_bytes=max_bytes)
    name = Path(path).name
    default = _skolemised(ledger, (q for q in quads if isinstance(q.graph_name, DefaultGraph)),
                          name)
    admission = Admission(ledger, MemoryStore(default), name)
    admission.check_graphs(
        {q.graph_name for q in quads if not isinstance(q.graph_name, DefaultGraph)},
        first_quad=lambda g: next(q for q in quads if q.graph_name == g))
    admitted = list(admission.admit(default))
    prefixes = admission.check_prefixes(
        lambda n, ns: check_prefix(ledger, n, ns, name_argument="FILE", iri_argument="FILE"))
    for prefix, namespace in sorted(prefixes.items()):
        admitted.extend(prefix_triples(ledger, prefix, namespace))
    triples = [t for t in admitted
               if not any(True for _ in ledger.store.triples(t.subject, t.predicate,
                                                             t.object))]
    if not triples:
        return WriteResult.nothing_written(ledger, admission.notes())
    arguments = {"file": name, "sha256": digest, "format": rdf_format.name,
                 "triples": len(triples)}
    from claimledger.records.policies import check_imported

    has_policies = check_imported(
        ledger, ((t.subject, t.object) for t in triples if t.predicate == V.SHAPES), name)
    with ledger.transaction("import", arguments, reason=reason) as tx:
        tx.invalidates_shapes = has_policies
        sources: set[NamedNode] = set()
        for t in triples:
            tx.add(t.subject, t.predicate, t.object)
            if t.predicate == V.TYPE and t.object == V.CLAIM:
                tx.claims.add(t.subject)
            elif t.predicate == V.TYPE and t.object == V.SOURCE:
                sources.add(t.subject)
            elif t.predicate == V.CLAIM_LINK and isinstance(t.object, NamedNode):
                tx.claims.add(t.object)
            elif t.predicate == V.WAS_DERIVED_FROM and isinstance(t.subject, NamedNode):
                sources.add(t.subject)
        for source in sources:
            tx.claims |= ledger.claims_reaching(source)
        tx.extra_focus |= {t.subject for t in triples if isinstance(t.subject, NamedNode)}
    ledger.prefixes.update(prefixes)
    tx.result.notes = admission.notes()
    return tx.result


def _sha256(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _skolemised(ledger: LedgerCore, quads: Iterable[ox.Quad], name: str) -> list[Triple]:
    """The triples of ``quads`` with their blank nodes replaced by IRIs under the ledger's base
    (``.well-known/genid/<random>/N``) and their literals in canonical form, in the file's order.

    :raises InputError: for a literal not valid for its datatype (:func:`.canonical_object`).
    """
    skolem: dict[str, NamedNode] = {}
    genid = f"{ledger.base}.well-known/genid/{uuid.uuid4().hex}/"

    def fix(term):
        if isinstance(term, BlankNode):
            node = skolem.get(term.value)
            if node is None:
                node = skolem[term.value] = NamedNode(genid + str(len(skolem) + 1))
            return node
        return term

    return [Triple(fix(q.subject), q.predicate,
                   fix(q.object) if isinstance(q.object, BlankNode) else canonical_object(q, name))
            for q in quads]
