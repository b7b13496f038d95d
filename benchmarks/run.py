"""The claimledger benchmark harness: one command, one table.

For each size N (claims) it generates a synthetic ledger (``generate.py``, cached in the work
directory), then measures, each step in its own subprocess so that peak memory is per step:

* bulk import into a fresh ledger (``Ledger.create`` + ``interchange.import_file``);
* recording one claim and one piece of evidence with their checks (median of ``--writes``
  calls of ``ledger.claims.add`` and ``ledger.evidence.add`` in a warm process);
* the audit trail's share of a write (the same writes with the event left out);
* what capture adds: ``source fetch`` of a local page and evidence with a quote pinned to its
  snapshot, beside the same evidence on a source without one;
* signing (issue 20): the bulk import again with the agent's Ed25519 key recorded first, so
  that the import's event is signed; and writes by an agent with a key (signed) alternating
  with writes by one without (unsigned), with the cost of one signature and one check;
* a full ``validate`` (``validation.validate_store``);
* every packaged report (``claimledger report --list``), median of several runs;
* the first page of ``claim list`` (50 claims; plain, as JSON, by status, by text search);
* export (TriG);
* and, where they finish within ``--baseline-timeout``, the same work done by plain rdflib
  and pyshacl on the same data: parsing the exported state, a report through rdflib's SPARQL
  engine, one pyshacl run of ``shapes/sourcing.ttl`` over the whole graph.

Wall time is what the targets are stated in; CPU time (user + system) is printed beside it
because the machine is shared and wall time is noisy. Each figure is the median of
``--repeat`` runs (a step whose first run takes longer than ``--repeat-below`` seconds is run
once). A step that exceeds ``--timeout`` is stopped and shown as such.

Usage::

    python benchmarks/run.py --sizes 1000,10000,100000,1000000 --repeat 3 --write-readme

See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__ in (None, ""):  # run as a script: the ``benchmarks`` package lives in ROOT
    sys.path.insert(0, str(ROOT))
README = ROOT / "README.md"
BASE = "https://example.org/bench/"
AGENT = "bench"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
DEFAULT_SIZES = (1000, 10_000, 100_000, 1_000_000)
#: The baseline comparisons also run on a ledger of this size (the README's 2,000 claims).
BASELINE_EXTRA = 2000

TARGETS = {
    "single_anecdote_1m_s": 3.0,
    "single_anecdote_vs_rdflib_2k": 1000.0,
    "write_ms": 50.0,
    "validate_100k_s": 60.0,
    "validate_1m_rss_mb": 8192.0,
    "import_1m_s": 180.0,
    "import_1m_rss_mb": 4096.0,
    "audit_overhead_100k": 0.20,
}


# ---------------------------------------------------------------------------------------------
# Steps: each runs in a child process (``run.py _step NAME ARGS-JSON``) and prints one JSON line.
# ---------------------------------------------------------------------------------------------

def _usage() -> dict:
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"rss_mb": ru.ru_maxrss / 1024, "cpu": ru.ru_utime + ru.ru_stime}


def step_generate(a: dict) -> dict:
    from benchmarks.generate import generate

    t = time.perf_counter()
    counts = generate(a["n"], a["out"], seed=a["seed"], base=BASE, derived=a.get("derived", False))
    return {"wall": time.perf_counter() - t, "counts": counts}


def step_import(a: dict) -> dict:
    from claimledger.interchange import import_file
    from claimledger.ledger import Ledger

    shutil.rmtree(a["ledger"], ignore_errors=True)
    t = time.perf_counter()
    led = Ledger.create(a["ledger"], base=BASE, agent=AGENT)
    try:
        size = Path(a["nt"]).stat().st_size
        result = import_file(led, a["nt"], max_bytes=size + 1)
        wall = time.perf_counter() - t
        return {"wall": wall, "added": result.added, "warnings": len(result.warnings),
                "phases": result.phases}
    finally:
        led.close()


def step_raw_load(a: dict) -> dict:
    """The engine alone: ``pyoxigraph.Store(dir).bulk_load`` of the same file (the import's
    baseline)."""
    import pyoxigraph as ox

    shutil.rmtree(a["dir"], ignore_errors=True)
    t = time.perf_counter()
    store = ox.Store(a["dir"])
    store.bulk_load(path=a["nt"], format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    wall = time.perf_counter() - t
    del store
    shutil.rmtree(a["dir"], ignore_errors=True)
    return {"wall": wall}


def step_raw_dump(a: dict) -> dict:
    """The engine alone: Oxigraph's own TriG dump of the ledger's store (the export's
    baseline)."""
    import pyoxigraph as ox

    from claimledger.ledger import Ledger

    with Ledger.open(a["ledger"]) as led:
        store_dir = str(led.store.store_dir)
    store = ox.Store.read_only(store_dir)
    t = time.perf_counter()
    with open(a["out"], "wb") as fh:
        store.dump(fh, ox.RdfFormat.TRIG)
    wall = time.perf_counter() - t
    size = Path(a["out"]).stat().st_size
    Path(a["out"]).unlink()
    return {"wall": wall, "bytes": size}


def step_cli_write(a: dict) -> dict:
    """One write as a whole CLI process (``claimledger claim add``, compiled bytecode in
    place, the compiled shapes in the run's cache directory, as a user's every write after
    the first finds them), beside ``python -c 'import claimledger.cli'``; medians."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["CLAIMLEDGER_AGENT"] = AGENT
    exe = str(Path(sys.executable).with_name("claimledger"))
    times, imports = [], []
    for k in range(a["writes"] + 1):  # the first run (writing bytecode, the plan) is not counted
        t = time.perf_counter()
        subprocess.run([exe, "claim", "add", f"cli-{os.getpid()}-{k}", "--ledger", a["ledger"],
                        "--subject", "https://example.org/entity/cli", "--predicate",
                        "https://example.org/entity/p", "--object",
                        f"https://example.org/entity/o{k}", "--text", f"CLI write {k}"],
                       env=env, check=True, capture_output=True)
        if k:
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import claimledger.cli"], env=env, check=True)
        if k:
            imports.append(time.perf_counter() - t)
    return {"wall": statistics.median(times), "import_wall": statistics.median(imports),
            "writes": len(times)}


SIGNER = "bench-signer"


def _key_dir(a: dict) -> None:
    """Private keys of the signing steps: a fresh directory in the work directory."""
    shutil.rmtree(a["keys"], ignore_errors=True)
    os.environ["CLAIMLEDGER_KEY_DIR"] = a["keys"]
    os.environ.pop("CLAIMLEDGER_KEY", None)


def step_import_signed(a: dict) -> dict:
    """``step_import`` with the agent's key recorded first (``key create``): the import's
    event is signed."""
    from claimledger import audit
    from claimledger.interchange import import_file
    from claimledger.ledger import Ledger
    from claimledger.model import vocab as V
    from claimledger.records.keys import create_key

    _key_dir(a)
    shutil.rmtree(a["ledger"], ignore_errors=True)
    t = time.perf_counter()
    led = Ledger.create(a["ledger"], base=BASE, agent=AGENT)
    try:
        create_key(led)
        size = Path(a["nt"]).stat().st_size
        result = import_file(led, a["nt"], max_bytes=size + 1)
        wall = time.perf_counter() - t
        signed = any(True for _ in led.store.triples(result.event, V.SIGNATURE, None,
                                                     audit.audit_graph(led.base)))
        return {"wall": wall, "added": result.added, "signed": signed}
    finally:
        led.close()
        shutil.rmtree(a["ledger"], ignore_errors=True)
        shutil.rmtree(a["keys"], ignore_errors=True)


def step_write_signed(a: dict) -> dict:
    """Claim + evidence writes signed (an agent with a key) alternating with unsigned ones (an
    agent without), in one warm process; and one Ed25519 signature and check on their own."""
    from claimledger.ledger import Ledger
    from claimledger.records.keys import create_key
    from claimledger.signing import generate

    _key_dir(a)
    n = a["writes"]
    tag = f"s{os.getpid()}"
    with Ledger.open(a["ledger"], write=True, agent=SIGNER, timeout=60) as led:
        _ensure_prefix(led)
        create_key(led)

        def one(agent: str, k: int) -> tuple[float, float]:
            led.agent_name = agent
            slug = f"bench-{tag}-{k}"
            t0, c0 = time.perf_counter(), time.process_time()
            led.claims.add(slug, subject="ex:e1", predicate="ex:freed", object="ex:e2",
                           text=f"Group 1 freed group 2 (benchmark write {k}).")
            led.evidence.add(slug, a["source"], stance="supports", quote="freed group 2")
            return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000

        for k in range(3):
            one(AGENT, -2 * k - 1)
            one(SIGNER, -2 * k - 2)
        signed, unsigned = [], []
        for k in range(n):  # alternate, so that drift and noise hit both sides alike
            unsigned.append(one(AGENT, 2 * k))
            signed.append(one(SIGNER, 2 * k + 1))
    signer = generate()
    text = b"claimledger-event-signature-1\n" + b"x" * 200
    t0 = time.perf_counter()
    sigs = [signer.sign(text) for _ in range(2000)]
    t1 = time.perf_counter()
    assert all(signer.public.verify(sig, text) for sig in sigs)
    t2 = time.perf_counter()
    shutil.rmtree(a["keys"], ignore_errors=True)
    out = {"signed_ms": statistics.median(w for w, _ in signed),
           "unsigned_ms": statistics.median(w for w, _ in unsigned),
           "signed_cpu_ms": statistics.median(c for _, c in signed),
           "unsigned_cpu_ms": statistics.median(c for _, c in unsigned),
           "writes": n, "sign_us": (t1 - t0) / 2000 * 1e6, "verify_us": (t2 - t1) / 2000 * 1e6}
    out["signing_overhead"] = out["signed_ms"] / out["unsigned_ms"] - 1
    out["signing_cpu_overhead"] = out["signed_cpu_ms"] / out["unsigned_cpu_ms"] - 1
    return out


