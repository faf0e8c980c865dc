"""RiskManager: the portfolio's daily profit target (+Max_Daily_PNL % of the day's starting value).

When today's realized plus unrealized P&L reaches the target, entries are cancelled and every holding is
liquidated at market (tag 'targetprofit'); while the flag is set the symbol pipelines stop. There is no
loss limit (quirk Q10). The per-day reset runs from OnEndOfDay(symbol), i.e. at 15:50 once per symbol.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Callable

from AlgorithmImports import QCAlgorithm, Security, Symbol

from config.parameters import TradingParameters
from trading import tags
from trading.open_orders import OrderEpoch


class RiskManager:
    def __init__(self, algorithm: QCAlgorithm, params: TradingParameters, symbols: list[Symbol],
                 cancel_all_entries: Callable[[], None]) -> None:
        self.algorithm = algorithm
        self.params = params
        self.symbols = symbols
        self.cancel_all_entries = cancel_all_entries
        self.start_value = 0.0
        self.start_date: date | None = None
        self.start_realized: float | None = None
        self.target_pnl_reached = False
        self.daily_limit_reached = False

    def daily_pnl_pct(self) -> float | None:
        """Today's P&L in % of the day's starting value (full portfolio scan); None when TPV is 0."""
        algorithm = self.algorithm
        portfolio = algorithm.portfolio
        tpv = portfolio.total_portfolio_value
        if tpv == 0:
            return None
        today = algorithm.time.date()
        if self.start_date != today:
            self.start_value = tpv
            self.start_date = today
        if self.start_realized is None:
            self.start_realized = portfolio.total_profit
        realized = portfolio.total_profit - self.start_realized
        unrealized = 0.0
        for symbol in self.symbols:
            holding = portfolio[symbol]
            quantity = holding.quantity
            if quantity != 0:
                unrealized += (algorithm.securities[symbol].price - holding.average_price) * quantity
        return (realized + unrealized) * 100 / self.start_value

    def check_daily_pnl_limit(self) -> bool:
        """True while the target holds; the first time in a day it also cancels entries and liquidates."""
        pnl_pct = self.daily_pnl_pct()
        if pnl_pct is None:
            return False
        target = self.params.Max_Daily_PNL
        if target > 0 and pnl_pct >= target:
            if not self.target_pnl_reached:
                self.target_pnl_reached = True
                self.daily_limit_reached = True
                self.handle_target_reached()
            return True
        return False

    def handle_target_reached(self) -> None:
        self.cancel_all_entries()
        portfolio = self.algorithm.portfolio
        for symbol in self.symbols:
            quantity = portfolio[symbol].quantity
            if quantity != 0:
                self.algorithm.market_order(symbol, -quantity, tag=tags.TARGET_PROFIT)

    def validate_trading_conditions(self) -> bool:
        """No entries once the target is hit (re-runs the P&L scan) or while the first symbol's market is shut."""
        if self.check_daily_pnl_limit():
            return False
        return self.algorithm.securities[self.symbols[0]].exchange.exchange_open

    def reset_daily(self) -> None:
        self.target_pnl_reached = False
        self.daily_limit_reached = False
        self.start_realized = self.algorithm.portfolio.total_profit


MIDNIGHT = time(0, 0)
VALUE_MARGIN = 1e-9   # relative: far above the rounding of a few float additions
ONE_DAY = timedelta(days=1)


