"""Crash and hostile-input torture for claimledger.

A writer subprocess records a realistic mix of commands through the library (sources, claims,
evidence, derivation links, verdicts, retractions, discreditings, confidence changes, small
imports) and prints an acknowledgement line, flushed, after each command returns. The torture
kills it with SIGKILL at random moments, again and again, in three ways:

* ``timer``: after a random delay (anywhere: starting up, opening, recording, closing);
* ``in-flight``: a random moment after the writer announced its k-th command, so most kills
  land while a command is being checked or committed;
* ``commit``: the writer arms a SIGKILL to itself a few milliseconds before its k-th
  SPARQL update reaches the store, so the kill lands in or right around the commit.

After each kill it opens the ledger (read-only and read-write in turn: both must open at once,
read-only opening must replay the write-ahead log) and checks:

* ``verify`` passes (hash chain intact, the ledger equals the replay of its audit trail);
* every acknowledged command is there: its event (same sequence number and hash) and the
  facts it recorded (the claim, source, evidence, link, verdict, … triples);
* nothing is half-applied: every claim, source, evidence, verdict, retraction and
  discrediting is complete, every stored status, origin count, support origin and
  ``cl:counts`` equals a re-derivation (``ledger.gather_facts`` + ``corroboration.derive``),
  and at most one event — the command in flight at the kill — is not acknowledged;

then feeds a few generated bad inputs through the CLI (in process, with click's runner, and
now and then in a real subprocess with argv that is not UTF-8): hostile slugs, IRIs, CURIEs,
literals (quotes, newlines, backslash-u escapes, RTL marks, NUL, lone surrogates, huge),
dates, grades, SPARQL-injection strings in every text field and report parameter, and files
to import (truncated Turtle/TriG, broken and deeply nested JSON-LD, remote ``@context``,
RDF/XML with external or exponential entities, RDF-star, over-size). Each must end in exit 0
with the value stored verbatim, or exit 1/2 with ``Error: …`` and the ledger unchanged —
never a traceback.

Generated attacks (``benchmarks/attacks.py``) join them, through the CLI and, after every
kill, a batch through the library: queries, policies and report parameters that try to
reach a listener on 127.0.0.1 with SERVICE in every position and disguise (the listener must
receive nothing), imports aimed at the audit graph, event graphs, other named graphs and the
ledger node (nothing may be written there: named graphs, ledger node and prefixes are
compared before and after), and symbolic links planted at every file the ledger creates and
next to an export's output (files outside the ledger are compared, content and time).

Usage::

    python benchmarks/torture.py [--kills 200] [--ledger DIR] [--seed S] [--write-readme]

``run_torture(kills=…)`` is what ``tests/test_crash.py`` calls with a small number of kills.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import itertools
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

try:  # run as a script (benchmarks/ on the path) or imported as benchmarks.torture
    import attacks
except ImportError:  # pragma: no cover - imported from the tests
    from benchmarks import attacks

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = ROOT / "README.md"
START, END = "<!-- torture:start -->", "<!-- torture:end -->"
BASE = "https://example.org/torture/"
EX = "https://example.org/e/"
AGENTS = ("desk-a", "desk-b", "editor")
#: Marker kept in a local file that hostile RDF/XML names as an external entity.
MARKER = "TORTURE-SECRET-MARKER-7f3a"

KINDS = ("document", "person", "organization", "official-record", "media", "dataset")
GRADES = tuple("ABCDEF")
CREDIBILITY = tuple("123456")


# =============================================================================================
# The writer (runs in a subprocess; killed with SIGKILL)
# =============================================================================================

_TRICKY = ['"', "'", '"""', "\\", "\\u0022", "\n", "\r\n", "\t", "{", "}", "<", ">", "#",
           "; DROP ALL ;", "\u202e", "\u200f", "漢字", "\U0001F600", "é", "e\u0301", "\u2028",
           " ", "word", "said", "—", "«»"]


def tricky_text(rng: random.Random) -> str:
    """Valid text that is awkward to escape: quotes, newlines, backslashes, RTL marks."""
    return "".join(rng.choice(_TRICKY) for _ in range(rng.randint(0, 10))) + rng.choice(
        (" statement", " quote", " text", " report"))


def _emit(tag: str, payload: dict) -> None:
    sys.stdout.write(f"{tag} {json.dumps(payload, ensure_ascii=True)}\n")
    sys.stdout.flush()


class WriterState:
    """What the writer knows of the ledger: read at start, updated after each command."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.claims: list[str] = []
        self.evidence: list[str] = []       # not retracted
        self.discredited: set[str] = set()

    @classmethod
    def read(cls, led) -> WriterState:
        from claimledger.model import vocab as V

        state = cls()
        store = led.store
        state.sources = sorted(led.slug(t.subject) for t in store.triples(None, V.TYPE, V.SOURCE))
        state.claims = sorted(led.slug(t.subject) for t in store.triples(None, V.TYPE, V.CLAIM))
        retracted = {t.subject for t in store.triples(None, V.RETRACTION_LINK, None)}
        state.evidence = sorted(led.slug(t.subject) for t in store.triples(None, V.TYPE, V.EVIDENCE)
                                if t.subject not in retracted)
        state.discredited = {led.slug(t.subject) for t in store.triples(None, V.DISCREDITED, None)}
        return state

    def next_command(self, rng: random.Random, generation: int, counter) -> dict:
        n = next(counter)
        weights = {"source add": 18, "claim add": 18, "evidence add": 30, "source link": 7,
                   "claim verdict": 4, "evidence retract": 5, "source discredit": 2,
                   "claim confidence": 5, "import": 3}
        if len(self.sources) < 2:
            weights = {"source add": 1}
        elif not self.claims:
            weights = {"claim add": 1}
        if not self.evidence:
            weights.pop("evidence retract", None)
        kind = rng.choices(list(weights), weights=list(weights.values()))[0]
        cmd: dict = {"command": kind, "id": f"{generation}.{n}"}
        if kind == "source add":
            cmd.update(slug=f"g{generation}-s{n}", title=tricky_text(rng),
                       kind=rng.choice(KINDS), reliability=rng.choice(GRADES))
            if rng.random() < 0.3:
                cmd["derived_from"] = rng.sample(self.sources, min(len(self.sources), rng.randint(1, 2)))
            if rng.random() < 0.15:
                cmd.update(anonymous=True, justification=tricky_text(rng), known_to="editor")
            if rng.random() < 0.3:
                cmd["published"] = rng.choice(("2017", "2019-03", "2021-06-14", "2020-01-02T03:04:05Z"))
            if rng.random() < 0.2:
                cmd["url"] = f"https://news.example.org/{generation}/{n}?q=%22x%22"
        elif kind == "claim add":
            cmd.update(slug=f"g{generation}-c{n}", subject=f"ex:e{rng.randint(1, 50)}",
                       predicate=f"ex:p{rng.randint(1, 8)}", text=tricky_text(rng))
            if rng.random() < 0.5:
                cmd["object"] = f"ex:e{rng.randint(1, 50)}"
            else:
                cmd["value"] = tricky_text(rng)
        elif kind == "evidence add":
            cmd.update(claim=rng.choice(self.claims), source=rng.choice(self.sources),
                       stance="supports" if rng.random() < 0.8 else "contradicts")
            r = rng.random()
            if r < 0.5:
                cmd["quote"] = tricky_text(rng)
            if r > 0.3:
                cmd["locator"] = f"para {rng.randint(1, 40)}"
            if rng.random() < 0.3:
                other = [s for s in self.sources if s != cmd["source"]]
                if other:
                    cmd["attributed_to"] = rng.choice(other)
            if rng.random() < 0.4:
                cmd["credibility"] = rng.choice(CREDIBILITY)
        elif kind == "source link":
            a, b = rng.sample(self.sources, 2)
            cmd.update(slug=a, derived_from=b)
        elif kind == "claim verdict":
            cmd.update(slug=rng.choice(self.claims), verdict=rng.choice(("refuted", "retracted")),
                       reason=tricky_text(rng))
        elif kind == "evidence retract":
            cmd.update(evidence=rng.choice(self.evidence), reason=tricky_text(rng))
        elif kind == "source discredit":
            cmd.update(slug=rng.choice(self.sources), reason=tricky_text(rng))
        elif kind == "claim confidence":
            cmd.update(slug=rng.choice(self.claims), level=rng.choice(("low", "moderate", "high")))
        elif kind == "import":  # one source, or many (a longer commit to kill)
            cmd.update(slug=f"g{generation}-i{n}", title=tricky_text(rng),
                       reliability=rng.choice(GRADES), count=rng.choice((1, 1, 1, 30, 300)))
        return cmd

    def update(self, cmd: dict, result) -> None:
        kind = cmd["command"]
        if kind == "source add":
            self.sources.append(cmd["slug"])
        elif kind == "import":
            self.sources.extend(import_slugs(cmd))
        elif kind == "bulk import":
            self.sources.extend(bulk_slugs(cmd))
        elif kind == "claim add":
            self.claims.append(cmd["slug"])
        elif kind == "evidence add" and result.created is not None:
            self.evidence.append(result.created.value.rsplit("/", 1)[1])
        elif kind == "evidence retract":
            self.evidence.remove(cmd["evidence"])
        elif kind == "source discredit":
            self.discredited.add(cmd["slug"])


def perform(led, cmd: dict, workdir: Path):
    """Run one writer command through the library; return its WriteResult."""
    kind = cmd["command"]
    if kind == "source add":
        return led.sources.add(cmd["slug"], title=cmd["title"], kind=cmd["kind"],
                               reliability=cmd["reliability"], url=cmd.get("url"),
                               published=cmd.get("published"),
                               anonymous=cmd.get("anonymous", False),
                               justification=cmd.get("justification"),
                               known_to=cmd.get("known_to"),
                               derived_from=cmd.get("derived_from", []))
    if kind == "claim add":
        return led.claims.add(cmd["slug"], subject=cmd["subject"], predicate=cmd["predicate"],
                              object=cmd.get("object"), value=cmd.get("value"), text=cmd["text"])
    if kind == "evidence add":
        return led.evidence.add(cmd["claim"], cmd["source"], stance=cmd["stance"],
                                attributed_to=cmd.get("attributed_to"), quote=cmd.get("quote"),
                                locator=cmd.get("locator"), credibility=cmd.get("credibility"))
    if kind == "source link":
        return led.sources.link(cmd["slug"], derived_from=[cmd["derived_from"]],
                                reason="learned later")
    if kind == "claim verdict":
        return led.claims.verdict(cmd["slug"], cmd["verdict"], reason=cmd["reason"])
    if kind == "evidence retract":
        return led.evidence.retract(cmd["evidence"], reason=cmd["reason"])
    if kind == "source discredit":
        return led.sources.discredit(cmd["slug"], reason=cmd["reason"])
    if kind == "claim confidence":
        return led.claims.set_confidence(cmd["slug"], cmd["level"])
    if kind == "import":
        from claimledger.interchange import import_file

        path = workdir / f"{cmd['slug']}.ttl"
        path.write_text(import_turtle(led.base, cmd), encoding="utf-8")
        return import_file(led, path)
    if kind == "bulk import":
        from claimledger.interchange import rdf

        path = workdir / f"{cmd['slug']}.nt"
        path.write_text(bulk_ntriples(led.base, cmd), encoding="utf-8")
        assert path.stat().st_size > rdf.BULK_BYTES  # so that it takes the bulk path
        return rdf.import_file(led, path)
    raise ValueError(kind)


#: Sources in a writer's bulk import: about 400 KB of N-Triples. The writer lowers
#: ``interchange.BULK_BYTES`` to 256 KiB so that this takes the bulk path (staging copy,
#: bulk loader, atomic switch of ``<ledger>/CURRENT``) without 16 MiB files.
BULK_SOURCES = 400
BULK_THRESHOLD = 256 * 1024


def bulk_slugs(cmd: dict) -> list[str]:
    return [f"{cmd['slug']}-{j}" for j in range(cmd["count"])]


def bulk_ntriples(base: str, cmd: dict) -> str:
    from pyoxigraph import Literal, NamedNode, Triple

    from claimledger.model import vocab as V

    lines = []
    for slug in bulk_slugs(cmd):
        node = NamedNode(f"{base}source/{slug}")
        for p, o in ((V.TYPE, V.SOURCE), (V.NAME, Literal(f"Bulk source {slug} \"quoted\"\n")),
                     (V.KIND, V.SourceKind.iri("dataset")), (V.RELIABILITY, V.Reliability.iri("D")),
                     (V.ANONYMOUS, Literal(False)), (V.WAS_ATTRIBUTED_TO, NamedNode(base + "agent/bulk")),
                     (V.GENERATED_AT_TIME, Literal("2020-01-01T00:00:00Z", datatype=V.XSD_DATETIME))):
            lines.append(f"{Triple(node, p, o)} .\n")
    return "".join(lines)


def _arm_bulk_kill(how: str) -> None:
    """Make the writer's bulk import kill the writer at the moment ``how`` names."""
    from claimledger.interchange import rdf
    from claimledger.store import EmbeddedStore

    rdf.BULK_BYTES = BULK_THRESHOLD  # read by import_file, in claimledger.interchange.rdf
    swap = EmbeddedStore.swap
    replace = os.replace

    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    def swap_hooked(self, staged, **kwargs):
        _emit("COMMIT", {"how": how})
        if how == "bulk-before-swap":
            die()
        result = swap(self, staged, **kwargs)
        if how == "bulk-after-swap":
            die()
        return result

    def replace_hooked(src, dst, *args, **kwargs):
        result = replace(src, dst, *args, **kwargs)
        if how == "bulk-after-pointer" and os.path.basename(os.fspath(dst)) == "CURRENT":
            die()  # the pointer names the new store; the old store is still open and on disk
        return result

    EmbeddedStore.swap = swap_hooked
    os.replace = replace_hooked