def step_csv_export(a: dict) -> dict:
    """Not in the table: the imported ledger written as CSV, for ``csv_import``."""
    from claimledger.interchange.formats import export_to_file
    from claimledger.ledger import Ledger

    with Ledger.open(a["ledger"]) as led:
        t = time.perf_counter()
        export_to_file(led, a["out"], fmt="csv")
        wall = time.perf_counter() - t
    with open(a["out"], "rb") as fh:
        rows = sum(1 for _ in csv.reader(io.TextIOWrapper(fh, encoding="utf-8", newline=""))) - 1
    return {"wall": wall, "rows": rows, "bytes": Path(a["out"]).stat().st_size}


def step_csv_import(a: dict) -> dict:
    """``Ledger.create`` + ``import --format csv`` of the CSV export of the same ledger."""
    from claimledger.interchange.tabular_import import import_csv
    from claimledger.ledger import Ledger

    shutil.rmtree(a["ledger"], ignore_errors=True)
    t = time.perf_counter()
    led = Ledger.create(a["ledger"], base=BASE, agent=AGENT)
    try:
        size = Path(a["csv"]).stat().st_size
        result = import_csv(led, a["csv"], max_bytes=size + 1)
        return {"wall": time.perf_counter() - t, "added": result.added, "rows": a["rows"]}
    finally:
        led.close()
        shutil.rmtree(a["ledger"], ignore_errors=True)


def _ensure_prefix(led) -> None:
    if "ex" not in led.prefixes:
        led.add_prefix("ex", "https://example.org/entity/")


def step_write(a: dict) -> dict:
    from claimledger.ledger import Ledger

    n = a["writes"]
    tag = f"w{os.getpid()}"
    with Ledger.open(a["ledger"], write=True, agent=AGENT, timeout=60) as led:
        _ensure_prefix(led)
        source = a["source"]

        cpu: list[tuple[float, float]] = []

        def one(k: int) -> tuple[float, float]:
            slug = f"bench-{tag}-{k}"
            t0, c0 = time.perf_counter(), time.process_time()
            led.claims.add(slug, subject="ex:e1", predicate="ex:freed", object="ex:e2",
                           text=f"Group 1 freed group 2 (benchmark write {k}).")
            t1, c1 = time.perf_counter(), time.process_time()
            led.evidence.add(slug, source, stance="supports", quote="freed group 2")
            t2, c2 = time.perf_counter(), time.process_time()
            cpu.append((c1 - c0, c2 - c1))
            return t1 - t0, t2 - t1

        for k in range(3):  # warm-up: imports, caches, shapes
            one(-k - 1)
        cpu.clear()
        claim_ms, evidence_ms, pair_ms = [], [], []
        for k in range(n):
            c, e = one(k)
            claim_ms.append(c * 1000)
            evidence_ms.append(e * 1000)
            pair_ms.append((c + e) * 1000)
        out = {"claim_ms": statistics.median(claim_ms), "evidence_ms": statistics.median(evidence_ms),
               "pair_ms": statistics.median(pair_ms), "claim_ms_p90": _pct(claim_ms, 0.9),
               "writes": n,
               "claim_cpu_ms": statistics.median(c * 1000 for c, _ in cpu),
               "evidence_cpu_ms": statistics.median(e * 1000 for _, e in cpu)}
        if hasattr(led, "_audit"):
            from claimledger import audit

            def unaudited(tx, previous):  # the event left out: this ledger then fails verify
                return previous.hash, audit.event_iri(led.base, previous.sequence + 1)

            on, off = [], []
            for k in range(n):  # alternate, so that drift and noise hit both sides alike
                for enabled, bucket in ((True, on), (False, off)):
                    if enabled:
                        led.__dict__.pop("_audit", None)
                    else:
                        led._audit = unaudited
                    c, e = one(100_000 + 2 * k + (0 if enabled else 1))
                    bucket.append((c + e) * 1000)
            led.__dict__.pop("_audit", None)
            out["audit_on_ms"] = statistics.median(on)
            out["audit_off_ms"] = statistics.median(off)
            out["audit_overhead"] = out["audit_on_ms"] / out["audit_off_ms"] - 1
        return out


#: The page the capture step fetches: an article of about 12 kB, like a news page's text.
_CAPTURE_QUOTE = "the council voted to close the old bridge"


def _capture_page(k: int) -> bytes:
    para = ("Officials described the scene at length for the reporters who had gathered "
            "near the river since the early morning. ")
    body = "".join(f"<p>{para * 3}Paragraph {i} of version {k}.</p>" for i in range(15))
    return (f"<html><head><title>Council meeting, version {k}</title></head><body>"
            f"<nav>Home | News | Sport</nav><article><h1>Council meeting</h1>{body}"
            f"<p>On Tuesday <b>{_CAPTURE_QUOTE}</b> to traffic.</p>{body}</article>"
            "</body></html>").encode()


