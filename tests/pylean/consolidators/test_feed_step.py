"""SubscriptionManager.feed_step (the engine's step 14 for all subscriptions at once) feeds exactly what
`feed` per subscription does: shared slice bars for trade subscriptions, bar makers for the rest, and a
consolidator a handler adds to a later subscription takes that subscription's bar in the same step."""
from __future__ import annotations

from datetime import datetime, timedelta

from consolidators_support import FakeRuntime, flat
from pylean.consolidators import TradeBarConsolidator
from pylean.enums import Resolution
from pylean.symbols import Symbol

START = datetime(2013, 10, 8, 9, 30)
SYMBOLS = [Symbol.create(t) for t in ("SPY", "AAPL", "IBM")]


def _run(stepwise: bool) -> list[tuple[str, datetime, float, float]]:
    rt = FakeRuntime()
    manager = rt.subscription_manager
    configs = [rt.subscribe(s, Resolution.SECOND) for s in SYMBOLS]
    out: list[tuple[str, datetime, float, float]] = []

    def record(consolidator: TradeBarConsolidator) -> TradeBarConsolidator:
        consolidator.data_consolidated += lambda sender, bar: out.append(
            (bar.symbol.value, bar.end_time, bar.close, bar.volume))
        return consolidator

    def add_later(sender: object, bar: object) -> None:  # on SPY's first 5-second bar: IBM gets one too
        if not configs[2].consolidators:
            manager.add_consolidator(SYMBOLS[2], record(TradeBarConsolidator(timedelta(seconds=2))))

    manager.add_consolidator(SYMBOLS[0], record(TradeBarConsolidator(timedelta(seconds=5))))
    manager.add_consolidator(SYMBOLS[0], TradeBarConsolidator(timedelta(seconds=5)))
    first = configs[0].consolidators[1]
    first.data_consolidated += add_later
    manager.add_consolidator(SYMBOLS[1], record(TradeBarConsolidator(timedelta(seconds=3))))
    made: list[Symbol] = []

    def make(config, day, k, local):  # noqa: ANN001, ANN202 - the engine's trade_bar_at
        made.append(config.symbol)
        return flat(local - timedelta(seconds=1), 50.0 + k, symbol=config.symbol)

    pairs = [(config, None) for config in configs]
    for k in range(20):
        now = START + timedelta(seconds=k + 1)
        manager.scan(now)
        shared = {s: flat(now - timedelta(seconds=1), 100.0 + k * (i + 1), v=10.0 + i, symbol=s)
                  for i, s in enumerate(SYMBOLS)}
        if k % 2:  # odd steps: bars made per subscription, as when the slice's bars are not shared
            shared = None
        if stepwise:
            for config, day in pairs:
                if config.consolidators:
                    manager.feed(config, shared[config.symbol] if shared is not None else make(config, day, k, now))
        else:
            manager.feed_step(pairs, shared, make, None, k, now)
        manager.scan(now)
    return out


def test_feed_step_matches_feed_per_subscription() -> None:
    stepwise, at_once = _run(stepwise=True), _run(stepwise=False)
    assert at_once == stepwise
    assert {name for name, *_ in at_once} == {"SPY", "AAPL", "IBM"}
    assert len({close for *_, close, _ in at_once}) > 3
