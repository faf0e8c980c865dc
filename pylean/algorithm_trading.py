"""Order methods of QCAlgorithm (Algorithm/QCAlgorithm.Trading.cs): requests, conversions, SetHoldings, Liquidate."""
from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

from pylean.enums import OrderType
from pylean.algorithm_state import ctx_of, symbol_for
from pylean.memo import BoundedMemo
from pylean.naming import lean_api
from pylean.order_security import order_symbol
from pylean.orders.fill_model import calculate_stop_price
from pylean.orders.buying_power import quick_target_quantity
from pylean.orders.buying_power_api import maximum_order_quantity
from pylean.orders.pre_checks import is_daily_resolution_only, pre_order_checks, within_moc_buffer
from pylean.orders.requests import SubmitOrderRequest
from pylean.orders.tickets import OrderTicket
from pylean.orders.types import OrderProperties, TimeInForce, to_decimal, to_float
from pylean.symbols import Symbol

if TYPE_CHECKING:
    from pylean.orders.transactions import TransactionHandler
    from pylean.securities import Security

ZERO = Decimal(0)
MOO_WARNING = ("Warning: market orders submitted while the market is closed are automatically converted into "
               "MarketOnOpen orders to fill at the next market open.")
DAILY_WARNING = ("Warning: market orders on daily resolution data sent during market hours are automatically "
                 "converted into MarketOnClose orders (or MarketOnOpen near the close) to avoid filling at the stale "
                 "previous close. Note: in live trading this conversion is not applied, as the order fills at the "
                 "current market price.")
GTD_WARNING = ("Warning: Good-Til-Date Time-In-Force is not supported for MOO and MOC orders. The time-in-force will "
               "be reset to Good-Til-Canceled (GTC).")


class PortfolioTarget:
    """A target holding as a fraction of the portfolio (Algorithm.Framework/Portfolio/PortfolioTarget.cs)."""

    def __init__(self, symbol: Any, quantity: float, tag: str = "") -> None:
        self.symbol = symbol
        self.quantity = quantity
        self.tag = tag

    @staticmethod
    def percent(algorithm: Any, symbol: Any, percent: float, *args: Any, **kwargs: Any) -> "PortfolioTarget | None":
        from pylean.framework.portfolio_target import percent_target  # the framework's sizing rule
        return percent_target(algorithm, symbol, percent, *args, **kwargs)

    Percent = percent