def import_slugs(cmd: dict) -> list[str]:
    count = cmd.get("count", 1)
    return [cmd["slug"]] if count == 1 else [f"{cmd['slug']}-{j}" for j in range(count)]


def import_turtle(base: str, cmd: dict) -> str:
    """A Turtle file describing the sources the writer's ``import`` records."""
    from pyoxigraph import Literal

    head = ("@prefix cl: <https://w3id.org/claimledger#> .\n"
            "@prefix schema: <http://schema.org/> .\n"
            "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n")
    body = "".join(
        f"<{base}source/{slug}> a cl:Source ; schema:name {Literal(cmd['title'])} ;\n"
        f"  cl:kind cl:kind-dataset ; cl:reliability cl:reliability-{cmd['reliability']} ;\n"
        f"  cl:anonymous false ; prov:wasAttributedTo <{base}agent/importer> ;\n"
        '  prov:generatedAtTime "2020-01-01T00:00:00Z"^^xsd:dateTime .\n'
        for slug in import_slugs(cmd))
    return head + body


def expected_facts(led, cmd: dict, result) -> list[str]:
    """N-Triples lines an acknowledged command must have left in the ledger for good (facts
    no later command changes: not confidence or derived status)."""
    from pyoxigraph import Literal, NamedNode, Triple

    from claimledger.model import vocab as V

    kind = cmd["command"]
    out: list[Triple] = []
    if kind == "bulk import":
        return [line[:-3] for line in bulk_ntriples(led.base, cmd).splitlines(keepends=True)]
    if kind == "import":
        for slug in import_slugs(cmd):
            node = led.iri("source", slug)
            out += [Triple(node, V.TYPE, V.SOURCE), Triple(node, V.NAME, Literal(cmd["title"])),
                    Triple(node, V.RELIABILITY, V.Reliability.iri(cmd["reliability"]))]
    if kind == "source add":
        node = led.iri("source", cmd["slug"])
        out += [Triple(node, V.TYPE, V.SOURCE), Triple(node, V.NAME, Literal(cmd["title"])),
                Triple(node, V.RELIABILITY, V.Reliability.iri(cmd["reliability"]))]
        out.append(Triple(node, V.KIND, V.SourceKind.iri(cmd["kind"])))
        out += [Triple(node, V.WAS_DERIVED_FROM, led.iri("source", p))
                for p in cmd.get("derived_from", [])]
        if cmd.get("justification"):
            out.append(Triple(node, V.ANONYMITY_JUSTIFICATION, Literal(cmd["justification"])))
    elif kind == "claim add":
        node = led.iri("claim", cmd["slug"])
        obj = (led.expand(cmd["object"], argument="--object") if "object" in cmd
               else Literal(cmd["value"]))
        out += [Triple(node, V.TYPE, V.CLAIM), Triple(node, V.TEXT, Literal(cmd["text"], language="en")),
                Triple(node, V.SUBJECT, led.expand(cmd["subject"], argument="--subject")),
                Triple(node, V.PREDICATE, led.expand(cmd["predicate"], argument="--predicate")),
                Triple(node, V.OBJECT, obj)]
    elif kind == "evidence add":
        node = result.created
        out += [Triple(node, V.TYPE, V.EVIDENCE),
                Triple(node, V.CLAIM_LINK, led.iri("claim", cmd["claim"])),
                Triple(node, V.SOURCE_LINK, led.iri("source", cmd["source"])),
                Triple(node, V.STANCE, V.Stance.iri(cmd["stance"]))]
        if "quote" in cmd:
            out.append(Triple(NamedNode(node.value + "#quote"), V.EXACT, Literal(cmd["quote"])))
        if "locator" in cmd:
            out.append(Triple(node, V.LOCATOR, Literal(cmd["locator"])))
        if "attributed_to" in cmd:
            out.append(Triple(node, V.HAD_PRIMARY_SOURCE, led.iri("source", cmd["attributed_to"])))
    elif kind == "source link":
        out.append(Triple(led.iri("source", cmd["slug"]), V.WAS_DERIVED_FROM,
                          led.iri("source", cmd["derived_from"])))
    elif kind == "claim verdict":
        record = result.created
        out += [Triple(record, V.TYPE, V.VERDICT), Triple(record, V.REASON, Literal(cmd["reason"])),
                Triple(record, V.VERDICT_VALUE, V.Status.iri(cmd["verdict"])),
                Triple(led.iri("claim", cmd["slug"]), V.VERDICT_LINK, record)]
    elif kind == "evidence retract":
        record = led.iri("retraction", cmd["evidence"])
        out += [Triple(record, V.TYPE, V.RETRACTION), Triple(record, V.REASON, Literal(cmd["reason"])),
                Triple(led.iri("evidence", cmd["evidence"]), V.RETRACTION_LINK, record)]
    elif kind == "source discredit":
        record = led.iri("discrediting", cmd["slug"])
        out += [Triple(record, V.TYPE, V.DISCREDITING),
                Triple(led.iri("source", cmd["slug"]), V.DISCREDITED, record)]
    return [str(t) for t in out]