class IncrementalRiskManager(RiskManager):
    """The same daily profit target checked in O(held positions) per time step instead of a portfolio scan.

    Today's P&L % only moves with fills (realized profit, the set of holdings), prices of held symbols and
    the date (the day's starting value). Fills always come with an order event (the shared `OrderEpoch`).
    So: with nothing held and nothing new, the last figure holds for the rest of the date; with holdings it
    holds for the rest of OnData's time step (prices move between steps, not within one); otherwise the legacy
    formula runs over the held symbols only, in the legacy order (the floating-point sum is the same), with
    their securities, quantities, average prices and the realized profit (changed by fills only) kept between
    events. The total portfolio value, a decimal sum, is read only where it can matter: at a date's first
    reading (the start value) and when cash plus holdings is not certainly positive (the legacy None).
    Side effects (day start value, the first realized reading, the once-a-day liquidation) happen exactly
    where the legacy scan has them.
    """

    def __init__(self, algorithm: QCAlgorithm, params: TradingParameters, symbols: list[Symbol],
                 cancel_all_entries: Callable[[], None], order_epoch: OrderEpoch) -> None:
        super().__init__(algorithm, params, symbols, cancel_all_entries)
        self.order_epoch = order_epoch
        self.seen_epoch = -1       # the order events behind held and realized_total
        self.held: list[tuple[Security, float, float]] = []   # (security, average price, quantity) per holding
        self.realized_total = 0.0            # portfolio.total_profit, read again after each order event
        self.cash = 0.0                      # portfolio.cash, likewise
        self.cached_pct: float | None = None
        self.step = 0              # OnData's time steps (begin_step); prices only move between them
        self.in_step = False
        self.cached_step = -1
        self.cached_from = self.cached_until = datetime.min
        self.open_checked_at: datetime | None = None   # exchange_open depends on the time only
        self.open_then = False

    def begin_step(self) -> None:
        """OnData starts: until end_step, prices are the ones of this time step."""
        self.step += 1
        self.in_step = True

    def end_step(self) -> None:
        self.in_step = False

    def daily_pnl_pct(self) -> float | None:
        now = self.algorithm.time
        epoch = self.order_epoch.value
        same_date = self.cached_from <= now < self.cached_until   # then start_date is now's date (set with it)
        if epoch == self.seen_epoch and same_date and self.cached_pct is not None:
            if not self.held or (self.in_step and self.cached_step == self.step):
                return self.cached_pct   # nothing held, or the same time step: same prices, same fills
        if epoch != self.seen_epoch:
            self._read_holdings(epoch)
        unrealized = value = gross = 0.0
        for security, average_price, quantity in self.held:
            price = security.price
            unrealized += (price - average_price) * quantity
            worth = price * quantity
            value += worth
            gross += abs(worth)
        if not (same_date and self.start_realized is not None and self._value_is_positive(value, gross)):
            tpv = self.algorithm.portfolio.total_portfolio_value   # the legacy reading: zero means no figure
            if tpv == 0:
                self.cached_pct = None
                return None
            today = now.date()
            if self.start_date != today:
                self.start_value = tpv
                self.start_date = today
            if self.start_realized is None:
                self.start_realized = self.realized_total
            if not same_date:
                self.cached_from = datetime.combine(today, MIDNIGHT)   # the day's start value holds for this date
                self.cached_until = self.cached_from + ONE_DAY
        realized = self.realized_total - self.start_realized
        pct = (realized + unrealized) * 100 / self.start_value
        self.cached_pct, self.cached_step = pct, self.step if self.in_step else -1
        return pct

    def _read_holdings(self, epoch: int) -> None:
        """Quantities, average prices, realized profit and cash: they move with fills, i.e. order events."""
        portfolio, securities = self.algorithm.portfolio, self.algorithm.securities
        held = []
        for symbol in self.symbols:
            holding = portfolio[symbol]
            quantity = holding.quantity
            if quantity != 0:
                held.append((securities[symbol], holding.average_price, quantity))
        self.held = held
        self.realized_total = portfolio.total_profit
        self.cash = portfolio.cash   # for the bound only
        self.seen_epoch = epoch

    def _value_is_positive(self, holdings_value: float, gross: float) -> bool:
        """True when cash plus the holdings' value is certainly above zero, so the exact total portfolio value
        (a decimal sum; Lean adds unsettled cash, never negative) cannot be the zero the legacy check looks for.

        The float sums are off by a few ulps of `|cash| + gross` at most; the margin is a million times that.
        """
        cash = self.cash
        return cash + holdings_value > VALUE_MARGIN * (abs(cash) + gross)

    def validate_trading_conditions(self) -> bool:
        if self.check_daily_pnl_limit():
            return False
        now = self.algorithm.time
        if now != self.open_checked_at:   # once per time step, not once per symbol
            self.open_checked_at = now
            self.open_then = self.algorithm.securities[self.symbols[0]].exchange.exchange_open
        return self.open_then

    def reset_daily(self) -> None:
        super().reset_daily()
        self.seen_epoch = -1   # start_realized moved: read everything again