def step_capture(a: dict) -> dict:
    """What capture adds to a write: ``source fetch`` of a local page (download, hash,
    extraction, WARC and text files, one event) and evidence with a quote pinned to the
    snapshot, beside the same evidence on a source without a snapshot."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from claimledger.ledger import Ledger
    from claimledger.net.http import Policy

    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    policy = Policy.for_sources(allow_hosts=[f"127.0.0.1:{httpd.server_port}"])
    tag = f"cap{os.getpid()}"
    fetch_ms, pinned_ms, plain_ms, size = [], [], [], 0
    cpu: list[tuple[float, float, float]] = []
    try:
        with Ledger.open(a["ledger"], write=True, agent=AGENT, timeout=60) as led:
            _ensure_prefix(led)
            led.sources.add(f"{tag}-plain", title="A page without a snapshot")
            for k in range(a["writes"] + 2):  # the first two warm up
                slug = f"{tag}-{k}"
                pages[f"/{slug}"] = _capture_page(k)
                size = len(pages[f"/{slug}"])
                led.sources.add(slug, title=f"Page {k}",
                                url=f"http://127.0.0.1:{httpd.server_port}/{slug}")
                for c in ("p", "q"):
                    led.claims.add(f"{slug}-{c}", subject="ex:e1", predicate="ex:closed",
                                   object="ex:e2", text="The council closed the bridge.")
                t0, c0 = time.perf_counter(), time.process_time()
                led.snapshots.fetch(slug, policy=policy)
                t1, c1 = time.perf_counter(), time.process_time()
                led.evidence.add(f"{slug}-p", slug, stance="supports", quote=_CAPTURE_QUOTE)
                t2, c2 = time.perf_counter(), time.process_time()
                led.evidence.add(f"{slug}-q", f"{tag}-plain", stance="supports",
                                 quote=_CAPTURE_QUOTE)
                t3, c3 = time.perf_counter(), time.process_time()
                if k >= 2:
                    fetch_ms.append((t1 - t0) * 1000)
                    pinned_ms.append((t2 - t1) * 1000)
                    plain_ms.append((t3 - t2) * 1000)
                    cpu.append(((c1 - c0) * 1000, (c2 - c1) * 1000, (c3 - c2) * 1000))
    finally:
        httpd.shutdown()
        httpd.server_close()
    return {"fetch_ms": statistics.median(fetch_ms), "pinned_ms": statistics.median(pinned_ms),
            "plain_ms": statistics.median(plain_ms), "writes": len(fetch_ms), "page_bytes": size,
            "fetch_cpu_ms": statistics.median(c[0] for c in cpu),
            "pinned_cpu_ms": statistics.median(c[1] for c in cpu),
            "plain_cpu_ms": statistics.median(c[2] for c in cpu)}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def step_validate(a: dict) -> dict:
    from claimledger.ledger import Ledger
    from claimledger.validation import validate_store

    with Ledger.open(a["ledger"]) as led:
        t = time.perf_counter()
        report = validate_store(led.store, led.shapes)
        wall = time.perf_counter() - t
        if a.get("keys"):  # for the comparison with Jena's results (not timed)
            Path(a["keys"]).write_text(json.dumps(_result_keys_ours(report)), encoding="utf-8")
        return {"wall": wall, "violations": len(report.violations),
                "warnings": len(report.warnings), "results": len(report.results)}


#: Debian's libapache-jena-java (4.5) and what it needs, in /usr/share/java.
JENA_JARS = ("jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-dboe-base", "jena-dboe-index",
             "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction", "jena-iri",
             "jena-rdfconnection", "jena-shacl", "jena-shex", "jena-tdb", "jena-tdb2",
             "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
             "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore",
             "jackson-core", "jackson-databind", "jackson-annotations", "jakarta.json-api",
             "jsonld-java", "protobuf", "thrift", "titanium-json-ld", "slf4j-api", "slf4j-nop")
JAVA_DIR = Path("/usr/share/java")


def jena_classpath(workdir: Path) -> str | None:
    """The classpath that runs Jena's ``shacl validate`` from Debian's jars, or None when Java
    or Jena is not installed. Debian relocates Jena's bundled Xerces to ``xerces.*`` but leaves
    its message files under ``org/apache/jena/ext/xerces``: they are copied back where the
    relocated classes look (without them Jena's XSD datatypes fail to load)."""
    if shutil.which("java") is None or not (JAVA_DIR / "jena-shacl.jar").is_file():
        return None
    import zipfile

    messages = workdir / "jena-messages"
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                target = messages / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = [str(JAVA_DIR / f"{j}.jar") for j in JENA_JARS if (JAVA_DIR / f"{j}.jar").is_file()]
    return ":".join([*jars, str(messages)])


def _result_keys_ours(report) -> list[tuple]:
    def path(r) -> str:
        return r.result_path.iri if r.result_path is not None and r.result_path.kind == "iri" else ""
    return sorted((r.focus, r.severity, r.component, path(r), r.value or "")
                  for r in report.results)


def _result_keys_of_report(path: Path) -> list[tuple]:
    """The results of a W3C SHACL report file (Turtle) as the keys :func:`_result_keys_ours`
    makes: focus, severity, component (local names), path (a predicate's IRI), value."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    sh = "http://www.w3.org/ns/shacl#"
    rows = store.query(f"""SELECT ?f ?sev ?c ?p ?v WHERE {{
        ?r <{sh}focusNode> ?f ; <{sh}resultSeverity> ?sev ; <{sh}sourceConstraintComponent> ?c .
        OPTIONAL {{ ?r <{sh}resultPath> ?p FILTER isIRI(?p) }} OPTIONAL {{ ?r <{sh}value> ?v }} }}""")

    def text(t) -> str:
        return "" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value)
    return sorted((text(r["f"]), text(r["sev"]).rsplit("#", 1)[-1], text(r["c"]).rsplit("#", 1)[-1],
                   text(r["p"]), text(r["v"])) for r in rows)


def step_jena(a: dict) -> dict:
    """Apache Jena's SHACL engine (``shacl validate``, JVM start included) on the same shapes
    and the same data (the ledger's state as N-Triples, written by the ``state`` step), and
    whether its results are those the ``validate`` step wrote."""
    from claimledger import resources
    from claimledger.ledger import Ledger

    with Ledger.open(a["ledger"]) as led:
        if led.policy_texts():
            return {"error": "the ledger holds policies: Jena would be given the rules alone"}
    work = Path(a["work"])
    work.mkdir(parents=True, exist_ok=True)
    shapes, out = work / "shapes.ttl", work / "jena-report.ttl"
    shapes.write_text(resources.shapes("sourcing"), encoding="utf-8")
    cmd = ["java", "-cp", a["classpath"], "shacl.shacl_validate", "--shapes", str(shapes),
           "--data", a["state"]]
    t = time.perf_counter()
    with open(out, "wb") as fh:
        proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        return {"error": "jena: " + proc.stderr.decode(errors="replace").strip()[-300:]}
    import resource

    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    theirs = _result_keys_of_report(out)
    out.unlink(missing_ok=True)
    ours = [tuple(k) for k in json.loads(Path(a["keys"]).read_text(encoding="utf-8"))]
    same = ours == theirs
    return {"wall": wall, "results": len(theirs), "ours": len(ours), "identical": same,
            "differ": 0 if same else len(set(ours) ^ set(theirs)),
            "jvm_cpu": child.ru_utime + child.ru_stime, "jvm_rss_mb": child.ru_maxrss / 1024}


def _jena_same(j: dict | None) -> str:
    if not j:
        return "—"
    if "error" in j:
        return _cell(j)
    return (f"yes, {j['results']:,} results" if j["identical"]
            else f"no: {j['differ']:,} of {j['results']:,} / {j['ours']:,} differ")


def _report_params(led, spec) -> dict[str, str]:
    values = {"source": "wire-0", "claim": "c0000000", "date": "2021-06-01",
              "iri": "https://example.org/entity/e1", "text": "rivalry"}
    return {p.name: values[p.kind] for p in spec.params}


def step_reports(a: dict) -> dict:
    from claimledger.query import reports
    from claimledger.ledger import Ledger

    out: dict[str, dict] = {}
    with Ledger.open(a["ledger"]) as led:
        for spec in reports.available():
            if a.get("only") and spec.name not in a["only"]:
                continue
            params = _report_params(led, spec)
            times, rows = [], 0
            for _ in range(a["repeat"]):
                t = time.perf_counter()
                table = reports.run(led, spec.name, params)
                times.append(time.perf_counter() - t)
                rows = len(table.rows)
            pages = []
            for _ in range(a["repeat"]):
                t = time.perf_counter()
                reports.run(led, spec.name, params, limit=100)
                pages.append(time.perf_counter() - t)
            out[spec.name] = {"wall": statistics.median(times), "rows": rows, "runs": len(times),
                              "page_wall": statistics.median(pages)}
    return {"reports": out}


def step_web(a: dict) -> dict:
    """``claimledger serve`` in this process (waitress on 127.0.0.1), timed over HTTP: a claim
    page (a claim recorded here with two pieces of evidence, so that it has a history and an
    origin picture), the claims list's first page, a source page. Every request opens the
    ledger and closes it again, as the server does."""
    import threading

    import requests
    import waitress

    from claimledger.ledger import Ledger
    from claimledger.web.app import create_app
    from claimledger.web.config import WebConfig

    slug = f"web-{os.getpid()}"
    with Ledger.open(a["ledger"], write=True, agent=AGENT, timeout=60) as led:
        _ensure_prefix(led)
        led.claims.add(slug, subject="ex:e1", predicate="ex:freed", object="ex:e2",
                       text="Group 1 freed group 2 (web benchmark).")
        led.evidence.add(slug, a["source"], stance="supports", quote="freed group 2")
        led.evidence.add(slug, a["other"], stance="supports", locator="p. 2")
    app = create_app(WebConfig(Path(a["ledger"]).resolve(), port=0))
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    port = server.socket.getsockname()[1]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    out: dict = {}
    try:
        http = requests.Session()
        for key, path in (("claim_ms", f"/claims/{slug}"), ("list_ms", "/claims"),
                          ("source_ms", f"/sources/{a['source']}"),
                          ("seed_claim_ms", f"/claims/{a['claim']}")):
            url = f"http://127.0.0.1:{port}{path}"
            for _ in range(3):  # warm-up
                assert http.get(url, timeout=120).status_code == 200, path
            times = []
            for _ in range(a.get("requests", 20)):
                t = time.perf_counter()
                response = http.get(url, timeout=120)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, path
            out[key] = statistics.median(times)
            out[key.replace("_ms", "_p90_ms")] = _pct(times, 0.9)
    finally:
        server.close()
    return out


def step_claim_list(a: dict) -> dict:
    """The first page of ``claim list`` (50 claims, as the table shows them), and the same page
    filtered by status and by a text search: median of several runs in one process."""
    from claimledger.ledger import Ledger
    from claimledger.records.search import ClaimFilter

    out: dict = {}
    with Ledger.open(a["ledger"]) as led:
        for name, wanted, details in (
                ("first", ClaimFilter(), False), ("first_json", ClaimFilter(), True),
                ("status", ClaimFilter(status="single-source"), False),
                ("text", ClaimFilter(text="Recruited FROM"), False)):
            times, cpu = [], []
            for _ in range(a["repeat"]):
                t, c = time.perf_counter(), time.process_time()
                page = led.claims.page(wanted, limit=50, details=details)
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            out[name] = {"wall": statistics.median(times), "cpu": statistics.median(cpu),
                         "rows": len(page.items)}
    out["wall"] = out["first"]["wall"]
    return out


def step_export(a: dict) -> dict:
    from claimledger.interchange import export
    from claimledger.ledger import Ledger

    with Ledger.open(a["ledger"]) as led:
        t = time.perf_counter()
        with open(a["out"], "wb") as fh:
            export(led, fh, fmt="trig")
        wall = time.perf_counter() - t
    return {"wall": wall, "bytes": Path(a["out"]).stat().st_size}


def step_state(a: dict) -> dict:
    """Not measured: the current state (default graph) as N-Triples, for the baselines."""
    from pyoxigraph import DefaultGraph, RdfFormat

    from claimledger.ledger import Ledger

    with Ledger.open(a["ledger"]) as led, open(a["out"], "wb") as fh:
        led.store.dump(fh, RdfFormat.N_TRIPLES, graph=DefaultGraph())
    return {"bytes": Path(a["out"]).stat().st_size}


def step_rdflib_parse(a: dict) -> dict:
    import rdflib

    t = time.perf_counter()
    g = rdflib.Graph()
    g.parse(a["nt"], format="nt")
    return {"wall": time.perf_counter() - t, "triples": len(g)}


def _report_sparql(name: str) -> str:
    """The text of a packaged report, or of the single-origin rule's query when no report
    is packaged yet (``rule:single-origin``, the same question)."""
    from claimledger import resources
    from claimledger.query import reports

    if name in resources.report_names():
        return reports.load(name).sparql
    from claimledger.validation import ShapeSet

    for c in ShapeSet.builtin().sparql:
        if c.rule == "single-origin":
            return c.select.replace("$this", "?this")
    raise KeyError(name)


def step_rdflib_report(a: dict) -> dict:
    import rdflib

    sparql = _report_sparql(a["report"])
    g = rdflib.Graph()
    g.parse(a["nt"], format="nt")
    t = time.perf_counter()
    rows = list(g.query(sparql))
    return {"wall": time.perf_counter() - t, "rows": len(rows)}


def step_oxigraph_report(a: dict) -> dict:
    """The same report on an in-memory Oxigraph store loaded from the same file."""
    import pyoxigraph as ox

    sparql = _report_sparql(a["report"])
    store = ox.Store()
    store.bulk_load(path=a["nt"], format=ox.RdfFormat.N_TRIPLES)
    times = []
    for _ in range(a.get("repeat", 5)):
        t = time.perf_counter()
        rows = list(store.query(sparql))
        times.append(time.perf_counter() - t)
    return {"wall": statistics.median(times), "rows": len(rows)}


def step_pyshacl(a: dict) -> dict:
    import pyshacl
    import rdflib

    from claimledger import resources

    g = rdflib.Graph()
    g.parse(a["nt"], format="nt")
    shapes = rdflib.Graph().parse(data=resources.shapes("sourcing"), format="turtle")
    t = time.perf_counter()
    conforms, report, _ = pyshacl.validate(g, shacl_graph=shapes, advanced=True, inference="none",
                                           allow_warnings=True)
    wall = time.perf_counter() - t
    sh = rdflib.SH
    results = list(report.subjects(rdflib.RDF.type, sh.ValidationResult))
    return {"wall": wall, "results": len(results), "conforms": bool(conforms)}


#: Largest size at which the remote step runs (the issue asks for 10k; a server in memory).
REMOTE_MAX = 10_000


def step_remote(a: dict) -> dict:
    """The same ledger on a SPARQL server (``oxigraph serve`` on 127.0.0.1, in memory): loaded
    from an export of the embedded ledger, then timed as the embedded ledger is — writes
    (claim + evidence) and every packaged report — through claimledger's remote store."""
    import socket
    import urllib.request

    from claimledger.interchange import export
    from claimledger.ledger import Ledger
    from claimledger.query import reports
    from claimledger.store import config
    from claimledger.store.config import RemoteConfig
    from claimledger.store.remote import RemoteStore
    from pyoxigraph import RdfFormat

    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.exists():
        return {"error": "no oxigraph server (pip install oxigraph)"}
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([str(binary), "serve", "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                time.sleep(0.05)
        dump = Path(a["ledger"] + "-remote.nq")
        with Ledger.open(a["ledger"]) as led, open(dump, "wb") as fh:
            export(led, fh, fmt="nquads")
            base = led.base
        cfg = RemoteConfig(endpoint=url + "/query", update_endpoint=url + "/update", graph=base)
        t = time.perf_counter()
        with RemoteStore(cfg, write=True) as store:
            store.bulk_load(dump, RdfFormat.N_QUADS)
        load = time.perf_counter() - t
        dump.unlink()
        directory = Path(a["ledger"] + "-remote")
        config.write(directory, cfg)
        out: dict = {"load": load}
        pair = []
        with Ledger.open(directory, write=True, agent=AGENT) as led:
            _ensure_prefix(led)
            for k in range(-3, a["writes"]):
                slug = f"remote-{os.getpid()}-{k}"
                t0 = time.perf_counter()
                led.claims.add(slug, subject="ex:e1", predicate="ex:freed", object="ex:e2",
                               text=f"Group 1 freed group 2 (remote write {k}).")
                led.evidence.add(slug, a["source"], stance="supports", quote="freed group 2")
                if k >= 0:
                    pair.append((time.perf_counter() - t0) * 1000)
            out["pair_ms"] = statistics.median(pair)
            timings: dict[str, dict] = {}
            for spec in reports.available():
                params = _report_params(led, spec)
                times = []
                for _ in range(a["repeat"]):
                    t = time.perf_counter()
                    table = reports.run(led, spec.name, params)
                    times.append(time.perf_counter() - t)
                timings[spec.name] = {"wall": statistics.median(times), "rows": len(table.rows)}
            out["reports"] = timings
        shutil.rmtree(directory, ignore_errors=True)
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


STEPS = {
    "generate": step_generate, "import": step_import, "write": step_write,
    "import_signed": step_import_signed, "write_signed": step_write_signed,
    "csv_export": step_csv_export, "csv_import": step_csv_import,
    "validate": step_validate, "jena": step_jena, "reports": step_reports, "export": step_export, "web": step_web,
    "claim_list": step_claim_list,
    "state": step_state, "rdflib_parse": step_rdflib_parse, "rdflib_report": step_rdflib_report,
    "oxigraph_report": step_oxigraph_report, "pyshacl": step_pyshacl, "capture": step_capture,
    "remote": step_remote, "raw_load": step_raw_load, "raw_dump": step_raw_dump,
    "cli_write": step_cli_write,
}


def _child(name: str, args_json: str) -> int:
    result = STEPS[name](json.loads(args_json))
    result.update(_usage())
    print("BENCH-RESULT " + json.dumps(result), flush=True)
    return 0


# ---------------------------------------------------------------------------------------------
# The parent: runs steps in subprocesses with timeouts, repeats, medians.
# ---------------------------------------------------------------------------------------------

class Runner:
    def __init__(self, workdir: Path, *, timeout: float, log=print) -> None:
        self.workdir = workdir
        self.timeout = timeout
        self.log = log

    def once(self, name: str, args: dict, *, timeout: float | None = None) -> dict:
        limit = timeout or self.timeout
        cmd = [sys.executable, str(Path(__file__).resolve()), "_step", name, json.dumps(args)]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=str(ROOT))
        try:
            stdout, stderr = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return {"error": "timeout", "limit": limit, "elapsed": time.perf_counter() - started}
        finally:  # the harness stopped (Ctrl-C, SIGTERM): take the step down with it
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        for line in stdout.splitlines():
            if line.startswith("BENCH-RESULT "):
                out = json.loads(line[len("BENCH-RESULT "):])
                out["elapsed"] = time.perf_counter() - started
                return out
        tail = (stderr or stdout).strip().splitlines()[-3:]
        return {"error": "failed", "detail": " | ".join(tail)[-300:], "code": proc.returncode}

    def median(self, name: str, args: dict, *, repeat: int, repeat_below: float,
               timeout: float | None = None, before=None) -> dict:
        """Run a step up to ``repeat`` times; the median of each figure, the max of memory."""
        runs = []
        for i in range(repeat):
            if before is not None:
                before()
            out = self.once(name, args, timeout=timeout)
            runs.append(out)
            self.log(f"    {name} run {i + 1}: {_brief(out)}")
            if "error" in out or out.get("wall", 0) > repeat_below:
                break
        good = [r for r in runs if "error" not in r]
        if not good:
            return runs[-1]
        merged = dict(good[-1])
        for key in ("wall", "cpu", "claim_ms", "evidence_ms", "pair_ms", "audit_on_ms",
                    "audit_off_ms", "audit_overhead", "elapsed"):
            values = [r[key] for r in good if isinstance(r.get(key), (int, float))]
            if values:
                merged[key] = statistics.median(values)
        merged["rss_mb"] = max(r.get("rss_mb", 0) for r in good)
        merged["runs"] = len(good)
        return merged


def _brief(out: dict) -> str:
    if "error" in out:
        return f"{out['error']} {out.get('detail', '')}".strip()
    parts = []
    for key in ("wall", "cpu", "claim_ms", "evidence_ms", "rss_mb"):
        if key in out:
            parts.append(f"{key}={out[key]:.3f}")
    return " ".join(parts)


class _Saved(dict):
    """A result dict that hands itself to ``save`` whenever a step's figure is set."""

    def __init__(self, save) -> None:
        super().__init__()
        self._save = save

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self._save(self)


def measure_size(runner: Runner, n: int, *, repeat: int, repeat_below: float, writes: int,
                 seed: int, baselines: bool, baseline_timeout: float, full: bool = True,
                 keep: bool = False, save=None, csv_import: bool = True,
                 signing: bool = True) -> dict:
    """Measure every step at ``n`` claims. ``save(res)`` is called after each step, so that a
    run stopped part-way (1M claims take hours) keeps what it measured."""
    wd = runner.workdir
    res: dict = _Saved(save) if save else {}
    res["n"] = n
    nt = wd / f"ledger-{n}-s{seed}.nt"
    meta = wd / f"ledger-{n}-s{seed}.json"
    from benchmarks.generate import GENERATOR_VERSION

    cached = None
    if nt.exists() and meta.exists():
        cached = json.loads(meta.read_text())
        if cached.get("version") != GENERATOR_VERSION:
            cached = None
    if cached is None:
        runner.log(f"  generating {n:,} claims")
        gen = runner.once("generate", {"n": n, "out": str(nt), "seed": seed}, timeout=6 * 3600)
        if "error" in gen:
            res["generate"] = gen
            return res
        cached = {"version": GENERATOR_VERSION, "counts": gen["counts"], "wall": gen["wall"]}
        meta.write_text(json.dumps(cached))
    res["counts"] = cached["counts"]
    res["generate"] = {"wall": cached["wall"]}

    ledger = wd / f"ledger-{n}"
    runner.log(f"  import {n:,}")
    res["import"] = runner.median("import", {"nt": str(nt), "ledger": str(ledger)},
                                  repeat=repeat, repeat_below=repeat_below)
    if "error" in res["import"]:
        shutil.rmtree(ledger, ignore_errors=True)
        return res
    runner.log(f"  raw bulk load {n:,} (the engine alone)")
    res["raw_load"] = runner.median("raw_load", {"nt": str(nt), "dir": str(wd / f"raw-{n}")},
                                    repeat=repeat, repeat_below=repeat_below)
    if signing:
        runner.log(f"  bulk import {n:,}, signed")
        res["import_signed"] = runner.median(
            "import_signed", {"nt": str(nt), "ledger": str(wd / f"ledger-{n}-signed"),
                              "keys": str(wd / "keys-import")},
            repeat=repeat, repeat_below=repeat_below)
    if csv_import:
        table = wd / f"export-{n}.csv"
        runner.log(f"  CSV export and import {n:,}")
        exported = runner.once("csv_export", {"ledger": str(ledger), "out": str(table)})
        if "error" in exported:
            res["csv_import"] = exported
        else:
            res["csv_import"] = runner.median(
                "csv_import", {"csv": str(table), "rows": exported.get("rows"),
                               "ledger": str(wd / f"ledger-{n}-csv")},
                repeat=repeat, repeat_below=repeat_below)
        table.unlink(missing_ok=True)
    runner.log(f"  validate {n:,}")
    classpath = None if getattr(runner, "no_jena", False) else jena_classpath(wd)
    keys = wd / f"validate-{n}.json"
    res["validate"] = runner.median(
        "validate", {"ledger": str(ledger), "keys": str(keys) if classpath else None},
        repeat=repeat, repeat_below=repeat_below)
    state = wd / f"state-{n}.nt"
    if classpath is not None and "error" not in res["validate"]:
        runner.log(f"  Apache Jena's shacl validate {n:,}")
        runner.once("state", {"ledger": str(ledger), "out": str(state)})
        res["jena"] = runner.once("jena", {"ledger": str(ledger), "state": str(state),
                                           "keys": str(keys),
                                           "classpath": classpath, "work": str(wd / f"jena-{n}")})
        keys.unlink(missing_ok=True)
    if full:
        runner.log(f"  reports {n:,}")
        res["reports"] = runner.once("reports", {"ledger": str(ledger), "repeat": max(3, repeat)})
        runner.log(f"  claim list {n:,}")
        res["claim_list"] = runner.once("claim_list", {"ledger": str(ledger),
                                                       "repeat": max(5, repeat)})
        runner.log(f"  export {n:,}")
        res["export"] = runner.median("export", {"ledger": str(ledger),
                                                 "out": str(wd / f"export-{n}.trig")},
                                      repeat=repeat, repeat_below=repeat_below)
        res["raw_dump"] = runner.median("raw_dump", {"ledger": str(ledger),
                                                     "out": str(wd / f"dump-{n}.trig")},
                                        repeat=repeat, repeat_below=repeat_below)
        runner.log(f"  web pages {n:,}")
        res["web"] = runner.once("web", {"ledger": str(ledger), "source": "wire-0",
                                         "other": "wire-1", "claim": "c0000000"})
    if baselines:
        if not state.exists():
            runner.once("state", {"ledger": str(ledger), "out": str(state)})
        res["baselines"] = run_baselines(runner, state, baseline_timeout, full=full)
    if full:
        runner.log(f"  write x{writes} at {n:,}")
        res["write"] = runner.once("write", {"ledger": str(ledger), "writes": writes,
                                             "source": "wire-0"})
        runner.log(f"  CLI writes x{min(writes, 11)} at {n:,}")
        res["cli_write"] = runner.once("cli_write", {"ledger": str(ledger),
                                                     "writes": min(writes, 11)})
        runner.log(f"  capture x{min(writes, 20)} at {n:,}")
        res["capture"] = runner.once("capture", {"ledger": str(ledger),
                                                 "writes": min(writes, 20)})
        if n <= REMOTE_MAX:
            runner.log(f"  on a SPARQL server at {n:,}")
            res["remote"] = runner.once("remote", {"ledger": str(ledger), "writes": writes,
                                                   "source": "wire-0", "repeat": max(3, repeat)})
        if signing:
            runner.log(f"  signed and unsigned writes x{writes} at {n:,}")
            res["write_signed"] = runner.once("write_signed", {
                "ledger": str(ledger), "writes": writes, "source": "wire-0",
                "keys": str(wd / "keys-write")})
    if not keep:
        shutil.rmtree(ledger, ignore_errors=True)
        for f in (wd / f"export-{n}.trig", state):
            f.unlink(missing_ok=True)
    return res


def run_baselines(runner: Runner, state: Path, timeout: float, *, full: bool) -> dict:
    out: dict = {}
    from claimledger import resources

    names = resources.report_names()
    # Without a packaged single-anecdote report, the single-origin rule's query asks the same.
    report = "single-anecdote" if "single-anecdote" in names else "single-origin-rule"
    runner.log(f"  baselines on {state.name} (timeout {timeout:.0f} s)")
    if full:
        out["rdflib_parse"] = runner.once("rdflib_parse", {"nt": str(state)}, timeout=timeout)
        runner.log(f"    rdflib parse: {_brief(out['rdflib_parse'])}")
    if report is not None:
        out["report_name"] = report
        out["oxigraph_report"] = runner.once("oxigraph_report", {"nt": str(state), "report": report})
        out["rdflib_report"] = runner.once("rdflib_report", {"nt": str(state), "report": report},
                                           timeout=timeout)
        runner.log(f"    {report}: oxigraph {_brief(out['oxigraph_report'])}; "
                   f"rdflib {_brief(out['rdflib_report'])}")
    out["pyshacl"] = runner.once("pyshacl", {"nt": str(state)}, timeout=timeout)
    runner.log(f"    pyshacl: {_brief(out['pyshacl'])}")
    return out


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------

def _fmt_s(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f} s"
    if x >= 1:
        return f"{x:.1f} s"
    return f"{x * 1000:.0f} ms" if x >= 0.01 else f"{x * 1000:.1f} ms"


def _fmt_mb(x: float) -> str:
    return f"{x / 1024:.1f} GB" if x >= 1024 else f"{x:.0f} MB"


def _cell(step: dict | None, key: str = "wall", kind: str = "s") -> str:
    if step is None:
        return "—"
    if "error" in step:
        if key != "wall":  # the step's own row says it was stopped or failed
            return "—"
        if step["error"] == "timeout":
            return f"> {_fmt_s(step['limit'])} (stopped)"
        return "failed"
    value = step.get(key)
    if not isinstance(value, (int, float)):
        return "—"
    if kind == "s":
        return _fmt_s(value)
    if kind == "ms":
        return f"{value:.1f} ms"
    if kind == "mb":
        return _fmt_mb(value)
    if kind == "pct":
        return f"{value * 100:+.0f} %"
    if kind == "int":
        return f"{int(value):,}"
    return str(value)


def _ratio(fast: dict | None, slow: dict | None) -> str:
    if not fast or not slow or "error" in fast:
        return "—"
    if "error" in slow:
        if slow["error"] == "timeout" and fast.get("wall"):
            return f"> {slow['limit'] / fast['wall']:,.0f}×"
        return "—"
    if not fast.get("wall") or not slow.get("wall"):
        return "—"
    ratio = slow["wall"] / fast["wall"]
    if ratio >= 10:
        return f"{ratio:,.0f}×"
    return f"{ratio:.1f}×" if ratio >= 1 else f"{ratio:.2g}× (slower)"


def table_rows(results: list[dict]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Column headers and rows (label, cells) of the main table."""
    headers = [f"{r['n']:,} claims" for r in results]
    rows: list[tuple[str, list[str]]] = []

    def row(label, fn):
        rows.append((label, [fn(r) for r in results]))

    row("triples in the file", lambda r: _cell(r.get("counts"), "triples", "int"))
    row("generate the file", lambda r: _cell(r.get("generate")))
    row("bulk import", lambda r: _cell(r.get("import")))
    row("bulk import: CPU", lambda r: _cell(r.get("import"), "cpu"))
    row("bulk import: peak memory", lambda r: _cell(r.get("import"), "rss_mb", "mb"))
    phases = next((list(r["import"]["phases"]) for r in results
                   if isinstance(r.get("import"), dict) and r["import"].get("phases")), [])
    for phase in phases:
        row(f"bulk import, phase: {phase}", lambda r, phase=phase: _phase_cell(r.get("import"), phase))
    row("raw bulk load of the same file (pyoxigraph alone)", lambda r: _cell(r.get("raw_load")))
    row("bulk import ÷ raw bulk load", lambda r: _times(r.get("import"), r.get("raw_load")))
    row("bulk import: peak memory ÷ raw bulk load's", lambda r: _times(
        r.get("import"), r.get("raw_load"), "rss_mb"))
    row("CSV import of the same ledger (rows)", lambda r: _csv_cell(r.get("csv_import")))
    row("CSV import: CPU", lambda r: _cell(r.get("csv_import"), "cpu"))
    row("CSV import: peak memory", lambda r: _cell(r.get("csv_import"), "rss_mb", "mb"))
    row("one write as a whole CLI process (median)", lambda r: _cell(r.get("cli_write")))
    row("`python -c 'import claimledger.cli'` (median)",
        lambda r: _cell(r.get("cli_write"), "import_wall"))
    row("record a claim (median)", lambda r: _cell(r.get("write"), "claim_ms", "ms"))
    row("record evidence (median)", lambda r: _cell(r.get("write"), "evidence_ms", "ms"))
    row("record claim + evidence (median)", lambda r: _cell(r.get("write"), "pair_ms", "ms"))
    row("record a claim / evidence: CPU (median)", lambda r: (
        f"{r['write']['claim_cpu_ms']:.1f} / {r['write']['evidence_cpu_ms']:.1f} ms"
        if isinstance(r.get("write"), dict) and "claim_cpu_ms" in r["write"]
        else _cell(r.get("write"), "claim_cpu_ms", "ms")))
    row("writes: peak memory", lambda r: _cell(r.get("write"), "rss_mb", "mb"))
    row("source fetch of a local 12 kB page (median)",
        lambda r: _cell(r.get("capture"), "fetch_ms", "ms"))
    row("record evidence, quote pinned to a snapshot / plain (median)", lambda r: (
        f"{r['capture']['pinned_ms']:.1f} / {r['capture']['plain_ms']:.1f} ms"
        if isinstance(r.get("capture"), dict) and "pinned_ms" in r["capture"]
        else _cell(r.get("capture"), "pinned_ms", "ms")))
    row("source fetch / pinned / plain evidence: CPU (median)", lambda r: (
        f"{r['capture']['fetch_cpu_ms']:.1f} / {r['capture']['pinned_cpu_ms']:.1f} / "
        f"{r['capture']['plain_cpu_ms']:.1f} ms"
        if isinstance(r.get("capture"), dict) and "fetch_cpu_ms" in r["capture"]
        else _cell(r.get("capture"), "fetch_cpu_ms", "ms")))
    row("audit trail share of a write", lambda r: (
        _cell(r.get("write"), "audit_overhead", "pct") if r.get("write") and
        "audit_overhead" in r["write"] else ("n/a" if r.get("write") and
                                              "error" not in r["write"] else _cell(r.get("write")))))
    row("bulk import, signed (key create first)", lambda r: _cell(r.get("import_signed")))
    row("bulk import, signed: CPU", lambda r: _cell(r.get("import_signed"), "cpu"))
    row("signing's share of the bulk import", lambda r: _share(r.get("import_signed"),
                                                               r.get("import")))
    row("signing's share of the bulk import: CPU", lambda r: _share(r.get("import_signed"),
                                                                    r.get("import"), "cpu"))
    row("record claim + evidence, signed / unsigned (median)", lambda r: (
        f"{r['write_signed']['signed_ms']:.1f} / {r['write_signed']['unsigned_ms']:.1f} ms"
        if isinstance(r.get("write_signed"), dict) and "signed_ms" in r["write_signed"]
        else _cell(r.get("write_signed"))))
    row("record claim + evidence, signed / unsigned: CPU (median)", lambda r: (
        f"{r['write_signed']['signed_cpu_ms']:.1f} / {r['write_signed']['unsigned_cpu_ms']:.1f} ms"
        if isinstance(r.get("write_signed"), dict) and "signed_cpu_ms" in r["write_signed"]
        else _cell(r.get("write_signed"))))
    row("signing's share of a write", lambda r: _cell(r.get("write_signed"), "signing_overhead",
                                                      "pct"))
    row("signing's share of a write: CPU", lambda r: _cell(r.get("write_signed"),
                                                           "signing_cpu_overhead", "pct"))
    row("one Ed25519 signature / check", lambda r: (
        f"{r['write_signed']['sign_us']:.0f} / {r['write_signed']['verify_us']:.0f} µs"
        if isinstance(r.get("write_signed"), dict) and "sign_us" in r["write_signed"]
        else _cell(r.get("write_signed"))))
    row("validate", lambda r: _cell(r.get("validate")))
    row("validate: CPU", lambda r: _cell(r.get("validate"), "cpu"))
    row("validate: peak memory", lambda r: _cell(r.get("validate"), "rss_mb", "mb"))
    row("Apache Jena's `shacl validate`, same shapes and data (JVM start included)",
        lambda r: _cell(r.get("jena")))
    row("validate ÷ Jena", lambda r: _times(r.get("validate"), r.get("jena")))
    row("Jena's results are ours (focus, severity, component, path, value)",
        lambda r: _jena_same(r.get("jena")))
    names = sorted({name for r in results for name in (r.get("reports") or {}).get("reports", {})})
    for name in names:
        row(f"report `{name}` (median)",
            lambda r, name=name: _report_cell(r.get("reports"), name))
    if not names:
        row("reports", lambda r: "none packaged" if r.get("reports") and
            "error" not in r["reports"] else _cell(r.get("reports")))
    for name in names:
        row(f"report `{name}`: first page of 100 (median)",
            lambda r, name=name: _page_cell(r.get("reports"), name))
    row("reports: peak memory", lambda r: _cell(r.get("reports"), "rss_mb", "mb"))
    row("web: claim page (median)", lambda r: _cell(r.get("web"), "claim_ms", "ms"))
    row("web: claims list, first page (median)", lambda r: _cell(r.get("web"), "list_ms", "ms"))
    row("web: source page (median)", lambda r: _cell(r.get("web"), "source_ms", "ms"))
    row("`claim list`, first page of 50: CPU (median)",
        lambda r: _cell((r.get("claim_list") or {}).get("first"), "cpu"))
    for key, label in (("first", "`claim list`, first page of 50 (median)"),
                       ("first_json", "`claim list --format json`, first page (median)"),
                       ("status", "`claim list --status`, first page (median)"),
                       ("text", "`claim list --text`, first page (median)")):
        row(label, lambda r, key=key: _sub_cell(r.get("claim_list"), key))
    row("export (TriG)", lambda r: _cell(r.get("export")))
    row("Oxigraph's own dump of the same store (TriG)", lambda r: _cell(r.get("raw_dump")))
    row("export ÷ Oxigraph's dump", lambda r: _times(r.get("export"), r.get("raw_dump")))
    row("export: peak memory", lambda r: _cell(r.get("export"), "rss_mb", "mb"))
    row("on a SPARQL server (oxigraph serve, loopback): load the ledger",
        lambda r: _cell(r.get("remote"), "load"))
    row("on a SPARQL server: claim + evidence (median; × embedded)", lambda r: _remote_cell(
        r, lambda s: s.get("pair_ms"), lambda r: (r.get("write") or {}).get("pair_ms"), "ms"))
    for name in names:
        row(f"on a SPARQL server: report `{name}` (median; × embedded)",
            lambda r, name=name: _remote_cell(
                r, lambda s: (s.get("reports") or {}).get(name, {}).get("wall"),
                lambda r: ((r.get("reports") or {}).get("reports") or {}).get(name, {}).get("wall"),
                "s"))
    return headers, rows


def _times(step: dict | None, base: dict | None, key: str = "wall") -> str:
    """``step`` as a multiple of ``base`` (wall time, or ``key``)."""
    if not isinstance(step, dict) or not isinstance(base, dict) or key not in step \
            or key not in base or not base[key]:
        return "—"
    return f"{step[key] / base[key]:.1f}×"


def _phase_cell(step: dict | None, phase: str) -> str:
    """One phase of the import (of the run the table shows) and its share of the import."""
    seconds = ((step or {}).get("phases") or {}).get(phase)
    if seconds is None:
        return "—"
    total = sum(step["phases"].values())
    return f"{_fmt_s(seconds)} ({seconds / total * 100:.0f} %)" if total else _fmt_s(seconds)


def _page_cell(step: dict | None, name: str) -> str:
    rep = ((step or {}).get("reports") or {}).get(name)
    if not rep or "page_wall" not in rep:
        return "—"
    return _fmt_s(rep["page_wall"])


def _remote_cell(r: dict, remote_value, embedded_value, kind: str) -> str:
    step = r.get("remote")
    if step is None:
        return "—"
    if "error" in step:
        return _cell(step)
    value, base = remote_value(step), embedded_value(r)
    if value is None:
        return "—"
    shown = f"{value:,.1f} ms" if kind == "ms" else _fmt_s(value)
    return f"{shown} (×{value / base:.1f})" if base else shown


def _share(step: dict | None, base: dict | None, key: str = "wall") -> str:
    if not step or not base or "error" in step or "error" in base or not base.get(key):
        return "—"
    return f"{(step[key] / base[key] - 1) * 100:+.0f} %"


def _csv_cell(step: dict | None) -> str:
    cell = _cell(step)
    if step and "error" not in step and isinstance(step.get("rows"), int):
        return f"{cell} ({step['rows']:,} rows)"
    return cell


def _sub_cell(step: dict | None, key: str) -> str:
    if step is None or "error" in step:
        return _cell(step)
    got = step.get(key)
    return _cell(got) if got else "—"


def _report_cell(step: dict | None, name: str) -> str:
    if step is None or "error" in step:
        return _cell(step)
    got = step.get("reports", {}).get(name)
    return _cell(got) if got else "—"


def baseline_rows(results: list[dict]) -> list[list[str]]:
    out = []
    for r in results:
        b = r.get("baselines")
        if not b:
            continue
        n = f"{r['n']:,}"
        if "rdflib_parse" in b:
            out.append([n, "load the state (claimledger: bulk import of the file)",
                        _cell(r.get("import")), "rdflib parse: " + _cell(b["rdflib_parse"]),
                        _ratio(r.get("import"), b["rdflib_parse"])])
        if "rdflib_report" in b:
            mine = b.get("oxigraph_report")
            ours = mine
            out.append([n, f"report `{b['report_name']}`", _cell(ours),
                        "rdflib SPARQL: " + _cell(b["rdflib_report"]), _ratio(ours, b["rdflib_report"])])
        if "pyshacl" in b:
            out.append([n, "validate, whole ledger", _cell(r.get("validate")),
                        "pyshacl: " + _cell(b["pyshacl"]), _ratio(r.get("validate"), b["pyshacl"])])
    return out


def markdown(results: list[dict], env: dict, sizes: list[int] | None = None) -> str:
    """The main table for ``sizes`` (default: every size), then the comparison with plain
    rdflib and pyshacl at every size that ran it, then the targets."""
    results = sorted(results, key=lambda r: r["n"])
    main_results = [r for r in results if sizes is None or r["n"] in sizes]
    headers, rows = table_rows(main_results)
    lines = [f"Measured {env['date']} on {env['machine']}; {env['software']}. "
             f"Wall-clock medians of up to {env['repeat']} runs (a step longer than "
             f"{env['repeat_below']:.0f} s runs once); the machine is shared, so compare ratios "
             f"and CPU times. Load average at start: {env['load']}."
             + (f" {env['note']}" if env.get("note") else ""), ""]
    lines.append("| | " + " | ".join(headers) + " |")
    lines.append("|---|" + "---:|" * len(headers))
    for label, cells in rows:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    base = baseline_rows(results)
    if base:
        lines += ["", "Against plain rdflib and pyshacl on the same data (same machine, same run):", "",
                  "| claims | work | claimledger | plain rdflib / pyshacl | ratio |",
                  "|---:|---|---:|---:|---:|"]
        lines += ["| " + " | ".join(cells) + " |" for cells in base]
    lines += ["", "Targets:", ""] + [f"- {t}" for t in target_lines(results)]
    return "\n".join(lines)


def verdict(ok: bool | None) -> str:
    """A target's verdict: met, missed, or not measured (None)."""
    return "not measured" if ok is None else ("**met**" if ok else "**missed**")


def target_lines(results: list[dict]) -> list[str]:
    by_n = {r["n"]: r for r in results}
    out = []
    r = by_n.get(1_000_000)
    rep = ((r or {}).get("reports") or {}).get("reports", {}).get("single-anecdote")
    out.append(f"`single-anecdote` on 1M claims < 3 s: "
               f"{verdict(None if not rep else rep['wall'] < 3)}" + (f" ({_cell(rep)})" if rep else ""))
    r = by_n.get(BASELINE_EXTRA)
    b = (r or {}).get("baselines") or {}
    ratio = None
    if b.get("rdflib_report") and b.get("oxigraph_report") and "error" not in b["oxigraph_report"]:
        slow = b["rdflib_report"]
        fast = b["oxigraph_report"]["wall"]
        ratio = (slow["limit"] if "error" in slow else slow["wall"]) / fast
    out.append(f"≥ 1000× rdflib's engine on 2,000 claims: "
               f"{verdict(None if ratio is None else ratio >= 1000)}"
               + (f" ({'>' if 'error' in b['rdflib_report'] else ''}{ratio:,.0f}×)" if ratio else ""))
    writes = [(n, x["write"]) for n, x in sorted(by_n.items())
              if isinstance(x.get("write"), dict) and "claim_ms" in x["write"]]
    if writes:
        worst = max(max(w["claim_ms"], w["evidence_ms"]) for _, w in writes)
        spread = ", ".join(f"{n:,}: {w['claim_ms']:.0f} / {w['evidence_ms']:.0f} ms" for n, w in writes)
        out.append(f"recording one claim (and one piece of evidence) < 50 ms median, flat: "
                   f"{verdict(worst < 50)} ({spread})")
    else:
        out.append("recording one claim < 50 ms median, flat: not measured")
    v = (by_n.get(100_000) or {}).get("validate")
    out.append(f"`validate` on 100k claims < 60 s: "
               f"{verdict(None if not v else ('error' not in v and v['wall'] < 60))}"
               + (f" ({_cell(v)})" if v else ""))
    v = (by_n.get(1_000_000) or {}).get("validate")
    out.append(f"`validate` on 1M claims completes, peak memory < 8 GB: "
               f"{verdict(None if not v else ('error' not in v and v['rss_mb'] < 8192))}"
               + (f" ({_cell(v)}, {_cell(v, 'rss_mb', 'mb')})" if v else ""))
    i = (by_n.get(1_000_000) or {}).get("import")
    out.append(f"bulk import of 1M claims < 3 min, peak memory < 4 GB: "
               f"{verdict(None if not i else ('error' not in i and i['wall'] < 180 and i['rss_mb'] < 4096))}"
               + (f" ({_cell(i)}, {_cell(i, 'rss_mb', 'mb')})" if i else ""))
    web = (by_n.get(100_000) or {}).get("web") or {}
    if "claim_ms" in web:
        out.append(f"a claim page on 100k claims < 300 ms median: "
                   f"{verdict(web['claim_ms'] < 300)} ({web['claim_ms']:.0f} ms)")
    else:
        out.append("a claim page on 100k claims < 300 ms median: not measured")
    page = ((by_n.get(100_000) or {}).get("claim_list") or {}).get("first")
    out.append("`claim list` first page on 100k claims < 200 ms: "
               f"{verdict(None if not page else page['wall'] < 0.2)}"
               + (f" ({_cell(page)})" if page else ""))
    w = (by_n.get(100_000) or {}).get("write") or {}
    if "audit_overhead" in w:
        out.append(f"audit trail < 20 % extra per write at 100k claims: "
                   f"{verdict(w['audit_overhead'] < 0.2)} ({w['audit_overhead'] * 100:+.0f} %)")
    else:
        out.append("audit trail < 20 % extra per write at 100k claims: not measured "
                   "(needs the 100k run)")
    out.extend(million_lines(by_n))
    return out


def _report_budget(rows: int) -> float:
    """Issue 18's budget for a report: 50 ms plus 20 µs per output row."""
    return 0.05 + 20e-6 * rows


def million_lines(by_n: dict) -> list[str]:
    """The targets of "a million claims on one laptop" (issue 18), each against the baseline
    measured in the same run."""
    out = []
    for n in (100_000, 1_000_000):
        r = by_n.get(n) or {}
        i, raw = r.get("import"), r.get("raw_load")
        ok = None
        if isinstance(i, dict) and isinstance(raw, dict) and "wall" in i and "wall" in raw:
            ok = i["wall"] <= 3 * raw["wall"] and i.get("rss_mb", 0) <= 1.5 * raw.get("rss_mb", 0)
        out.append(f"import at {n:,} claims ≤ 3× the raw bulk load, peak memory ≤ 1.5×: "
                   f"{verdict(ok)}" + (f" ({_times(i, raw)}, memory {_times(i, raw, 'rss_mb')})"
                                       if ok is not None else ""))
        reps = ((r.get("reports") or {}).get("reports") or {})
        if reps:
            over = [f"`{k}` {_fmt_s(v['wall'])} for {v['rows']:,} rows "
                    f"(budget {_fmt_s(_report_budget(v['rows']))})"
                    for k, v in sorted(reps.items()) if v["wall"] > _report_budget(v["rows"])]
            out.append(f"every report at {n:,} claims ≤ 50 ms + 20 µs per row: "
                       f"{verdict(not over)}" + (f" (over: {'; '.join(over)})" if over else ""))
        else:
            out.append(f"every report at {n:,} claims ≤ 50 ms + 20 µs per row: not measured")
    reps = (((by_n.get(1_000_000) or {}).get("reports") or {}).get("reports") or {})
    slow = [k for k, v in reps.items() if v.get("page_wall", 0) >= 0.1]
    out.append("first page of 100 rows of every report < 100 ms on 1M claims: "
               + (verdict(not slow) + (f" (over: {', '.join(sorted(slow))})" if slow else "")
                  if reps else "not measured"))
    summaries = [(n, ((x.get("reports") or {}).get("reports") or {}).get("summary"))
                 for n, x in sorted(by_n.items())]
    summaries = [(n, v) for n, v in summaries if v]
    out.append("`summary` < 50 ms at every size: "
               + (verdict(all(v["wall"] < 0.05 for _, v in summaries))
                  + " (" + ", ".join(f"{n:,}: {_fmt_s(v['wall'])}" for n, v in summaries) + ")"
                  if summaries else "not measured"))
    v = (by_n.get(100_000) or {}).get("validate")
    out.append("`validate` on 100k claims < 30 s: "
               f"{verdict(None if not v else ('error' not in v and v['wall'] < 30))}"
               + (f" ({_cell(v)})" if v else ""))
    jena = [(n, x["validate"], x["jena"]) for n, x in sorted(by_n.items())
            if isinstance(x.get("jena"), dict) and "wall" in x["jena"]
            and isinstance(x.get("validate"), dict) and "wall" in x["validate"]]
    out.append("`validate` at most half of Apache Jena's time on the same shapes and data, "
               "identical results: "
               + (verdict(all(v["wall"] <= j["wall"] / 2 and j["identical"] for _, v, j in jena))
                  + " (" + ", ".join(f"{n:,}: {_fmt_s(v['wall'])} against {_fmt_s(j['wall'])}, "
                                     + ("identical" if j["identical"] else f"{j['differ']} differ")
                                     for n, v, j in jena) + ")"
                  if jena else "not measured (Java or Debian's libapache-jena-java not installed)"))
    cli = [(n, x["cli_write"]) for n, x in sorted(by_n.items())
           if isinstance(x.get("cli_write"), dict) and "wall" in x["cli_write"]]
    out.append("one write as a whole CLI process < 0.15 s median: "
               + (verdict(all(c["wall"] < 0.15 for _, c in cli)) + " ("
                  + ", ".join(f"{n:,}: {_fmt_s(c['wall'])}, import alone "
                              f"{_fmt_s(c['import_wall'])}" for n, c in cli) + ")"
                  if cli else "not measured"))
    pairs = [(n, x["write"]["pair_ms"]) for n, x in sorted(by_n.items())
             if isinstance(x.get("write"), dict) and "pair_ms" in x["write"]]
    out.append("claim + evidence in-library < 10 ms median, flat: "
               + (verdict(all(p < 10 for _, p in pairs)) + " ("
                  + ", ".join(f"{n:,}: {p:.1f} ms" for n, p in pairs) + ")"
                  if pairs else "not measured"))
    ex = [(n, x.get("export"), x.get("raw_dump")) for n, x in sorted(by_n.items())]
    ex = [(n, e, d) for n, e, d in ex if isinstance(e, dict) and isinstance(d, dict)
          and "wall" in e and "wall" in d]
    out.append("export ≤ 1.5× Oxigraph's own dump: "
               + (verdict(all(e["wall"] <= 1.5 * d["wall"] for _, e, d in ex)) + " ("
                  + ", ".join(f"{n:,}: {_times(e, d)}" for n, e, d in ex) + ")"
                  if ex else "not measured"))
    return out


def environment(args) -> dict:
    import pyoxigraph
    import pyshacl
    import rdflib

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        m = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        mem = int(m.group(1)) / 1024 / 1024 if m else 0
    except OSError:
        pass
    try:
        from importlib.metadata import version
        mine = version("claimledger")
    except Exception:
        mine = "?"
    return {
        "date": _dt.date.today().isoformat(),
        "machine": f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM, {platform.system()}",
        "software": (f"Python {platform.python_version()}, claimledger {mine}, pyoxigraph "
                     f"{pyoxigraph.__version__}, rdflib {rdflib.__version__}, pyshacl {pyshacl.__version__}"),
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if Path("/proc/loadavg").exists() else "?",
        "repeat": args.repeat,
        "repeat_below": args.repeat_below,
    }


def write_readme(text: str, readme: Path = README) -> None:
    body = readme.read_text(encoding="utf-8")
    if START not in body or END not in body:
        raise SystemExit(f"{readme} has no {START} … {END} section")
    head, rest = body.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_step":
        return _child(argv[1], argv[2])
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that a running step is stopped
    p = argparse.ArgumentParser(description="claimledger benchmarks (see benchmarks/README.md)")
    p.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                   help="claims per ledger, comma-separated (default: %(default)s)")
    p.add_argument("--repeat", type=int, default=3, help="runs per step; the median is shown")
    p.add_argument("--repeat-below", type=float, default=120.0,
                   help="only repeat steps whose first run took less than this many seconds")
    p.add_argument("--writes", type=int, default=100, help="timed writes per size")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds before a step is stopped")
    p.add_argument("--baseline-timeout", type=float, default=300.0,
                   help="seconds before an rdflib / pyshacl baseline is stopped")
    p.add_argument("--baseline-sizes", default=f"1000,{BASELINE_EXTRA}",
                   help="sizes at which to run the rdflib / pyshacl baselines ('' for none)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workdir", default=str(HERE / "out"))
    p.add_argument("--keep", action="store_true", help="keep the ledgers in the work directory")
    p.add_argument("--no-csv", action="store_true",
                   help="leave out the CSV import of each ledger (its own row in the table)")
    p.add_argument("--no-jena", action="store_true",
                   help="do not run Apache Jena's SHACL engine beside validate")
    p.add_argument("--no-signing", action="store_true",
                   help="leave out the signed import and the signed writes (their own rows)")
    p.add_argument("--write-readme", action="store_true",
                   help="replace the README's bench section with the table")
    p.add_argument("--json", help="also write the raw results to this file")
    p.add_argument("--note", help="a sentence printed under the table's heading line")
    p.add_argument("--from-json", metavar="FILE",
                   help="measure nothing: print (and with --write-readme, write) the table of "
                        "the raw results an earlier run saved (its results.json)")
    args = p.parse_args(argv)
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text())
        if args.note:
            saved["env"]["note"] = args.note
        if "--sizes" in argv:
            saved_sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        else:  # the sizes of the main table; a baseline-only size has no write step
            saved_sizes = saved.get("sizes") or [
                r["n"] for r in saved["results"] if r["n"] != BASELINE_EXTRA or "write" in r]
        text = markdown(saved["results"], saved["env"], saved_sizes)
        print(text)
        if args.write_readme:
            write_readme(text)
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    baseline_sizes = [int(s) for s in args.baseline_sizes.split(",") if s.strip()]
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    # every step's processes keep the compiled shapes here, not in the user's cache
    os.environ["CLAIMLEDGER_CACHE_DIR"] = str(workdir.resolve() / "plan-cache")
    env = environment(args)
    if args.note:
        env["note"] = args.note
    runner = Runner(workdir, timeout=args.timeout, log=lambda m: print(m, file=sys.stderr, flush=True))
    runner.no_jena = args.no_jena
    results = []
    extra = [n for n in baseline_sizes if n not in sizes]
    raw = Path(args.json) if args.json else workdir / "results.json"

    def save(partial: dict | None = None) -> None:
        done = results + ([dict(partial)] if partial else [])
        raw.write_text(json.dumps({"env": env, "sizes": sizes, "results": done}, indent=1))

    for n in sorted(set(sizes) | set(extra)):
        runner.log(f"== {n:,} claims")
        results.append(dict(measure_size(
            runner, n, repeat=args.repeat, repeat_below=args.repeat_below, writes=args.writes,
            seed=args.seed, baselines=n in baseline_sizes, baseline_timeout=args.baseline_timeout,
            full=n in sizes, keep=args.keep, save=save, csv_import=not args.no_csv,
            signing=not args.no_signing)))
        save()
    text = markdown(results, env, sizes)
    print(text)
    if args.write_readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
