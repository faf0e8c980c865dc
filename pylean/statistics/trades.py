"""Closed trades and trade statistics (Common/Statistics/TradeBuilder.cs, Trade.cs, TradeStatistics.cs)."""
from __future__ import annotations

import math
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from decimal import Context, Decimal
from typing import Any, Callable, Iterable

from pylean.statistics.dotnet import (
    _WIDE,
    ZERO,
    decimal_from_double,
    decimal_to_double,
    format_iso_utc,
    format_timespan,
    json_round4,
    net_add,
    net_add_held,
    net_div,
    net_div_held,
    net_mul,
    net_sub,
    net_sub_held,
    round_decimal,
    to_net,
    timedelta_ticks,
)

LONG, SHORT = 0, 1  # Lean TradeDirection
_ONE, _MINUS_ONE = Decimal(1), Decimal(-1)
_MAX_ORDER_ID_CACHE = 1000  # TradeBuilder.MaxOrderIdCacheSize


@dataclass
class Trade:
    """One closed trade; field names mirror Lean's Trade (JSON: totalPerformance.closedTrades)."""
    symbol: str
    entry_time: datetime
    entry_price: Decimal
    direction: int  # 0 long, 1 short
    quantity: Decimal
    exit_time: datetime
    exit_price: Decimal
    profit_loss: Decimal
    total_fees: Decimal
    mae: Decimal
    mfe: Decimal
    end_trade_drawdown: Decimal
    is_win: bool
    order_ids: list[int]
    id: str = ""  # Lean assigns a fresh Guid per closed trade

    @property
    def duration_ticks(self) -> int:
        """Trade.Duration (ExitTime - EntryTime) in .NET ticks."""
        return timedelta_ticks(self.exit_time - self.entry_time)

    def to_json(self, symbol_json: Callable[[str], Any] | None = None) -> dict[str, Any]:
        """Lean's Trade as Newtonsoft writes it at HEAD (camelCase, declaration order). Lean serializes the
        `Symbols` list (the obsolete `Symbol` is JsonIgnore'd) and the computed `Duration`. Decimals are left
        as Decimal for the writer (Newtonsoft prints them with their .NET digits, see dotnet.newtonsoft_decimal)."""
        return {
            "id": self.id,
            "symbols": [symbol_json(self.symbol) if symbol_json else self.symbol],
            "entryTime": format_iso_utc(self.entry_time),
            "entryPrice": self.entry_price,
            "direction": self.direction,
            "quantity": self.quantity,
            "exitTime": format_iso_utc(self.exit_time),
            "exitPrice": self.exit_price,
            "profitLoss": self.profit_loss,
            "totalFees": self.total_fees,
            "mae": self.mae,
            "mfe": self.mfe,
            "duration": format_timespan(self.duration_ticks),
            "endTradeDrawdown": self.end_trade_drawdown,
            "isWin": self.is_win,
            "orderIds": list(self.order_ids),
        }


