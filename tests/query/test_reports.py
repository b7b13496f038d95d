"""The packaged reports, each on a small hand-built ledger with its exact expected rows.

The ledger (built once, through the library API, in :func:`build`):

* ``wire`` (B) is a wire story that three sources derive from directly — ``reprint-1``,
  ``outlet-x`` and ``outlet-y`` — and ``reprint-3`` three hops down
  (``reprint-3`` ← ``reprint-2`` ← ``reprint-1`` ← ``wire``);
* ``nds`` and ``officials`` are anonymous people quoted by ``article`` and ``paper``, two reports
  that share the origin ``nds``;
* ``indie`` (A) and ``ministry`` (A) are independent named sources; ``denial`` (B) and ``blog``
  (E) contradict claims; ``hoax`` is discredited.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from pyoxigraph import Literal, NamedNode

from claimledger.query import reports
from claimledger.ledger import Ledger
from conftest import BASE, EX, Cli, snapshot

S = BASE + "source/"
C = BASE + "claim/"


def build(path: Path) -> None:
    with Ledger.create(path, base=BASE, agent="tester") as led:
        led.add_prefix("ex", EX)
        src = led.sources.add
        src("wire", title="Wire story", reliability="B", published="2017-03-01")
        src("reprint-1", title="Reprint one", derived_from=["wire"], published="2017-04")
        src("reprint-2", title="Reprint two", derived_from=["reprint-1"], published="2017-04")
        src("reprint-3", title="Reprint three", derived_from=["reprint-2"], published="2017-04")
        src("outlet-x", title="Outlet X", derived_from=["wire"], published="2017-05-02")
        src("outlet-y", title="Outlet Y", derived_from=["wire"], published="2017-05-03")
        src("indie", title="Independent report", reliability="A", published="2018")
        src("ministry", title="Ministry", kind="organization", reliability="A")
        src("article", title="The article", reliability="B", published="2021-08-15")
        src("paper", title="The paper", reliability="C", published="2021-09-01")
        for who in ("nds", "officials"):
            src(who, title=f"{who} (anonymous)", kind="person", anonymous=True,
                justification="not authorised to speak", known_to="editor", reliability="C")
        src("denial", title="Official denial", reliability="B", published="2019-01-10")
        src("blog", title="A blog", reliability="E")
        src("hoax", title="Hoax site", reliability="D", published="2016")

        def claim(slug: str) -> None:
            led.claims.add(slug, subject="ex:s", predicate="ex:p", object=f"ex:{slug}",
                           text=f"The {slug} claim")

        def ev(claim_slug: str, source: str, stance: str = "supports", **kw) -> None:
            led.evidence.add(claim_slug, source, stance=stance, locator="p. 1", **kw)

        claim("chain")                         # wire, reached three hops down and directly
        ev("chain", "reprint-3")
        ev("chain", "outlet-x")
        claim("kunduz")                        # two reports, one anonymous origin
        ev("kunduz", "article", attributed_to="nds")
        ev("kunduz", "paper", attributed_to="nds")
        led.claims.set_confidence("kunduz", "moderate")
        claim("anon-pair")                     # two anonymous origins, one report
        ev("anon-pair", "article", attributed_to="nds")
        ev("anon-pair", "article", attributed_to="officials")
        claim("corr-direct")                   # wire itself + indie
        ev("corr-direct", "wire")
        ev("corr-direct", "indie")
        led.claims.set_confidence("corr-direct", "high")
        claim("corr-attributed")               # an article quoting the wire + the ministry
        ev("corr-attributed", "article", attributed_to="wire")
        ev("corr-attributed", "ministry")
        claim("corr-derived")                  # reprint-3 (three hops to wire) + indie
        ev("corr-derived", "reprint-3")
        ev("corr-derived", "indie")
        claim("triple")                        # three origins: survives losing wire
        ev("triple", "outlet-y")
        ev("triple", "indie")
        ev("triple", "ministry")
        claim("refuted")                       # wire + indie, then refuted
        ev("refuted", "outlet-x")
        ev("refuted", "indie")
        led.claims.verdict("refuted", "refuted", reason="disproved by satellite imagery")
        claim("disputed")                      # credible contradiction
        ev("disputed", "indie")
        ev("disputed", "denial", stance="contradicts", credibility="2")
        claim("weakly-disputed")               # contradiction that is not credible
        ev("weakly-disputed", "ministry")
        ev("weakly-disputed", "blog", stance="contradicts", credibility="5")
        claim("bare")                          # never sourced
        claim("withdrawn")                     # its only evidence retracted
        ev("withdrawn", "indie")
        led.evidence.retract("withdrawn-1", reason="misquoted")
        claim("hoaxed")                        # its only source discredited
        ev("hoaxed", "hoax")
        led.sources.discredit("hoax", reason="fabricated")


@pytest.fixture(scope="module")
def ledger_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reports") / "ledger"
    build(path)
    return path


@pytest.fixture(scope="module")
def run(ledger_dir) -> Cli:
    return Cli(ledger_dir)


def rows(run: Cli, name: str, *params: str) -> list[dict[str, str]]:
    """The report's rows as ``{column: value}``, read from its W3C CSV output."""
    args = ["report", name, "--format", "sparql-csv"]
    for p in params:
        args += ["--param", p]
    out = run.ok(*args).stdout
    return list(csv.DictReader(io.StringIO(out, newline="")))


