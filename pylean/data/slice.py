"""Slice, TradeBars and QuoteBars (Common/Data/Slice.cs, Common/Data/Market/DataDictionary.cs).

A Slice is a view on one step of a DayBlock: the bar objects are built only when the algorithm
asks for them, and then kept for the rest of the step.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterator

from pylean.data.market_data import Bar, QuoteBar, TradeBar
from pylean.naming import lean_api
from pylean.symbols import Symbol
from pylean.timeutil import ms_to_local

if TYPE_CHECKING:
    from pylean.data.feed import ConfigDay, DayBlock
    from pylean.data.subscription import SubscriptionDataConfig


@lean_api
class DataDictionary(dict):
    """Symbol-keyed dict that also accepts ticker strings, as Lean's DataDictionary does."""

    def _key(self, key: Any) -> Any:
        if isinstance(key, str):
            for symbol in self.keys():
                if symbol.value == key.upper():
                    return symbol
        return key

    def __getitem__(self, key: Any) -> Any:
        return dict.__getitem__(self, self._key(key))

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, self._key(key))

    def contains_key(self, key: Any) -> bool:
        return key in self

    def get(self, key: Any, default: Any = None) -> Any:
        return dict.get(self, self._key(key), default)

    @property
    def count(self) -> int:
        return len(self)


class TradeBars(DataDictionary):
    pass


class QuoteBars(DataDictionary):
    pass


def trade_bar_at(config: "SubscriptionDataConfig", day: "ConfigDay", row: int, ff: bool, end_ms: int) -> TradeBar:
    rows, p = day.rows, day.rows.prices
    if ff:
        start_ms = end_ms - (int(rows.end_ms[row]) - int(rows.time_ms[row]))
        volume = 0.0
    else:
        start_ms = int(rows.time_ms[row])
        volume = float(rows.sizes["volume"][row])
    return TradeBar(ms_to_local(start_ms), config.symbol, float(p["open"][row]), float(p["high"][row]),
                    float(p["low"][row]), float(p["close"][row]), volume, end_time=ms_to_local(end_ms),
                    is_fill_forward=ff)


def quote_bar_at(config: "SubscriptionDataConfig", day: "ConfigDay", row: int, ff: bool, end_ms: int) -> QuoteBar:
    rows, p, s = day.rows, day.rows.prices, day.rows.sizes
    start_ms = end_ms - (int(rows.end_ms[row]) - int(rows.time_ms[row])) if ff else int(rows.time_ms[row])
    bid = Bar(float(p["bid_open"][row]), float(p["bid_high"][row]), float(p["bid_low"][row]), float(p["bid_close"][row]))
    ask = Bar(float(p["ask_open"][row]), float(p["ask_high"][row]), float(p["ask_low"][row]), float(p["ask_close"][row]))
    return QuoteBar(ms_to_local(start_ms), config.symbol, bid if bid.close else None, float(s["bid_size"][row]),
                    ask if ask.close else None, float(s["ask_size"][row]), end_time=ms_to_local(end_ms),
                    is_fill_forward=ff)


@lean_api
class Slice:
    """All user-visible data emitted at one time step."""

    __slots__ = ("time", "_block", "_k", "_configs", "_bars", "_quote_bars")

    def __init__(self, time: datetime, block: "DayBlock", k: int, configs: list["SubscriptionDataConfig"]) -> None:
        self.time = time
        self._block = block
        self._k = k
        self._configs = configs
        self._bars: TradeBars | None = None
        self._quote_bars: QuoteBars | None = None

    def _collect(self, kind: str) -> DataDictionary:
        out: DataDictionary = TradeBars() if kind == "trade" else QuoteBars()
        block, k = self._block, self._k
        end_ms = int(block.times_ms[k])
        build = trade_bar_at if kind == "trade" else quote_bar_at
        for index, day in enumerate(block.configs):
            row = int(day.step_rows[k])
            if row < 0:
                continue
            config = self._configs[index]
            if config.is_internal or config.kind != kind:
                continue
            out[config.symbol] = build(config, day, row, bool(day.step_ff[k]), end_ms)
        return out

    @property
    def bars(self) -> TradeBars:
        if self._bars is None:
            self._bars = self._collect("trade")  # type: ignore[assignment]
        return self._bars  # type: ignore[return-value]

    @property
    def quote_bars(self) -> QuoteBars:
        if self._quote_bars is None:
            self._quote_bars = self._collect("quote")  # type: ignore[assignment]
        return self._quote_bars  # type: ignore[return-value]

    @property
    def ticks(self) -> DataDictionary:
        return DataDictionary()

    splits = delistings = symbol_changed_events = ticks

    @property
    def dividends(self) -> DataDictionary:
        found = self._block.dividends.get(self._k)
        out = DataDictionary()
        for dividend in found or ():
            out[dividend.symbol] = dividend
        return out

    @property
    def has_data(self) -> bool:
        return bool(self._block.user_data[self._k])

    def _merged(self) -> dict[Symbol, Any]:
        merged: dict[Symbol, Any] = dict(self.quote_bars)
        merged.update(self.bars)  # equities: slice[symbol] is the TradeBar when there is one
        return merged

    def __getitem__(self, key: Any) -> Any:
        found = self.bars.get(key)
        if found is None:
            found = self.quote_bars.get(key)
        if found is None:
            raise KeyError(f"'{key}' wasn't found in the Slice object, likely because there was no-data at this "
                           "moment in time and it wasn't possible to fillforward historical data. Please check "
                           "the data exists before accessing it with data.ContainsKey(\"{key}\")")
        return found

    def get(self, key: Any, default: Any = None) -> Any:
        found = self.bars.get(key)
        return found if found is not None else self.quote_bars.get(key, default)

    def contains_key(self, key: Any) -> bool:
        return key in self.bars or key in self.quote_bars

    __contains__ = contains_key

    def keys(self) -> list[Symbol]:
        return list(self._merged().keys())

    def values(self) -> list[Any]:
        return list(self._merged().values())

    def items(self) -> list[tuple[Symbol, Any]]:
        return list(self._merged().items())

    def __iter__(self) -> Iterator[Symbol]:
        return iter(self._merged())

    def __len__(self) -> int:
        return len(self._merged())

    @property
    def count(self) -> int:
        return len(self)