class _OpenTrade:
    """A pending (still open) trade with its TradeState drawdown tracking.

    While the trade is `plain` (its entry and every price marked so far plain, see _plain) Lean's profits are
    exact differences of prices, so the tracking is kept in prices and mostly compared: `top` is the best price
    so far (the entry at first), written with the smaller exponent of it and the entry (top - price then has
    the exponent of Lean's max_profit - profit), `best_price` the price that made it (None before one did),
    `alarm` the price past which the drawdown grows (top - max_drawdown for a long, top + it for a short).
    max_profit and max_drawdown are the very decimals TradeState would hold, exponents included."""

    __slots__ = ("entry_time", "entry_price", "direction", "quantity", "total_fees", "order_ids", "max_drawdown",
                 "top", "best_price", "alarm", "plain", "_profit")

    def __init__(self, entry_time: datetime, entry_price: Decimal, direction: int, quantity: Decimal,
                 total_fees: Decimal, order_ids: list[int], plain: bool | None = None) -> None:
        self.entry_time, self.entry_price, self.direction = entry_time, entry_price, direction
        self.quantity, self.total_fees, self.order_ids = quantity, total_fees, order_ids
        self.max_drawdown = ZERO
        self.top = self.alarm = entry_price
        self.best_price: Decimal | None = None
        self.plain = _plain(entry_price) if plain is None else plain
        self._profit = ZERO  # max_profit, kept here once the trade is no longer plain

    @property
    def max_profit(self) -> Decimal:
        if not self.plain:
            return self._profit
        if self.best_price is None:
            return ZERO
        if self.direction == LONG:
            return _EXACT.subtract(self.best_price, self.entry_price)
        return _EXACT.subtract(self.entry_price, self.best_price)

    def update_drawdown(self, current_profit: Decimal) -> None:
        """TradeState.UpdateDrawdown, with Lean's arithmetic."""
        if self.plain:
            self._profit = self.max_profit
            self.plain = False  # top and alarm are not kept from here on
        if current_profit < self._profit:
            self.max_drawdown = max(self.max_drawdown, net_sub(self._profit, current_profit))
        else:
            self._profit = current_profit

    def mark(self, price: Decimal) -> None:
        """update_drawdown(profit at `price`) for a plain trade and price. A new best price makes max_profit
        (the same decimal again is skipped: equal values may differ in exponent); a drawdown past max_drawdown
        is top - price: (best - entry) - (price - entry) exactly, with the same exponent."""
        top = self.top
        if self.direction == LONG:
            if price >= top:
                if price > top or self.best_price is None or not price.same_quantum(self.best_price):
                    self.best_price = price
                    self.top = _EXACT.add(_EXACT.subtract(price, self.entry_price), self.entry_price)
                    self.alarm = _EXACT.subtract(price, self.max_drawdown)
            elif price < self.alarm:
                self.max_drawdown = _EXACT.subtract(top, price)
                self.alarm = price
        elif price <= top:
            if price < top or self.best_price is None or not price.same_quantum(self.best_price):
                self.best_price = price
                self.top = _EXACT.add(_EXACT.subtract(price, self.entry_price), self.entry_price)
                self.alarm = _EXACT.add(price, self.max_drawdown)
        elif price > self.alarm:
            self.max_drawdown = _EXACT.subtract(price, top)
            self.alarm = price


_EXACT = Context(prec=80, Emin=-999999, Emax=999999)  # sums of a few plain decimals: never rounded


def _plain(price: Decimal) -> bool:
    """At most 12 decimals and under 10**12: sums of a few such are exact .NET decimals (net_sub rounds none)."""
    if price.same_quantum(_ONE):  # a whole number written without decimals (share quantities): no lookup
        return price.adjusted() < 12
    hashable = not price.is_snan()  # (a signaling NaN has no hash)
    known = _PLAIN.get(price) if hashable else None  # (a run marks and fills at the same few prices again and again)
    if known is not None and known[0].same_quantum(price):  # (equal values may differ in their decimals)
        return known[1]  # type: ignore[no-any-return]
    exponent = price.as_tuple().exponent
    plain = isinstance(exponent, int) and -12 <= exponent <= 0 and price.adjusted() < 12
    if hashable:
        if len(_PLAIN) > 50_000:
            _PLAIN.clear()
        _PLAIN[price] = (price, plain)
    return plain


_PLAIN: dict[Decimal, tuple[Decimal, bool]] = {}  # _plain by value, with the decimal it was read off


class _Position:
    """A symbol's pending trades (one direction, oldest first) and the price range seen since the first opened.

    While `quantum` is set (a plain price) the position is uniform: every pending trade is plain and its entry
    and best price are written with that exponent. Then the trades' tops and alarms are prices of that
    exponent, and a plain price of it in [lo, hi) (long; (hi, lo] short) changes nothing: no alarm is past lo
    (lo is the tightest alarm or beyond it), hi is the closest top (and every alarm and top lies within the
    price range, so the range stays too). When `quantum` is None, lo == hi: that test always fails."""

    __slots__ = ("pending", "min_price", "max_price", "long", "lo", "hi", "quantum", "quantities_plain")

    def __init__(self, trade: _OpenTrade, price: Decimal) -> None:
        self.pending = [trade]
        self.min_price = self.max_price = price
        self.long = trade.direction == LONG
        self.lo = self.hi = price if trade.plain else ZERO  # a new trade's top and alarm are its entry: empty
        self.quantum = price if trade.plain else None
        self.quantities_plain = _plain(trade.quantity)