def writer_main(ledger_dir: str, generation: int, seed: int, kill_at_commit: int,
                kill_how: str, workdir: str) -> None:
    """The writer: record commands in a loop until killed."""
    from claimledger.errors import ClaimLedgerError
    from claimledger.ledger import Ledger
    from claimledger.store import EmbeddedStore

    rng = random.Random(f"{seed}/{generation}")
    workdir = Path(workdir)
    if kill_at_commit:
        # Kill at the k-th commit: just before the SPARQL update reaches the store, while
        # Oxigraph applies it (pyoxigraph releases the GIL, so a timer thread can fire), or
        # just after it returned — before the command could acknowledge.
        original = EmbeddedStore.apply
        commits = itertools.count(1)
        durations: list[float] = [0.0005]

        def apply(self, changes):
            if next(commits) != kill_at_commit:
                started = time.perf_counter()
                try:
                    return original(self, changes)
                finally:
                    durations.append(time.perf_counter() - started)
            _emit("COMMIT", {"how": kill_how})
            if kill_how == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            if kill_how == "during":
                typical = sorted(durations)[len(durations) // 2]
                timer = threading.Timer(rng.uniform(0.0, typical), os.kill,
                                        (os.getpid(), signal.SIGKILL))
                timer.daemon = True
                timer.start()
            result = original(self, changes)
            os.kill(os.getpid(), signal.SIGKILL)  # "after" (or "during" if the timer was late)
            return result

        EmbeddedStore.apply = apply
    bulk_pending = kill_how.startswith("bulk")
    if bulk_pending:
        _arm_bulk_kill(kill_how)
    session = rng.random() < 0.5  # keep the ledger open for a batch, or reopen per command
    counter = itertools.count(1)
    state: WriterState | None = None
    while True:
        led = Ledger.open(ledger_dir, write=True, agent=rng.choice(AGENTS), timeout=60)
        try:
            if state is None:
                state = WriterState.read(led)
            for _ in range(rng.randint(1, 8) if session else 1):
                cmd = state.next_command(rng, generation, counter)
                if bulk_pending and rng.random() < 0.5:
                    cmd = {"command": "bulk import", "id": cmd["id"], "slug": f"g{generation}-b",
                           "count": BULK_SOURCES}
                    bulk_pending = False
                _emit("BEGIN", cmd)
                try:
                    result = perform(led, cmd, workdir)
                except ClaimLedgerError as exc:
                    _emit("REFUSED", {"id": cmd["id"], "command": cmd["command"],
                                      "error": exc.message[:300]})
                    continue
                state.update(cmd, result)
                _emit("ACK", {"id": cmd["id"], "command": cmd["command"], "seq": result.sequence,
                              "hash": result.hash, "facts": expected_facts(led, cmd, result)})
        finally:
            led.close()


# =============================================================================================
# Checking the ledger after a kill
# =============================================================================================

@dataclass
class Figures:
    """What a torture run measured."""

    kills: int = 0
    kills_survived: int = 0
    kill_modes: dict = field(default_factory=dict)
    kills_in_flight: int = 0
    kills_in_bulk: int = 0
    writes_attempted: int = 0
    acknowledged_writes: int = 0
    refused_writes: int = 0
    committed_unacknowledged: int = 0
    acknowledged_lost: int = 0
    half_applied: int = 0
    verify_failures: int = 0
    open_failures: int = 0
    writer_crashes: int = 0
    bad_inputs: int = 0
    bad_accepted: int = 0
    bad_refused_rule: int = 0
    bad_refused_input: int = 0
    bad_subprocess: int = 0
    tracebacks: int = 0
    bad_corrupted: int = 0
    #: Generated attacks (benchmarks/attacks.py) and what they must never achieve.
    attack_queries: int = 0
    attack_policies: int = 0
    attack_reports: int = 0
    attack_imports: int = 0
    attack_links: int = 0
    requests_out: int = 0
    reserved_writes: int = 0
    outside_touched: int = 0
    events: int = 0
    claims: int = 0
    seconds: float = 0.0
    #: Where the time went: running and killing writers, checking after kills, bad input.
    phase_seconds: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.kills_survived == self.kills and not self.acknowledged_lost
                and not self.half_applied and not self.verify_failures and not self.open_failures
                and not self.writer_crashes and not self.tracebacks and not self.bad_corrupted
                and not self.requests_out and not self.reserved_writes and not self.outside_touched
                and not self.problems)

    def lines(self) -> list[str]:
        return [
            f"kills survived: {self.kills_survived} of {self.kills} "
            f"({', '.join(f'{k} {v}' for k, v in sorted(self.kill_modes.items()))}; "
            f"{self.kills_in_flight} with a command in flight, {self.kills_in_bulk} of them "
            "a bulk import)",
            f"writes attempted: {self.writes_attempted}; acknowledged: {self.acknowledged_writes}; "
            f"refused by the rules or as conflicts: {self.refused_writes}; "
            f"committed but killed before acknowledging: {self.committed_unacknowledged}",
            f"acknowledged writes lost: {self.acknowledged_lost}",
            f"half-applied commands: {self.half_applied}",
            f"verify failures: {self.verify_failures}; ledger failed to open: {self.open_failures}; "
            f"writer crashed (other than by the kill): {self.writer_crashes}",
            f"bad inputs tried: {self.bad_inputs} ({self.bad_subprocess} in real subprocesses): "
            f"accepted and stored verbatim {self.bad_accepted}, refused by a rule (exit 1) "
            f"{self.bad_refused_rule}, refused as bad input (exit 2) {self.bad_refused_input}",
            f"tracebacks / internal errors: {self.tracebacks}; bad input that changed or "
            f"mangled the ledger: {self.bad_corrupted}",
            f"generated attacks: SERVICE queries {self.attack_queries}, policies "
            f"{self.attack_policies}, report parameters {self.attack_reports}, imports at reserved "
            f"graphs / the ledger node {self.attack_imports}, planted links {self.attack_links}; "
            f"requests out {self.requests_out}, reserved-graph writes {self.reserved_writes}, "
            f"files outside the ledger touched {self.outside_touched}",
            f"final ledger: {self.events} events, {self.claims} claims; time {self.seconds:.0f} s ("
            + ", ".join(f"{k} {v:.0f} s" for k, v in self.phase_seconds.items()) + ")",
        ]


def _events(led) -> dict[int, tuple[str, str]]:
    from claimledger import audit
    from claimledger.model import vocab as V

    rows = led.store.query(
        "SELECT ?g ?seq ?hash ?cmd WHERE { GRAPH ?g { ?e a <%s> ; <%s> ?seq ; <%s> ?hash ; "
        "<%s> ?cmd } }" % (V.EVENT.value, V.SEQUENCE.value, V.HASH.value, V.COMMAND.value),
        {"g": audit.audit_graph(led.base)})
    return {int(r["seq"].value): (r["hash"].value, r["cmd"].value) for r in rows}


def _has(led, line: str) -> bool:
    import pyoxigraph as ox

    t = next(iter(ox.parse(line + " .\n", ox.RdfFormat.N_TRIPLES)))
    return any(True for _ in led.store.triples(t.subject, t.predicate, t.object))


#: Properties each kind of node must have (at least one value) once its command committed.
_REQUIRED = {
    "CLAIM": ("SUBJECT", "PREDICATE", "OBJECT", "TEXT", "CONFIDENCE", "STATUS",
              "INDEPENDENT_ORIGINS", "WAS_ATTRIBUTED_TO", "GENERATED_AT_TIME"),
    "SOURCE": ("NAME", "KIND", "RELIABILITY", "ANONYMOUS", "WAS_ATTRIBUTED_TO", "GENERATED_AT_TIME"),
    "EVIDENCE": ("CLAIM_LINK", "SOURCE_LINK", "STANCE", "COUNTS", "ORIGIN", "WAS_ATTRIBUTED_TO",
                 "GENERATED_AT_TIME"),
    "VERDICT": ("ABOUT", "VERDICT_VALUE", "REASON", "WAS_ATTRIBUTED_TO", "GENERATED_AT_TIME"),
    "RETRACTION": ("ABOUT", "REASON", "WAS_ATTRIBUTED_TO", "GENERATED_AT_TIME"),
    "DISCREDITING": ("ABOUT", "REASON", "WAS_ATTRIBUTED_TO", "GENERATED_AT_TIME"),
}
#: For records about something: the back link the same command writes on their subject.
_BACK_LINK = {"VERDICT": "VERDICT_LINK", "RETRACTION": "RETRACTION_LINK", "DISCREDITING": "DISCREDITED"}
_SINGLE = ("STATUS", "INDEPENDENT_ORIGINS", "CONFIDENCE", "COUNTS")


def in_flight_event(cmd: dict) -> str:
    """The audit trail's command name for a writer command."""
    return {"bulk import": "import"}.get(cmd["command"], cmd["command"])


def deterministic_facts(cmd: dict) -> list[str]:
    """Triples a command in flight writes that are known without its result (or [])."""
    from pyoxigraph import NamedNode, Triple

    from claimledger.model import vocab as V

    if cmd["command"] == "bulk import":
        return [line[:-3] for line in bulk_ntriples(BASE, cmd).splitlines(keepends=True)]
    if cmd["command"] == "import":
        return [str(Triple(NamedNode(f"{BASE}source/{slug}"), V.TYPE, V.SOURCE))
                for slug in import_slugs(cmd)]
    if cmd["command"] in ("source add", "claim add"):
        collection, cls = ("source", V.SOURCE) if cmd["command"] == "source add" else ("claim", V.CLAIM)
        return [str(Triple(NamedNode(f"{BASE}{collection}/{cmd['slug']}"), V.TYPE, cls))]
    return []


def half_applied(led) -> list[str]:
    """Every node the commands write must be whole, and every derived fact must equal a
    re-derivation from the stored evidence and sources."""
    from pyoxigraph import Literal

    from claimledger.rules import corroboration
    from claimledger.model import vocab as V
    from claimledger.core.facts import gather_facts
    from claimledger.core.view import StateView
    from claimledger.store import ChangeSet

    problems: list[str] = []
    store = led.store
    for cls_name, props in _REQUIRED.items():
        for t in list(store.triples(None, V.TYPE, getattr(V, cls_name))):
            node = t.subject
            for prop in props:
                values = list(store.triples(node, getattr(V, prop), None))
                if not values:
                    problems.append(f"{cls_name.lower()} {led.slug(node)} has no {prop}")
                elif prop in _SINGLE and len(values) > 1:
                    problems.append(f"{cls_name.lower()} {led.slug(node)} has {len(values)} {prop}")
            if cls_name in _BACK_LINK:
                about = [x.object for x in store.triples(node, V.ABOUT, None)]
                back = getattr(V, _BACK_LINK[cls_name])
                if about and not any(True for _ in store.triples(about[0], back, node)):
                    problems.append(f"{cls_name.lower()} {led.slug(node)}: its subject lacks "
                                    f"the link back to it")
    view = StateView(store, ChangeSet())
    for t in list(store.triples(None, V.TYPE, V.CLAIM)):
        claim = t.subject
        facts = gather_facts(view, claim)
        try:
            result = corroboration.derive(facts.evidence, facts.sources, facts.verdict)
        except Exception as exc:  # a derivation cycle would be a half-applied link
            problems.append(f"claim {led.slug(claim)}: cannot re-derive: {exc}")
            continue
        status = view.value(claim, V.STATUS)
        if status != V.Status.iri(result.status):
            problems.append(f"claim {led.slug(claim)}: stored status {status} but its evidence "
                            f"gives {result.status}")
        count = view.value(claim, V.INDEPENDENT_ORIGINS)
        if not isinstance(count, Literal) or int(count.value) != result.independent_origins:
            problems.append(f"claim {led.slug(claim)}: stored {count} independent origins, "
                            f"re-derived {result.independent_origins}")
        if set(view.objects(claim, V.SUPPORT_ORIGIN)) != set(result.support_origins):
            problems.append(f"claim {led.slug(claim)}: support origins differ from re-derivation")
        for ev in facts.evidence:
            counts = view.value(ev.iri, V.COUNTS)
            if not isinstance(counts, Literal) or (counts.value == "true") != result.counts[ev.iri]:
                problems.append(f"evidence {led.slug(ev.iri)}: cl:counts {counts} differs")
            if set(view.objects(ev.iri, V.ORIGIN)) != set(result.origins[ev.iri]):
                problems.append(f"evidence {led.slug(ev.iri)}: origins differ from re-derivation")
    return problems


