"""Estimated strategy capacity (Common/CapacityEstimate.cs, Common/SymbolCapacity.cs)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Callable, NamedTuple

from pylean.memo import BoundedMemo
from pylean.statistics.dotnet import (
    MAX_MANTISSA,
    ZERO,
    decimal_from_double,
    decimal_to_double,
    exact_parts,
    net_add,
    net_div,
    net_mul,
    net_sum,
    round_decimal,
    timedelta_ticks,
)

_CAPACITY_EFFECT_PERIOD = timedelta(days=30)  # SymbolCapacity.CapacityEffectPeriod
_FAST_TRADING_SCALING = Decimal(2)
_MINUTES_PER_SESSION = Decimal(390)
_DOLLAR_VOLUME_SCALE = 6_000_000
_ONE = Decimal(1)
_DECI = Decimal("0.0001")
_TICKS_PER_MINUTE = 600_000_000
_LONGEST_WINDOW = timedelta(minutes=120)  # SymbolCapacity's window never lasts longer after a fill
# Resolution scale factors of SymbolCapacity.ResolutionScaleFactor
_SCALE = {"tick": Decimal("0.50"), "second": Decimal("0.50"), "minute": Decimal("0.20"),
          "hour": Decimal("0.05"), "daily": Decimal("0.02")}


class CapacityBar(NamedTuple):
    """What the engine hands over for one symbol in one step (the slice's TradeBar, else its QuoteBar).
    A named tuple: made per monitored symbol per step, ~5x cheaper than a frozen dataclass."""
    period: timedelta         # bar period (EndTime - Time); precise daily bars are 6.5 h
    end_time_utc: datetime
    close: Decimal
    volume: Decimal           # TradeBar volume, or (LastBidSize + LastAskSize) / 2 for a QuoteBar


class ExactTradeBar(NamedTuple):
    """A trade bar whose close, raw deci-cents x 0.0001 x factor, is exact (the engine checks: raw x
    factor_units has no more digits than the decimal context keeps): the estimator sums its dollar volume in
    integers. `close` and `volume` are the decimals a CapacityBar of the bar carries."""
    period: timedelta
    end_time_utc: datetime
    raw: int
    factor: Decimal
    factor_units: int     # factor == factor_units * 10**factor_exponent, factor_exponent <= 0
    factor_exponent: int
    volume_units: int     # 0 for a fill-forward bar

    @property
    def close(self) -> Decimal:
        return Decimal(self.raw) * _DECI * self.factor  # (exact: the context cannot round it)

    @property
    def volume(self) -> Decimal:
        return Decimal(self.volume_units)


def _naive_utc(t: datetime) -> datetime:
    return t.astimezone(timezone.utc).replace(tzinfo=None) if t.tzinfo else t


def _resolution(period: timedelta) -> str:
    """Extensions.ToHigherResolutionEquivalent(period, requireExactMatch: false)."""
    if period < timedelta(seconds=1):
        return "tick"
    if period < timedelta(minutes=1):
        return "second"
    if period < timedelta(hours=1):
        return "minute"
    if period < timedelta(days=1):
        return "hour"
    return "daily"


_RESOLUTIONS = BoundedMemo(_resolution, limit=1_000)  # by bar period: a run meets a few
_ONE_MINUTE, _FIVE_MINUTES, _ONE_DAY = timedelta(minutes=1), timedelta(minutes=5), timedelta(days=1)
# the window every bar after a fill falls in, whatever the dollar volume (_include), by resolution
_SHORTEST_WINDOW = {"tick": _FIVE_MINUTES, "second": _FIVE_MINUTES, "minute": _ONE_MINUTE}


def _round_up(t: datetime, interval: timedelta) -> datetime:
    """Extensions.RoundUp: ceiling to a multiple of `interval` counted from 0001-01-01."""
    step = timedelta_ticks(interval)
    ticks = timedelta_ticks(t - datetime.min)
    return datetime.min + timedelta(microseconds=((ticks + step - 1) // step) * step // 10)


def _minutes_of_ticks(ticks: int) -> Decimal:
    return decimal_from_double(float(ticks) / _TICKS_PER_MINUTE)


def _discount_of_ticks(ticks: int) -> Decimal:
    discount = net_mul(_FAST_TRADING_SCALING, net_div(_MINUTES[ticks], _MINUTES_PER_SESSION))
    return _ONE if discount > 1 else max(Decimal("0.20"), discount)


def _discount_and_parts(gap: timedelta) -> tuple[Decimal, tuple[int, int] | None]:
    discount = _discount_of_ticks(timedelta_ticks(gap))
    return discount, exact_parts(discount)


# remembered by the gap (minutes by its tick count, discounts and their exact parts by the timedelta): a run
# meets a few distinct gaps
_MINUTES = BoundedMemo(_minutes_of_ticks, limit=10_000)
_DISCOUNTS = BoundedMemo(_discount_and_parts, limit=10_000)


def _minutes(a: datetime, b: datetime) -> Decimal:
    """(decimal)(a - b).TotalMinutes."""
    return _MINUTES[timedelta_ticks(a - b)]  # type: ignore[no-any-return]


class _SymbolCapacity:
    """SymbolCapacity: sale volume and market dollar volume of one traded symbol."""

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self.trades = 0
        self._sale_volume = ZERO
        self._sales: list[Decimal] = []  # fill values not yet added to _sale_volume (see sale_volume)
        self.previous_fill: datetime | None = None
        self._previous_volume: Decimal | int = ZERO  # (an ExactTradeBar's volume stays an int)
        self._previous_time: datetime | None = None
        self._resolution_scale = ZERO
        # the market dollar volume: while _dollar_units is not None it is _dollar_units * 10**_dollar_exponent,
        # exactly the decimal the net_* sums would have made (ExactTradeBar terms), else _market_dollar_volume
        self._market_dollar_volume = ZERO
        self._dollar_units: int | None = 0
        self._dollar_exponent = 0
        self._reset_pending = False
        self._fast_trading_discount = ZERO
        self._discount_parts: tuple[int, int] | None = None  # exact_parts of _fast_trading_discount
        self.monitored = False  # in CapacityEstimate._monitored (a flag: no list search per fill)

    @property
    def sale_volume(self) -> Decimal:
        """The fills' values, net_add-ed in fill order (added when read: snapshots read it)."""
        if self._sales:
            self._sale_volume = net_sum(self._sale_volume, self._sales)
            self._sales.clear()
        return self._sale_volume

    @sale_volume.setter
    def sale_volume(self, value: Decimal) -> None:
        self._sale_volume = value
        self._sales.clear()

    @property
    def market_dollar_volume(self) -> Decimal:
        if self._dollar_units is not None:
            self._market_dollar_volume = Decimal(f"{self._dollar_units}E{self._dollar_exponent}")
        return self._market_dollar_volume

    @property
    def market_capacity_dollar_volume(self) -> Decimal:
        return net_mul(self.market_dollar_volume, self._resolution_scale)

    def on_fill(self, utc_time: datetime, fill_value: Decimal) -> None:
        self._sales.append(fill_value)
        # the first fill counts as one day after the "previous"
        previous = self.previous_fill
        self._fast_trading_discount, self._discount_parts = _DISCOUNTS[
            utc_time - previous if previous is not None else _ONE_DAY]
        if self._reset_pending:
            self._market_dollar_volume = ZERO
            self._dollar_units = self._dollar_exponent = 0
            self.trades = 0
            self._reset_pending = False
        self.trades += 1
        self.previous_fill = utc_time

    def _include(self, resolution: str, now: datetime, bar: CapacityBar | ExactTradeBar,
                 previous_time: datetime | None, previous_volume: Decimal | int) -> bool:
        fill = self.previous_fill
        if fill is None:
            return False
        if resolution == "hour":
            return now == _round_up(fill, timedelta(hours=1))
        if resolution == "daily":
            # at the end of a daily bar the EndTime is the next day
            midnight = datetime.combine(now.date(), datetime.min.time())
            return now == fill or midnight == _round_up(fill, timedelta(days=1))
        fine = resolution in ("tick", "second")
        # the window lasts between `shortest` and 120 minutes whatever the dollar volume: inside the shortest
        # or past the longest the answer needs no decimals (the average is made only in between)
        shortest = 5 if fine else 1
        if now <= fill + (_FIVE_MINUTES if fine else _ONE_MINUTE):
            return True
        if now > fill + _LONGEST_WINDOW:
            return False
        average = self._average_dollar_volume(now, bar, previous_time, previous_volume)
        scale = _DOLLAR_VOLUME_SCALE // 60 if fine else _DOLLAR_VOLUME_SCALE
        k = net_div(Decimal(scale), average) if average != 0 else Decimal(10)
        # (int)Math.Max(low, (double)k) truncates; k above 120 is capped
        minutes = 120 if k > 120 else int(max(float(shortest), decimal_to_double(k)))
        return now <= fill + timedelta(minutes=minutes)

    @staticmethod
    def _average_dollar_volume(now: datetime, bar: CapacityBar | ExactTradeBar, previous_time: datetime | None,
                               previous_volume: Decimal | int) -> Decimal:
        """The bar's dollar volume per minute since the previous monitored bar (both bars' volumes)."""
        between = _minutes(now, previous_time) if previous_time is not None else ZERO
        if previous_time is None or between == 0:
            return net_mul(bar.close, bar.volume)
        # (Decimal() of an ExactTradeBar's int volume makes the decimal a CapacityBar carries; of a decimal, itself)
        return net_div(net_mul(bar.close, net_add(bar.volume, Decimal(previous_volume))), between)

    def update_market_capacity(self, now: datetime, bar: CapacityBar | ExactTradeBar | None) -> bool:
        """One monitored step; True once the bar falls outside the fill's window (monitoring ends)."""
        if bar is None:
            return False
        exact = type(bar) is ExactTradeBar
        volume = bar.volume_units if exact else bar.volume  # type: ignore[union-attr]
        if volume == 0:
            return False
        resolution = _RESOLUTIONS[bar.period]
        previous_time, previous_volume = self._previous_time, self._previous_volume
        self._previous_time = now
        self._previous_volume = volume
        # _include's first answer without the call: inside the shortest window after the fill the bar counts
        # (fills at every step keep a symbol there)
        fill, shortest = self.previous_fill, _SHORTEST_WINDOW.get(resolution)
        include = ((fill is not None and shortest is not None and now <= fill + shortest)
                   or self._include(resolution, now, bar, previous_time, previous_volume))
        if include:
            self._resolution_scale = _SCALE[resolution]
            if not (exact and self._add_exact(bar)):  # type: ignore[arg-type]
                self._market_dollar_volume = net_add(
                    self.market_dollar_volume, net_mul(net_mul(bar.close, self._fast_trading_discount), bar.volume))
                self._dollar_units = None
        return not include

    def _add_exact(self, bar: ExactTradeBar) -> bool:
        """Add close x discount x volume in integers when the net_* sum would be exact (every product and the sum
        a .NET decimal as it is: units within 96 bits, at most 28 decimals); False when it would not."""
        units, parts = self._dollar_units, self._discount_parts
        if units is None or parts is None:
            return False
        term = bar.raw * bar.factor_units * parts[0] * bar.volume_units
        exponent = bar.factor_exponent - 4 + parts[1]
        if exponent < -28:
            return False
        held = self._dollar_exponent
        if exponent == held:
            units += term
        elif exponent < held:
            units = units * 10 ** (held - exponent) + term
        else:
            units += term * 10 ** (exponent - held)
            exponent = held
        if units > MAX_MANTISSA:  # (units >= term >= close x discount: this checks the products too)
            return False
        self._dollar_units, self._dollar_exponent = units, exponent
        return True

    def reset(self) -> None:
        self._reset_pending = True
        self.sale_volume = ZERO

    def should_remove(self, now: datetime, invested: bool) -> bool:
        return not invested and self.previous_fill is not None and now >= self.previous_fill + _CAPACITY_EFFECT_PERIOD


class _NetDictionary:
    """Enumeration order of a .NET Dictionary: slot order, a removed slot reused by the next insert (LIFO)."""

    def __init__(self) -> None:
        self._slots: list[_SymbolCapacity | None] = []
        self._free: list[int] = []
        self._index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._index)

    def get(self, symbol: str) -> _SymbolCapacity | None:
        i = self._index.get(symbol)
        return None if i is None else self._slots[i]

    def add(self, value: _SymbolCapacity) -> None:
        i = self._free.pop() if self._free else len(self._slots)
        if i == len(self._slots):
            self._slots.append(value)
        else:
            self._slots[i] = value
        self._index[value.symbol] = i

    def remove(self, symbol: str) -> None:
        i = self._index.pop(symbol)
        self._slots[i] = None
        self._free.append(i)

    def values(self) -> list[_SymbolCapacity]:
        return [v for v in self._slots if v is not None]