def _mark_position(position: _Position, price: Decimal) -> bool:
    """SetMarketPrice on a position; True when the position is uniform and the price plain, of its exponent.

    Then the trades' _OpenTrade.mark is made here, on the trades it changes, with the range of prices that
    change nothing (see _Position): a top and a price of one exponent make top - price with Lean's exponent, so
    a new best is the price itself. Older trades have seen every price the younger have (their entries too), so
    tops only get closer from the oldest trade to the youngest: a price that moves no alarm reaches the tops of
    the youngest trades only. A price past an alarm leaves no alarm past it."""
    if price > position.max_price:
        position.max_price = price
    elif price < position.min_price:
        position.min_price = price
    quantum = position.quantum
    if quantum is None or not price.same_quantum(quantum) or price.adjusted() >= 12:  # (see _plain)
        _mark_each(position, price)
        return False
    subtract, pending = _EXACT.subtract, position.pending
    if position.long:
        if price < position.lo:  # a drawdown grows
            for trade in pending:
                top = trade.top
                if price >= top:
                    # (equal: the same decimal, a change only before the first best price)
                    if price > top or trade.best_price is None:
                        trade.top = trade.best_price = price
                        drawdown = trade.max_drawdown
                        trade.alarm = price if drawdown is ZERO else subtract(price, drawdown)
                elif price < trade.alarm:
                    trade.max_drawdown = subtract(top, price)
                    trade.alarm = price
            position.lo = price
        else:
            lo = position.lo
            for trade in reversed(pending):
                top = trade.top
                if price < top:
                    break
                if price > top or trade.best_price is None:
                    trade.top = trade.best_price = price
                    drawdown = trade.max_drawdown
                    trade.alarm = alarm = price if drawdown is ZERO else subtract(price, drawdown)
                    if alarm > lo:
                        lo = alarm
            position.lo = lo
    elif price > position.lo:
        for trade in pending:
            top = trade.top
            if price <= top:
                if price < top or trade.best_price is None:
                    trade.top = trade.best_price = price
                    drawdown = trade.max_drawdown
                    trade.alarm = price if drawdown is ZERO else _EXACT.add(price, drawdown)
            elif price > trade.alarm:
                trade.max_drawdown = subtract(price, top)
                trade.alarm = price
        position.lo = price
    else:
        lo = position.lo
        for trade in reversed(pending):
            top = trade.top
            if price > top:
                break
            if price < top or trade.best_price is None:
                trade.top = trade.best_price = price
                drawdown = trade.max_drawdown
                trade.alarm = alarm = price if drawdown is ZERO else _EXACT.add(price, drawdown)
                if alarm < lo:
                    lo = alarm
        position.lo = lo
    position.hi = pending[-1].top
    return True


def _mark_each(position: _Position, price: Decimal) -> None:
    """_mark_position's trade updates for a position no longer uniform (or a price not plain or of another
    exponent: then it no longer is)."""
    if position.quantum is not None:
        position.quantum = None
        position.lo = position.hi = ZERO
    plain = _plain(price)
    for trade in position.pending:
        if plain and trade.plain:
            trade.mark(price)
        else:
            trade.update_drawdown(net_sub(price, trade.entry_price) if trade.direction == LONG
                                  else net_sub(trade.entry_price, price))


# records `TradeBuilder.recorded` holds at most before they are applied (a few MB): a long run applies them in
# batches, a short one at its end
SETTLE_AT = 50_000