def short(row: dict[str, str]) -> dict[str, str]:
    """Ledger IRIs as slugs, to keep the expected rows readable."""
    out = {}
    for k, v in row.items():
        for ns in (S, C, BASE + "agent/"):
            if v.startswith(ns):
                v = v[len(ns):]
        out[k] = v
    return out


def table(run: Cli, name: str, *params: str) -> list[dict[str, str]]:
    return [short(r) for r in rows(run, name, *params)]


# -- the reports, row by row -----------------------------------------------------------------

def test_single_anecdote(run):
    assert table(run, "single-anecdote") == [
        {"claim": "chain", "text": "The chain claim", "status": "single-source",
         "confidence": "low", "origin": "wire", "origin_title": "Wire story",
         "origin_grade": "B", "reports": "2",
         "carried_by": "outlet-x ← wire; reprint-3 ← reprint-2 ← reprint-1 ← wire"},
        {"claim": "disputed", "text": "The disputed claim", "status": "contested",
         "confidence": "low", "origin": "indie", "origin_title": "Independent report",
         "origin_grade": "A", "reports": "1", "carried_by": "indie"},
        {"claim": "kunduz", "text": "The kunduz claim", "status": "single-source",
         "confidence": "moderate", "origin": "nds", "origin_title": "nds (anonymous)",
         "origin_grade": "C", "reports": "2",
         "carried_by": "article quoting nds; paper quoting nds"},
        {"claim": "weakly-disputed", "text": "The weakly-disputed claim",
         "status": "single-source", "confidence": "low", "origin": "ministry",
         "origin_title": "Ministry", "origin_grade": "A", "reports": "1",
         "carried_by": "ministry"},
    ]


def test_circular_reporting(run):
    assert table(run, "circular-reporting") == [
        {"claim": "chain", "text": "The chain claim", "status": "single-source", "reports": "2",
         "independent_origins": "1", "origins": "wire", "carried_by": "outlet-x; reprint-3"},
        {"claim": "kunduz", "text": "The kunduz claim", "status": "single-source",
         "reports": "2", "independent_origins": "1", "origins": "nds",
         "carried_by": "article quoting nds; paper quoting nds"},
    ]


def test_anonymous_only(run):
    assert table(run, "anonymous-only") == [
        {"claim": "anon-pair", "text": "The anon-pair claim", "status": "corroborated",
         "confidence": "low", "origins": "nds officials",
         "carried_by": "article quoting nds; article quoting officials"},
        {"claim": "kunduz", "text": "The kunduz claim", "status": "single-source",
         "confidence": "moderate", "origins": "nds",
         "carried_by": "article quoting nds; paper quoting nds"},
    ]