@lean_api
class TradingMixin:
    """Order entry points: each builds a SubmitOrderRequest, runs the pre-order checks and submits it."""

    # ------------------------------------------------------------ submission
    def submit_order_request(self, request: SubmitOrderRequest) -> OrderTicket:
        """Pre-order checks, then the transaction handler; a refused request gets an invalid ticket."""
        ctx = ctx_of(self)
        return _submit(self, ctx, request, ctx.securities.find(request.symbol))

    # ------------------------------------------------------------ market family
    def market_order(self, symbol: Any, quantity: float, asynchronous: bool = False, tag: str = "",
                     order_properties: OrderProperties | None = None) -> OrderTicket:
        ctx = ctx_of(self)
        symbol = order_symbol(ctx, symbol)  # GetSecurityForOrder
        security = ctx.securities.find(symbol)
        if security is not None and not security.exchange.exchange_open:
            ticket = self.market_on_open_order(symbol, quantity, asynchronous, tag, order_properties)
            if ticket.submit_request.response.is_success:
                _warn_once(self, "moo", MOO_WARNING)
            return ticket
        return _market_order_while_open(self, ctx, security, symbol, quantity, asynchronous, tag, order_properties)

    def market_on_open_order(self, symbol: Any, quantity: float, asynchronous: bool = False, tag: str = "",
                             order_properties: OrderProperties | None = None) -> OrderTicket:
        symbol = order_symbol(ctx_of(self), symbol)  # GetSecurityForOrder
        request = _order_request(self, OrderType.MARKET_ON_OPEN, symbol, quantity, tag, order_properties, asynchronous)
        _no_good_til_date(self, request.order_properties)
        return self.submit_order_request(request)

    def market_on_close_order(self, symbol: Any, quantity: float, asynchronous: bool = False, tag: str = "",
                              order_properties: OrderProperties | None = None) -> OrderTicket:
        symbol = order_symbol(ctx_of(self), symbol)  # GetSecurityForOrder
        request = _order_request(self, OrderType.MARKET_ON_CLOSE, symbol, quantity, tag, order_properties, asynchronous)
        _no_good_til_date(self, request.order_properties)
        return self.submit_order_request(request)

    # ------------------------------------------------------------ priced orders
    def limit_order(self, symbol: Any, quantity: float, limit_price: float, asynchronous: bool = False,
                    tag: str = "", order_properties: OrderProperties | None = None) -> OrderTicket:
        symbol = order_symbol(ctx_of(self), symbol)  # GetSecurityForOrder
        return self.submit_order_request(_order_request(self, OrderType.LIMIT, symbol, quantity, tag, order_properties,
                                                       asynchronous, limit_price=limit_price))

    def stop_market_order(self, symbol: Any, quantity: float, stop_price: float, asynchronous: bool = False,
                          tag: str = "", order_properties: OrderProperties | None = None) -> OrderTicket:
        symbol = order_symbol(ctx_of(self), symbol)  # GetSecurityForOrder
        return self.submit_order_request(_order_request(self, OrderType.STOP_MARKET, symbol, quantity, tag,
                                                       order_properties, asynchronous, stop_price=stop_price))

    def stop_limit_order(self, symbol: Any, quantity: float, stop_price: float, limit_price: float,
                         asynchronous: bool = False, tag: str = "",
                         order_properties: OrderProperties | None = None) -> OrderTicket:
        symbol = order_symbol(ctx_of(self), symbol)  # GetSecurityForOrder
        return self.submit_order_request(_order_request(self, OrderType.STOP_LIMIT, symbol, quantity, tag,
                                                             order_properties, asynchronous, stop_price=stop_price,
                                                             limit_price=limit_price))

    def limit_if_touched_order(self, symbol: Any, quantity: float, trigger_price: float, limit_price: float,
                               asynchronous: bool = False, tag: str = "",
                               order_properties: OrderProperties | None = None) -> OrderTicket:
        symbol = order_symbol(ctx_of(self), symbol)  # GetSecurityForOrder
        return self.submit_order_request(_order_request(self, OrderType.LIMIT_IF_TOUCHED, symbol, quantity, tag,
                                                       order_properties, asynchronous, trigger_price=trigger_price,
                                                       limit_price=limit_price))

    def trailing_stop_order(self, symbol: Any, quantity: float, stop_price: Any = None, trailing_amount: Any = None,
                            trailing_as_percentage: Any = None, asynchronous: bool = False, tag: str = "",
                            order_properties: OrderProperties | None = None) -> OrderTicket:
        """Both of Lean's overloads: (symbol, quantity, [stop_price,] trailing_amount, trailing_as_percentage, ...).

        Without a stop price, the initial stop trails the current price by the trailing amount.
        """
        if isinstance(trailing_amount, bool) and not isinstance(stop_price, bool):
            # positional call of the overload without stop price: shift the arguments one place
            if trailing_as_percentage is not None:
                asynchronous = bool(trailing_as_percentage)
            stop_price, trailing_amount, trailing_as_percentage = None, stop_price, trailing_amount
        if trailing_amount is None:  # (symbol, quantity, trailing_amount, trailing_as_percentage=...)
            if stop_price is None:
                raise TypeError("trailing_stop_order() needs a trailing_amount")
            stop_price, trailing_amount = None, stop_price
        symbol = order_symbol(ctx_of(self), symbol)  # GetSecurityForOrder
        as_percentage = bool(trailing_as_percentage)
        if stop_price is None:
            security = _security_for(self, symbol)
            price = security.cache.trade_decimal() if security is not None else ZERO
            sell = to_decimal(quantity) <= 0  # Lean: quantity > 0 buys, anything else sells
            stop_price = calculate_stop_price(price, to_decimal(trailing_amount), as_percentage, sell)
        return self.submit_order_request(_order_request(self, OrderType.TRAILING_STOP, symbol, quantity, tag,
                                                       order_properties, asynchronous, stop_price=stop_price,
                                                       trailing_amount=trailing_amount,
                                                       trailing_as_percentage=as_percentage))

    def order(self, symbol: Any, quantity: float, asynchronous: bool = False, tag: str = "",
              order_properties: OrderProperties | None = None) -> OrderTicket:
        return self.market_order(symbol, quantity, asynchronous, tag, order_properties)

    def buy(self, symbol: Any, quantity: float) -> OrderTicket:
        return self.market_order(symbol, abs(float(quantity)))

    def sell(self, symbol: Any, quantity: float) -> OrderTicket:
        return self.market_order(symbol, -abs(float(quantity)))

    # ------------------------------------------------------------ targets
    def calculate_order_quantity(self, symbol: Any, target: float) -> float:
        return to_float(_target_delta(self, symbol_for(self, symbol), to_decimal(target)))

    def set_holdings(self, symbol: Any, percentage: float | None = None, liquidate_existing_holdings: bool = False,
                     asynchronous: bool = False, tag: str = "",
                     order_properties: OrderProperties | None = None) -> list[OrderTicket]:
        if isinstance(symbol, (list, tuple)):
            targets = [(symbol_for(self, t.symbol), t.quantity, t.tag) for t in symbol]
        else:
            targets = [(symbol_for(self, symbol), float(percentage or 0), "")]
        return _set_holdings_targets(self, targets, liquidate_existing_holdings, tag, order_properties, asynchronous)

    def liquidate(self, symbol: Any = None, asynchronous: bool = False, tag: str | None = None,
                  order_properties: OrderProperties | None = None) -> list[OrderTicket]:
        """Cancel open non-market orders, then close the position net of open market orders."""
        transactions = _transactions(self)
        if isinstance(asynchronous, str):  # Lean's obsolete Liquidate(symbol, tag) overload
            asynchronous, tag = False, asynchronous
        tag = "Liquidated" if tag is None else tag
        if symbol is None:
            symbols = sorted(ctx_of(self).securities.keys(), key=lambda s: s.value)
        else:
            symbols = [symbol_for(self, s) for s in (symbol if isinstance(symbol, (list, tuple)) else [symbol])]
        tickets = []
        for sym in symbols:
            if sym not in ctx_of(self).securities:
                _warn_once(self, "liquidate-missing", f"Warning: liquidate ignored symbol '{sym}' because it has not "
                                                     "been added to the algorithm. Add the security before "
                                                     "liquidating it.")
                continue
            orders = transactions.open_orders(sym)
            held = ctx_of(self).securities[sym].holdings._quantity
            if (len(orders) == 1 and held != 0 and orders[0]._quantity == -held
                    and orders[0].type == OrderType.MARKET):
                continue  # the one open market order already closes the position
            market_quantity = ZERO
            for order in orders:
                if order.type == OrderType.MARKET:
                    market_quantity += transactions.tickets[order.id].quantity_remaining_decimal()
                else:
                    transactions.tickets[order.id].cancel(tag)
            if held != 0:
                tickets.append(self.market_order(sym, -held - market_quantity, asynchronous, tag, order_properties))
        return tickets


