"""The vocabulary: namespaces, the terms claimledger writes, and its SKOS concept schemes.

Every IRI the code uses is defined here once; ``ontology/claimledger.ttl`` documents them.
The concept schemes map the short tokens users type (``B``, ``3``, ``high``, ``supports``)
to concept IRIs and back.

>>> Reliability.iri("B").value
'https://w3id.org/claimledger#reliability-B'
>>> Reliability.token(Reliability.iri("B"))
'B'
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

CL = "https://w3id.org/claimledger#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS = "http://purl.org/dc/terms/"
CITO = "http://purl.org/spar/cito/"
NPX = "http://purl.org/nanopub/x/"

#: Prefixes every ledger knows, in addition to those declared with ``prefix add``.
STANDARD_PREFIXES: dict[str, str] = {
    "cl": CL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "prov": PROV,
    "oa": OA,
    "schema": SCHEMA,
    "skos": SKOS,
    "sh": SH,
    "owl": OWL,
    "dcterms": DCTERMS,
}


def _nn(ns: str, local: str) -> NamedNode:
    return NamedNode(ns + local)


# rdf / rdfs / xsd
TYPE = _nn(RDF, "type")
SUBJECT = _nn(RDF, "subject")
PREDICATE = _nn(RDF, "predicate")
OBJECT = _nn(RDF, "object")
LABEL = _nn(RDFS, "label")
XSD_STRING = _nn(XSD, "string")
XSD_BOOLEAN = _nn(XSD, "boolean")
XSD_INTEGER = _nn(XSD, "integer")
XSD_DATE = _nn(XSD, "date")
XSD_DATETIME = _nn(XSD, "dateTime")
XSD_ANYURI = _nn(XSD, "anyURI")
RDF_LANGSTRING = _nn(RDF, "langString")

# PROV-O
PROV_ENTITY = _nn(PROV, "Entity")
PROV_AGENT = _nn(PROV, "Agent")
PROV_ACTIVITY = _nn(PROV, "Activity")
WAS_DERIVED_FROM = _nn(PROV, "wasDerivedFrom")
HAD_PRIMARY_SOURCE = _nn(PROV, "hadPrimarySource")
WAS_ATTRIBUTED_TO = _nn(PROV, "wasAttributedTo")
GENERATED_AT_TIME = _nn(PROV, "generatedAtTime")
WAS_ASSOCIATED_WITH = _nn(PROV, "wasAssociatedWith")
STARTED_AT_TIME = _nn(PROV, "startedAtTime")
WAS_REVISION_OF = _nn(PROV, "wasRevisionOf")

# Web Annotation
TEXT_QUOTE_SELECTOR = _nn(OA, "TextQuoteSelector")
HAS_SELECTOR = _nn(OA, "hasSelector")
EXACT = _nn(OA, "exact")
PREFIX = _nn(OA, "prefix")
SUFFIX = _nn(OA, "suffix")

# schema.org
TEXT = _nn(SCHEMA, "text")
NAME = _nn(SCHEMA, "name")
URL = _nn(SCHEMA, "url")
DATE_PUBLISHED = _nn(SCHEMA, "datePublished")
DESCRIPTION = _nn(SCHEMA, "description")
RATING_VALUE = _nn(SCHEMA, "ratingValue")
BEST_RATING = _nn(SCHEMA, "bestRating")
WORST_RATING = _nn(SCHEMA, "worstRating")

# SKOS
SKOS_CONCEPT = _nn(SKOS, "Concept")
SKOS_CONCEPT_SCHEME = _nn(SKOS, "ConceptScheme")
IN_SCHEME = _nn(SKOS, "inScheme")
PREF_LABEL = _nn(SKOS, "prefLabel")
ALT_LABEL = _nn(SKOS, "altLabel")
NOTATION = _nn(SKOS, "notation")
DEFINITION = _nn(SKOS, "definition")

# CiTO and nanopublication extensions: what a verdict cites, what supersedes what
CITES_AS_EVIDENCE = _nn(CITO, "citesAsEvidence")
SUPERSEDES = _nn(NPX, "supersedes")

# SHACL prefix declarations
SH_DECLARE = _nn(SH, "declare")
SH_PREFIX = _nn(SH, "prefix")
SH_NAMESPACE = _nn(SH, "namespace")
SH_PREFIX_DECLARATION = _nn(SH, "PrefixDeclaration")

# claimledger classes
CLAIM = _nn(CL, "Claim")
SOURCE = _nn(CL, "Source")
EVIDENCE = _nn(CL, "Evidence")
VERDICT = _nn(CL, "Verdict")
RETRACTION = _nn(CL, "Retraction")
DISCREDITING = _nn(CL, "Discrediting")
EVENT = _nn(CL, "Event")
LEDGER = _nn(CL, "Ledger")
POLICY = _nn(CL, "Policy")
VERDICT_SCALE = _nn(CL, "VerdictScale")
CASE = _nn(CL, "Case")

# claimledger properties
CONFIDENCE = _nn(CL, "confidence")
STATUS = _nn(CL, "status")
INDEPENDENT_ORIGINS = _nn(CL, "independentOrigins")
SUPPORT_ORIGIN = _nn(CL, "supportOrigin")
VERDICT_LINK = _nn(CL, "verdict")
KIND = _nn(CL, "kind")
ANONYMOUS = _nn(CL, "anonymous")
ANONYMITY_JUSTIFICATION = _nn(CL, "anonymityJustification")
IDENTITY_KNOWN_TO = _nn(CL, "identityKnownTo")
RELIABILITY = _nn(CL, "reliability")
DISCREDITED = _nn(CL, "discredited")
CLAIM_LINK = _nn(CL, "claim")
SOURCE_LINK = _nn(CL, "source")
STANCE = _nn(CL, "stance")
LOCATOR = _nn(CL, "locator")
CREDIBILITY = _nn(CL, "credibility")
ORIGIN = _nn(CL, "origin")
COUNTS = _nn(CL, "counts")
RETRACTION_LINK = _nn(CL, "retraction")
ABOUT = _nn(CL, "about")
VERDICT_VALUE = _nn(CL, "verdictValue")
REASON = _nn(CL, "reason")
SEQUENCE = _nn(CL, "sequence")
COMMAND = _nn(CL, "command")
ARGUMENTS = _nn(CL, "arguments")
PREVIOUS_EVENT = _nn(CL, "previousEvent")
HASH = _nn(CL, "hash")
ADDED_GRAPH = _nn(CL, "addedGraph")
REMOVED_GRAPH = _nn(CL, "removedGraph")
AFFECTED = _nn(CL, "affected")
HEAD = _nn(CL, "head")
SHAPES = _nn(CL, "shapes")
FORMAT_VERSION = _nn(CL, "formatVersion")
RATING = _nn(CL, "rating")
NORMALISED_RATING = _nn(CL, "normalisedRating")
SCALE_NAME = _nn(CL, "scaleName")
DEFAULT_SCALE = _nn(CL, "defaultScale")
IN_CASE = _nn(CL, "inCase")
# Materialised for the reports (claimledger.rules.materialised): kept on every write.
MATERIALISED = _nn(CL, "materialised")
NEWEST_EVIDENCE = _nn(CL, "newestEvidence")
COUNTED_EVIDENCE = _nn(CL, "countedEvidence")
TALLY_STATUS = _nn(CL, "tallyStatus")
TALLY_CONFIDENCE = _nn(CL, "tallyConfidence")
TALLY_CLAIMS = _nn(CL, "tallyClaims")
ORIGIN_SUPPORT = _nn(CL, "originSupport")
SUPPORT_FROM = _nn(CL, "supportFrom")
SUPPORT_REPORTS = _nn(CL, "supportReports")
CARRIED_BY = _nn(CL, "carriedBy")
REPORT_COUNT = _nn(CL, "reportCount")
REPORT_LIST = _nn(CL, "reportList")
SUPPORT_ORIGIN_LIST = _nn(CL, "supportOriginList")
#: The built-in verdict scale (its concepts are ``cl:verdict-<token>``, see :data:`Verdict`).
BUILTIN_SCALE = _nn(CL, "VerdictScheme")

# Source capture: snapshots, captures and quotes pinned to them (records/snapshots.py)
SNAPSHOT = _nn(CL, "Snapshot")
CAPTURE = _nn(CL, "Capture")
EXTRACTED_TEXT = _nn(CL, "ExtractedText")
ANCHOR = _nn(CL, "Anchor")
CAPTURE_LINK = _nn(CL, "capture")
LAST_CAPTURE = _nn(CL, "lastCapture")
CURRENT_SNAPSHOT = _nn(CL, "currentSnapshot")
SNAPSHOT_LINK = _nn(CL, "snapshot")
OUTCOME = _nn(CL, "outcome")
REQUESTED_URL = _nn(CL, "requestedUrl")
FINAL_URL = _nn(CL, "finalUrl")
HTTP_STATUS = _nn(CL, "httpStatus")
CONTENT_TYPE = _nn(CL, "contentType")
SHA256 = _nn(CL, "sha256")
BYTE_SIZE = _nn(CL, "byteSize")
REDIRECTS = _nn(CL, "redirects")
FAILURE = _nn(CL, "failure")
WARC_FILE = _nn(CL, "warcFile")
WARC_RECORD = _nn(CL, "warcRecord")
FILE_SHA256 = _nn(CL, "fileSha256")
TEXT_LINK = _nn(CL, "extractedText")
TEXT_FILE = _nn(CL, "textFile")
TEXT_LENGTH = _nn(CL, "textLength")
EXTRACTOR = _nn(CL, "extractor")
EXTRACTOR_VERSION = _nn(CL, "extractorVersion")
ANCHOR_LINK = _nn(CL, "anchor")
ANCHOR_STATUS = _nn(CL, "anchorStatus")
QUOTE_STATUS = _nn(CL, "quoteStatus")
OCCURRENCE = _nn(CL, "occurrence")
ENDED_AT_TIME = _nn(PROV, "endedAtTime")
WAS_GENERATED_BY = _nn(PROV, "wasGeneratedBy")
SPECIFIC_RESOURCE = _nn(OA, "SpecificResource")
TEXT_POSITION_SELECTOR = _nn(OA, "TextPositionSelector")
HAS_SOURCE = _nn(OA, "hasSource")
HAS_STATE = _nn(OA, "hasState")
TIME_STATE = _nn(OA, "TimeState")
CACHED_SOURCE = _nn(OA, "cachedSource")
SOURCE_DATE = _nn(OA, "sourceDate")
START = _nn(OA, "start")
END = _nn(OA, "end")

#: Properties whose values claimledger computes; imports drop them and recompute.
DERIVED_PROPERTIES = frozenset({STATUS, INDEPENDENT_ORIGINS, SUPPORT_ORIGIN, ORIGIN, COUNTS,
                                NEWEST_EVIDENCE, COUNTED_EVIDENCE, TALLY_STATUS,
                                TALLY_CONFIDENCE, TALLY_CLAIMS, ORIGIN_SUPPORT, SUPPORT_FROM,
                                SUPPORT_REPORTS, CARRIED_BY, REPORT_COUNT, REPORT_LIST,
                                SUPPORT_ORIGIN_LIST})


@dataclass(frozen=True)
class ConceptScheme:
    """A SKOS concept scheme whose concepts are ``cl:<stem>-<token>``.

    :param name: what the scheme grades, used in error messages ("reliability grade").
    :param stem: the local-name prefix of its concepts.
    :param tokens: the tokens users type, in scheme order.
    """

    name: str
    stem: str
    tokens: tuple[str, ...]

    def iri(self, token: str) -> NamedNode:
        """The concept IRI for ``token``.

        :raises KeyError: if ``token`` is not one of :attr:`tokens`.
        """
        if token not in self.tokens:
            raise KeyError(token)
        return NamedNode(f"{CL}{self.stem}-{token}")

    def token(self, iri: NamedNode) -> str:
        """The token of a concept IRI of this scheme.

        :raises KeyError: if ``iri`` is not a concept of this scheme.
        """
        head = f"{CL}{self.stem}-"
        value = iri.value
        if not value.startswith(head) or value[len(head):] not in self.tokens:
            raise KeyError(value)
        return value[len(head):]

    def find(self, node: object) -> str | None:
        """The token of ``node`` if it is a concept of this scheme, else None (any term, or None).

        >>> Confidence.find(Confidence.iri("high")), Confidence.find(None)
        ('high', None)
        """
        if not isinstance(node, NamedNode):
            return None
        try:
            return self.token(node)
        except KeyError:
            return None

    def label(self, node: object) -> str | None:
        """What to show for ``node``: its token, the value of a term outside the scheme (so
        that an unexpected value is seen, not hidden), or None for no value."""
        if node is None:
            return None
        found = self.find(node)
        return found if found is not None else getattr(node, "value", str(node))

    def parse(self, token: str, *, argument: str) -> NamedNode:
        """The concept IRI for a token a user typed.

        :raises InputError: naming ``argument`` and the valid tokens.
        """
        try:
            return self.iri(token)
        except KeyError:
            from claimledger.errors import InputError

            raise InputError(f"{token!r} is not a {self.name} (choose one of: "
                             f"{', '.join(self.tokens)})", argument=argument) from None

    def __contains__(self, token: object) -> bool:
        return token in self.tokens


Reliability = ConceptScheme("reliability grade", "reliability", ("A", "B", "C", "D", "E", "F"))
Credibility = ConceptScheme("credibility grade", "credibility", ("1", "2", "3", "4", "5", "6"))
Confidence = ConceptScheme("confidence level", "confidence", ("low", "moderate", "high"))
Stance = ConceptScheme("stance", "stance", ("supports", "contradicts"))
Status = ConceptScheme(
    "corroboration status",
    "status",
    ("unsourced", "single-source", "corroborated", "contested",
     "confirmed", "refuted", "mixed", "inconclusive", "retracted"),
)
SourceKind = ConceptScheme(
    "source kind",
    "kind",
    ("document", "person", "organization", "official-record", "media", "dataset"),
)

#: How a quote stands against its source's snapshots: found there (pinned), recorded without
#: being found (unverified), or no longer in the newest snapshot (orphaned).
QuoteStatus = ConceptScheme("quote status", "quote", ("pinned", "unverified", "orphaned"))
#: Whether a quote was found, exactly, in one snapshot.
AnchorStatus = ConceptScheme("anchor status", "anchor", ("found", "orphaned"))
#: What one capture of a source found, compared with the source's snapshot before it.
CaptureOutcome = ConceptScheme("capture outcome", "capture", ("new", "unchanged", "changed", "gone"))

#: The ratings of claimledger's own verdict scale (``cl:VerdictScheme``), in scale order.
Verdict = ConceptScheme(
    "rating",
    "verdict",
    ("true", "mostly-true", "half-true", "mostly-false", "false", "misleading",
     "missing-context", "unproven", "refuted", "retracted"),
)
#: The four values every rating is normalised to, as ClaimsKG normalises outlets' ratings.
Normalised = ConceptScheme("normalised rating", "normalised", ("true", "false", "mixture", "other"))

#: The statuses a verdict sets (the rest are derived from evidence). A rating sets the status
#: of its normalised value (:data:`NORMALISED_STATUS`); claimledger's own ``retracted`` rating
#: sets ``retracted``.
VERDICTS = ("confirmed", "refuted", "mixed", "inconclusive", "retracted")
NORMALISED_STATUS = {"true": "confirmed", "false": "refuted", "mixture": "mixed",
                     "other": "inconclusive"}
#: Reliability grades and credibility grades that make contradicting evidence credible.
CREDIBLE_RELIABILITY = frozenset({"A", "B", "C"})
CREDIBLE_CREDIBILITY = frozenset({"1", "2", "3"})

# -- schema.org ClaimReview and outlets' reviews (interchange/claimreview*.py) ----------------
# (ratings, scales and the normalised ratings are above, with the verdicts.)
CLAIM_REVIEW = _nn(SCHEMA, "ClaimReview")
APPEARANCE = _nn(SCHEMA, "appearance")
FIRST_APPEARANCE = _nn(SCHEMA, "firstAppearance")
AUTHOR = _nn(SCHEMA, "author")
ALTERNATE_NAME = _nn(SCHEMA, "alternateName")
#: An outlet's review of a claim, imported from ClaimReview (a ``schema:ClaimReview``).
REVIEW = _nn(CL, "Review")
REVIEW_SOURCE = _nn(CL, "reviewSource")
REVIEW_EVIDENCE = _nn(CL, "evidence")
RATING_TEXT = _nn(CL, "ratingText")
RATING_MAPPING = _nn(CL, "ratingMapping")
#: The placeholder predicate of a claim recorded from a statement alone, whose triple the
#: analyst has yet to give (``claim revise``): ``<claim> cl:untriaged "statement"``.
UNTRIAGED = _nn(CL, "untriaged")

# -- signing (claimledger.signing): public keys, event signatures, signed bundles -------------
#: A public key recorded in the ledger as an agent's (``<base>key/KEYID``).
PUBLIC_KEY = _nn(CL, "PublicKey")
#: A public key of the server that signs the web page's writes on its users' behalf.
SERVER_KEY = _nn(CL, "ServerKey")
#: A claim with its evidence and sources, signed, in a file a reader checks alone.
SIGNED_BUNDLE = _nn(CL, "SignedBundle")
KEY_OF = _nn(CL, "keyOf")
KEY_ID = _nn(CL, "keyId")
PUBLIC_KEY_VALUE = _nn(CL, "publicKey")
KEY_ALGORITHM = _nn(CL, "keyAlgorithm")
REPLACES_KEY = _nn(CL, "replacesKey")
INVALIDATED_AT_TIME = _nn(PROV, "invalidatedAtTime")
SIGNATURE = _nn(CL, "signature")
SIGNED_WITH = _nn(CL, "signedWith")
SIGNATURE_ALGORITHM = _nn(CL, "signatureAlgorithm")
SIGNING_REQUIRED = _nn(CL, "signingRequired")
BUNDLE_OF = _nn(CL, "bundleOf")
FROM_LEDGER = _nn(CL, "fromLedger")
LEDGER_HEAD = _nn(CL, "ledgerHead")
CANONICALIZATION = _nn(CL, "canonicalization")
#: The signature triples of an event (in the audit graph, beside ``cl:hash``, outside what
#: the event's hash covers).
SIGNATURE_PROPERTIES = frozenset({SIGNATURE, SIGNED_WITH, SIGNATURE_ALGORITHM})
#: Properties of a key record: written only by ``claimledger key`` (claimledger.records.keys).
KEY_PROPERTIES = frozenset({KEY_OF, KEY_ID, PUBLIC_KEY_VALUE, KEY_ALGORITHM, REPLACES_KEY})