class TradeBuilder:
    """Lean's default TradeBuilder: FillToFill grouping, FIFO matching, USD account (conversion rate 1).

    The engine records fills and marks in `recorded` (nothing reads the builder during a run); they are
    applied in order, as process_fill and set_market_price would have applied them, at the end of each day
    (by the engine, within its time loop) and before anything reads."""

    def __init__(self, id_factory: Callable[[], str] | None = None) -> None:
        # (symbol, time, order_id, fill_price, fill_quantity, fee): process_fill; (symbol, price): set_market_price.
        # Applied in one batch they cost about half what they cost a fill at a time amid the engine's work.
        self.recorded: list[tuple[Any, ...]] = []
        self._positions: dict[str, _Position] = {}
        self._closed: list[Trade] = []
        # trades closed since `closed_trades` was last read, as _made_trade's arguments: their decimal figures
        # are worked out only when someone reads them (mostly at result writing, not per fill)
        self._unmade: list[tuple[Any, ...]] = []
        self._fee_orders: set[int] = set()
        self._fee_order_queue: deque[int] = deque()
        self._new_id = id_factory or (lambda: str(uuid.uuid4()))

    def settle(self) -> None:
        """Apply the recorded fills and marks, in order."""
        recorded = self.recorded
        if not recorded:
            return
        fill, positions = self._fill, self._positions
        applied = 0
        try:
            for record in recorded:
                applied += 1  # (a record that raises counts as applied, as the call would have been made)
                if len(record) == 2:  # set_market_price
                    position = positions.get(record[0])
                    if position is not None:
                        price = record[1]
                        # the usual mark changes nothing (see _Position)
                        if ((position.lo <= price < position.hi) if position.long
                                else (position.hi < price <= position.lo)) and price.same_quantum(position.quantum):
                            continue
                        _mark_position(position, price)
                else:
                    fill(record)
        finally:
            del recorded[:applied]

    @property
    def closed_trades(self) -> list[Trade]:
        self.settle()
        if self._unmade:
            # ids are made here too, in closing order (the id factory sees the order it saw per close)
            self._closed.extend(_made_trade(*record, self._new_id()) for record in self._unmade)
            self._unmade.clear()
        return list(self._closed)

    def has_open_position(self, symbol: str) -> bool:
        self.settle()
        position = self._positions.get(symbol)
        return position is not None and len(position.pending) > 0

    def set_market_price(self, symbol: str, price: Decimal) -> None:
        """TradeBuilder.SetMarketPrice: widen the position's price range and each open trade's drawdown."""
        self.settle()
        position = self._positions.get(symbol)
        if position is not None:
            _mark_position(position, price)

    def process_fill(self, symbol: str, time: datetime, order_id: int, fill_price: Decimal,
                     fill_quantity: Decimal, fee: Decimal, multiplier: Decimal = _ONE) -> None:
        """TradeBuilder.ProcessFill (FillToFill): `time` is the fill's UTC time, `fee` the fill's fee in USD."""
        self.settle()
        self._fill((symbol, time, order_id, fill_price, fill_quantity, fee), multiplier)

    def _fill(self, record: tuple[Any, ...], multiplier: Decimal = _ONE) -> None:
        """process_fill of a recorded fill: (symbol, UTC time, order id, price, signed quantity, fee)."""
        symbol, time, order_id, price, quantity, fee = record
        # an order's fee is assigned to its first fill only (FixedSizeHashQueue of the last 1000 order ids)
        fee_orders = self._fee_orders
        if order_id in fee_orders:
            fee = ZERO
        else:
            fee_orders.add(order_id)
            queue = self._fee_order_queue
            queue.append(order_id)
            if len(queue) > _MAX_ORDER_ID_CACHE:
                fee_orders.discard(queue.popleft())
        # FillToFill
        position = self._positions.get(symbol)
        if position is None or not position.pending:
            opened = _OpenTrade(time, price, LONG if quantity > ZERO else SHORT, quantity.copy_abs(), fee, [order_id])
            self._positions[symbol] = _Position(opened, price)
            return
        long = position.long
        # SetMarketPrice (the usual one changes nothing: see _Position)
        if (((position.lo <= price < position.hi) if long else (position.hi < price <= position.lo))
                and price.same_quantum(position.quantum)):
            uniform = True  # (the range holds plain prices only)
        else:
            uniform = _mark_position(position, price)
        abs_quantity = quantity.copy_abs()
        if quantity > ZERO if long else quantity < ZERO:  # the position grows: a new trade
            position.pending.append(_OpenTrade(time, price, LONG if long else SHORT, abs_quantity, fee, [order_id],
                                               uniform or _plain(price)))
            if uniform:  # (else the mark left the position no longer uniform)
                position.lo = position.hi = price  # its top and alarm are its entry: every price changes it
            if position.quantities_plain and not (abs_quantity.same_quantum(_ONE) and abs_quantity.adjusted() < 12
                                                  or _plain(abs_quantity)):  # (_plain without a call for whole ones)
                position.quantities_plain = False
        elif position.quantities_plain and (abs_quantity.same_quantum(_ONE) and abs_quantity.adjusted() < 12
                                            or _plain(abs_quantity)):
            self._close_plain(position, symbol, time, order_id, price, quantity, abs_quantity, fee, multiplier)
        else:
            self._close_any(position, symbol, time, order_id, price, quantity, fee, multiplier)

    def _close_plain(self, position: _Position, symbol: str, time: datetime, order_id: int, price: Decimal,
                     quantity: Decimal, remaining: Decimal, fee: Decimal, multiplier: Decimal) -> None:
        """FIFO matching of a fill against the other direction's trades, every quantity plain (see _plain): such
        quantities, their sums and differences are exact .NET decimals, so what is left of the fill is its size
        less the closed quantities, exactly (the exponents Lean's signed running sum gives it)."""
        pending, unmade = position.pending, self._unmade
        while pending and remaining > ZERO:
            trade = pending[0]
            fees = to_net(_WIDE.add(trade.total_fees, fee))  # net_add, written out
            fee = ZERO  # the fill's fee goes with the first trade it closes
            ids = trade.order_ids
            if remaining >= trade.quantity:
                del pending[0]
                if order_id not in ids:
                    ids.append(order_id)  # (the trade is gone: its list is the closed trade's)
                closed = trade.quantity
                remaining = _EXACT.subtract(remaining, closed)
            else:
                ids = ids + [order_id] if order_id not in ids else list(ids)
                closed = remaining
                trade.quantity = _EXACT.subtract(trade.quantity, remaining)
                trade.total_fees = ZERO  # the closed part took the open fees
                remaining = ZERO
            unmade.append((symbol, trade.entry_time, trade.entry_price, trade.direction, closed, ids, fees,
                           position.min_price, position.max_price, trade.max_drawdown, time, price, multiplier))
        if remaining > ZERO:  # direction reversal: the rest of the fill opens a new trade (its fee went to the closed)
            self._reverse(symbol, time, order_id, price, LONG if quantity > ZERO else SHORT, remaining)
        elif not pending:
            del self._positions[symbol]

    def _close_any(self, position: _Position, symbol: str, time: datetime, order_id: int, price: Decimal,
                   quantity: Decimal, fee: Decimal, multiplier: Decimal) -> None:
        """FIFO matching with Lean's arithmetic (some quantity is not plain)."""
        abs_quantity = quantity.copy_abs()
        executed = ZERO
        fee_assigned = False
        while position.pending and executed.copy_abs() < abs_quantity:
            trade = position.pending[0]
            unexecuted = net_sub(abs_quantity, executed.copy_abs())
            sign = _ONE if trade.direction == LONG else _MINUS_ONE
            fees = net_add(trade.total_fees, ZERO if fee_assigned else fee)
            if unexecuted >= trade.quantity:
                executed = net_sub(executed, net_mul(trade.quantity, sign))
                position.pending.pop(0)
                if order_id not in trade.order_ids:
                    trade.order_ids.append(order_id)
                self._close(symbol, trade, trade.quantity, trade.order_ids, fees, position, time, price, multiplier)
            else:
                executed = net_add(executed, net_mul(unexecuted, -sign))
                trade.quantity = net_sub(trade.quantity, unexecuted)
                ids = trade.order_ids + ([order_id] if order_id not in trade.order_ids else [])
                self._close(symbol, trade, unexecuted, ids, fees, position, time, price, multiplier)
                trade.total_fees = ZERO  # the closed part took the open fees
            fee_assigned = True
        position.quantities_plain = all(_plain(trade.quantity) for trade in position.pending)

        if executed.copy_abs() == abs_quantity and not position.pending:
            del self._positions[symbol]
        elif executed.copy_abs() < abs_quantity:
            remaining = net_sub(quantity, executed)
            self._reverse(symbol, time, order_id, price, LONG if remaining > 0 else SHORT, remaining.copy_abs())

    def _reverse(self, symbol: str, time: datetime, order_id: int, price: Decimal, direction: int,
                 quantity: Decimal) -> None:
        """The position reverses: one new trade of the fill's remaining quantity, a new price range."""
        self._positions[symbol] = _Position(_OpenTrade(time, price, direction, quantity, ZERO, [order_id]), price)

    def _close(self, symbol: str, trade: _OpenTrade, quantity: Decimal, order_ids: list[int], fees: Decimal,
               position: _Position, time: datetime, price: Decimal, multiplier: Decimal) -> None:
        # decimals are immutable: the position's price range and the drawdown are kept as they are now
        self._unmade.append((symbol, trade.entry_time, trade.entry_price, trade.direction, quantity, list(order_ids),
                             fees, position.min_price, position.max_price, trade.max_drawdown, time, price,
                             multiplier))