# The helpers below are module functions, not methods: a user's subclass may assign any name outside Lean's
# public API without replacing them (pylean/algorithm_state.py).


def _transactions(algorithm: Any, ctx: Any = None) -> "TransactionHandler":
    handler = (ctx if ctx is not None else ctx_of(algorithm)).transactions
    if handler.on_error is None:
        handler.on_error = algorithm.error  # type: ignore[attr-defined]  # Algorithm.Error for order errors
    return handler


def _submit(algorithm: Any, ctx: Any, request: SubmitOrderRequest, security: "Security | None") -> OrderTicket:
    """submit_order_request with the request's security already found (None: not in the algorithm)."""
    handler = _transactions(algorithm, ctx)
    now = ctx.cursor.time  # (algorithm.time without its state look-up: before the first step, the start date)
    response = pre_order_checks(request, security, ctx.is_warming_up, now if now is not None else algorithm.time)
    if response.is_error:
        algorithm.error(response.error_message)
        return OrderTicket.invalid(handler, request, response)
    return handler.add_order(request, security)


def _market_order_while_open(algorithm: Any, ctx: Any, security: "Security | None", symbol: Symbol, quantity: Any,
                             asynchronous: bool, tag: str, properties: OrderProperties | None) -> OrderTicket:
    """MarketOrder once the exchange is known open (or the security unknown): daily-only securities convert."""
    if security is not None and is_daily_resolution_only(security):
        # no fresh intraday price to fill against: today's close, or the next open inside the MOC buffer
        if within_moc_buffer(security, algorithm.time):
            ticket = algorithm.market_on_open_order(symbol, quantity, asynchronous, tag, properties)
        else:
            ticket = algorithm.market_on_close_order(symbol, quantity, asynchronous, tag, properties)
        if ticket.submit_request.response.is_success:
            _warn_once(algorithm, "daily-market", DAILY_WARNING)
        return ticket
    request = _order_request(algorithm, OrderType.MARKET, symbol, quantity, tag, properties, asynchronous)
    return _submit(algorithm, ctx, request, security)


