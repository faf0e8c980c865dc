"""A day read straight after carried rows (RawDataSource.read_day(head=...)) is, byte for byte, the day read
alone and joined after those rows (feed._concat), for trade and quote, intraday and whole-file data, with a
price factor of 1 or not and carried rows of their own factors; and the day alone, joined with nothing
carried, keeps its values."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.data.cache import DataCache
from pylean.data.feed import _concat, _take
from pylean.data.subscription import RawDataSource, RawDay, SubscriptionDataConfig
from pylean.enums import Resolution
from pylean.symbols import Symbol

DAYS = (date(2013, 10, 7), date(2013, 10, 8))
OPEN_MS, CLOSE_MS = 34_200_000, 57_600_000  # offsets from midnight


class ScaledConfig(SubscriptionDataConfig):
    """A config with a fixed price factor (as an adjusted equity's factor file would give)."""

    scale = Decimal(1)

    def factor(self, d: date) -> Decimal:
        return self.scale


def arrays(day: RawDay) -> dict[str, tuple]:
    out = {"time_ms": day.time_ms, "end_ms": day.end_ms}
    for group in ("prices", "raw", "sizes"):
        out.update({f"{group}/{k}": v for k, v in getattr(day, group).items()})
    return {k: (v.dtype.str, v.shape, v.tobytes()) for k, v in out.items()}


@settings(max_examples=40)
@given(st.sampled_from([(Resolution.MINUTE, "trade"), (Resolution.MINUTE, "quote"), (Resolution.HOUR, "trade"),
                        (Resolution.DAILY, "trade")]),
       st.sampled_from([Decimal(1), Decimal("0.8571234"), Decimal("2.5")]),
       st.lists(st.tuples(st.integers(0, 10 ** 6), st.sampled_from([Decimal(1), Decimal("0.5"), Decimal("1.25")])),
                min_size=1, max_size=3))
def test_day_read_after_its_head_is_the_day_joined_after_it(lean_data: Path, tmp_path_factory, resolution_kind,
                                                            scale, carried) -> None:
    resolution, kind = resolution_kind
    source = RawDataSource(lean_data, DataCache())
    config = ScaledConfig(Symbol.create("SPY"), resolution, kind)
    config.scale = scale
    earlier = SubscriptionDataConfig(Symbol.create("SPY"), resolution, kind)
    before = source.read_day(earlier, DAYS[0], OPEN_MS, CLOSE_MS)
    assert before is not None and len(before)
    head = []
    for row, factor in carried:  # one-row days of their own factors, as the feed carries them
        taken = _take(before, row)
        head.append(RawDay(taken.time_ms, taken.end_ms, taken.prices, taken.raw, taken.sizes, factor))
    day = source.read_day(config, DAYS[1], OPEN_MS, CLOSE_MS)
    joined = source.read_day(config, DAYS[1], OPEN_MS, CLOSE_MS, head=head)
    assert day is not None and joined is not None and len(day)
    assert joined.factor == day.factor
    assert arrays(joined) == arrays(_concat(head + [day], day.factor))
    alone = _concat([day], day.factor)
    assert arrays(alone) == arrays(day)
    assert all(not np.shares_memory(alone.raw[k], day.raw[k]) for k in day.raw)  # raw columns are copied