def _made_trade(symbol: str, entry_time: datetime, entry_price: Decimal, direction: int, quantity: Decimal,
                order_ids: list[int], fees: Decimal, min_price: Decimal, max_price: Decimal, max_drawdown: Decimal,
                time: datetime, price: Decimal, multiplier: Decimal, trade_id: str) -> Trade:
    """The closed Trade of a TradeBuilder close (TradeBuilder.FillToFill's new Trade)."""
    long = direction == LONG
    sign = Decimal(1 if long else -1)
    scale = net_mul(quantity, multiplier)  # x conversion rate 1

    def money(per_share: Decimal) -> Decimal:
        return round_decimal(net_mul(per_share, scale), 2)

    profit = round_decimal(net_mul(net_mul(net_mul(net_sub(price, entry_price), quantity), sign), multiplier), 2)
    mae = money(net_sub(min_price, entry_price) if long else net_sub(entry_price, max_price))
    mfe = money(net_sub(max_price, entry_price) if long else net_sub(entry_price, min_price))
    return Trade(symbol=symbol, entry_time=entry_time, entry_price=entry_price, direction=direction,
                 quantity=quantity, exit_time=time, exit_price=price, profit_loss=profit, total_fees=fees,
                 mae=mae, mfe=mfe, end_trade_drawdown=money(max_drawdown), is_win=profit > 0,
                 order_ids=order_ids, id=trade_id)


