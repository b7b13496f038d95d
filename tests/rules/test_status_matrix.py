"""Every combination of support × contradiction × verdict: the status it derives, the most
confidence it allows, and the to-do reports it appears in.

No claim may fall between the reports: every claim that is neither corroborated nor under a
verdict is in at least one to-do report (``unsourced``, ``single-anecdote``, ``contested``),
and a claim under a verdict is in none of them.
"""

import itertools

import pytest

from claimledger.errors import RuleViolation
from claimledger.ledger import Ledger
from claimledger.query import reports
from claimledger.validation import validate_store
from conftest import BASE, EX

SUPPORT = ("none", "one", "two")
CONTRADICTION = ("none", "weak", "credible")
VERDICT = (None, "true", "mostly-true", "false", "refuted", "half-true", "misleading",
           "unproven", "retracted")
LEVELS = ("low", "moderate", "high")
TODO = ("unsourced", "single-anecdote", "contested")


def slug(support, contradiction, verdict):
    return f"c-{support}-{contradiction}-{verdict or 'open'}"


def expected_status(support, contradiction, verdict):
    if verdict is not None:
        return {"true": "confirmed", "mostly-true": "confirmed", "false": "refuted",
                "refuted": "refuted", "half-true": "mixed", "misleading": "mixed",
                "unproven": "inconclusive", "retracted": "retracted"}[verdict]
    if support == "none":
        return "unsourced"
    if contradiction == "credible":
        return "contested"
    return "corroborated" if support == "two" else "single-source"


def expected_cap(support, contradiction, verdict):
    """Written out from the rules, not computed by claimledger's code."""
    status = expected_status(support, contradiction, verdict)
    if support == "none" or status in ("refuted", "retracted"):
        return "low"
    if status in ("mixed", "inconclusive", "contested", "single-source"):
        return "moderate"
    # corroborated, or confirmed: high needs two independent origins (one graded A–C, named)
    return "high" if support == "two" else "moderate"


CASES = list(itertools.product(SUPPORT, CONTRADICTION, VERDICT))


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    path = tmp_path_factory.mktemp("matrix") / "ledger"
    with Ledger.create(path, base=BASE, agent="tester") as led:
        led.add_prefix("ex", EX)
        led.sources.add("one", title="First report", reliability="B")
        led.sources.add("two", title="Second report", reliability="C")
        led.sources.add("weak", title="A rumour mill", reliability="E")
        led.sources.add("credible", title="The registry", kind="official-record", reliability="B")
        before = {}
        for support, contradiction, verdict in CASES:
            name = slug(support, contradiction, verdict)
            led.claims.add(name, subject="ex:a", predicate="ex:p", object=f"ex:{name}",
                           text=f"claim {name}")
            for source in {"none": (), "one": ("one",), "two": ("one", "two")}[support]:
                led.evidence.add(name, source, stance="supports", quote="as claimed")
            if contradiction != "none":
                led.evidence.add(name, contradiction, stance="contradicts", locator="entry 4")
            # Held as high as the sourcing allows before the verdict ...
            best = expected_cap(support, contradiction, None)
            if best != "low":  # every claim starts low
                led.claims.set_confidence(name, best)
            before[name] = best
            if verdict is not None:  # ... which the verdict may lower, in the same write
                led.claims.verdict(name, verdict, reason="checked against the record")
    led = Ledger.open(path, write=True, agent="tester")
    yield led, before
    led.close()


@pytest.fixture(scope="module")
def todo(matrix):
    led, _ = matrix
    return {name: {led.slug(row[0]) for row in reports.run(led, name).rows} for name in TODO}


@pytest.mark.parametrize("support, contradiction, verdict", CASES,
                         ids=[slug(*c) for c in CASES])
def test_status_confidence_and_reports(matrix, todo, support, contradiction, verdict):
    led, before = matrix
    name = slug(support, contradiction, verdict)
    record = led.claims.get(name)
    status = expected_status(support, contradiction, verdict)
    assert record.status == status

    cap = expected_cap(support, contradiction, verdict)
    order = LEVELS.index
    assert record.confidence == LEVELS[min(order(before[name]), order(cap))]
    for level in LEVELS[order(cap) + 1:]:  # above the cap: refused, nothing written
        with pytest.raises(RuleViolation):
            led.claims.set_confidence(name, level)
    if record.confidence != cap:
        led.claims.set_confidence(name, cap)  # the cap itself is allowed
    assert led.claims.get(name).confidence == cap

    listed = {report for report, claims in todo.items() if name in claims}
    if verdict is not None:
        assert listed == set(), f"{name} is under a verdict but listed in {listed}"
    elif status != "corroborated":
        assert listed, f"{name} ({status}) fell between the to-do reports"
        assert {"unsourced": "unsourced", "single-source": "single-anecdote",
                "contested": "contested"}[status] in listed


def test_the_ledger_is_valid_throughout(matrix):
    led, _ = matrix
    report = validate_store(led.store, led.shapes)
    assert report.conforms, [r.describe() for r in report.violations]