def check_after_kill(ledger_dir: Path, *, read_only: bool, acks: list[dict], round_acks: list[dict],
                     in_flight: dict | None, previous_seq: int, figures: Figures) -> int:
    """Open the ledger and check it; returns the head's sequence number."""
    from claimledger import audit
    from claimledger.ledger import Ledger

    waited: list[str] = []
    try:
        led = Ledger.open(ledger_dir, write=not read_only, agent="torture", timeout=10,
                          on_wait=waited.append)
    except Exception as exc:  # the ledger must open
        figures.open_failures += 1
        figures.problems.append(f"the ledger did not open ({'read-only' if read_only else 'write'}): "
                                f"{type(exc).__name__}: {exc}")
        return previous_seq
    try:
        if waited:
            figures.problems.append(f"opening after a kill had to wait: {waited[0]}")
        report = audit.verify(led.store, led.base)
        if not report.ok:
            figures.verify_failures += 1
            figures.problems.extend(f"verify: {p}" for p in report.problems[:20])
        events = _events(led)
        for ack in acks:
            event = events.get(ack["seq"])
            missing = [f for f in ack["facts"] if not _has(led, f)]
            if event is None or event[0] != ack["hash"] or missing:
                figures.acknowledged_lost += 1
                figures.problems.append(
                    f"acknowledged {ack['command']} ({ack['id']}, event {ack['seq']}) lost: "
                    + ("no such event" if event is None else
                       "another event in its place" if event[0] != ack["hash"] else
                       f"missing {missing[:3]}"))
        acked = {a["seq"] for a in round_acks}
        head = max(events) if events else 0
        extra = [s for s in range(previous_seq + 1, head + 1) if s not in acked]
        if len(extra) > 1:
            figures.problems.append(f"events {extra} were committed but not acknowledged "
                                    "(at most the one in flight may be)")
        for seq in extra:
            figures.committed_unacknowledged += 1
            if in_flight is None or events.get(seq, ("", ""))[1] != in_flight_event(in_flight):
                figures.problems.append(f"event {seq} ({events.get(seq, ('', '?'))[1]}) matches no "
                                        f"command in flight ({in_flight and in_flight['command']})")
        facts = deterministic_facts(in_flight) if in_flight else []
        if facts:  # the command in flight: all of it or none of it
            present = sum(1 for f in facts if _has(led, f))
            if present not in (0, len(facts)) or (present == len(facts)) != bool(extra):
                figures.half_applied += 1
                figures.problems.append(f"half-applied: {in_flight['command']} in flight: "
                                        f"{present} of {len(facts)} triples present, "
                                        f"event {'committed' if extra else 'absent'}")
        if not read_only:  # a writer has opened it: no staging copy may be left behind
            current = (ledger_dir / "CURRENT").read_text().strip() if (ledger_dir / "CURRENT").is_file() \
                else "store"
            left = [p.name for p in ledger_dir.iterdir() if p.name.startswith("store")
                    and p.name != current]
            if left:
                figures.problems.append(f"store copies left behind after a writer opened: {left}")
        problems = half_applied(led)
        figures.half_applied += len(problems)
        figures.problems.extend(f"half-applied: {p}" for p in problems[:20])
        return head
    finally:
        led.close()


# =============================================================================================
# Hostile input
# =============================================================================================

#: SPARQL-injection strings, also used by tests/test_hostile.py.
INJECTIONS = (
    '" } ; DROP ALL ; #',
    "' } ; DROP ALL ; #",
    '"""} ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> } #',
    '\\" . } ; CLEAR DEFAULT ; #',
    "\\u0022 } ; DROP ALL ; #",
    "x\\u003E ; DROP ALL",
    "> ; DROP ALL ; <",
    "# comment\nDROP ALL",
    "}}}} ;;; DROP GRAPH <urn:x>",
    '"@en ; DELETE WHERE { ?s ?p ?o } #',
    '"^^<http://www.w3.org/2001/XMLSchema#string> . } ; DROP ALL ; #',
    "SELECT * WHERE { ?s ?p ?o }",
    "<https://e.org/a> <https://e.org/b> <https://e.org/c> .",
    "'; DROP TABLE claims; --",
    "%22%7D%3B%20DROP%20ALL",
    "$(touch /tmp/pwned) `id`",
)
_PIECES = ('"', "'", '"""', "'''", "\\", "\\u0022", "\\U0001F600", "\\n", "\n", "\r", "\r\n",
           "\t", "\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\u200e", "\u200f", "\u202e",
           "\u2066", "\ufeff", "\ufffe", "\uffff", "\ud800", "\udc00", "\udfff", "\U0001F600",
           "漢字", "עברית", "العربية", "e\u0301", "\u2028", "\u2029", " ", "{", "}", "<", ">",
           "#", ";", "@en", "^^xsd:string", "?s", "$x", "%", "&amp;", "<!--", "]]>", "..", "/",
           ":", "٣", "a", "Z", "0", "-", "_", ".") + INJECTIONS


def hostile_text(rng: random.Random, *, huge: bool = True) -> str:
    r = rng.random()
    if r < 0.04:
        return ""
    if r < 0.07:
        return rng.choice((" ", "\t\n", "\u00a0", "\r\n "))
    if huge and r < 0.09:
        return "x" * rng.choice(((1 << 20) - 1, (1 << 20) + 1))
    if r < 0.25:
        return rng.choice(INJECTIONS)
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 16)))


def hostile_slug(rng: random.Random, n: int) -> str:
    r = rng.random()
    if r < 0.3:
        return f"h{n}-" + "".join(rng.choice("abc_.-019") for _ in range(rng.randint(0, 8))) + "z"
    if r < 0.4:
        return "a" * rng.choice((128, 129))
    if r < 0.5:
        return f"ok{n}" + rng.choice(("\n", "\r", " ", "/x", "..y", "#", "?", "%20", "\ud800", "\u0660"))
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 6)))


def hostile_iri(rng: random.Random) -> str:
    return rng.choice((
        "ex:ok", "ex:" + rng.choice(_PIECES), "<https://e.org/a>b>", "<https://e.org/a b>",
        "https://e.org/a b", "ex:a>", "ex:a b", "ex://evil", "<ex:a>", "<>", "<relative/x>",
        "urn:x:y", "mailto:a@b.c", "file:///etc/passwd", "javascript:alert(1)", "zz:a",
        "http://[::1", "https://e.org/\u202eevil", "https://e.org/\ud800", "https://e.org/%ZZ",
        "ex:" + "a" * 5000, "<https://e.org/x> ; DROP ALL", "ex:a\n", "", "  ", "_:b0",
        "\"lit\"", "<https://e.org/" + rng.choice(INJECTIONS) + ">",
    ))


def hostile_date(rng: random.Random) -> str:
    return rng.choice((
        "2017", "2017-03", "2017-03-14", "2020-01-02T03:04:05Z", "2020-01-02T03:04:05+05:30",
        "2017-13", "2017-02-30", "9999-01-01", "2999", "0000", "٢٠١٧", "２０１７", "2017-01-01T25:00:00",
        "2017-01-01T00:00:00+25:00", "2017-01-01\n", "1e3", "", " ", "last spring", "-2017",
        "2017-1-1", "20170101", "2017-03-14T", "2017-03-14 10:00", "\ud800", "2017\x00",
    ))


def hostile_grade(rng: random.Random, valid: tuple[str, ...]) -> str:
    return rng.choice(valid + ("", "G", "a", "AB", valid[0] + "\n", " " + valid[0], "\ud800",
                               "0", "7", "３", "1.0", "-1", "high\n", "Ⅰ"))


@dataclass
class Case:
    """One generated command line, and how to read back what an accepted one stored."""

    label: str
    args: list[str]
    readback: Callable | None = None   # (ledger, result) -> list of (what, stored, expected)
    #: Run before the command (plant a link) and after it, whatever happened (remove it).
    setup: Callable | None = None
    teardown: Callable | None = None
    #: After the command: (figures, shown) -> None, counting what it finds wrong.
    check: Callable | None = None
    #: Run the import through the bulk path whatever the file's size.
    bulk: bool = False