def _wall_clock(t: datetime) -> datetime:
    return t.replace(tzinfo=None)


class CapacityEstimate:
    """CapacityEstimate: snapshots of the smallest traded market's capacity, blended over time.

    `start_utc`/`end_utc` should be the algorithm's StartDate/EndDate as Lean holds them: wall-clock values in
    the algorithm time zone (Lean builds the snapshot schedule from them and compares it with UTC dates). Any
    tzinfo is dropped WITHOUT conversion. Fill and step times are UTC (aware ones are converted)."""

    def __init__(self, start_utc: datetime, end_utc: datetime) -> None:
        start, end = _wall_clock(start_utc), _wall_clock(end_utc)
        days = timedelta_ticks(end - start) / 864_000_000_000
        period_ticks = int(max(min(days - 1, 7.0), 1.0) * 864_000_000_000)  # TimeSpan.FromDays truncates
        self._period = timedelta(microseconds=period_ticks // 10)
        self._next_snapshot = start + self._period
        self._by_symbol = _NetDictionary()
        self._monitored: list[_SymbolCapacity] = []
        self._capacity = ZERO
        self.lowest_capacity_asset: str | None = None
        # reserved buying power x leverage by symbol, when the engine knows it (user margin models)
        self.buying_power_used: Callable[[str], Decimal] | None = None

    @property
    def capacity(self) -> Decimal:
        """CapacityEstimate.Capacity: rounded to the nearest 1000 (DiscretelyRoundBy(1000.00m), ties away from
        zero), so 0.00 before the first snapshot (also what the daily "Capacity" chart samples)."""
        quanta = Decimal("1000.00")
        return net_mul(round_decimal(net_div(self._capacity, quanta), 0, away_from_zero=True), quanta)

    def on_fill(self, symbol: str, utc_time: datetime, fill_value: Decimal) -> None:
        """CapacityEstimate.OnOrderEvent for a Filled/PartiallyFilled event. fill_value = |fill price x fill
        quantity| x contract multiplier (x quote conversion rate); the order type plays no role in Lean."""
        capacity = self._by_symbol.get(symbol)
        if capacity is None:
            capacity = _SymbolCapacity(symbol)
            self._by_symbol.add(capacity)
        capacity.on_fill(_naive_utc(utc_time), fill_value)
        if not capacity.monitored:
            capacity.monitored = True
            self._monitored.append(capacity)

    def needs_step(self, now: datetime) -> bool:
        """Cheap pre-check for every time step (`now` naive UTC): is a symbol monitored or a snapshot due?"""
        return bool(self._monitored) or (bool(self._by_symbol._index) and now >= self._next_snapshot)

    def on_step(self, utc_time: datetime, bar_for: Callable[[str], CapacityBar | None],
                holdings_value: Callable[[str], Decimal], total_portfolio_value: Decimal) -> None:
        """UpdateMarketCapacity(forceProcess: false), once per time step after the step's fills.
        holdings_value(symbol) = the position's holdings value (its absolute value is used)."""
        now = _naive_utc(utc_time)
        if not self._monitored and (len(self._by_symbol) == 0 or now < self._next_snapshot):
            return
        self._update(now, bar_for, holdings_value, total_portfolio_value, force=False)

    def finalize(self, utc_time: datetime, holdings_value: Callable[[str], Decimal], total_portfolio_value: Decimal,
                 bar_for: Callable[[str], CapacityBar | None] | None = None, passes: int = 2) -> None:
        """Forced snapshots at the end. Lean forces one after OnEndOfAlgorithm (AlgorithmManager) and one more
        in BacktestingResultHandler.Exit, both on the last slice, hence `passes=2`; pass the last slice's
        bars as `bar_for` if symbols may still be monitored."""
        for _ in range(passes):
            self._update(_naive_utc(utc_time), bar_for or (lambda _: None), holdings_value,
                         total_portfolio_value, force=True)

    def _update(self, now: datetime, bar_for: Callable[[str], CapacityBar | None],
                holdings_value: Callable[[str], Decimal], tpv: Decimal, force: bool) -> None:
        for i in range(len(self._monitored) - 1, -1, -1):
            capacity = self._monitored[i]
            if capacity.update_market_capacity(now, bar_for(capacity.symbol)):
                capacity.monitored = False
                del self._monitored[i]
        if not force and now < self._next_snapshot:
            return  # (the step's UTC date is not later than the step: no snapshot due)
        utc_date = datetime.combine(now.date(), datetime.min.time())
        if not (force or (utc_date >= self._next_snapshot and len(self._by_symbol) > 0)):
            return
        if tpv == 0 or len(self._by_symbol) == 0:
            return
        capacities = self._by_symbol.values()
        total_sale = ZERO
        for c in capacities:
            total_sale = net_add(total_sale, c.sale_volume)
        smallest = min(capacities, key=lambda c: c.market_capacity_dollar_volume)  # stable: first wins ties
        self.lowest_capacity_asset = smallest.symbol
        share_of_sales = net_div(smallest.sale_volume, total_sale) if total_sale != 0 else ZERO
        # reserved buying power x leverage (an equity position's absolute holdings value, unless a user margin
        # model reserves otherwise)
        used = self.buying_power_used or holdings_value
        share_of_holdings = net_div(used(smallest.symbol).copy_abs(), tpv)
        scaling = max(share_of_sales, share_of_holdings)
        daily = net_div(smallest.market_capacity_dollar_volume, Decimal(smallest.trades))
        new_capacity = self._capacity if scaling == 0 else net_div(daily, scaling)
        if self._capacity != 0:
            new_capacity = net_add(net_mul(Decimal("0.33"), new_capacity), net_mul(self._capacity, Decimal("0.66")))
        self._capacity = new_capacity
        for c in capacities:
            if not c.should_remove(now, holdings_value(c.symbol) != 0):
                c.reset()
                continue
            # non-invested symbols not traded for 30 days leave, so the smallest asset can change
            self._by_symbol.remove(c.symbol)
            if c.monitored:
                c.monitored = False
                self._monitored.remove(c)
        self._next_snapshot = utc_date + self._period
