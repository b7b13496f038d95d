"""A write costs a handful of store round trips, however much its claim's closure holds: the
reads its checks need are batched (one query for the closure, not one per node)."""

from __future__ import annotations

from claimledger.ledger import Ledger


class Counting:
    """A store that counts the round trips claimledger makes to it."""

    def __init__(self, store) -> None:
        self._store = store
        self.calls = 0

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if name in ("query", "select", "ask", "construct", "triples"):
            def counted(*args, **kwargs):
                self.calls += 1
                return attr(*args, **kwargs)
            return counted
        return attr


def _grow(led: Ledger, start: int, n: int) -> None:
    for k in range(start, start + n):
        led.sources.add(f"root-{k}", title=f"Root {k}", reliability="B")
        led.sources.add(f"mid-{k}", title=f"Mid {k}", derived_from=[f"root-{k}"])
        led.sources.add(f"leaf-{k}", title=f"Leaf {k}", derived_from=[f"mid-{k}"])
        led.evidence.add("claim", f"leaf-{k}", stance="supports", locator=f"para {k}")


def _cost_of_one_evidence(ledger_dir, k: int) -> int:
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        led.store = counting = Counting(led.store)
        led.sources.add(f"extra-{k}", title="Extra")
        counting.calls = 0
        led.evidence.add("claim", f"extra-{k}", stance="supports", locator="p 1")
        return counting.calls


def test_one_evidence_costs_the_same_with_ten_or_thirty_lines_of_reporting(ledger_dir):
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        led.claims.add("claim", subject="ex:a", predicate="ex:b", object="ex:c", text="A claim")
        _grow(led, 0, 10)
    small = _cost_of_one_evidence(ledger_dir, 1)
    with Ledger.open(ledger_dir, write=True, agent="tester") as led:
        _grow(led, 10, 20)
    large = _cost_of_one_evidence(ledger_dir, 2)
    assert large == small, (small, large)
    assert small <= 16, small
