"""The nanopublication ecosystem's signature: RSA over its own normalisation, and trusty URIs.

Implemented from nanopub-java (``SignatureUtils``, ``TrustyNanopubUtils``) and trustyuri-java
(``RdfHasher``, ``RdfPreprocessor``, ``StatementComparator``), so that nanopub-java, the
nanopublication servers and the ``nanopub`` Python package check what claimledger signs.

**The normal form** of a set of quads, given an artifact code ``AC``: every IRI with ``AC``
replaced by one space; quads sorted by graph, subject, predicate (IRIs compared as Java
strings, i.e. by UTF-16 code units), then object (IRIs before literals; literals by lexical
form, then datatype — a language-tagged literal has none and comes first — then language tag
in lower case); duplicates dropped; each quad written as four lines::

    <graph IRI>\\n<subject IRI>\\n<predicate IRI>\\n<object>\\n

where an IRI object is its IRI, a literal ``@lang value`` (tag in lower case) or
``^datatype value`` (``xsd:string`` for a plain literal), its ``\\`` and line feeds escaped as
``\\\\`` and ``\\n``. Blank nodes are not allowed.

**Signing** a nanopublication with URI ``P + AC`` (claimledger writes ``P + AC`` for the
nanopublication and ``P + AC + "#Head"``, ``#assertion``, ``#provenance``, ``#pubinfo``,
``#sig`` for its parts, the form both the Java tools and the ``nanopub`` package read):

1. built with a random placeholder code; its pubinfo graph gets the signature element
   ``…#sig npx:hasSignatureTarget <nanopub> ; npx:hasPublicKey "base64 DER SPKI" ;
   npx:hasAlgorithm "RSA" ; npx:signedBy <agent>``;
2. **the signature covers every quad of the nanopublication — head, assertion, provenance,
   pubinfo, the signature element included — except the ``npx:hasSignature`` quad**, in the
   normal form above with the placeholder as ``AC``: RSA PKCS #1 v1.5 with SHA-256 of its UTF-8
   bytes; the signature is added as ``…#sig npx:hasSignature "base64"``;
3. the artifact code is ``"RA"`` + base64url (no padding) of the SHA-256 of the normal form of
   **every quad, the signature included**; it replaces the placeholder in every IRI.

Checking reverses it: the artifact code at the end of the nanopublication's URI must be the
hash of the normal form (with that code as ``AC``), and the signature must verify — its result
is looked at (the ``nanopub`` package's own check ignores it, and accepts any signature).
Differences from the ``nanopub`` package (2.0): it sorts strings by code point, not UTF-16
code units (they differ only between characters above U+FFFF and U+E000–U+FFFF), and it
misreads a nanopublication URI that contains ``RA`` before its artifact code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from collections.abc import Iterable

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad

from claimledger.errors import InputError
from claimledger.signing.keys import RSA, PublicKey, Signer
from claimledger.signing.trust import SignedCheck, TrustAnchors

NP = "http://www.nanopub.org/nschema#"
NPX = "http://purl.org/nanopub/x/"
NANOPUBLICATION = NamedNode(NP + "Nanopublication")
HAS_ASSERTION = NamedNode(NP + "hasAssertion")
HAS_PROVENANCE = NamedNode(NP + "hasProvenance")
HAS_PUBLICATION_INFO = NamedNode(NP + "hasPublicationInfo")
HAS_SIGNATURE_TARGET = NamedNode(NPX + "hasSignatureTarget")
HAS_PUBLIC_KEY = NamedNode(NPX + "hasPublicKey")
HAS_ALGORITHM = NamedNode(NPX + "hasAlgorithm")
HAS_SIGNATURE = NamedNode(NPX + "hasSignature")
SIGNED_BY = NamedNode(NPX + "signedBy")
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: trustyuri-java's pattern for the artifact code at the end of a URI.
TRUSTY_URI = re.compile(r"^(.*[^A-Za-z0-9\-_]|)([A-Za-z0-9\-_]{25,})(\.[A-Za-z0-9\-_.]{0,20})?$")
PARTS = ("Head", "assertion", "provenance", "pubinfo")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _iri(term, code: str) -> str:
    if isinstance(term, BlankNode):
        raise InputError("a nanopublication with blank nodes cannot be signed or checked")
    return term.value.replace(code, " ")


def _line(term, code: str) -> str:
    if isinstance(term, Literal):
        if term.language:
            return f"@{term.language.lower()} {_escape(term.value)}\n"
        return f"^{term.datatype.value} {_escape(term.value)}\n"
    return _iri(term, code) + "\n"


def _u16(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


def _key(q: Quad, code: str) -> tuple:
    g = None if isinstance(q.graph_name, DefaultGraph) else _u16(_iri(q.graph_name, code))
    o = q.object
    if isinstance(o, Literal):
        datatype = (0,) if o.language else (1, _u16(o.datatype.value))
        lang = (0,) if not o.language else (1, _u16(o.language.lower()))
        obj = (1, _u16(o.value), datatype, lang)
    else:
        obj = (0, _u16(_iri(o, code)))
    return ((0,) if g is None else (1, g), _u16(_iri(q.subject, code)),
            _u16(_iri(q.predicate, code)), obj)


def normal_form(quads: Iterable[Quad], code: str) -> str:
    """The nanopublication normal form of ``quads`` with artifact code ``code`` (module doc).

    :raises InputError: for a blank node.
    """
    out, previous = [], None
    for q in sorted(set(quads), key=lambda q: _key(q, code)):
        text = "".join(("\n" if isinstance(q.graph_name, DefaultGraph) else
                        _iri(q.graph_name, code) + "\n", _line(q.subject, code),
                        _line(q.predicate, code), _line(q.object, code)))
        if text != previous:
            out.append(text)
        previous = text
    return "".join(out)


def artifact_code(quads: Iterable[Quad], code: str) -> str:
    """The trusty artifact code (``RA`` + base64url of the SHA-256) of the normal form."""
    digest = hashlib.sha256(normal_form(quads, code).encode("utf-8")).digest()
    return "RA" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def placeholder() -> str:
    """A fresh placeholder artifact code (random, so it occurs in no other IRI)."""
    return "RA" + secrets.token_urlsafe(32)[:43]


def _replace(term, old: str, new: str):
    if isinstance(term, NamedNode) and old in term.value:
        return NamedNode(term.value.replace(old, new))
    return term


def sign(quads: list[Quad], np: NamedNode, code: str, signer: Signer,
         signed_by: NamedNode | None = None) -> tuple[list[Quad], NamedNode]:
    """Sign the nanopublication ``np`` (its quads built with placeholder ``code``, see
    :func:`placeholder`) and give it its trusty URI.

    :returns: the signed quads and the nanopublication's trusty URI.
    :raises InputError: for a key that is not RSA, or a blank node.
    """
    if signer.algorithm != RSA:
        raise InputError(f"nanopublications are signed with {RSA} keys (key create "
                         f"--algorithm RSA), not {signer.algorithm}")
    pubinfo = next(q.object for q in quads
                   if q.subject == np and q.predicate == HAS_PUBLICATION_INFO)
    sig = NamedNode(np.value + "#sig")
    element = [Quad(sig, HAS_SIGNATURE_TARGET, np, pubinfo),
               Quad(sig, HAS_PUBLIC_KEY, Literal(signer.public.base64), pubinfo),
               Quad(sig, HAS_ALGORITHM, Literal(RSA), pubinfo)]
    if signed_by is not None:
        element.append(Quad(sig, SIGNED_BY, signed_by, pubinfo))
    target = list(quads) + element
    signature = signer.sign(normal_form(target, code).encode("utf-8"))
    signed = target + [Quad(sig, HAS_SIGNATURE,
                            Literal(base64.b64encode(signature).decode("ascii")), pubinfo)]
    final = artifact_code(signed, code)
    out = [Quad(_replace(q.subject, code, final), _replace(q.predicate, code, final),
                _replace(q.object, code, final), _replace(q.graph_name, code, final))
           for q in signed]
    return out, NamedNode(np.value.replace(code, final))


def split(quads: list[Quad]) -> tuple[list[tuple[NamedNode, list[Quad]]], list[Quad]]:
    """The nanopublications in a dataset (each with the quads of its four graphs) and the
    quads that belong to none."""
    heads = [(q.subject, q.graph_name) for q in quads
             if q.predicate == RDF_TYPE and q.object == NANOPUBLICATION]
    by_graph: dict = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(q)
    found, used = [], set()
    for np, head in heads:
        graphs = [head] + [q.object for q in by_graph.get(head, []) if q.subject == np and
                           q.predicate in (HAS_ASSERTION, HAS_PROVENANCE, HAS_PUBLICATION_INFO)]
        mine = [q for g in dict.fromkeys(graphs) for q in by_graph.get(g, [])]
        used.update(dict.fromkeys(graphs))
        found.append((np, mine))
    rest = [q for q in quads if q.graph_name not in used]
    return found, rest


def check(np: NamedNode, quads: list[Quad], trust: TrustAnchors) -> SignedCheck:
    """Check one nanopublication: its trusty URI and its signature, with a key ``trust`` pins."""
    result = SignedCheck(kind="nanopublication", subject=np.value)
    if not isinstance(np, NamedNode):
        result.problems.append("the nanopublication is a blank node")
        return result
    m = TRUSTY_URI.match(np.value)
    code = m.group(2) if m else None
    if code is None or not code.startswith("RA") or len(code) != 45:
        result.problems.append("its URI carries no trusty artifact code (RA…): it is not signed")
        return result
    result.details["artifact code"] = code
    graphs = {q.graph_name for q in quads}
    if len(graphs) != 4 or any(not isinstance(g, NamedNode) or not g.value.startswith(np.value)
                               for g in graphs):
        result.problems.append("a signed nanopublication has four graphs under its own URI")
        return result
    try:
        if artifact_code(quads, code) != code:
            result.problems.append("its content does not hash to its trusty URI: it changed "
                                   "after it was published")
        elements = {q.subject for q in quads
                    if q.predicate == HAS_SIGNATURE_TARGET and q.object == np}
        if len(elements) != 1:
            result.problems.append(f"{len(elements)} signature elements (one expected)")
            return result
        sig = elements.pop()
        values: dict[NamedNode, list] = {}
        for q in quads:
            if q.subject == sig:
                values.setdefault(q.predicate, []).append(q)
        for p in (HAS_SIGNATURE, HAS_PUBLIC_KEY, HAS_ALGORITHM):
            if len(values.get(p, [])) != 1 or not isinstance(values[p][0].object, Literal):
                result.problems.append(f"its signature element has no single {p.value}")
                return result
        signers = values.get(SIGNED_BY, [])
        result.signer = signers[0].object.value if signers else None
        if values[HAS_ALGORITHM][0].object.value != RSA:
            result.problems.append(f"signed with {values[HAS_ALGORITHM][0].object.value}; "
                                   f"claimledger checks {RSA} signatures")
            return result
        public = PublicKey.from_base64(values[HAS_PUBLIC_KEY][0].object.value,
                                       what="nanopublication's public key")
        result.key_id = public.key_id
        signature_quad = values[HAS_SIGNATURE][0]
        signature = base64.b64decode("".join(signature_quad.object.value.split()), validate=True)
        covered = [q for q in quads if q != signature_quad]
        if public.algorithm != RSA or not public.verify(signature,
                                                        normal_form(covered, code).encode("utf-8")):
            result.problems.append(f"its signature does not verify with its key {public.key_id}")
        if not trust.trusts(public):
            result.problems.append(f"signed with key {public.key_id}, which is not a key you "
                                   "trust (pass the signer's public key with --key)")
    except InputError as exc:
        result.problems.append(exc.message)
    except (binascii.Error, ValueError):
        result.problems.append("its signature is not base64")
    return result