class Hostile:
    """Generates hostile command lines against a ledger with some claims and sources."""

    def __init__(self, rng: random.Random, workdir: Path) -> None:
        self.rng = rng
        self.workdir = workdir
        self.n = 0
        self.claims: list[str] = []
        self.sources: list[str] = []
        self.evidence: list[str] = []
        workdir.mkdir(parents=True, exist_ok=True)
        self.secret = workdir / "secret.txt"
        self.secret.write_text(MARKER, encoding="utf-8")

    def case(self) -> Case:
        self.n += 1
        makers = [self.source_add, self.claim_add, self.claim_add, self.evidence_add,
                  self.evidence_add, self.verdict, self.link, self.retract, self.reading,
                  self.report, self.import_file, self.import_file, self.prefix, self.query,
                  self.policy, self.service_query, self.service_query, self.service_policy,
                  self.reserved_import, self.reserved_import, self.planted_link,
                  self.planted_link]
        return self.rng.choice(makers)()

    # -- generated attacks (benchmarks/attacks.py) ------------------------------------------
    #: Set by the torture loop: the listener on 127.0.0.1, the ledger, the figures.
    listener = None
    ledger_dir: Path | None = None
    figures: Figures | None = None

    def service_query(self) -> Case:
        attack = attacks.service_query(self.rng, self.listener.url, self.n)
        path = self.workdir / f"service{self.n}.rq"
        path.write_text(attack.text, encoding="utf-8")
        self.figures.attack_queries += 1

        def check(figures, shown, result):
            if attack.live and result.exit_code == 0:
                figures.problems.append(f"{shown}: a query naming SERVICE ran: {attack.text!r}")
        return Case("query (SERVICE)", ["query", str(path)], check=check)

    def service_policy(self) -> Case:
        attack = attacks.service_policy(self.rng, self.listener.url, self.n)
        path = self.workdir / f"service-policy{self.n}.ttl"
        path.write_text(attack.text, encoding="utf-8")
        self.figures.attack_policies += 1

        def check(figures, shown, result):
            if attack.live and result.exit_code == 0:
                figures.problems.append(f"{shown}: a policy naming SERVICE was added")
        return Case("policy add (SERVICE)", ["policy", "add", str(path), "--name", f"svc{self.n}"],
                    check=check)

    def reserved_import(self) -> Case:
        state = _reserved_state(self.ledger_dir)
        ext, data = attacks.reserved_import(self.rng, BASE, state[0], self.n)
        path = self.workdir / f"reserved{self.n}{ext}"
        path.write_bytes(data)
        self.figures.attack_imports += 1

        def check(figures, shown, result):
            after = _reserved_state(self.ledger_dir)
            new = ({f"{BASE}event/{after[0]}/added", f"{BASE}event/{after[0]}/removed"}
                   if after[0] > state[0] else set())
            wrong = []
            if not after[1] - state[1] <= new:
                wrong.append(f"new named graphs {sorted(after[1] - state[1] - new)}")
            if not set(state[2]) <= set(after[2]) or len(after[2]) != len(state[2]):
                wrong.append(f"the ledger node changed: {sorted(set(after[2]) ^ set(state[2]))}")
            if {k: v for k, v in after[3].items() if k in state[3]} != state[3]:
                wrong.append("a prefix was re-mapped")
            if wrong:
                figures.reserved_writes += 1
                figures.problems.append(f"{shown}: {'; '.join(wrong)}: {data[:300]!r}")
        return Case(f"import (reserved, {ext[1:]})", ["import", str(path)], check=check,
                    bulk=self.rng.random() < 0.5)

    def planted_link(self) -> Case:
        rng = self.rng
        where, name = attacks.link_targets(rng)
        ledger = self.ledger_dir
        outside = self.workdir / "outside"
        outside.mkdir(exist_ok=True)
        canary, canary_dir = outside / "canary.txt", outside / "canary-dir"
        canary.write_text("outside the ledger\n")
        canary_dir.mkdir(exist_ok=True)
        (canary_dir / "keep.txt").write_text("keep\n")
        exports = self.workdir / "exports"
        exports.mkdir(exist_ok=True)
        current = ledger / "store"
        if (ledger / "CURRENT").is_file():
            current = ledger / (ledger / "CURRENT").read_text().strip()
        link = {"ledger": ledger / name, "store": current / name,
                "store-dir": current}.get(where, exports / name.replace("OUT", "out.trig"))
        target = canary_dir if (where == "store-dir" or name.startswith("store-")) else canary
        moved = outside / f"moved-{self.n}-{link.name}"
        data = self.workdir / "one.nt"
        data.write_text(f"<https://e.org/link{self.n}> <https://e.org/p> \"x\" .\n")
        args = rng.choice([["claim", "list"], ["source", "add", f"ln{self.n}", "--title", "T"],
                           ["export", "-o", str(exports / "out.trig")], ["verify"], ["log"],
                           ["import", str(data)]])
        before: dict = {}
        self.figures.attack_links += 1

        def setup():
            if link.exists() or link.is_symlink():
                link.rename(moved)
            link.symlink_to(target)
            before.update({p: (p.read_bytes(), p.stat().st_mtime_ns)
                           for p in (canary, canary_dir / "keep.txt")})

        def teardown():
            if link.is_symlink():
                link.unlink()
            if moved.exists() or moved.is_symlink():
                moved.rename(link)

        def check(figures, shown, result):
            touched = [str(p) for p, (content, mtime) in before.items()
                       if not p.exists() or p.read_bytes() != content or p.stat().st_mtime_ns != mtime]
            if sorted(x.name for x in canary_dir.iterdir()) != ["keep.txt"]:
                touched.append(str(canary_dir))
            if touched:
                figures.outside_touched += 1
                figures.problems.append(f"{shown} with a link at {link}: touched {touched}")
        return Case(f"link at {where}/{name}: {args[0]}", args, setup=setup, teardown=teardown,
                    check=check)

    # -- writes ----------------------------------------------------------------------------
    def source_add(self) -> Case:
        rng = self.rng
        slug = hostile_slug(rng, self.n) if rng.random() < 0.5 else f"hs{self.n}"
        title = hostile_text(rng)
        args = ["source", "add", slug, "--title", title]
        if rng.random() < 0.3:
            args += ["--url", hostile_iri(rng)]
        if rng.random() < 0.4:
            args += ["--published", hostile_date(rng)]
        if rng.random() < 0.4:
            args += ["--reliability", hostile_grade(rng, GRADES)]
        if rng.random() < 0.3:
            args += ["--kind", rng.choice(KINDS + ("blog", "", "document\n"))]
        justification = None
        if rng.random() < 0.2:
            justification = hostile_text(rng)
            args += ["--anonymous", "--justification", justification, "--known-to", "editor"]

        def readback(led, result):
            record = led.sources.get(slug)
            out = [("title", record.title, title)]
            if justification is not None:
                out.append(("justification", record.justification, justification))
            return out
        return Case("source add", args, readback)

    def claim_add(self) -> Case:
        rng = self.rng
        slug = hostile_slug(rng, self.n) if rng.random() < 0.4 else f"hc{self.n}"
        text = hostile_text(rng)
        args = ["claim", "add", slug, "--subject", hostile_iri(rng) if rng.random() < 0.4 else "ex:s",
                "--predicate", hostile_iri(rng) if rng.random() < 0.3 else "ex:p", "--text", text]
        value = None
        if rng.random() < 0.4:
            args += ["--object", hostile_iri(rng)]
        else:
            value = hostile_text(rng)
            args += ["--value", value]
            if rng.random() < 0.2:
                args += ["--lang", rng.choice(("en", "fr-CA", "en\n", "x" * 9, "", "e n", "\ud800"))]
                value = None  # stored with a language tag: checked through the text
            elif rng.random() < 0.2:
                args += ["--datatype", rng.choice(("xsd:integer", "xsd:date", "xsd:byte",
                                                   "rdf:langString", "ex:dt", "<bad iri>"))]
                value = None
        if rng.random() < 0.2:
            args += ["--text-lang", rng.choice(("en", "de", "en\n", "", "12345678901"))]
        if rng.random() < 0.2:
            args += ["--confidence", hostile_grade(rng, ("low", "moderate", "high"))]

        def readback(led, result):
            record = led.claims.get(slug)
            out = [("text", record.text, text)]
            if value is not None:
                from claimledger.model import vocab as V

                stored = led.store.triples(led.iri("claim", slug), V.OBJECT, None)
                out.append(("value", next(iter(stored)).object.value, value))
            return out
        return Case("claim add", args, readback)

    def evidence_add(self) -> Case:
        rng = self.rng
        claim = rng.choice(self.claims) if self.claims and rng.random() < 0.8 else hostile_slug(rng, self.n)
        source = rng.choice(self.sources) if self.sources and rng.random() < 0.8 else hostile_slug(rng, self.n)
        args = ["evidence", "add", claim, source, "--format", "json",
                rng.choice(("--supports", "--contradicts"))]
        quote = locator = None
        if rng.random() < 0.7:
            quote = hostile_text(rng)
            args += ["--quote", quote]
            if rng.random() < 0.3:
                args += ["--prefix", hostile_text(rng, huge=False)]
        if rng.random() < 0.5:
            locator = hostile_text(rng, huge=False)
            args += ["--locator", locator]
        if rng.random() < 0.3:
            args += ["--credibility", hostile_grade(rng, CREDIBILITY)]
        if rng.random() < 0.2:
            args += ["--attributed-to", rng.choice(self.sources) if self.sources else hostile_slug(rng, 0)]

        def readback(led, result):
            created = json.loads(result.stdout)["created"]
            record = led.claims.get(claim)
            ev = next(e for e in record.evidence if e.id == created)
            out = []
            if quote is not None:
                out.append(("quote", ev.quote, quote))
            if locator is not None:
                out.append(("locator", ev.locator, locator))
            return out
        return Case("evidence add", args, readback)

    def verdict(self) -> Case:
        rng = self.rng
        claim = rng.choice(self.claims) if self.claims and rng.random() < 0.7 else hostile_slug(rng, self.n)
        reason = hostile_text(rng)
        args = ["claim", "verdict", claim, rng.choice(("refuted", "retracted", "false", "")),
                "--reason", reason, "--format", "json"]

        def readback(led, result):
            stored = [v.reason for v in led.claims.get(claim).verdicts]
            return [("reason", reason if reason in stored else stored, reason)]
        return Case("claim verdict", args, readback)

    def link(self) -> Case:
        rng = self.rng
        slug = rng.choice(self.sources) if self.sources else "nope"
        return Case("source link", ["source", "link", slug, "--derived-from", hostile_slug(rng, self.n),
                                    "--reason", hostile_text(rng, huge=False)])

    def retract(self) -> Case:
        rng = self.rng
        ev = hostile_slug(rng, self.n)
        if self.evidence and rng.random() < 0.3:
            ev = rng.choice(self.evidence)
        return Case("evidence retract", ["evidence", "retract", ev, "--reason", hostile_text(rng)])

    def prefix(self) -> Case:
        rng = self.rng
        name = rng.choice((f"p{self.n}", hostile_slug(rng, self.n), "ex", "cl", "a:b", "1a"))
        iri = rng.choice((f"https://p.example.org/{self.n}/", hostile_iri(rng), "https://p.example.org/x"))
        return Case("prefix add", ["prefix", "add", name, iri])

    # -- reading ---------------------------------------------------------------------------
    def reading(self) -> Case:
        rng = self.rng
        junk = hostile_slug(rng, self.n) if rng.random() < 0.6 else rng.choice(INJECTIONS)
        args = rng.choice((
            ["claim", "show", junk, "--format", "json"], ["source", "show", junk],
            ["claim", "list", "--status", hostile_grade(rng, ("unsourced", "contested"))],
            ["claim", "list", "--confidence", junk], ["log", junk],
            ["claim", "list", "--wait", rng.choice(("nan", "-1", "abc", "inf", "1e309", "0"))],
            ["claim", "show", rng.choice(self.claims) if self.claims else junk, "--history"],
        ))
        return Case("read", args)

    def report(self) -> Case:
        rng = self.rng
        junk = rng.choice(INJECTIONS) if rng.random() < 0.5 else hostile_text(rng, huge=False)
        args = rng.choice((
            ["report", "impact", "--param", f"source={junk}"],
            ["report", "impact", "--param", f"source={rng.choice(self.sources) if self.sources else 'x'}"],
            ["report", "stale", "--param", f"before={hostile_date(rng)}"],
            ["report", "stale", "--param", f"before={junk}"],
            ["report", junk],
            ["report", "single-anecdote", "--param", f"{junk}=1"],
            ["report", "contested", "--format", rng.choice(("csv", "json", "tsv", "markdown"))],
        ))
        return Case("report", args)

    def query(self) -> Case:
        rng = self.rng
        text = rng.choice((
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            "DROP ALL",
            "SELECT * WHERE { ?s ?p ?o } LIMIT 1 ; DROP ALL",
            "SELECT * WHERE { ?s ?p ?o FILTER(?o = \"" + rng.choice(INJECTIONS) + "\") }",
            "# comment\nCLEAR DEFAULT",
            "PREFIX x: <urn:x>\nDELETE WHERE { ?s ?p ?o }",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            "ASK { ?s ?p ?o",
            "SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }",
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "LOAD <file:///etc/passwd>",
        ))
        path = self.workdir / f"q{self.n}.rq"
        path.write_text(text, encoding="utf-8")
        return Case("query", ["query", str(path)])

    def policy(self) -> Case:
        rng = self.rng
        shape = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                 "<urn:torture:Shape> a sh:NodeShape ; sh:targetClass <urn:torture:Nothing> ;\n")
        body = rng.choice((
            shape + '  sh:sparql [ sh:message "m" ; sh:select """SELECT $this WHERE { SERVICE '
                    '<http://127.0.0.1:9/sparql> { ?s ?p ?o } }""" ] .\n',
            shape + '  sh:sparql [ sh:message "m" ; sh:select "SELECT ?x WHERE { }" ] .\n',
            shape + "  sh:property [ sh:path <urn:torture:p> ; sh:minCount 1 ] .\n",
            shape + f"  sh:message {_nt_literal(hostile_text(rng, huge=False) or 'm')} ;"
                    " sh:property [ sh:path <urn:torture:p> ; sh:maxCount 1 ] .\n",
            "this is { not Turtle", "", "@prefix x: <urn:x> . x:a x:b x:c .",
        ))
        path = self.workdir / f"policy{self.n}.ttl"
        path.write_text(body, encoding="utf-8")
        name = f"pol{self.n}" if rng.random() < 0.6 else hostile_slug(rng, self.n)
        return Case("policy add", ["policy", "add", str(path), "--name", name])

    # -- files -----------------------------------------------------------------------------
    def import_file(self) -> Case:
        rng = self.rng
        kind = rng.choice(("truncated", "truncated", "jsonld", "nested", "remote", "xxe", "laughs",
                           "star", "oversize", "garbage", "graph", "valid", "valid", "huge-literal"))
        n = self.n
        good = ("@prefix cl: <https://w3id.org/claimledger#> .\n@prefix schema: <http://schema.org/> .\n"
                "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
                "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                f"<{BASE}source/imp{n}> a cl:Source ; schema:name {_nt_literal(hostile_text(rng, huge=False) or 'x')} ;\n"
                f"  cl:kind cl:kind-dataset ; cl:reliability cl:reliability-C ; cl:anonymous false ;\n"
                f"  prov:wasAttributedTo <{BASE}agent/importer> ;\n"
                '  prov:generatedAtTime "2020-01-01T00:00:00Z"^^xsd:dateTime .\n')
        args_extra: list[str] = []
        if kind == "truncated":
            ext = rng.choice((".ttl", ".trig"))
            text = good if ext == ".ttl" else "{ " + good + " }"
            data = text.encode()[: rng.randint(1, len(text.encode()) - 2)]
        elif kind == "jsonld":
            ext = ".jsonld"
            data = rng.choice((b'{"@context": 5, "@id": }', b'{"@id": "relative", "http://e.org/p": [',
                               b'[{"@id": "https://e.org/a", "@type": {"@id": 1}}]', b"\xff\xfe{}",
                               b'{"@context": {"@vocab": 7}, "a": 1}', b"null", b'"just a string"'))
        elif kind == "nested":
            ext = ".jsonld"
            depth = rng.choice((1000, 70_000, 200_000))
            data = (b'{"https://e.org/p": ' * depth) + b"1" + (b"}" * depth) if rng.random() < 0.5 \
                else b"[" * depth + b"]" * depth
        elif kind == "remote":
            ext = ".jsonld"
            ctx = rng.choice(("https://schema.org/", "http://127.0.0.1:9/context.jsonld",
                              ["https://w3id.org/security/v1", {"x": "https://e.org/x"}]))
            data = json.dumps({"@context": ctx, "@id": "https://e.org/a", "name": "x"}).encode()
        elif kind == "xxe":
            ext = ".rdf"
            decl = rng.choice((f'<!ENTITY xxe SYSTEM "file://{self.secret}">',
                               f"<!ENTITY xxe SYSTEM '{self.secret}'>",
                               f'<!ENTITY % xxe SYSTEM "file://{self.secret}"> %xxe;',
                               f'<!ENTITY xxe PUBLIC "-//x//EN" "file://{self.secret}">'))
            data = (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ {decl} ]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                    'xmlns:ex="https://e.org/"><rdf:Description rdf:about="https://e.org/xxe">'
                    '<ex:p>&xxe;</ex:p></rdf:Description></rdf:RDF>').encode()
        elif kind == "laughs":
            ext = ".rdf"
            levels = rng.choice((3, 7, 10))
            ents = ['<!ENTITY a "aaaaaaaaaa">'] + [
                f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(levels - 1)]
            data = ('<?xml version="1.0"?><!DOCTYPE rdf:RDF [ ' + " ".join(ents) + ' ]>'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                    'xmlns:ex="https://e.org/"><rdf:Description rdf:about="https://e.org/lol">'
                    f'<ex:p>&{chr(97 + levels - 1)};</ex:p></rdf:Description></rdf:RDF>').encode()
        elif kind == "star":
            ext = ".ttl"
            data = rng.choice((b"<< <https://e.org/a> <https://e.org/b> <https://e.org/c> >> <https://e.org/p> 1 .",
                               b"<https://e.org/s> <https://e.org/p> <<( <https://e.org/a> <https://e.org/b> <https://e.org/c> )>> ."))
        elif kind == "oversize":
            ext = ".ttl"
            data = good.encode()
            args_extra = ["--max-size", str(rng.randint(0, len(data) - 1))]
        elif kind == "garbage":
            ext = rng.choice((".ttl", ".nt", ".nq", ".rdf", ".jsonld", ".trig"))
            data = bytes(rng.randrange(256) for _ in range(rng.randint(1, 400)))
        elif kind == "graph":
            ext = ".trig"
            data = b"<https://e.org/g> { <https://e.org/a> <https://e.org/p> <https://e.org/o> }"
        elif kind == "huge-literal":
            ext = ".ttl"
            size = rng.choice((2 << 20, 17 << 20))
            data = b'<https://e.org/big> <https://e.org/p> "' + b"y" * size + b'" .\n'
        else:
            ext = ".ttl"
            data = good.encode()
        path = self.workdir / f"import-{n}-{kind}{ext}"
        path.write_bytes(data)
        return Case(f"import {kind}", ["import", str(path), *args_extra])