def test_contested(run):
    assert table(run, "contested") == [
        {"claim": "disputed", "text": "The disputed claim", "status": "contested",
         "confidence": "low", "supports": "indie [A]", "contradicts": "denial [B2]"},
        {"claim": "weakly-disputed", "text": "The weakly-disputed claim",
         "status": "single-source", "confidence": "low", "supports": "ministry [A]",
         "contradicts": "blog [E5]"},
    ]


def test_unsourced(run):
    got = table(run, "unsourced")
    for row in got:
        assert row.pop("recorded_at").endswith("Z")
    assert got == [
        {"claim": "bare", "text": "The bare claim", "confidence": "low", "evidence": "0",
         "contradicted_by": "", "recorded_by": "tester"},
        {"claim": "hoaxed", "text": "The hoaxed claim", "confidence": "low", "evidence": "1",
         "contradicted_by": "", "recorded_by": "tester"},
        {"claim": "withdrawn", "text": "The withdrawn claim", "confidence": "low",
         "evidence": "1", "contradicted_by": "", "recorded_by": "tester"},
    ]


def test_source_record(run):
    cols = ("source", "reliability", "discredited", "claims", "corroborated", "single_source",
            "contested", "unsourced", "refuted", "retracted")
    got = [tuple(r[c] for c in cols) for r in table(run, "source-record")]
    assert got == [
        # source       grade disc   claims corr single cont unsrc ref retr
        ("indie",      "A", "no",  "5", "3", "0", "1", "0", "1", "0"),
        ("article",    "B", "no",  "3", "2", "1", "0", "0", "0", "0"),
        ("ministry",   "A", "no",  "3", "2", "1", "0", "0", "0", "0"),
        ("nds",        "C", "no",  "2", "1", "1", "0", "0", "0", "0"),
        ("outlet-x",   "F", "no",  "2", "0", "1", "0", "0", "1", "0"),
        ("reprint-3",  "F", "no",  "2", "1", "1", "0", "0", "0", "0"),
        ("wire",       "B", "no",  "2", "2", "0", "0", "0", "0", "0"),
        ("hoax",       "D", "yes", "1", "0", "0", "0", "1", "0", "0"),
        ("officials",  "C", "no",  "1", "1", "0", "0", "0", "0", "0"),
        ("outlet-y",   "F", "no",  "1", "1", "0", "0", "0", "0", "0"),
        ("paper",      "C", "no",  "1", "0", "1", "0", "0", "0", "0"),
    ]


def test_stale(run):
    assert table(run, "stale", "before=2019-01-01") == [
        {"claim": "chain", "text": "The chain claim", "status": "single-source",
         "confidence": "low", "newest": "2017-05-02", "evidence": "2",
         "before": "2019-01-01"},
        {"claim": "corr-derived", "text": "The corr-derived claim", "status": "corroborated",
         "confidence": "low", "newest": "2018", "evidence": "2", "before": "2019-01-01"},
        {"claim": "corr-direct", "text": "The corr-direct claim", "status": "corroborated",
         "confidence": "high", "newest": "2018", "evidence": "2", "before": "2019-01-01"},
    ]
    # A year of evidence is taken at its last day: "2018" is not known to be before June 2018.
    assert [r["claim"] for r in table(run, "stale", "before=2018-06")] == ["chain"]
    # Contradicting evidence counts as evidence too (disputed: denial of 2019-01-10).
    assert [r["claim"] for r in table(run, "stale", "before=2019-01-11T00:00:00Z")] == [
        "chain", "corr-derived", "corr-direct", "disputed"]
    assert table(run, "stale", "before=2000") == []


def test_summary(run):
    got = [(r["status"], r["low"], r["moderate"], r["high"], r["claims"])
           for r in table(run, "summary")]
    assert got == [
        ("corroborated", "4", "0", "1", "5"),
        ("single-source", "2", "1", "0", "3"),
        ("contested", "1", "0", "0", "1"),
        ("unsourced", "3", "0", "0", "3"),
        ("confirmed", "0", "0", "0", "0"),
        ("refuted", "1", "0", "0", "1"),
        ("mixed", "0", "0", "0", "0"),
        ("inconclusive", "0", "0", "0", "0"),
        ("retracted", "0", "0", "0", "0"),
        ("total", "11", "1", "1", "13"),
    ]