# ----------------------------------------------------------------------------- TradeStatistics

def _seconds(ticks: int) -> float:
    return float(ticks) / 10_000_000.0  # TimeSpan.TotalSeconds


def _ticks_from_seconds(seconds: float) -> int:
    return int(seconds * 10_000_000.0)  # TimeSpan.FromSeconds: ticks truncated toward zero


def _running_mean(avg: Decimal, value: Decimal, n: int) -> Decimal:
    return net_add_held(avg, net_div_held(net_sub_held(value, avg), Decimal(n)))


def _sqrt_decimal(x: Decimal) -> Decimal:
    return decimal_from_double(math.sqrt(decimal_to_double(x)))


def _median(ticks: list[int]) -> int:
    return sorted(ticks)[len(ticks) // 2]  # Lean LinqExtensions.Median: upper middle element


def compute_trade_statistics(trades: Iterable[Trade]) -> dict[str, Any]:
    """Lean TradeStatistics(trades) as written in the result JSON (camelCase, JsonRoundingConverter strings,
    TimeSpans in "c" format, nullable dates)."""
    s: dict[str, Any] = {k: ZERO for k in (
        "totalProfitLoss", "totalProfit", "totalLoss", "largestProfit", "largestLoss", "averageProfitLoss",
        "averageProfit", "averageLoss", "averageMAE", "averageMFE", "largestMAE", "largestMFE",
        "maximumClosedTradeDrawdown", "maximumIntraTradeDrawdown", "profitLossStandardDeviation",
        "profitLossDownsideDeviation", "maximumEndTradeDrawdown", "totalFees")}
    start: datetime | None = None
    end: datetime | None = None
    total = wins = losses = max_wins = max_losses = run_wins = run_losses = 0
    max_total, max_total_with_mfe, sum_var, sum_down = ZERO, ZERO, ZERO, ZERO
    last_peak: datetime | None = None
    in_drawdown = False
    avg_ticks = avg_win_ticks = avg_loss_ticks = max_dd_ticks = 0
    all_ticks: list[int] = []
    win_ticks: list[int] = []
    loss_ticks: list[int] = []

    for t in trades:
        last_peak = last_peak or t.entry_time
        start = t.entry_time if start is None or t.entry_time < start else start
        end = t.exit_time if end is None or t.exit_time > end else end
        total += 1
        duration = t.duration_ticks
        # the sums below assume .NET decimals (what TradeBuilder makes); to_net leaves those as they are
        pl, mae, mfe, fees = to_net(t.profit_loss), to_net(t.mae), to_net(t.mfe), to_net(t.total_fees)
        if net_add_held(s["totalProfitLoss"], mfe) > max_total_with_mfe:
            max_total_with_mfe = net_add_held(s["totalProfitLoss"], mfe)
        intra = net_sub_held(net_add_held(s["totalProfitLoss"], mae), max_total_with_mfe)
        if intra < s["maximumIntraTradeDrawdown"]:
            s["maximumIntraTradeDrawdown"] = intra
        s["totalProfitLoss"] = net_add_held(s["totalProfitLoss"], pl)
        if pl > 0:
            wins += 1
            s["totalProfit"] = net_add_held(s["totalProfit"], pl)
            s["averageProfit"] = _running_mean(s["averageProfit"], pl, wins)
            avg_win_ticks += _ticks_from_seconds((_seconds(duration) - _seconds(avg_win_ticks)) / wins)
            win_ticks.append(duration)
            s["largestProfit"] = max(s["largestProfit"], pl)
            run_wins, run_losses = run_wins + 1, 0
            max_wins = max(max_wins, run_wins)
            if s["totalProfitLoss"] > max_total:  # new equity high
                max_total = s["totalProfitLoss"]
                if in_drawdown and timedelta_ticks(t.exit_time - last_peak) > max_dd_ticks:
                    max_dd_ticks = timedelta_ticks(t.exit_time - last_peak)
                last_peak, in_drawdown = t.exit_time, False
        else:
            losses += 1
            s["totalLoss"] = net_add_held(s["totalLoss"], pl)
            previous = s["averageLoss"]
            s["averageLoss"] = _running_mean(previous, pl, losses)
            sum_down = net_add_held(sum_down, net_mul(net_sub_held(pl, previous), net_sub_held(pl, s["averageLoss"])))
            avg_loss_ticks += _ticks_from_seconds((_seconds(duration) - _seconds(avg_loss_ticks)) / losses)
            loss_ticks.append(duration)
            s["largestLoss"] = min(s["largestLoss"], pl)
            # equities: IsWin == (P/L > 0), so a losing trade is never an ITM-option "win"
            run_wins, run_losses = 0, run_losses + 1
            max_losses = max(max_losses, run_losses)
            gap = net_sub_held(s["totalProfitLoss"], max_total)
            if gap < s["maximumClosedTradeDrawdown"]:
                s["maximumClosedTradeDrawdown"] = gap
            in_drawdown = True
        previous = s["averageProfitLoss"]
        s["averageProfitLoss"] = _running_mean(previous, pl, total)
        sum_var = net_add_held(sum_var, net_mul(net_sub_held(pl, previous), net_sub_held(pl, s["averageProfitLoss"])))
        avg_ticks += _ticks_from_seconds((_seconds(duration) - _seconds(avg_ticks)) / total)
        all_ticks.append(duration)
        s["averageMAE"] = _running_mean(s["averageMAE"], mae, total)
        s["averageMFE"] = _running_mean(s["averageMFE"], mfe, total)
        s["largestMAE"] = min(s["largestMAE"], t.mae)
        s["largestMFE"] = max(s["largestMFE"], t.mfe)
        s["maximumEndTradeDrawdown"] = max(s["maximumEndTradeDrawdown"], t.end_trade_drawdown)
        s["totalFees"] = net_add_held(s["totalFees"], fees)

    # Welford's running sums give the sample deviations once, after the last trade
    if total > 1:
        s["profitLossStandardDeviation"] = _sqrt_decimal(net_div(sum_var, Decimal(total - 1)))
    if losses > 1:
        s["profitLossDownsideDeviation"] = _sqrt_decimal(net_div(sum_down, Decimal(losses - 1)))
    avg_loss = s["averageLoss"]
    profit_loss_ratio = ZERO if avg_loss == 0 else net_div(s["averageProfit"], avg_loss.copy_abs())
    win_loss_ratio = ZERO if total == 0 else (net_div(Decimal(wins), Decimal(losses)) if losses > 0 else Decimal(10))
    win_rate = net_div(Decimal(wins), Decimal(total)) if total > 0 else ZERO
    loss_rate = net_sub(_ONE, win_rate) if total > 0 else ZERO
    profit_factor = ZERO if s["totalProfit"] == 0 else (
        net_div(s["totalProfit"], s["totalLoss"].copy_abs()) if s["totalLoss"] < 0 else Decimal(10))
    pl_std, down_std = s["profitLossStandardDeviation"], s["profitLossDownsideDeviation"]
    avg_pl = s["averageProfitLoss"]
    sharpe = net_div(avg_pl, pl_std) if pl_std > 0 else ZERO
    sortino = net_div(avg_pl, down_std) if down_std > 0 else ZERO
    closed_dd = s["maximumClosedTradeDrawdown"]
    profit_to_dd = ZERO if s["totalProfitLoss"] == 0 else (
        net_div(s["totalProfitLoss"], closed_dd.copy_abs()) if closed_dd < 0 else Decimal(10))
    avg_end_dd = net_sub(avg_pl, s["averageMFE"])

    d = {k: json_round4(v) for k, v in s.items()}
    span = format_timespan
    return {
        "startDateTime": format_iso_utc(start) if start else None,
        "endDateTime": format_iso_utc(end) if end else None,
        "totalNumberOfTrades": total, "numberOfWinningTrades": wins, "numberOfLosingTrades": losses,
        "totalProfitLoss": d["totalProfitLoss"], "totalProfit": d["totalProfit"], "totalLoss": d["totalLoss"],
        "largestProfit": d["largestProfit"], "largestLoss": d["largestLoss"],
        "averageProfitLoss": d["averageProfitLoss"], "averageProfit": d["averageProfit"],
        "averageLoss": d["averageLoss"],
        "averageTradeDuration": span(avg_ticks), "averageWinningTradeDuration": span(avg_win_ticks),
        "averageLosingTradeDuration": span(avg_loss_ticks),
        "medianTradeDuration": span(_median(all_ticks) if all_ticks else 0),
        "medianWinningTradeDuration": span(_median(win_ticks) if win_ticks else 0),
        "medianLosingTradeDuration": span(_median(loss_ticks) if loss_ticks else 0),
        "maxConsecutiveWinningTrades": max_wins, "maxConsecutiveLosingTrades": max_losses,
        "profitLossRatio": json_round4(profit_loss_ratio), "winLossRatio": json_round4(win_loss_ratio),
        "winRate": json_round4(win_rate), "lossRate": json_round4(loss_rate),
        "averageMAE": d["averageMAE"], "averageMFE": d["averageMFE"],
        "largestMAE": d["largestMAE"], "largestMFE": d["largestMFE"],
        "maximumClosedTradeDrawdown": d["maximumClosedTradeDrawdown"],
        "maximumIntraTradeDrawdown": d["maximumIntraTradeDrawdown"],
        "profitLossStandardDeviation": d["profitLossStandardDeviation"],
        "profitLossDownsideDeviation": d["profitLossDownsideDeviation"],
        "profitFactor": json_round4(profit_factor), "sharpeRatio": json_round4(sharpe),
        "sortinoRatio": json_round4(sortino), "profitToMaxDrawdownRatio": json_round4(profit_to_dd),
        "maximumEndTradeDrawdown": d["maximumEndTradeDrawdown"],
        "averageEndTradeDrawdown": json_round4(avg_end_dd),
        "maximumDrawdownDuration": span(max_dd_ticks),
        "totalFees": d["totalFees"],
    }
