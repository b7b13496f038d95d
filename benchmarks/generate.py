"""Write a realistic synthetic claimledger ledger of N claims as N-Triples.

The file holds a complete, valid ledger state as claimledger records it (everything in the
default graph): the ledger node, agents, sources of every kind with a share of anonymous ones,
derivation chains one to four hops deep, wire stories reprinted by several outlets (circular
reporting), claims, evidence with quotes or locators, contradicting evidence, evidence
retractions and verdicts. Derived facts (``cl:status``, ``cl:independentOrigins``,
``cl:supportOrigin``, ``cl:origin``, ``cl:counts``) are left out: ``claimledger import`` drops
and re-derives them. Confidences are chosen within what the sourcing rules allow once the
claim is derived (corroboration is computed with claimledger's own pure rules).

The output is deterministic for a seed and written as a stream: memory stays flat however
many claims are asked for (sources are laid out in groups whose properties are recomputed
from the seed, never kept).

Usage::

    python benchmarks/generate.py 10000 -o ledger-10k.nt --seed 0

or, from Python, ``generate(10000, "ledger-10k.nt", seed=0)``, which returns the counts.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path

from claimledger.audit import formats
from claimledger.rules.corroboration import EvidenceFacts, SourceFacts, derive

#: Bump when the output for a given (n, seed) changes, so that cached files are regenerated.
GENERATOR_VERSION = 4

CL = "https://w3id.org/claimledger#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "http://schema.org/"
SH = "http://www.w3.org/ns/shacl#"
EX = "https://example.org/entity/"

TYPE = f"<{RDF}type>"
A_CLAIM = f"<{CL}Claim>"
A_SOURCE = f"<{CL}Source>"
A_EVIDENCE = f"<{CL}Evidence>"
A_VERDICT = f"<{CL}Verdict>"
A_RETRACTION = f"<{CL}Retraction>"
A_AGENT = f"<{PROV}Agent>"
A_SELECTOR = f"<{OA}TextQuoteSelector>"
ATTRIBUTED = f"<{PROV}wasAttributedTo>"
GENERATED = f"<{PROV}generatedAtTime>"
DERIVED = f"<{PROV}wasDerivedFrom>"
PRIMARY = f"<{PROV}hadPrimarySource>"
NAME = f"<{SCHEMA}name>"
TEXT = f"<{SCHEMA}text>"
URL = f"<{SCHEMA}url>"
PUBLISHED = f"<{SCHEMA}datePublished>"
LABEL = f"<{RDFS}label>"
P = {name: f"<{CL}{name}>" for name in (
    "kind", "reliability", "anonymous", "anonymityJustification", "identityKnownTo",
    "confidence", "claim", "source", "stance", "locator", "credibility", "verdict", "about",
    "verdictValue", "reason", "retraction", "formatVersion")}
SUBJ, PRED, OBJ = f"<{RDF}subject>", f"<{RDF}predicate>", f"<{RDF}object>"
SELECTOR, EXACT = f"<{OA}hasSelector>", f"<{OA}exact>"
DT = f"^^<{XSD}dateTime>"
BOOL = {True: f'"true"^^<{XSD}boolean>', False: f'"false"^^<{XSD}boolean>'}

KIND = {k: f"<{CL}kind-{k}>" for k in
        ("document", "person", "organization", "official-record", "media", "dataset")}
RELIABILITY = {g: f"<{CL}reliability-{g}>" for g in "ABCDEF"}
CREDIBILITY = {g: f"<{CL}credibility-{g}>" for g in "123456"}
CONFIDENCE = {c: f"<{CL}confidence-{c}>" for c in ("low", "moderate", "high")}
STANCE = {s: f"<{CL}stance-{s}>" for s in ("supports", "contradicts")}
STATUS = {s: f"<{CL}status-{s}>" for s in ("refuted", "retracted")}

#: Sources are laid out in groups of this many slots (see :func:`_group`).
GROUP = 16
#: One group of sources per this many claims: a source backs a few claims on average.
CLAIMS_PER_GROUP = 64
ANALYSTS = [f"analyst-{i:02d}" for i in range(1, 13)]
EDITORS = ["editor-1", "editor-2", "editor-3"]
#: Every time in the file lies between these (a past the sourcing rules accept).
EPOCH = 1577836800  # 2020-01-01T00:00:00Z
SPAN = 3 * 365 * 86400

VERBS = [("freed", "freed"), ("attacked", "attacked"), ("controls", "controls"),
         ("met", "met with"), ("claimedResponsibilityFor", "claimed responsibility for"),
         ("leads", "leads"), ("fundedBy", "is funded by"), ("recruitedFrom", "recruited from"),
         ("negotiatedWith", "negotiated with"), ("arrested", "arrested"),
         ("supplied", "supplied weapons to"), ("rivalOf", "is a rival of")]
JUSTIFICATIONS = [
    "not authorised to speak to the press",
    "fear of reprisal by the group",
    "discussing a classified assessment",
    "serving official speaking on internal deliberations",
]


@dataclass(frozen=True)
class Src:
    """One generated source: what the generator needs to know, not the triples."""

    slug: str
    title: str
    kind: str
    reliability: str
    anonymous: bool
    parent: int | None  # slot it derives from, in the same group


def _iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _lit(text: str) -> str:
    """An N-Triples string literal (escaping what N-Triples requires)."""
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"'


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _group(seed: int, g: int) -> tuple[Src, ...]:
    """The sources of group ``g``, recomputed from the seed (never stored).

    Slots: 0 a wire story; 1–6 outlets, the first 2–6 of which reprint it (circular
    reporting) and the rest independent; 7 the root of a derivation chain 1–4 hops long
    through slots 8–11 (the unused ones independent); 12–15 people (most anonymous),
    organizations and media items.
    """
    rng = random.Random(seed * 1_000_003 + g * 2 + 1)
    reprints = rng.randint(2, 6)
    depth = rng.randint(1, 4)
    out: list[Src] = []
    out.append(Src(f"wire-{g}", f"Wire story {g}", "document",
                   _pick(rng, {"A": 15, "B": 45, "C": 30, "D": 10}), False, None))
    for k in range(1, 7):
        kind = "media" if rng.random() < 0.15 else "document"
        if k <= reprints:
            out.append(Src(f"outlet-{g}-{k}", f"Outlet {k} reprint of wire story {g}", kind,
                           _pick(rng, {"C": 25, "D": 30, "E": 10, "F": 35}), False, 0))
        else:
            out.append(Src(f"report-{g}-{k}", f"Outlet {k} own report {g}", kind,
                           _pick(rng, {"A": 5, "B": 25, "C": 35, "D": 20, "F": 15}), False, None))
    roll = rng.random()
    if roll < 0.15:
        out.append(Src(f"informant-{g}", f"Informant behind dossier {g}", "person",
                       _pick(rng, {"C": 30, "D": 30, "E": 10, "F": 30}), True, None))
    else:
        kind = _pick(rng, {"official-record": 35, "dataset": 20, "document": 35,
                           "organization": 10})
        out.append(Src(f"origin-{g}", f"Primary {kind} {g}", kind,
                       _pick(rng, {"A": 20, "B": 40, "C": 30, "D": 10}), False, None))
    for k in range(1, 5):
        if k <= depth:
            out.append(Src(f"derived-{g}-{k}", f"Document {k} hop(s) from primary {g}",
                           "document", _pick(rng, {"B": 20, "C": 40, "D": 25, "F": 15}), False,
                           7 + k - 1))
        else:
            kind = "media" if rng.random() < 0.3 else "document"
            out.append(Src(f"doc-{g}-{7 + k}", f"Independent {kind} {g}-{7 + k}", kind,
                           _pick(rng, {"B": 20, "C": 40, "D": 25, "F": 15}), False, None))
    for slot in range(12, 16):
        roll = rng.random()
        if roll < 0.75:
            anonymous = rng.random() < 0.65
            if anonymous:
                out.append(Src(f"anon-{g}-{slot}", f"Unnamed official {g}-{slot}", "person",
                               _pick(rng, {"B": 10, "C": 35, "D": 30, "F": 25}), True, None))
            else:
                out.append(Src(f"person-{g}-{slot}", f"Named witness {g}-{slot}", "person",
                               _pick(rng, {"A": 5, "B": 30, "C": 35, "D": 20, "F": 10}),
                               False, None))
        elif roll < 0.9:
            out.append(Src(f"org-{g}-{slot}", f"Organization {g}-{slot}", "organization",
                           _pick(rng, {"A": 15, "B": 35, "C": 30, "D": 20}), False, None))
        else:
            out.append(Src(f"media-{g}-{slot}", f"Video {g}-{slot}", "media",
                           _pick(rng, {"B": 20, "C": 40, "D": 30, "F": 10}), False, None))
    return tuple(out)


class _Groups:
    """A small cache of recently computed groups."""

    def __init__(self, seed: int, size: int = 4096) -> None:
        self.seed = seed
        self.size = size
        self.cache: OrderedDict[int, tuple[Src, ...]] = OrderedDict()

    def __getitem__(self, g: int) -> tuple[Src, ...]:
        got = self.cache.get(g)
        if got is None:
            got = self.cache[g] = _group(self.seed, g)
            if len(self.cache) > self.size:
                self.cache.popitem(last=False)
        else:
            self.cache.move_to_end(g)
        return got


def _source_lines(base: str, g: int, slot: int, group: tuple[Src, ...], rng: random.Random
                  ) -> list[str]:
    src = group[slot]
    node = f"<{base}source/{src.slug}>"
    agent = f"<{base}agent/{ANALYSTS[(g + slot) % len(ANALYSTS)]}>"
    when = EPOCH + (g * GROUP + slot) % SPAN
    lines = [
        f"{node} {TYPE} {A_SOURCE} .",
        f"{node} {NAME} {_lit(src.title)} .",
        f"{node} {P['kind']} {KIND[src.kind]} .",
        f"{node} {P['reliability']} {RELIABILITY[src.reliability]} .",
        f"{node} {P['anonymous']} {BOOL[src.anonymous]} .",
    ]
    if src.anonymous:
        lines.append(f"{node} {P['anonymityJustification']} "
                     f"{_lit(JUSTIFICATIONS[(g + slot) % len(JUSTIFICATIONS)])} .")
        lines.append(f"{node} {P['identityKnownTo']} <{base}agent/{EDITORS[g % len(EDITORS)]}> .")
    if src.kind in ("document", "media") and rng.random() < 0.6:
        lines.append(f"{node} {URL} <https://news.example.net/{g}/{src.slug}> .")
        day = time.strftime("%Y-%m-%d", time.gmtime(when - 86400 * rng.randint(1, 60)))
        lines.append(f'{node} {PUBLISHED} "{day}"^^<{XSD}date> .')
    if src.parent is not None:
        parent = f"<{base}source/{group[src.parent].slug}>"
        lines.append(f"{node} {DERIVED} {parent} .")
    lines.append(f"{node} {ATTRIBUTED} {agent} .")
    lines.append(f'{node} {GENERATED} "{_iso(when)}"{DT} .')
    return lines


def _facts(groups: _Groups, key: tuple[int, int], out: dict) -> None:
    """Add the corroboration facts of source ``key`` and its ancestors to ``out``."""
    while key not in out:
        g, slot = key
        src = groups[g][slot]
        parents = ((g, src.parent),) if src.parent is not None else ()
        out[key] = SourceFacts(key, parents, src.reliability, False, src.anonymous)
        if not parents:
            break
        key = parents[0]


def _allowed(status: str, origins: list[Src]) -> str:
    """The highest confidence the sourcing rules allow for a derived status (rules 2, 8, 9)."""
    if status == "unsourced":
        return "low"
    if (status == "corroborated" and any(o.reliability in "ABC" for o in origins)
            and any(not o.anonymous for o in origins)):
        return "high"
    return "moderate"


def generate(n_claims: int, out_path, *, seed: int = 0,
             base: str = "https://example.org/bench/", derived: bool = False) -> dict:
    """Write a ledger of ``n_claims`` claims to ``out_path`` (N-Triples); return the counts.

    :param derived: also write the derived facts (status, origins, counts) as claimledger
        derives them, so that the file can be bulk-loaded into a store as a ready ledger state
        without going through ``import`` (for tests that bypass the write path).
    """
    if n_claims < 1:
        raise ValueError("n_claims must be at least 1")
    if not base.endswith(("/", "#")):
        raise ValueError("base must end with '/' or '#'")
    n_groups = max(4, -(-n_claims // CLAIMS_PER_GROUP))
    groups = _Groups(seed)
    counts: Counter = Counter()
    rng = random.Random(seed)
    path = Path(out_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as fh:
        def emit(lines: list[str]) -> None:
            counts["triples"] += len(lines)
            fh.write("\n".join(lines))
            fh.write("\n")

        # The ledger node as claimledger records it (import leaves another ledger's node out).
        ledger = f"<{base}>"
        prefix = f"<{base}prefix/ex>"
        emit([f"{ledger} {TYPE} <{CL}Ledger> .",
              f'{ledger} {P["formatVersion"]} "{formats.CURRENT}"^^<{XSD}integer> .',
              f"{ledger} <{SH}declare> {prefix} .",
              f"{prefix} {TYPE} <{SH}PrefixDeclaration> .",
              f'{prefix} <{SH}prefix> "ex" .',
              f'{prefix} <{SH}namespace> "{EX}"^^<{XSD}anyURI> .'])
        for name in ANALYSTS + EDITORS:
            node = f"<{base}agent/{name}>"
            emit([f"{node} {TYPE} {A_AGENT} .", f"{node} {LABEL} {_lit(name)} ."])
            counts["agents"] += 1

        # Sources, group by group.
        srng = random.Random(seed + 7)
        for g in range(n_groups):
            group = groups[g]
            for slot, src in enumerate(group):
                emit(_source_lines(base, g, slot, group, srng))
                counts["sources"] += 1
                counts["sources_anonymous"] += src.anonymous
                counts[f"sources_kind_{src.kind}"] += 1
                if src.parent is not None:
                    counts["derivation_links"] += 1
            reprints = sum(1 for s in group if s.parent == 0)
            counts["wire_stories_reprinted"] += reprints >= 2
            counts["reprints"] += reprints
            hops = sum(1 for s in group[8:12] if s.parent is not None)
            counts[f"chains_{hops}_hops"] += 1

        # Claims with their evidence, verdicts and retractions.
        for i in range(n_claims):
            emit(_claim(i, base, n_groups, groups, rng, counts, derived))
            counts["claims"] += 1
    tmp.replace(path)
    counts["bytes"] = path.stat().st_size
    return dict(sorted(counts.items()))


def _line(rng: random.Random, group: tuple[Src, ...]) -> tuple[int, int | None]:
    """A (found-in slot, attributed slot) pair for one line of reporting within a group."""
    roll = rng.random()
    if roll < 0.35:  # the wire story or one of its reprints
        reprints = [k for k in range(1, 7) if group[k].parent == 0]
        return rng.choice([0] + reprints), None
    if roll < 0.55:  # somewhere along the derivation chain
        chain = [7] + [k for k in range(8, 12) if group[k].parent is not None]
        return rng.choice(chain), None
    if roll < 0.75:  # an outlet quoting a person or organization of the group
        return rng.randint(1, 6), rng.randint(12, 15)
    return rng.choice([k for k in range(1, 16) if group[k].parent is None]), None


def _claim(i: int, base: str, n_groups: int, groups: _Groups, rng: random.Random,
           counts: Counter, derived: bool = False) -> list[str]:
    slug = f"c{i:07d}"
    node = f"<{base}claim/{slug}>"
    agent = f"<{base}agent/{ANALYSTS[i % len(ANALYSTS)]}>"
    t0 = EPOCH + (i * 37) % SPAN
    verb_id, verb = VERBS[rng.randrange(len(VERBS))]
    s_id = rng.randrange(max(50, n_claims_hint(n_groups)))
    o_id = rng.randrange(max(50, n_claims_hint(n_groups)))
    roll = rng.random()
    if roll < 0.8:
        obj = f"<{EX}e{o_id}>"
        text = f"Group {s_id} {verb} group {o_id} (report {i})."
        quote = f"{verb} group {o_id}"
    elif roll < 0.9:
        n = rng.randint(2, 400)
        obj = f'"{n}"^^<{XSD}integer>'
        verb_id, text, quote = "numberKilled", f"{n} people were killed by group {s_id} (report {i}).", f"{n} people were killed"
    else:
        obj = _lit(f"a statement on the rivalry {o_id}")
        verb_id, text, quote = "said", f"Group {s_id} said there is a rivalry {o_id} (report {i}).", f"rivalry {o_id}"

    # Pick the lines of reporting (found-in source, attributed source) for the claim.
    g1 = rng.randrange(n_groups)
    g2 = (g1 + 1 + rng.randrange(n_groups - 1)) % n_groups
    g3 = (g2 + 1 + rng.randrange(n_groups - 1)) % n_groups
    if g3 == g1:
        g3 = (g3 + 1) % n_groups
    grp1 = groups[g1]
    support: list[tuple[tuple[int, int], tuple[int, int] | None]] = []
    scenario = rng.random()
    if scenario < 0.07:
        kind = "unsourced"
    elif scenario < 0.30:  # circular reporting: several reprints of one wire story
        kind = "circular"
        reprints = [k for k in range(1, 7) if grp1[k].parent == 0]
        for k in rng.sample(reprints, min(len(reprints), rng.randint(2, 3))):
            support.append(((g1, k), None))
    elif scenario < 0.42:
        kind = "single"
        found, attributed = _line(rng, grp1)
        support.append(((g1, found), (g1, attributed) if attributed is not None else None))
    elif scenario < 0.52:  # an outlet quoting an (often anonymous) person
        kind = "attributed"
        support.append(((g1, rng.randint(1, 6)), (g1, rng.randint(12, 15))))
    elif scenario < 0.60:  # along one derivation chain
        kind = "chain"
        chain = [7] + [k for k in range(8, 12) if grp1[k].parent is not None]
        for k in rng.sample(chain, min(len(chain), rng.randint(1, 2))):
            support.append(((g1, k), None))
    else:  # independent lines of reporting
        kind = "independent"
        for g in ([g1, g2] if rng.random() < 0.7 else [g1, g2, g3]):
            found, attributed = _line(rng, groups[g])
            support.append(((g, found), (g, attributed) if attributed is not None else None))
    counts[f"scenario_{kind}"] += 1

    evidence: list[tuple[str, tuple[int, int], tuple[int, int] | None]] = [
        ("supports", f, a) for f, a in support]
    if rng.random() < 0.2:
        g = rng.randrange(n_groups)
        evidence.append(("contradicts", (g, rng.randrange(GROUP)), None))

    lines: list[str] = []
    facts: dict = {}
    ev_facts: list[EvidenceFacts] = []
    for j, (stance, found, attributed) in enumerate(evidence, start=1):
        ev = f"<{base}evidence/{slug}-{j}>"
        fsrc = groups[found[0]][found[1]]
        lines += [f"{ev} {TYPE} {A_EVIDENCE} .",
                  f"{ev} {P['claim']} {node} .",
                  f"{ev} {P['source']} <{base}source/{fsrc.slug}> .",
                  f"{ev} {P['stance']} {STANCE[stance]} ."]
        _facts(groups, found, facts)
        if attributed is not None:
            asrc = groups[attributed[0]][attributed[1]]
            lines.append(f"{ev} {PRIMARY} <{base}source/{asrc.slug}> .")
            _facts(groups, attributed, facts)
            counts["evidence_attributed"] += 1
        needs = fsrc.kind in ("document", "media")
        roll = rng.random()
        has_quote = roll < (0.65 if needs else 0.3)
        has_locator = (not has_quote and needs) or rng.random() < 0.1
        if has_quote:
            sel = f"<{base}evidence/{slug}-{j}#quote>"
            lines += [f"{ev} {SELECTOR} {sel} .",
                      f"{sel} {TYPE} {A_SELECTOR} .",
                      f"{sel} {EXACT} {_lit(quote)} ."]
            counts["quotes"] += 1
        if has_locator:
            lines.append(f"{ev} {P['locator']} {_lit(f'para {rng.randint(1, 40)}')} .")
        credibility = None
        if rng.random() < 0.45:
            credibility = _pick(rng, {"1": 5, "2": 30, "3": 30, "4": 20, "5": 10, "6": 5})
            lines.append(f"{ev} {P['credibility']} {CREDIBILITY[credibility]} .")
        lines += [f"{ev} {ATTRIBUTED} {agent} .",
                  f'{ev} {GENERATED} "{_iso(t0 + 60 * j)}"{DT} .']
        retracted = rng.random() < 0.015
        if retracted:
            rec = f"<{base}retraction/{slug}-{j}>"
            lines += [f"{rec} {TYPE} {A_RETRACTION} .",
                      f"{rec} {P['about']} {ev} .",
                      f"{rec} {P['reason']} {_lit('misquoted: the source said something else')} .",
                      f"{rec} {ATTRIBUTED} <{base}agent/{EDITORS[i % len(EDITORS)]}> .",
                      f'{rec} {GENERATED} "{_iso(t0 + 3600)}"{DT} .',
                      f"{ev} {P['retraction']} {rec} ."]
            counts["retractions"] += 1
        ev_facts.append(EvidenceFacts((slug, j), stance, found, attributed, credibility,
                                      retracted))
        counts["evidence"] += 1
        counts[f"evidence_{stance}"] += 1

    verdict = None
    if rng.random() < 0.02:
        verdict = "refuted" if rng.random() < 0.7 else "retracted"
    plain = derive(ev_facts, facts)
    origins = [groups[o[0]][o[1]] for o in plain.support_origins]
    # Confidence is in the claim: a verdict of refuted or retracted allows low only.
    allowed = "low" if verdict is not None else _allowed(plain.status, origins)
    wanted = _pick(rng, {"low": 45, "moderate": 35, "high": 20})
    order = ("low", "moderate", "high")
    confidence = order[min(order.index(wanted), order.index(allowed))]
    status = verdict or plain.status
    counts[f"status_{status}"] += 1
    counts[f"confidence_{confidence}"] += 1
    if plain.independent_origins < len([e for e in ev_facts if e.stance == "supports"]):
        counts["claims_with_shared_origins"] += 1

    head = [f"{node} {TYPE} {A_CLAIM} .",
            f"{node} {SUBJ} <{EX}e{s_id}> .",
            f"{node} {PRED} <{EX}{verb_id}> .",
            f"{node} {OBJ} {obj} .",
            f"{node} {TEXT} {_lit(text)}@en .",
            f"{node} {P['confidence']} {CONFIDENCE[confidence]} .",
            f"{node} {ATTRIBUTED} {agent} .",
            f'{node} {GENERATED} "{_iso(t0)}"{DT} .']
    if verdict is not None:
        rec = f"<{base}verdict/{slug}-1>"
        head += [f"{rec} {TYPE} {A_VERDICT} .",
                 f"{rec} {P['about']} {node} .",
                 f"{rec} {P['verdictValue']} {STATUS[verdict]} .",
                 f"{rec} {P['reason']} {_lit(f'{verdict}: checked against the primary record')} .",
                 f"{rec} {ATTRIBUTED} <{base}agent/{EDITORS[i % len(EDITORS)]}> .",
                 f'{rec} {GENERATED} "{_iso(t0 + 7200)}"{DT} .',
                 f"{node} {P['verdict']} {rec} ."]
        counts["verdicts"] += 1
    if derived:
        def src(key: tuple[int, int]) -> str:
            return f"<{base}source/{groups[key[0]][key[1]].slug}>"
        head += [f"{node} <{CL}status> <{CL}status-{status}> .",
                 f'{node} <{CL}independentOrigins> "{plain.independent_origins}"^^<{XSD}integer> .']
        head += [f"{node} <{CL}supportOrigin> {src(o)} ." for o in sorted(plain.support_origins)]
        for j, ev in enumerate(ev_facts, start=1):
            ev_node = f"<{base}evidence/{slug}-{j}>"
            head += [f"{ev_node} <{CL}origin> {src(o)} ." for o in sorted(plain.origins[ev.iri])]
            head.append(f"{ev_node} <{CL}counts> {BOOL[plain.counts[ev.iri]]} .")
    return head + lines


def n_claims_hint(n_groups: int) -> int:
    """How many distinct entities claims talk about."""
    return n_groups * 8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of claims")
    parser.add_argument("-o", "--output", required=True, help="N-Triples file to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base", default="https://example.org/bench/")
    parser.add_argument("--derived", action="store_true",
                        help="also write the derived facts (a state ready to bulk-load)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.n, args.output, seed=args.seed, base=args.base, derived=args.derived)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    json.dump(counts, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