IMPACT_WIRE = [
    {"source": "wire", "claim": "chain", "text": "The chain claim",
     "effect": "loses all support", "status_before": "single-source",
     "status_after": "unsourced", "origins_before": "1", "origins_after": "0",
     "confidence": "low",
     "lost": "chain-1: found in reprint-3, derived from wire; "
             "chain-2: found in outlet-x, derived from wire"},
    {"source": "wire", "claim": "corr-attributed", "text": "The corr-attributed claim",
     "effect": "drops to one origin", "status_before": "corroborated",
     "status_after": "single-source", "origins_before": "2", "origins_after": "1",
     "confidence": "low", "lost": "corr-attributed-1: quoting wire"},
    {"source": "wire", "claim": "corr-derived", "text": "The corr-derived claim",
     "effect": "drops to one origin", "status_before": "corroborated",
     "status_after": "single-source", "origins_before": "2", "origins_after": "1",
     "confidence": "low", "lost": "corr-derived-1: found in reprint-3, derived from wire"},
    {"source": "wire", "claim": "corr-direct", "text": "The corr-direct claim",
     "effect": "drops to one origin", "status_before": "corroborated",
     "status_after": "single-source", "origins_before": "2", "origins_after": "1",
     "confidence": "high", "lost": "corr-direct-1: found in wire"},
]


def test_impact_of_a_source_three_others_derive_from(run):
    # Directly (corr-direct), through attribution (corr-attributed) and through derivation
    # chains one and three hops long (chain, corr-derived). Not listed: triple (three origins,
    # two left), refuted (a verdict), and every claim wire does not reach.
    assert table(run, "impact", "source=wire") == IMPACT_WIRE


def test_impact_of_a_shared_anonymous_origin(run):
    assert table(run, "impact", "source=nds") == [
        {"source": "nds", "claim": "kunduz", "text": "The kunduz claim",
         "effect": "loses all support", "status_before": "single-source",
         "status_after": "unsourced", "origins_before": "1", "origins_after": "0",
         "confidence": "moderate", "lost": "kunduz-1: quoting nds; kunduz-2: quoting nds"},
        {"source": "nds", "claim": "anon-pair", "text": "The anon-pair claim",
         "effect": "drops to one origin", "status_before": "corroborated",
         "status_after": "single-source", "origins_before": "2", "origins_after": "1",
         "confidence": "low", "lost": "anon-pair-1: quoting nds"},
    ]


def test_impact_of_losing_all_support_under_a_contradiction(run):
    # disputed loses its only support; denial still contradicts it, but a claim resting on
    # nothing is unsourced (low confidence at most, on the to-do list), not contested.
    got = table(run, "impact", "source=indie")
    assert [(r["claim"], r["effect"], r["status_before"], r["status_after"]) for r in got] == [
        ("disputed", "loses all support", "contested", "unsourced"),
        ("corr-derived", "drops to one origin", "corroborated", "single-source"),
        ("corr-direct", "drops to one origin", "corroborated", "single-source"),
    ]


def test_impact_in_the_middle_of_a_chain_and_of_one_anonymous_origin(run):
    # reprint-2 is two hops above reprint-3: corr-derived loses it; chain keeps outlet-x.
    assert [(r["claim"], r["effect"], r["lost"]) for r in table(run, "impact", "source=reprint-2")
            ] == [("corr-derived", "drops to one origin",
                   "corr-derived-1: found in reprint-3, derived from reprint-2")]
    assert [(r["claim"], r["effect"]) for r in table(run, "impact", "source=officials")] == [
        ("anon-pair", "drops to one origin")]


def test_impact_of_a_named_source_with_no_derivations(run):
    # weakly-disputed rests on ministry alone; corr-attributed keeps wire; triple keeps two.
    assert [(r["claim"], r["effect"], r["lost"]) for r in table(run, "impact", "source=ministry")
            ] == [
        ("weakly-disputed", "loses all support", "weakly-disputed-1: found in ministry"),
        ("corr-attributed", "drops to one origin", "corr-attributed-2: found in ministry")]


