"""Slice.bars over a plan's template (the step's TradeBars copied from one dict, bars recycled after one
reference-count pass for all of them) serves exactly what building every bar anew serves: the same
symbols in subscription order and the same fields, at steps where some subscriptions emit nothing,
with symbols subscribed twice or bars of different lengths, while an algorithm keeps random bars,
TradeBars and slices; anything kept never changes and a kept bar is never handed out again."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.data.slice import NO_ROW, Slice, _TradePlan

START = datetime(2025, 10, 1, 9, 30)
SECOND, MINUTE = timedelta(seconds=1), timedelta(minutes=1)


def fields(bar) -> tuple:
    return (bar.symbol, bar.time, bar.end_time, bar.open, bar.high, bar.low, bar.close, bar.volume,
            bar.is_fill_forward)


def expected(subscriptions: list[dict], k: int, end: datetime) -> dict:
    """The step's bars as plain tuples, built from the subscriptions' rows (later subscriptions of a symbol win)."""
    out = {}
    for sub in subscriptions:
        code = sub["codes"][k]
        if code == NO_ROW:
            continue
        ff = code < 0
        row = -2 - code if ff else code
        o, h, low, c, v = (column[row] for column in sub["fields"])
        out[sub["symbol"]] = (sub["symbol"], end - sub["period"], end, o, h, low, c, 0.0 if ff else v, ff)
    return out


@st.composite
def days(draw):
    n_steps = draw(st.integers(1, 25))
    n_subs = draw(st.integers(1, 4))
    symbols = [f"S{draw(st.integers(0, n_subs if draw(st.booleans()) else 9))}" for _ in range(n_subs)]
    mixed_periods = draw(st.booleans())
    subscriptions = []
    for i, symbol in enumerate(symbols):
        n_rows = draw(st.integers(1, 6))
        columns = [[float(draw(st.integers(1, 50))) for _ in range(n_rows)] for _ in range(5)]
        codes = draw(st.lists(st.one_of(st.just(NO_ROW), st.integers(0, n_rows - 1),
                                        st.integers(0, n_rows - 1).map(lambda r: -2 - r)),
                              min_size=n_steps, max_size=n_steps))
        period = MINUTE if mixed_periods and i % 2 else SECOND
        subscriptions.append({"symbol": symbol, "codes": codes, "fields": columns, "period": period})
    # per step: what the algorithm keeps (nothing, one bar, the TradeBars, the slice)
    keeps = draw(st.lists(st.sampled_from(["none", "none", "bar", "bars", "slice"]), min_size=n_steps,
                          max_size=n_steps))
    return subscriptions, keeps


def run(subscriptions: list[dict], keeps: list[str]) -> None:
    plan = object.__new__(_TradePlan)
    plan._arrange([(sub["symbol"], sub["codes"], *sub["fields"]) for sub in subscriptions],
                  [(sub["period"], None) for sub in subscriptions])
    block = SimpleNamespace(trade_plan=plan)
    kept: list[tuple] = []  # (bar, its fields when served)
    kept_bars: list[tuple] = []  # (TradeBars, {symbol: fields} when served)
    spare = None
    for k, keep in enumerate(keeps):
        end = START + k * SECOND
        if spare is None or keep == "slice":
            spare = data = Slice(end, block, k, [])
        else:
            data = spare
            data._move_to(end, k)
        bars = data.bars
        served = {symbol: fields(bar) for symbol, bar in bars.items()}
        assert list(served) == list(expected(subscriptions, k, end))
        assert served == expected(subscriptions, k, end)
        assert not {id(bar) for bar in bars.values()} & {id(bar) for bar, _ in kept}  # kept bars stay out
        if keep == "bar" and bars:
            bar = next(iter(bars.values()))
            kept.append((bar, fields(bar)))
        elif keep in ("bars", "slice"):
            kept_bars.append((bars, served))
            kept.extend((bar, fields(bar)) for bar in bars.values())
        if keep == "slice":
            spare = None  # the algorithm holds it: the next step needs a new slice
        del bars, data
        assert all(fields(bar) == was for bar, was in kept)
        assert all({s: fields(b) for s, b in held.items()} == was for held, was in kept_bars)


@settings(max_examples=300)
@given(days())
def test_template_bars_equal_bars_built_anew(day) -> None:
    run(*day)


def test_bars_nobody_keeps_are_the_same_objects() -> None:
    subscriptions = [{"symbol": f"S{i}", "codes": [0, 1, -2, 1], "fields": [[1.0, 2.0]] * 5, "period": SECOND}
                     for i in range(3)]
    plan = object.__new__(_TradePlan)
    plan._arrange([(sub["symbol"], sub["codes"], *sub["fields"]) for sub in subscriptions],
                  [(SECOND, None)] * 3)
    data = Slice(START, SimpleNamespace(trade_plan=plan), 0, [])
    ids = []
    for k in range(4):
        data._move_to(START + k * SECOND, k)
        ids.append([id(bar) for bar in data.bars.values()])
    assert ids[0] == ids[1] == ids[2] == ids[3]