def _nt_literal(text: str) -> str:
    from pyoxigraph import Literal

    try:
        return str(Literal(text))
    except Exception:
        return '"x"'


def _ledger_fingerprint(ledger_dir: Path) -> tuple[str, int]:
    """The head hash and the number of quads: any write changes one of them."""
    from claimledger import audit
    from claimledger.ledger import Ledger

    with Ledger.open(ledger_dir, timeout=10) as led:
        rows = list(led.store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"))
        return audit.head(led.store, led.base).hash, int(rows[0]["n"].value)


def _reserved_state(ledger_dir: Path) -> tuple[int, frozenset, list[str], dict]:
    """What only claimledger writes: the number of events, the named graphs, the ledger
    node's triples, the prefixes."""
    from claimledger import audit
    from claimledger.ledger import Ledger

    with Ledger.open(ledger_dir, timeout=10) as led:
        graphs = frozenset(r["g"].value for r in led.store.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
        node = sorted(str(t) for t in led.store.triples(led.node, None, None))
        return audit.head(led.store, led.base).sequence, graphs, node, dict(led.prefixes)


def library_attacks(rng: random.Random, ledger_dir: Path, listener, figures: Figures,
                    count: int) -> None:
    """Generated SERVICE queries, policies and report parameters run through the library, in
    this process, on the ledger as it stands: none may run SERVICE (the listener hears)."""
    from claimledger.errors import ClaimLedgerError, InputError
    from claimledger.ledger import Ledger
    from claimledger.query import reports
    from claimledger.query.user import run_on
    from claimledger.validation import ShapeSet, validate_store

    def guarded(what: str, text: str, call) -> None:
        try:
            call()
        except ClaimLedgerError:
            pass
        except Exception as exc:  # anything else is a bug
            figures.tracebacks += 1
            figures.problems.append(f"{what}: {type(exc).__name__}: {exc} on {text[:200]!r}")

    with Ledger.open(ledger_dir, timeout=10) as led:
        specs = [s for s in reports.available() if s.params]
        for i in range(count):
            attack = attacks.service_query(rng, listener.url, i)
            figures.attack_queries += 1
            try:
                run_on(led, attack.text)
            except ClaimLedgerError:
                continue
            except Exception as exc:
                figures.tracebacks += 1
                figures.problems.append(f"query: {type(exc).__name__}: {exc}: {attack.text[:200]!r}")
                continue
            if attack.live:
                figures.problems.append(f"a query naming SERVICE ran: {attack.text[:300]!r}")
        for i in range(max(1, count // 5)):
            attack = attacks.service_policy(rng, listener.url, i)
            figures.attack_policies += 1
            try:
                shapes = ShapeSet([(f"p{i}", attack.text)])
            except InputError:
                continue
            if attack.live:
                figures.problems.append(f"a policy naming SERVICE was accepted: {attack.text[:300]!r}")
            guarded("policy", attack.text, lambda: validate_store(led.store, shapes))
        for i in range(max(1, count // 5)):
            spec = rng.choice(specs)
            value = rng.choice([listener.url, f"<{listener.url}x>", f"SERVICE <{listener.url}> {{}}",
                                attacks.service_query(rng, listener.url, i).text])
            figures.attack_reports += 1
            guarded("report", value,
                    lambda: reports.run(led, spec.name, {p.name: value for p in spec.params}))


def _error_message(stderr: str) -> bool:
    """Whether ``stderr`` says what went wrong: ``Error: …``, or with ``--format json`` the JSON
    error object (``{"error": …, "exit_code": …}``)."""
    if "Error" in stderr:
        return True
    for text in (stderr.strip(), stderr.strip().partition("\n")[0]):
        try:
            return bool(json.loads(text).get("error"))
        except (ValueError, AttributeError):
            continue
    return False


def _marker_in_ledger(ledger_dir: Path) -> bool:
    from claimledger.ledger import Ledger

    with Ledger.open(ledger_dir, timeout=10) as led:
        rows = led.store.query(
            "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(CONTAINS(STR(?o), \"%s\")) }"
            % MARKER)
        return bool(rows)


def run_case(runner, cli, ledger_dir: Path, case: Case, figures: Figures) -> None:
    """Run one hostile command line in process and judge the outcome."""
    from claimledger.interchange import rdf

    before = _ledger_fingerprint(ledger_dir)
    env = {"CLAIMLEDGER_LEDGER": str(ledger_dir), "CLAIMLEDGER_AGENT": "hostile",
           "CLAIMLEDGER_LOCK_TIMEOUT": "10", "CLAIMLEDGER_DEBUG": ""}
    threshold = rdf.BULK_BYTES
    if case.bulk:
        rdf.BULK_BYTES = 0
    if case.setup is not None:
        case.setup()
    try:
        result = runner.invoke(cli, case.args, env=env, catch_exceptions=True)
    finally:
        rdf.BULK_BYTES = threshold
        if case.teardown is not None:
            case.teardown()
    figures.bad_inputs += 1
    output = (result.stdout or "") + (result.stderr or "")
    shown = f"{case.label} {_short(case.args)}"
    if (result.exception is not None and not isinstance(result.exception, SystemExit)) \
            or result.exit_code not in (0, 1, 2) or "Traceback" in output or "internal error" in output:
        figures.tracebacks += 1
        figures.problems.append(f"traceback/internal error (exit {result.exit_code}) on {shown}: "
                                f"{_short(output or repr(result.exception), 300)}")
        return
    if case.check is not None:
        case.check(figures, shown, result)
    after = _ledger_fingerprint(ledger_dir)
    if result.exit_code == 0:
        figures.bad_accepted += 1
        if case.readback is not None:
            from claimledger.ledger import Ledger

            with Ledger.open(ledger_dir, timeout=10) as led:
                try:
                    checks = case.readback(led, result)
                except Exception as exc:
                    checks = [("readback", f"{type(exc).__name__}: {exc}", "a readable record")]
            for what, stored, expected in checks:
                if stored != expected:
                    figures.bad_corrupted += 1
                    figures.problems.append(f"{shown}: {what} stored as {_short(stored)}, "
                                            f"given {_short(expected)}")
        if case.args[0] == "import" and _marker_in_ledger(ledger_dir):
            figures.bad_corrupted += 1
            figures.problems.append(f"{shown}: the external entity's file content reached the ledger")
        return
    if result.exit_code == 1:
        figures.bad_refused_rule += 1
    else:
        figures.bad_refused_input += 1
    if not _error_message(result.stderr or ""):
        figures.problems.append(f"{shown}: exit {result.exit_code} without an 'Error: …' message: "
                                f"{_short(output, 200)}")
    if after != before and case.args[0] not in ("validate", "verify"):
        figures.bad_corrupted += 1
        figures.problems.append(f"{shown}: refused (exit {result.exit_code}) but the ledger changed")


#: Command lines with argv bytes that are not UTF-8, run in a real subprocess.
def subprocess_cases(rng: random.Random, ledger_dir: Path) -> list[list[bytes]]:
    led = os.fsencode(ledger_dir)
    bad = rng.choice((b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xe2\x82", b"\x80abc", b"ok\xfe\xff"))
    return [
        [b"source", b"add", b"s" + bad, b"--title", b"T", b"--ledger", led],
        [b"source", b"add", b"sx", b"--title", b"T" + bad, b"--ledger", led],
        [b"claim", b"add", b"cx", b"--subject", b"ex:a" + bad, b"--predicate", b"ex:p",
         b"--object", b"ex:o", b"--text", b"t", b"--ledger", led],
        [b"claim", b"show", bad, b"--ledger", led],
        [b"claim", b"list", b"--ledger", led + bad],
        [b"report", b"impact", b"--param", b"source=" + bad, b"--ledger", led],
    ]


def run_subprocess_case(args: list[bytes], figures: Figures, ledger_dir: Path) -> None:
    before = _ledger_fingerprint(ledger_dir)
    env = dict(os.environ, CLAIMLEDGER_AGENT="hostile", CLAIMLEDGER_LOCK_TIMEOUT="10")
    env.pop("CLAIMLEDGER_DEBUG", None)
    proc = subprocess.run([os.fsencode(sys.executable), b"-m", b"claimledger.cli", *args],
                          capture_output=True, env=env, timeout=120)
    figures.bad_inputs += 1
    figures.bad_subprocess += 1
    out = proc.stdout + proc.stderr
    shown = _short(args)
    if proc.returncode not in (0, 1, 2) or b"Traceback" in out or b"internal error" in out:
        figures.tracebacks += 1
        figures.problems.append(f"subprocess {shown}: exit {proc.returncode}: {out[:300]!r}")
        return
    if proc.returncode == 0:
        figures.bad_accepted += 1
        return
    figures.bad_refused_input += 1
    if _ledger_fingerprint(ledger_dir) != before:
        figures.bad_corrupted += 1
        figures.problems.append(f"subprocess {shown}: refused but the ledger changed")


def _short(value, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# =============================================================================================
# The torture loop
# =============================================================================================

def _spawn_writer(ledger_dir: Path, generation: int, seed: int, kill_at_commit: int,
                  kill_how: str, workdir: Path):
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "writer", str(ledger_dir), str(generation),
         str(seed), str(kill_at_commit), kill_how, str(workdir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
    lines: list[str] = []
    begun = threading.Condition()
    count = [0]

    def read() -> None:
        for line in proc.stdout:
            with begun:
                lines.append(line.rstrip("\n"))
                if line.startswith("BEGIN "):
                    count[0] += 1
                begun.notify_all()

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return proc, lines, begun, count, thread


def run_torture(kills: int = 200, ledger: str | os.PathLike[str] | None = None, seed: int = 0,
                bad_per_kill: int = 5, subprocess_every: int = 10, attacks_per_kill: int = 20,
                log: Callable[[str], None] | None = print) -> Figures:
    """Kill a writer ``kills`` times and check the ledger after each kill (see the module doc).

    :param ledger: the ledger directory to create (a new temporary one by default).
    :param bad_per_kill: hostile command lines to run (in process) after each kill.
    :param subprocess_every: every this many kills, also run the non-UTF-8 argv cases in real
        subprocesses (0: never).
    :param attacks_per_kill: generated SERVICE queries run through the library after each
        kill (and a fifth as many policies and report parameters); every one aims at a
        listener on 127.0.0.1 that must receive nothing.
    """
    from click.testing import CliRunner

    from claimledger.cli import cli
    from claimledger.ledger import Ledger

    started = time.monotonic()
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="claimledger-torture-"))
    ledger_dir = Path(ledger) if ledger is not None else tmp / "ledger"
    figures = Figures()
    with Ledger.create(ledger_dir, base=BASE, agent="torture") as led:
        led.add_prefix("ex", EX)
    previous_seq = _fingerprint_seq(ledger_dir)
    imports = tmp / "imports"
    imports.mkdir()
    hostile = Hostile(random.Random(f"hostile/{seed}"), tmp / "hostile")
    listener = attacks.Listener()
    hostile.listener, hostile.ledger_dir, hostile.figures = listener, ledger_dir, figures
    runner = CliRunner()
    acks: list[dict] = []
    say = log or (lambda message: None)
    try:
        for k in range(1, kills + 1):
            mode = rng.choices(("timer", "in-flight", "commit", "bulk"), weights=(3, 3, 3, 1))[0]
            how = "-"
            if mode == "commit":
                how = rng.choice(("before", "during", "during", "after"))
            elif mode == "bulk":
                how = rng.choice(("bulk-timer", "bulk-before-swap", "bulk-after-pointer",
                                  "bulk-after-swap"))
            label = {"commit": f"commit-{how}", "bulk": how}.get(mode, mode)
            figures.kills += 1
            figures.kill_modes[label] = figures.kill_modes.get(label, 0) + 1
            target = rng.randint(1, 12) if mode == "in-flight" else rng.randint(1, 6)
            clock = time.monotonic()
            proc, lines, begun, count, thread = _spawn_writer(
                ledger_dir, k, seed, target if mode == "commit" else 0, how, imports)
            if mode == "timer":
                time.sleep(rng.uniform(0.3, 3.0))
            elif mode == "in-flight":
                with begun:
                    begun.wait_for(lambda: count[0] >= target or proc.poll() is not None, timeout=60)
                time.sleep(rng.uniform(0.0, 0.08))
            elif how == "bulk-timer":
                with begun:
                    begun.wait_for(lambda: any('"bulk import"' in x for x in lines)
                                   or proc.poll() is not None, timeout=120)
                time.sleep(rng.uniform(0.0, 4.0))
            else:
                try:
                    proc.wait(timeout=90)
                except subprocess.TimeoutExpired:  # slow commands: kill it from here instead
                    figures.kill_modes[label] -= 1
                    label = f"{label} (late: killed by the timer)"
                    figures.kill_modes[label] = figures.kill_modes.get(label, 0) + 1
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
            thread.join(timeout=10)
            stderr = proc.stderr.read()
            proc.stderr.close()
            if proc.returncode != -signal.SIGKILL:
                figures.writer_crashes += 1
                figures.problems.append(f"kill {k}: the writer exited {proc.returncode} before the "
                                        f"kill: {stderr[-800:]}")
            round_acks, in_flight, pending = [], None, None
            for line in lines:
                tag, _, payload = line.partition(" ")
                if tag == "BEGIN":
                    pending = json.loads(payload)
                    figures.writes_attempted += 1
                elif tag == "ACK":
                    round_acks.append(json.loads(payload))
                    pending = None
                elif tag == "REFUSED":
                    figures.refused_writes += 1
                    pending = None
            in_flight = pending
            figures.kills_in_flight += in_flight is not None
            acks.extend(round_acks)
            figures.acknowledged_writes += len(round_acks)
            clock = _lap(figures, "writers", clock)
            before = (figures.acknowledged_lost, figures.half_applied, figures.verify_failures,
                      figures.open_failures, len(figures.problems))
            figures.kills_in_bulk += bool(in_flight and in_flight["command"] == "bulk import")
            previous_seq = check_after_kill(ledger_dir, read_only=k % 2 == 1, acks=acks,
                                            round_acks=round_acks, in_flight=in_flight,
                                            previous_seq=previous_seq, figures=figures)
            survived = before[:4] == (figures.acknowledged_lost, figures.half_applied,
                                      figures.verify_failures, figures.open_failures)
            figures.kills_survived += survived
            clock = _lap(figures, "checks", clock)
            # hostile input against the ledger as it now stands
            _refresh(hostile, ledger_dir)
            for _ in range(bad_per_kill):
                run_case(runner, cli, ledger_dir, hostile.case(), figures)
            library_attacks(random.Random(f"attacks/{seed}/{k}"), ledger_dir, listener, figures,
                            attacks_per_kill)
            if subprocess_every and k % subprocess_every == 0:
                for args in subprocess_cases(rng, ledger_dir):
                    run_subprocess_case(args, figures, ledger_dir)
            previous_seq = _fingerprint_seq(ledger_dir)
            clock = _lap(figures, "bad input", clock)
            say(f"kill {k}/{kills} [{label}{' in flight: ' + in_flight['command'] if in_flight else ''}]: "
                f"{len(round_acks)} acknowledged, {'ok' if survived else 'PROBLEMS'}; "
                f"bad inputs {figures.bad_inputs}, tracebacks {figures.tracebacks}"
                + ("" if len(figures.problems) == before[4] else
                   "\n  " + "\n  ".join(figures.problems[before[4]:before[4] + 5])))
        with Ledger.open(ledger_dir, timeout=10) as led:
            from claimledger.model import vocab as V

            figures.events = _fingerprint_seq(ledger_dir)
            figures.claims = sum(1 for _ in led.store.triples(None, V.TYPE, V.CLAIM))
    finally:
        figures.requests_out = listener.reached
        if listener.reached:
            figures.problems.append(f"the listener on 127.0.0.1 received {listener.reached}: "
                                    f"{listener.requests[:5]}")
        listener.close()
        figures.seconds = time.monotonic() - started
        if ledger is None:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            shutil.rmtree(tmp / "hostile", ignore_errors=True)
    return figures


def _lap(figures: Figures, phase: str, since: float) -> float:
    now = time.monotonic()
    figures.phase_seconds[phase] = figures.phase_seconds.get(phase, 0.0) + now - since
    return now


def _fingerprint_seq(ledger_dir: Path) -> int:
    from claimledger import audit
    from claimledger.ledger import Ledger

    with Ledger.open(ledger_dir, timeout=10) as led:
        return audit.head(led.store, led.base).sequence


def _refresh(hostile: Hostile, ledger_dir: Path) -> None:
    """Let the hostile generator name real claims, sources and evidence."""
    from claimledger.model import vocab as V
    from claimledger.ledger import Ledger

    with Ledger.open(ledger_dir, timeout=10) as led:
        store = led.store
        hostile.claims = [led.slug(t.subject) for t in store.triples(None, V.TYPE, V.CLAIM)][-50:]
        hostile.sources = [led.slug(t.subject) for t in store.triples(None, V.TYPE, V.SOURCE)][-50:]
        hostile.evidence = [led.slug(t.subject) for t in store.triples(None, V.TYPE, V.EVIDENCE)][-50:]


# =============================================================================================
# README figures and the command line
# =============================================================================================

def readme_block(figures: Figures, *, seed: int) -> str:
    today = _dt.date.today().isoformat()
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    try:
        import pyoxigraph

        machine += f", pyoxigraph {pyoxigraph.__version__}"
    except Exception:
        pass
    rows = [
        ("kills survived (SIGKILL, writer reopened each time)",
         f"{figures.kills_survived} of {figures.kills}"),
        ("… when (kill modes)", _modes_text(figures.kill_modes)),
        ("… killed with a command in flight (of which a bulk import)",
         f"{figures.kills_in_flight} ({figures.kills_in_bulk})"),
        ("writes attempted / acknowledged", f"{figures.writes_attempted:,} / {figures.acknowledged_writes:,}"),
        ("committed, killed before the acknowledgement (allowed: at most the one in flight)",
         str(figures.committed_unacknowledged)),
        ("**acknowledged writes lost**", f"**{figures.acknowledged_lost}**"),
        ("**half-applied commands**", f"**{figures.half_applied}**"),
        ("`verify` failures after a kill", str(figures.verify_failures)),
        ("generated bad inputs tried (in real subprocesses)",
         f"{figures.bad_inputs:,} ({figures.bad_subprocess})"),
        ("… accepted and stored verbatim / refused exit 1 / refused exit 2",
         f"{figures.bad_accepted} / {figures.bad_refused_rule} / {figures.bad_refused_input}"),
        ("**tracebacks (or exit 3)**", f"**{figures.tracebacks}**"),
        ("bad input that changed or mangled the ledger", str(figures.bad_corrupted)),
        ("generated attacks: SERVICE queries / policies / report parameters (at a listener on "
         "127.0.0.1)", f"{figures.attack_queries:,} / {figures.attack_policies:,} / "
                       f"{figures.attack_reports:,}"),
        ("… imports aimed at reserved graphs and the ledger node / links planted at the "
         "ledger's files", f"{figures.attack_imports:,} / {figures.attack_links:,}"),
        ("**requests out** (received by the listener)", f"**{figures.requests_out}**"),
        ("**reserved-graph writes**", f"**{figures.reserved_writes}**"),
        ("**files outside the ledger touched**", f"**{figures.outside_touched}**"),
        ("time", f"{figures.seconds / 60:.1f} min"),
    ]
    lines = [f"Full run of `python benchmarks/torture.py --kills {figures.kills} --seed {seed}` on "
             f"{today} ({machine}); final ledger {figures.events:,} events, {figures.claims:,} claims.",
             "", "| figure | value |", "|---|---|"]
    lines += [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


def _modes_text(modes: dict) -> str:
    m = {k.split(" ")[0]: v for k, v in modes.items()}
    def n(*keys):
        return "/".join(str(m.get(k, 0)) for k in keys)
    commit = n("commit-before", "commit-during", "commit-after")
    bulk = n("bulk-timer", "bulk-before-swap", "bulk-after-pointer", "bulk-after-swap")
    return (f"at a random time {n('timer')}; after the k-th command began {n('in-flight')}; "
            f"at the k-th commit, before/during/after the update {commit}; in a bulk import, at "
            f"a random time/before the swap/right after CURRENT switched/after the swap {bulk}")


def write_readme(block: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(START) + len(START), text.index(END)
    README.write_text(text[:start] + "\n" + block + "\n" + text[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "writer":
        writer_main(argv[1], int(argv[2]), int(argv[3]), int(argv[4]), argv[5], argv[6])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200, help="how many times to kill the writer")
    parser.add_argument("--ledger", default=None, help="the ledger directory to create "
                        "(default: a temporary one, removed afterwards)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bad-per-kill", type=int, default=5,
                        help="hostile command lines to try after each kill")
    parser.add_argument("--attacks-per-kill", type=int, default=20,
                        help="generated SERVICE queries to run through the library after each kill")
    parser.add_argument("--write-readme", action="store_true",
                        help="write the figures between the torture markers in README.md")
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    figures = run_torture(args.kills, args.ledger, args.seed, bad_per_kill=args.bad_per_kill,
                          attacks_per_kill=args.attacks_per_kill)
    print()
    for line in figures.lines():
        print(line)
    if figures.problems:
        print(f"\n{len(figures.problems)} problem(s):")
        for p in figures.problems[:100]:
            print("  " + p)
    if args.json:
        Path(args.json).write_text(json.dumps(asdict(figures), indent=2), encoding="utf-8")
    if args.write_readme:
        write_readme(readme_block(figures, seed=args.seed))
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())