@pytest.mark.parametrize("source", ["blog", "denial", "hoax", "paper", "outlet-y"])
def test_impact_of_sources_whose_loss_topples_nothing(run, source):
    # blog and denial only contradict; hoax is already discredited; paper shares its origin
    # (nds) with article, which still carries kunduz; outlet-y only takes triple from three
    # origins to two.
    assert table(run, "impact", f"source={source}") == []


def test_impact_agrees_with_a_real_discrediting(tmp_path):
    path = tmp_path / "ledger"
    build(path)
    with Ledger.open(path) as led:
        predicted = reports.run(led, "impact", {"source": "wire"})
    cols = predicted.columns
    predicted = {led.slug(r[cols.index("claim")]): (r[cols.index("status_after")].value,
                                                    int(r[cols.index("origins_after")].value))
                 for r in predicted.rows}
    with Ledger.open(path, write=True, agent="tester") as led:
        result = led.sources.discredit("wire", reason="fabricated")
        fell = {led.slug(c.claim): (c.after, c.origins_after) for c in result.status_changes
                if c.before not in ("refuted", "retracted")
                and ((c.origins_before or 0) >= 1 and c.origins_after == 0
                     or (c.origins_before or 0) >= 2 and c.origins_after == 1)}
        others = {led.slug(c.claim) for c in result.status_changes} - set(fell)
    assert fell == predicted
    assert others == {"triple", "refuted"}     # 3 → 2 origins; a verdict


# -- listing, formats ---------------------------------------------------------------------------

NAMES = ["anonymous-only", "circular-reporting", "contested", "impact", "orphaned-quotes",
         "single-anecdote", "source-record", "stale", "summary", "unsourced", "untriaged"]


def test_report_list(run):
    out = run.ok("report", "--list").stdout
    lines = out.splitlines()
    assert lines[0].split() == ["report", "params", "answers"]
    listed = [line.split()[0] for line in lines[2:]]
    assert listed == NAMES
    assert "\nimpact              source=  What falls if a source is discredited" in out
    assert "\nstale               before=  Claims whose newest evidence is older" in out
    assert "Claims whose entire support traces to one origin" in out
    specs = json.loads(run.ok("report", "--list", "--format", "json").stdout)
    assert [s["name"] for s in specs] == NAMES
    assert {s["name"]: s["params"] for s in specs if s["params"]} == {
        "impact": ["source"], "stale": ["before"]}
    for s in specs:
        assert 20 < len(s["description"]) <= 100, s


def test_every_report_has_a_header_with_its_columns():
    for spec in reports.available():
        assert "Columns:" in spec.details, spec.name
        assert spec.description and not spec.description.startswith("param"), spec.name