def _security_for(algorithm: Any, symbol: Any) -> "Security | None":
    return ctx_of(algorithm).securities.find(symbol)


def _order_request(algorithm: Any, order_type: OrderType, symbol: Symbol, quantity: Any, tag: str | None,
             properties: OrderProperties | None, asynchronous: bool, stop_price: Any = 0, limit_price: Any = 0,
             trigger_price: Any = 0, trailing_amount: Any = 0, trailing_as_percentage: bool = False,
             ) -> SubmitOrderRequest:
    """CreateSubmitOrderRequest: the algorithm's default properties (a copy) when none are given."""
    props = properties if properties is not None else algorithm.default_order_properties.clone()  # type: ignore[attr-defined]
    return SubmitOrderRequest.of(order_type, symbol.security_type, symbol, quantity, stop_price, limit_price,
                                 trigger_price, trailing_amount, trailing_as_percentage,
                                 algorithm.utc_time, tag or "", props, asynchronous)  # type: ignore[attr-defined]


def _warn_once(algorithm: Any, key: str, message: str) -> None:
    if key not in ctx_of(algorithm).warned:
        ctx_of(algorithm).warned.add(key)
        algorithm.debug(message)  # type: ignore[attr-defined]


def _no_good_til_date(algorithm: Any, properties: OrderProperties) -> None:
    """MOO/MOC orders do not support GoodTilDate: Lean resets it to GoodTilCanceled (InvalidateGoodTilDate...)."""
    if properties.time_in_force.kind == "gtd":
        properties.time_in_force = TimeInForce.GOOD_TIL_CANCELED
        _warn_once(algorithm, "gtd", GTD_WARNING)


_MAX_PERCENT, _MIN_PERCENT = Decimal(10) ** 9, Decimal("1e-10")  # PortfolioTarget.Percent's accepted range


_LAST_SETTING: list[Any] = [None, None]  # the setting value last converted (kept alive: `is` stays sound)


def _setting_decimal(value: Any) -> Decimal:
    """to_decimal of a setting, remembered while the setting holds the same object (SetHoldings asks per target)."""
    last = _LAST_SETTING
    if last[0] is not value or last[1] is None:
        last[0], last[1] = value, to_decimal(value)
    return last[1]  # type: ignore[no-any-return]


_PERCENTS = BoundedMemo(to_decimal, 10_000)


def _percent_decimal(value: Any) -> Decimal:
    """to_decimal of a target's fraction, remembered for non-zero floats (algorithms re-target to the same few
    fractions; equal non-zero floats have one repr, so one decimal)."""
    if type(value) is not float or not value:
        return to_decimal(value)
    return _PERCENTS[value]  # type: ignore[no-any-return]


def _target_delta(algorithm: Any, symbol: Symbol, target: Decimal, ctx: Any = None,
                  security: "Security | None" = None) -> Decimal:
    """PortfolioTarget.Percent with returnDeltaQuantity (spec §3.12); `security`: the symbol's, when known."""
    ctx = ctx if ctx is not None else ctx_of(algorithm)
    if security is None:
        security = ctx.securities.find(symbol) or ctx.securities[symbol]  # (a Symbol: one look-up)
    if abs(target) > _MAX_PERCENT or (target != 0 and abs(target) < _MIN_PERCENT):
        algorithm.error(f"Unable to create a portfolio target for {symbol}: percent out of range")  # type: ignore[attr-defined]
        return ZERO
    portfolio = ctx.portfolio
    settings = algorithm.settings  # type: ignore[attr-defined]
    if settings.free_portfolio_value is None:
        # the usual case in doubles, when they surely give the decimal answer (no reason to warn about)
        quick = quick_target_quantity(portfolio, security, target,
                                      _setting_decimal(settings.free_portfolio_value_percentage))
        if quick is not None:
            return quick
    tpv = portfolio.total_portfolio_value_decimal()
    free = (to_decimal(settings.free_portfolio_value) if settings.free_portfolio_value is not None
            else tpv * _setting_decimal(settings.free_portfolio_value_percentage))
    adjusted = target * (tpv - free) / tpv if tpv else ZERO
    quantity, reason = maximum_order_quantity(security.buying_power_model, portfolio, security, adjusted)
    if reason and quantity == 0:
        _warn_once(algorithm, "target:" + reason, f"{symbol}: {reason}")
    return quantity


