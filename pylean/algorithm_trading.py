"""Order methods of QCAlgorithm (Algorithm/QCAlgorithm.Trading.cs): pre-order checks, conversions, SetHoldings."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable

from pylean.enums import OrderStatus, OrderType, Resolution
from pylean.orders.tickets import OrderTicket, SubmitOrderRequest
from pylean.orders.types import (MarketOnCloseOrder, MarketOnOpenOrder, MarketOrder, Order, OrderProperties,
                                 TimeInForce, to_decimal)
from pylean.naming import lean_api
from pylean.symbols import Symbol

if TYPE_CHECKING:
    from pylean.securities import Security

ZERO = Decimal(0)
MOO_WARNING = ("Warning: market orders submitted while the market is closed are automatically converted into "
               "MarketOnOpen orders to fill at the next market open.")
MOC_BUFFER_MS = 15 * 60_000 + 30_000


class PortfolioTarget:
    """A target holding as a fraction of the portfolio (Algorithm.Framework/Portfolio/PortfolioTarget.cs)."""

    def __init__(self, symbol: Any, quantity: float, tag: str = "") -> None:
        self.symbol = symbol
        self.quantity = quantity
        self.tag = tag

    @staticmethod
    def percent(algorithm: Any, symbol: Any, percent: float) -> "PortfolioTarget":
        return PortfolioTarget(symbol, percent)

    Percent = percent


@lean_api
class TradingMixin:
    """Order entry points; every one ends in TransactionHandler.submit."""

    _ctx: Any

    # ------------------------------------------------------------ checks
    def _security_for(self, symbol: Any) -> "Security | None":
        securities = self._ctx.securities
        return securities[symbol] if symbol in securities else None

    def _pre_order_checks(self, symbol: Any, quantity: Decimal, order_type: OrderType) -> str:
        """QCAlgorithm.PreOrderChecksImpl: a non-empty message rejects the order before it exists."""
        if self._ctx.is_warming_up:
            return ("This operation is not allowed in Initialize or during warm up: OrderRequest.Submit. "
                    "Please move this code to the OnWarmupFinished() method.")
        security = self._security_for(symbol)
        if security is None:
            return f"You haven't requested {symbol} data. Add this with AddSecurity() in the Initialize() Method."
        if quantity == 0:
            return "Unable to submit order with id -10 that has zero quantity."
        lot = security.symbol_properties.lot_size
        if abs(quantity) < lot:
            return f"Unable to submit order with id -10 which quantity ({quantity}) is less than lot size ({lot})."
        if not security.is_tradable:
            return f"Order Error: ids: [-1], Symbol: {symbol}, Order Error: Not tradable."
        if not security.has_data or security.cache.trade_decimal() == 0:
            return (f"Order Error: ids: [-1], Asset price is $0. If using custom data make sure you've set the "
                    f"'Value' property.")
        return ""

    def _submit(self, order: Order, asynchronous: bool = False) -> OrderTicket:
        ticket = self._ctx.transactions.submit(order)
        ticket.submit_request = SubmitOrderRequest(order.type, order.symbol.security_type, order.symbol,
                                                   float(order.quantity), 0, 0, 0, 0, False, order.time, order.tag,
                                                   order.properties, asynchronous)
        return ticket

    def _properties(self, properties: OrderProperties | None) -> OrderProperties:
        return (properties or self.default_order_properties).clone()  # type: ignore[attr-defined]

    # ------------------------------------------------------------ market family
    def market_order(self, symbol: Any, quantity: float, asynchronous: bool = False, tag: str = "",
                     order_properties: OrderProperties | None = None) -> OrderTicket:
        symbol = self._symbol(symbol)  # type: ignore[attr-defined]
        qty = _round_lot(to_decimal(quantity))
        message = self._pre_order_checks(symbol, qty, OrderType.MARKET)
        if message:
            return self._reject(symbol, qty, OrderType.MARKET, message)
        security = self._ctx.securities[symbol]
        if not security.exchange.exchange_open:
            self._warn_once("moo", MOO_WARNING)
            return self._submit_moo(symbol, qty, tag, order_properties, asynchronous)
        if all(c.resolution == Resolution.DAILY for c in security.subscriptions if not c.is_internal):
            close = security.exchange.hours.next_market_close(self.time)  # type: ignore[attr-defined]
            if (close - self.time).total_seconds() * 1000 > MOC_BUFFER_MS:  # type: ignore[attr-defined]
                return self._submit_moc(symbol, qty, tag, order_properties, asynchronous)
            return self._submit_moo(symbol, qty, tag, order_properties, asynchronous)
        order = MarketOrder(symbol, qty, self._ctx.utc_now(), tag, self._properties(order_properties))
        return self._submit(order, asynchronous)

    def market_on_open_order(self, symbol: Any, quantity: float, asynchronous: bool = False, tag: str = "",
                             order_properties: OrderProperties | None = None) -> OrderTicket:
        symbol = self._symbol(symbol)  # type: ignore[attr-defined]
        qty = _round_lot(to_decimal(quantity))
        message = self._pre_order_checks(symbol, qty, OrderType.MARKET_ON_OPEN)
        if not message and self._ctx.securities[symbol].exchange.exchange_open:
            message = "MarketOnOpen orders must be placed while the market is closed."
        if message:
            return self._reject(symbol, qty, OrderType.MARKET_ON_OPEN, message)
        return self._submit_moo(symbol, qty, tag, order_properties, asynchronous)

    def market_on_close_order(self, symbol: Any, quantity: float, asynchronous: bool = False, tag: str = "",
                              order_properties: OrderProperties | None = None) -> OrderTicket:
        symbol = self._symbol(symbol)  # type: ignore[attr-defined]
        qty = _round_lot(to_decimal(quantity))
        message = self._pre_order_checks(symbol, qty, OrderType.MARKET_ON_CLOSE)
        if not message:
            hours = self._ctx.securities[symbol].exchange.hours
            close = hours.next_market_close(self.time)  # type: ignore[attr-defined]
            if hours.is_open(self.time) and (close - self.time).total_seconds() * 1000 < MOC_BUFFER_MS:  # type: ignore[attr-defined]
                message = ("MarketOnClose orders must be placed within 00:15:30 before market close. Override "
                           "this TimeSpan buffer by setting Orders.MarketOnCloseOrder.SubmissionTimeBuffer in "
                           "QCAlgorithm.Initialize().")
        if message:
            return self._reject(symbol, qty, OrderType.MARKET_ON_CLOSE, message)
        return self._submit_moc(symbol, qty, tag, order_properties, asynchronous)

    def _submit_moo(self, symbol: Symbol, qty: Decimal, tag: str, properties: OrderProperties | None,
                    asynchronous: bool) -> OrderTicket:
        props = self._moo_moc_properties(properties)
        return self._submit(MarketOnOpenOrder(symbol, qty, self._ctx.utc_now(), tag, props), asynchronous)

    def _submit_moc(self, symbol: Symbol, qty: Decimal, tag: str, properties: OrderProperties | None,
                    asynchronous: bool) -> OrderTicket:
        props = self._moo_moc_properties(properties)
        return self._submit(MarketOnCloseOrder(symbol, qty, self._ctx.utc_now(), tag, props), asynchronous)

    def _moo_moc_properties(self, properties: OrderProperties | None) -> OrderProperties:
        props = self._properties(properties)
        if props.time_in_force.kind == "gtd":
            self._warn_once("gtd", "Warning: GoodTilDate time in force is not supported for MarketOnOpen and "
                                   "MarketOnClose orders; GoodTilCanceled is used instead.")
            props.time_in_force = TimeInForce.GOOD_TIL_CANCELED
        return props

    def _reject(self, symbol: Any, quantity: Decimal, order_type: OrderType, message: str) -> OrderTicket:
        self.error(message)  # type: ignore[attr-defined]
        return OrderTicket(None, None, order_id=-1, symbol=symbol, quantity=quantity, order_type=order_type,
                           invalid_message=message)

    # ------------------------------------------------------------ targets
    def calculate_order_quantity(self, symbol: Any, target: float) -> float:
        return float(self._target_delta(self._symbol(symbol), to_decimal(target)))  # type: ignore[attr-defined]

    def _target_delta(self, symbol: Symbol, target: Decimal) -> Decimal:
        """PortfolioTarget.Percent with returnDeltaQuantity (spec §3.12)."""
        security = self._ctx.securities[symbol]
        if abs(target) > Decimal(10) ** 9 or (target != 0 and abs(target) < Decimal("1e-10")):
            self.error(f"Unable to create a portfolio target for {symbol}: percent out of range")  # type: ignore[attr-defined]
            return ZERO
        portfolio = self._ctx.portfolio
        tpv = portfolio.total_portfolio_value_decimal()
        settings = self.settings  # type: ignore[attr-defined]
        free = (to_decimal(settings.free_portfolio_value) if settings.free_portfolio_value is not None
                else tpv * to_decimal(settings.free_portfolio_value_percentage))
        adjusted = target * (tpv - free) / tpv if tpv else ZERO
        quantity, reason = security.buying_power_model.maximum_order_quantity_for_target(portfolio, security, adjusted)
        if reason and quantity == 0:
            self._warn_once("target:" + reason, f"{symbol}: {reason}")
        return quantity

    def set_holdings(self, symbol: Any, percentage: float | None = None, liquidate_existing_holdings: bool = False,
                     tag: str = "", order_properties: OrderProperties | None = None, asynchronous: bool = False) -> list[OrderTicket]:
        if isinstance(symbol, (list, tuple)):
            return self._set_holdings_targets(symbol, liquidate_existing_holdings, tag, order_properties, asynchronous)
        symbol = self._symbol(symbol)  # type: ignore[attr-defined]
        targets = [PortfolioTarget(symbol, float(percentage or 0))]
        return self._set_holdings_targets(targets, liquidate_existing_holdings, tag, order_properties, asynchronous)

    def _set_holdings_targets(self, targets: Iterable[PortfolioTarget], liquidate_existing: bool, tag: str,
                              properties: OrderProperties | None, asynchronous: bool) -> list[OrderTicket]:
        targets = [PortfolioTarget(self._symbol(t.symbol), t.quantity, t.tag) for t in targets]  # type: ignore[attr-defined]
        tickets: list[OrderTicket] = []
        if liquidate_existing:
            wanted = {t.symbol for t in targets}
            for holding in self._ctx.portfolio.held_holdings():
                if holding.security.symbol not in wanted:
                    tickets.extend(self.liquidate(holding.security.symbol, tag=tag))
        # reductions first, so their margin is free for the increases (ordered by margin impact)
        ordered = sorted(targets, key=lambda t: self._margin_impact(t))
        for target in ordered:
            ticket = self._set_holding(target.symbol, to_decimal(target.quantity), target.tag or tag, properties,
                                       asynchronous)
            if ticket is not None:
                tickets.append(ticket)
        return tickets

    def _margin_impact(self, target: PortfolioTarget) -> Decimal:
        security = self._ctx.securities[target.symbol]
        tpv = self._ctx.portfolio.total_portfolio_value_decimal()
        current = security.holdings.holdings_value_decimal()
        return to_decimal(target.quantity) * tpv - abs(current) if current else to_decimal(target.quantity) * tpv

    def _set_holding(self, symbol: Symbol, target: Decimal, tag: str, properties: OrderProperties | None,
                     asynchronous: bool) -> OrderTicket | None:
        security = self._ctx.securities[symbol]
        quantity = self._target_delta(symbol, target) - self._ctx.transactions.open_market_quantity(symbol)
        if quantity == 0:
            return None
        if not security.exchange.exchange_open:
            message = self._pre_order_checks(symbol, quantity, OrderType.MARKET_ON_OPEN)
            if message:
                return self._reject(symbol, quantity, OrderType.MARKET_ON_OPEN, message)
            return self._submit_moo(symbol, quantity, tag, properties, asynchronous)
        return self.market_order(symbol, float(quantity), asynchronous, tag, properties)

    def liquidate(self, symbol: Any = None, asynchronous: bool = False, tag: str = "Liquidated",
                  order_properties: OrderProperties | None = None) -> list[OrderTicket]:
        transactions = self._ctx.transactions
        symbols = ([self._symbol(symbol)] if symbol is not None  # type: ignore[attr-defined]
                   else [s for s in self._ctx.securities.keys()])
        tickets = []
        for sym in symbols:
            for order in transactions.open_orders(sym):
                if order.type not in (OrderType.MARKET, OrderType.MARKET_ON_OPEN):
                    transactions.tickets[order.id].cancel(tag)
            held = self._ctx.securities[sym].holdings._quantity
            quantity = -(held + transactions.open_market_quantity(sym))
            if quantity != 0:
                tickets.append(self.market_order(sym, float(quantity), asynchronous, tag, order_properties))
        return tickets

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._ctx.warned:
            self._ctx.warned.add(key)
            self.debug(message)  # type: ignore[attr-defined]


def _round_lot(quantity: Decimal) -> Decimal:
    """Equity lot size is 1: quantities are rounded toward zero."""
    return Decimal(int(quantity))


ORDER_CLOSED = (OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.INVALID)