def test_table_format_is_aligned_and_hides_parameters(run):
    out = run.ok("report", "single-anecdote").stdout
    lines = out.splitlines()
    assert lines[0].split() == ["claim", "text", "status", "confidence", "origin",
                                "origin_title", "origin_grade", "reports", "carried_by"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[-1] == "(4 rows)"
    kunduz = next(line for line in lines if line.startswith("kunduz "))
    origin_col = lines[0].index("origin ")
    assert kunduz[origin_col:].startswith("nds ")
    out = run.ok("report", "impact", "--param", "source=wire").stdout
    assert out.splitlines()[0].split()[0] == "claim"      # the source column is hidden
    assert out.splitlines()[-1] == "(4 rows)"


def test_markdown_format(run):
    out = run.ok("report", "contested", "--format", "markdown").stdout
    lines = out.splitlines()
    assert lines[0] == "| claim | text | status | confidence | supports | contradicts |"
    assert lines[1] == "|---|---|---|---|---|---|"
    assert lines[2] == ("| disputed | The disputed claim | contested | low | indie [A] | "
                        "denial [B2] |")
    assert len(lines) == 4


def test_sparql_csv_is_the_w3c_format(run):
    out = run.ok("report", "stale", "--param", "before=2019-01-01",
                 "--format", "sparql-csv").stdout_bytes.decode("utf-8")
    assert out.startswith("claim,text,status,confidence,newest,evidence,before\r\n")
    assert out.endswith("\r\n")
    parsed = list(csv.reader(io.StringIO(out, newline="")))
    assert parsed[1] == [C + "chain", "The chain claim", "single-source", "low", "2017-05-02",
                         "2", "2019-01-01"]


def test_sparql_tsv_is_the_w3c_format(run):
    out = run.ok("report", "stale", "--param", "before=2019-01-01", "--format", "sparql-tsv").stdout
    lines = out.splitlines()
    assert lines[0] == "?claim\t?text\t?status\t?confidence\t?newest\t?evidence\t?before"
    assert lines[1].split("\t") == [
        f"<{C}chain>", '"The chain claim"@en', '"single-source"', '"low"', '"2017-05-02"',
        '"2"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"2019-01-01"^^<http://www.w3.org/2001/XMLSchema#date>']
    assert len(lines) == 4


def test_sparql_json_is_the_w3c_format(run):
    data = json.loads(run.ok("report", "impact", "--param", "source=wire",
                             "--format", "sparql-json").stdout)
    assert data["head"]["vars"] == ["source", "claim", "text", "effect", "status_before",
                                    "status_after", "origins_before", "origins_after",
                                    "confidence", "lost"]
    first = data["results"]["bindings"][0]
    assert first["source"] == {"type": "uri", "value": S + "wire"}
    assert first["claim"] == {"type": "uri", "value": C + "chain"}
    assert first["text"] == {"type": "literal", "value": "The chain claim", "xml:lang": "en"}
    assert first["origins_after"] == {"type": "literal", "value": "0",
                                      "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert first["effect"] == {"type": "literal", "value": "loses all support"}
    assert len(data["results"]["bindings"]) == 4


def test_csv_tsv_and_json_have_the_tables_columns_and_slugs(run):
    # The defect: csv / json gave full IRIs and the hidden parameter columns.
    table = run.ok("report", "stale", "--param", "before=2019-01-01").stdout.splitlines()
    headers = table[0].split()
    assert headers == ["claim", "text", "status", "confidence", "newest", "evidence"]
    out = run.ok("report", "stale", "--param", "before=2019-01-01", "--format", "csv").stdout
    parsed = list(csv.reader(io.StringIO(out, newline="")))
    assert parsed[0] == headers
    assert parsed[1] == ["chain", "The chain claim", "single-source", "low", "2017-05-02", "2"]
    out = run.ok("report", "stale", "--param", "before=2019-01-01", "--format", "tsv").stdout
    assert out.splitlines()[1].split("\t") == parsed[1]
    data = json.loads(run.ok("report", "stale", "--param", "before=2019-01-01",
                             "--format", "json").stdout)
    assert data[0] == {"claim": "chain", "text": "The chain claim", "status": "single-source",
                       "confidence": "low", "newest": "2017-05-02", "evidence": 2}
    assert [list(row) for row in data] == [headers] * len(data)
    impact = json.loads(run.ok("report", "impact", "--param", "source=wire",
                               "--format", "json").stdout)
    assert impact[0]["claim"] == "chain" and "source" not in impact[0]


def test_report_list_needs_no_ledger(tmp_path):
    # The defect: report --list opened a ledger it does not read.
    result = Cli(tmp_path / "nowhere")("report", "--list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [s["name"] for s in json.loads(result.stdout)] == NAMES
    assert not (tmp_path / "nowhere").exists()


def test_tables_fit_the_terminal(run):
    # The defect: single-anecdote was 305 columns wide on the seed ledger.
    piped, narrow = Cli(run.ledger_dir), Cli(run.ledger_dir)
    piped.runner.env = {"COLUMNS": ""}      # a pipe: whole cells
    narrow.runner.env = {"COLUMNS": "100"}  # a terminal 100 columns wide
    wide = piped.ok("report", "single-anecdote").stdout.splitlines()
    assert max(len(line) for line in wide) > 100
    fitted = narrow.ok("report", "single-anecdote").stdout.splitlines()
    assert max(len(line) for line in fitted) <= 100
    assert [line.split()[0] for line in fitted[2:-1]] == [line.split()[0] for line in wide[2:-1]]


@pytest.mark.parametrize("name", NAMES)
def test_every_report_runs_in_every_format(run, name):
    params = {"impact": ["--param", "source=wire"],
              "stale": ["--param", "before=2020"]}.get(name, [])
    for fmt in ("table", "csv", "tsv", "json", "markdown", "sparql-csv", "sparql-tsv",
                "sparql-json"):
        run.ok("report", name, *params, "--format", fmt)


# -- bad and hostile input ---------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (["report", "no-such-report"], "no report called 'no-such-report'"),
    (["report", "../summary"], "is not a report name"),
    (["report", "a" * 5000], "no report called 'aaaa"),
    (["report", "Summary"], "is not a report name"),
    (["report", "impact"], "needs --param source="),
    (["report", "stale"], "needs --param before="),
    (["report", "summary", "--param", "source=wire"], "takes no parameter 'source'"),
    (["report", "impact", "--param", "source=wire", "--param", "before=2019"],
     "takes no parameter 'before' (it takes: source)"),
    (["report", "impact", "--param", "wire"], "'wire' is not KEY=VALUE"),
    (["report", "impact", "--param", "=wire"], "'=wire' is not KEY=VALUE"),
    (["report", "impact", "--param", "source=nope"], "no source 'nope'"),
    (["report", "impact", "--param", "source=kunduz"], "no source 'kunduz'"),
    (["report", "stale", "--param", "before=last spring"], "is not a date"),
    (["report", "stale", "--param", "before=2019-13-01"], "not a valid date"),
    (["report", "stale", "--param", "before=2999"], "lies in the future"),
])
def test_bad_report_arguments_exit_2(run, ledger_dir, args, expected):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert expected in result.stderr
    assert "Traceback" not in result.output


HOSTILE = [
    ("impact", 'source=x" } ; DROP ALL #'),
    ("impact", "source=wire> } DROP ALL { <x"),
    ("impact", "source=<https://example.org/test/source/wire> } ; CLEAR DEFAULT #>"),
    ("impact", 'source=<https://example.org/x\\u0022 }>'),
    ("impact", "source=https://example.org/test/source/wire%3E%20%7D"),
    ("impact", "source=ex:x\\u0022"),
    ("stale", 'before=2020-01-01" || true'),
    ("stale", "before=2020-01-01\") || true #"),
    ("stale", "before=2020-01-01\\u0022"),
    ("stale", "before=2020-01-01> } DROP ALL #"),
]


@pytest.mark.parametrize("name, param", HOSTILE)
def test_hostile_parameters_are_refused_and_change_nothing(run, ledger_dir, name, param):
    before = snapshot(ledger_dir)
    result = run("report", name, "--param", param, "--format", "sparql-csv")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: --param {param.split('=')[0]}: ")
    assert "Traceback" not in result.output
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("name, value", [
    ("stale", Literal('2020-01-01" || true')),
    ("stale", Literal('2020-01-01"^^xsd:date) || true #')),
    ("stale", Literal("9999-99-99> } ; DROP ALL #")),
    ("stale", NamedNode("https://example.org/2020-01-01")),
    ("impact", NamedNode("https://example.org/test/source/wire%22%7D%3B%20DROP%20ALL%20%23")),
    ("impact", NamedNode("https://example.org/test/source/x")),
    ("impact", Literal("wire")),
])
def test_hostile_terms_bound_below_the_cli_match_nothing(ledger_dir, name, value):
    """Past the CLI's checks, a value is still one RDF term: it cannot add syntax to the query,
    and a term that is not a recorded source / a date gives no rows."""
    before = snapshot(ledger_dir)
    spec = reports.load(name)
    param = spec.params[0].name
    with Ledger.open(ledger_dir) as led:
        result = led.store.query(spec.sparql, {param: value})
        assert list(result) == []
    assert snapshot(ledger_dir) == before