def _set_holdings_targets(algorithm: Any, targets: list[tuple[Symbol, Any, str]], liquidate_existing: bool, tag: str,
                          properties: OrderProperties | None, asynchronous: bool) -> list[OrderTicket]:
    """`targets`: the algorithm's Symbols with their fractions and own tags."""
    ctx = ctx_of(algorithm)
    tickets = _liquidate_others(algorithm, ctx, {t[0] for t in targets}, tag) if liquidate_existing else []
    # every delta first (CalculateOrderQuantity), then OrderTargetsByMarginImpact(targetIsDelta: true)
    securities, deltas = ctx.securities, []
    for symbol, fraction, own_tag in targets:
        security = securities.find(symbol) or securities[symbol]
        delta = _target_delta(algorithm, symbol, _percent_decimal(fraction), ctx, security)
        deltas.append((symbol, own_tag or tag, security, delta))
    for symbol, target_tag, security, delta in _by_margin_impact(ctx, deltas):
        ticket = _set_holding(algorithm, ctx, security, symbol, target_tag, properties, asynchronous, delta)
        if ticket is not None:
            tickets.append(ticket)
    return tickets


def _liquidate_others(algorithm: Any, ctx: Any, wanted: set[Symbol], tag: str) -> list[OrderTicket]:
    """SetHoldings' liquidateExistingHoldings: every held position not among the targets."""
    tickets: list[OrderTicket] = []
    for holding in ctx.portfolio.held_holdings():
        if holding.security.symbol not in wanted:
            tickets.extend(algorithm.liquidate(holding.security.symbol, tag=tag))
    return tickets


def _tradable_delta(security: "Security", delta: Decimal) -> Decimal | None:
    """The delta rounded toward zero to the lot size, None unless the security has data, is tradable and the
    delta is at least a lot."""
    lot = to_decimal(security.symbol_properties.lot_size)
    delta = (delta / lot).to_integral_value(rounding=ROUND_DOWN) * lot if lot else delta
    if not (security.has_data and security.is_tradable and abs(delta) >= lot):
        return None
    return delta


def _by_margin_impact(ctx: Any, deltas: list[tuple[Symbol, str, "Security", Decimal]]
                      ) -> list[tuple[Symbol, str, "Security", Decimal]]:
    """Lean's OrderTargetsByMarginImpact over (symbol, tag, security, delta): tradable targets of at least a
    lot, position reductions first, then the larger order values; nothing while warming up."""
    if ctx.is_warming_up:
        return []
    if len(deltas) == 1:  # (SetHoldings of one symbol: nothing to rank)
        symbol, tag, security, delta = deltas[0]
        tradable = _tradable_delta(security, delta)
        return [] if tradable is None else [(symbol, tag, security, tradable)]
    ranked: list[tuple[Any, ...]] = []
    transactions = ctx.transactions
    for position, (symbol, tag, security, given) in enumerate(deltas):
        delta = _tradable_delta(security, given)
        if delta is None:
            continue
        open_orders = transactions.open_orders(symbol)
        existing = security.holdings._quantity + sum(
            (transactions.tickets[o.id].quantity_remaining_decimal() for o in open_orders), ZERO)
        reducing = existing != 0 and abs(delta + existing) < abs(existing)
        ranked.append((not reducing, -abs(delta * to_decimal(security.price)), position, symbol, tag, security,
                       delta))
    ranked.sort(key=lambda r: r[:3])
    return [(symbol, tag, security, delta) for *_, symbol, tag, security, delta in ranked]


def _set_holding(algorithm: Any, ctx: Any, security: "Security", symbol: Symbol, tag: str,
                 properties: OrderProperties | None, asynchronous: bool, delta: Decimal) -> OrderTicket | None:
    """SetHoldingsImpl for one target's delta: net of open market orders, a market order while the exchange
    is open (Lean's own MarketOrder: a user override of market_order is not asked), else market-on-open."""
    quantity = delta - ctx.transactions.open_market_quantity(symbol)
    if quantity == 0:
        return None
    if not security.exchange.exchange_open:
        return algorithm.market_on_open_order(  # type: ignore[no-any-return]
            symbol, quantity, asynchronous, tag, properties)
    return _market_order_while_open(algorithm, ctx, security, symbol, quantity, asynchronous, tag, properties)
