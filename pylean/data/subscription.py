"""SubscriptionDataConfig and per-day raw columns (Common/Data/SubscriptionDataConfig.cs, SubscriptionDataReader.cs)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from pylean.data.cache import DataCache
from pylean.data.factors import FactorFile, MapFile
from pylean.data.lean_format import daily_path, hour_path, intraday_path
from pylean.enums import DataNormalizationMode, Resolution
from pylean.symbols import Symbol
from pylean.timeutil import day_ms

# Bar length per resolution; a tick has none (Lean's stale-data wait treats tick data as never stale).
PERIOD_MS = {Resolution.TICK: 0, Resolution.SECOND: 1_000, Resolution.MINUTE: 60_000, Resolution.HOUR: 3_600_000,
             Resolution.DAILY: 86_400_000}
PERIOD_SPANS = {resolution: timedelta(milliseconds=ms) for resolution, ms in PERIOD_MS.items()}  # ToTimeSpan()
_NORMALIZATION_MODE_NAMES = {
    DataNormalizationMode.RAW: "raw", DataNormalizationMode.ADJUSTED: "adjusted",
    DataNormalizationMode.SPLIT_ADJUSTED: "split_adjusted", DataNormalizationMode.SCALED_RAW: "scaled_raw",
    DataNormalizationMode.TOTAL_RETURN: "split_adjusted",
}
_PRICE_FIELDS = {"trade": ("open", "high", "low", "close"),
                 "quote": ("bid_open", "bid_high", "bid_low", "bid_close", "ask_open", "ask_high", "ask_low", "ask_close")}
_DAY_FILE = re.compile(r"(\d{8})_(?:trade|quote)\.zip$")
_SIZE_FIELDS = {"trade": ("volume",), "quote": ("bid_size", "ask_size")}


class ConsolidatorList(list):
    """A subscription's consolidators; Lean's set exposes its size as `count` (Python's list.count is shadowed)."""

    __slots__ = ()

    @property
    def count(self) -> int:  # type: ignore[override]
        return len(self)

    Count = count


@dataclass(eq=False)
class SubscriptionDataConfig:
    """One data stream: a symbol's trade or quote bars at one resolution."""

    symbol: Symbol
    resolution: Resolution
    kind: str  # "trade" or "quote"
    fill_forward: bool = True
    extended_hours: bool = False
    normalization: DataNormalizationMode = DataNormalizationMode.ADJUSTED
    is_internal: bool = False
    map_file: MapFile | None = None
    factor_file: FactorFile | None = None
    consolidators: list = field(default_factory=ConsolidatorList)
    data_filter: Any = None  # (security, its SecurityDataFilter) when the security has one (data_filter.py)

    @property
    def data_normalization_mode(self) -> DataNormalizationMode:
        return self.normalization

    @property
    def period_ms(self) -> int:
        return PERIOD_MS[self.resolution]

    @property
    def increment(self) -> timedelta:
        return PERIOD_SPANS[self.resolution]

    def factor(self, d: date) -> Decimal:
        if self.factor_file is None or self.normalization == DataNormalizationMode.RAW:
            return Decimal(1)
        return self.factor_file.price_scale_factor(d, _NORMALIZATION_MODE_NAMES.get(self.normalization, "adjusted"))

    def mapped_ticker(self, d: date) -> str | None:
        if self.map_file is None:
            return self.symbol.value
        return self.map_file.mapped_ticker(d)


@dataclass
class RawDay:
    """A config's rows for one day, prices already scaled to floats; times in local-epoch ms."""

    time_ms: np.ndarray
    end_ms: np.ndarray
    prices: dict[str, np.ndarray]   # float64, scaled by the day's factor
    raw: dict[str, np.ndarray]      # int64 deci-cents, for exact Decimal accounting
    sizes: dict[str, np.ndarray]    # float64 (volume adjusted by the factor)
    factor: Decimal

    def __len__(self) -> int:
        return len(self.time_ms)


def scaled_prices(raw: np.ndarray, factor: Decimal, out: np.ndarray | None = None) -> np.ndarray:
    """Deci-cents x 0.0001 x factor as the float Lean hands to Python (the exact decimal, rounded once).

    raw * factor-digits is an exact integer in float64 below 2**53, and the power of ten is exact,
    so one IEEE division yields float(Decimal(raw) * 0.0001 * factor) (Lean: TradeBar reader scale
    1/10000, then Extensions.Scale). With `out` (float64, raw's length) the result is written there.
    """
    sign, digits, exponent = factor.as_tuple()
    numerator = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    scale = -int(exponent) if int(exponent) < 0 else 0
    numerator *= 10 ** max(int(exponent), 0)
    denominator = 10 ** (4 + scale)
    if raw.size and int(np.abs(raw).max()) * abs(numerator) < 2**53:
        # the int64 product converted to float64, then one IEEE division (as astype, then /)
        return np.divide(raw * numerator, float(denominator), out=out)
    exact = np.array([float(Decimal(int(v)) * numerator / denominator) for v in raw], dtype=np.float64)
    if out is None:
        return exact
    out[:] = exact
    return out


def scaled_sizes(values: np.ndarray, factor: Decimal, out: np.ndarray | None = None) -> np.ndarray:
    """Volume x (1/factor), banker's-rounded to a whole number (Lean: Extensions.Scale); written to `out`
    (float64, values' length) when given."""
    if factor == 1:
        if out is None:
            return values.astype(np.float64)
        out[:] = values
        return out
    inverse = float(Decimal(1) / factor)
    return np.rint(values * inverse, out=out)


class RawDataSource:
    """Reads a config's rows for a day through the cache; records what was missing."""

    def __init__(self, data_folder: Path, cache: DataCache) -> None:
        self.data_folder = data_folder
        self.cache = cache
        self.missing: list[str] = []
        self._missing_seen: set[str] = set()
        self._whole_files: dict[Path, dict[str, np.ndarray] | None] = {}

    def missing_days(self) -> list[str]:
        """The days (YYYY-MM-DD) some second/minute file was missing for, sorted (Lean hides them by default)."""
        days = {match.group(1) for match in map(_DAY_FILE.search, self.missing) if match}
        return [f"{d[:4]}-{d[4:6]}-{d[6:]}" for d in sorted(days)]

    def _note_missing(self, path: Path) -> None:
        text = str(path)
        if text not in self._missing_seen:
            self._missing_seen.add(text)
            self.missing.append(text)

    def read_day(self, config: SubscriptionDataConfig, d: date, open_ms: int | None,
                 close_ms: int | None, head: list[RawDay] | None = None) -> RawDay | None:
        """The config's rows of day `d`, or None. With `head` (rows of earlier days, each with its own factor):
        those rows first, then the day's, in the same arrays, with the day's factor; the day's scaled columns
        are computed in place after the head rather than copied there afterwards."""
        ticker = config.mapped_ticker(d)
        if ticker is None:
            return None
        midnight = day_ms(d)
        if config.resolution in (Resolution.SECOND, Resolution.MINUTE):
            path = intraday_path(self.data_folder, config.resolution.name.lower(), ticker, d, config.kind)
            try:
                columns = self.cache.load_intraday(path, config.kind)
            except FileNotFoundError:
                self._note_missing(path)
                return None
            time_ms = columns["ms"].astype(np.int64) + midnight
            end_ms = time_ms + config.period_ms
        else:
            columns = self._whole_file(config, ticker)
            if columns is None:
                return None
            key = d.year * 10000 + d.month * 100 + d.day
            dates = columns["date"]
            lo, hi = np.searchsorted(dates, key, "left"), np.searchsorted(dates, key, "right")
            if lo == hi:
                return None
            columns = {name: values[lo:hi] for name, values in columns.items()}
            if config.resolution == Resolution.DAILY:
                if open_ms is None or close_ms is None:
                    return None
                # DailyPreciseEndTime: the session bar spans the regular open to the regular close.
                time_ms = np.full(hi - lo, open_ms, dtype=np.int64)
                end_ms = np.full(hi - lo, close_ms, dtype=np.int64)
            else:
                time_ms = columns["ms"].astype(np.int64) + midnight
                end_ms = time_ms + config.period_ms
        factor = config.factor(d)
        names, size_names = _PRICE_FIELDS[config.kind], _SIZE_FIELDS[config.kind]
        if not head:
            prices = {name: scaled_prices(columns[name], factor) for name in names}
            raw = {name: columns[name] for name in names}
            sizes = {name: scaled_sizes(columns[name], factor) for name in size_names}
            return RawDay(time_ms, end_ms, prices, raw, sizes, factor)
        lead = sum(len(part) for part in head)

        def after_head(field: str, name: str, own: np.ndarray) -> np.ndarray:
            """The head's values of the field, then room for the day's (filled by the caller)."""
            out = np.empty(lead + len(own), dtype=np.float64)
            out[:lead] = np.concatenate([getattr(part, field)[name] for part in head])
            return out

        prices, sizes = {}, {}
        for name in names:
            prices[name] = after_head("prices", name, columns[name])
            scaled_prices(columns[name], factor, out=prices[name][lead:])
        for name in size_names:
            sizes[name] = after_head("sizes", name, columns[name])
            scaled_sizes(columns[name], factor, out=sizes[name][lead:])
        raw = {name: np.concatenate([part.raw[name] for part in head] + [columns[name]]) for name in names}
        return RawDay(np.concatenate([part.time_ms for part in head] + [time_ms]),
                      np.concatenate([part.end_ms for part in head] + [end_ms]), prices, raw, sizes, factor)

    def _whole_file(self, config: SubscriptionDataConfig, ticker: str) -> dict[str, np.ndarray] | None:
        path = (daily_path if config.resolution == Resolution.DAILY else hour_path)(self.data_folder, ticker)
        if path not in self._whole_files:
            try:
                self._whole_files[path] = self.cache.load_daily_or_hour(path)
            except FileNotFoundError:
                self._note_missing(path)
                self._whole_files[path] = None
        return self._whole_files[path]
