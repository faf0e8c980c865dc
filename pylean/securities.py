"""Security, SecurityCache, SecurityHolding, SecurityExchange and SecurityManager (Common/Securities/)."""
from __future__ import annotations

import weakref
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator

from pylean.data.market_data import Bar, QuoteBar, TradeBar
from pylean.data.slice import TRADE_FIELD_INDEX, _Columns, columns, new_trade_bar
from pylean.data.data_filter import set_data_filter
from pylean.data.market_hours import ExchangeHours
from pylean.data.symbol_properties import SymbolProperties
from pylean.enums import DataNormalizationMode, Resolution, SecurityType
from pylean.security_dynamic import DynamicProperties
from pylean.models.margin_interest import NULL_MARGIN_INTEREST_RATE_MODEL, quantity_value
from pylean.models.shortable import NULL_SHORTABLE_PROVIDER
from pylean.naming import lean_api
from pylean.numbers import to_float
from pylean.symbols import Symbol
from pylean.timeutil import ms_to_local

if TYPE_CHECKING:
    from pylean.data.feed import ConfigDay, DayBlock
    from pylean.data.subscription import SubscriptionDataConfig

_DECI = Decimal("0.0001")
# bumped whenever a security gets another buying power model or a model another leverage
MARGIN_EPOCH = [0]
CLOSE = TRADE_FIELD_INDEX["close"]
ZERO = Decimal(0)


class FeedCursor:
    """The engine's position in the current DayBlock; every SecurityCache reads through it."""

    __slots__ = ("block", "k", "time", "k_ms", "k_time")

    def __init__(self) -> None:
        self.block: DayBlock | None = None
        self.k = -1
        self.time: datetime | None = None
        self.k_ms = -1                        # step k's local-epoch ms and datetime (block and k move together;
        self.k_time: datetime | None = None   # `time` moves ahead of them at the top of the next step)


class SecurityCache:
    """Last real (non fill-forward) trade and quote data of a security, read lazily from the feed arrays."""

    __slots__ = ("cursor", "symbol", "trade_index", "quote_index", "_pinned", "_dec_block", "_dec_k", "_dec",
                 "_bar_step")

    def __init__(self, cursor: FeedCursor, symbol: Symbol) -> None:
        self.cursor = cursor
        self.symbol = symbol
        self.trade_index = -1   # DataFeed config index of the default (trade) subscription
        self.quote_index = -1
        self._pinned: dict[str, Any] = {}  # values set directly (tests, custom data)
        # exact decimals already made at the cursor's step (block, k): (config index, field) -> Decimal.
        # A step's rows and factors never change, so each decimal is made once per step, not per read.
        # The block is held weakly: a security nobody asks about any more must not keep an old day alive.
        self._dec_block: Any = None
        self._dec_k = -1
        self._dec: dict[tuple[int, str], Decimal] = {}
        # the trade bar handed out at a step: (weak block, k, config index, bar). Lean's GetData returns the
        # one object its cache holds, so every read within a step gets the same bar, as here.
        self._bar_step: tuple[Any, int, int, TradeBar | None] | None = None

    def _row(self, index: int) -> tuple["ConfigDay", int] | None:
        block = self.cursor.block
        if index < 0 or block is None or index >= len(block.configs) or self.cursor.k < 0:
            return None
        day = block.configs[index]
        row = day.last_real.item(self.cursor.k)  # (.item: the Python int without a numpy scalar first)
        return (day, row) if row >= 0 else None

    def trade_field(self, name: str) -> float:
        found = self._trade_columns()
        return found[1].fields[TRADE_FIELD_INDEX[name]][found[2]] if found else self.seeded(name)

    def seeded(self, name: str) -> float:
        """A field of the data a seeder gave (Security.set_market_price) before the feed has any, else 0."""
        pinned = self._pinned
        if not pinned:
            return 0.0
        kind, _, field = name.partition("_") if name.startswith(("bid_", "ask_")) else ("trade", "", name)
        bar = pinned.get("quote" if kind != "trade" else "trade")
        if bar is None:
            return 0.0
        if kind == "trade":
            return float(getattr(bar, field))
        if field == "size":
            return float(bar.last_bid_size if kind == "bid" else bar.last_ask_size)
        side = bar.bid if kind == "bid" else bar.ask
        return float(getattr(side, field)) if side is not None else 0.0

    def trade_decimal(self, name: str = "close") -> Decimal:
        """The exact adjusted price Lean keeps as a decimal: raw deci-cents x 0.0001 x factor."""
        cursor = self.cursor
        held = self._dec_block
        if held is not None and cursor.k == self._dec_k and held() is cursor.block and cursor.block is not None:
            value = self._dec.get((self.trade_index, name))
            if value is not None:
                return value
        found = self._row(self.trade_index)
        if not found:
            return Decimal(repr(self._pinned["price"])) if "price" in self._pinned else ZERO
        day, row = found
        return self._remember(self.trade_index, name, Decimal(int(day.rows.raw[name][row])) * _DECI * day.factor(row))

    def quote_decimal(self, name: str) -> Decimal:
        cursor = self.cursor
        held = self._dec_block
        if held is not None and cursor.block is not None and held() is cursor.block and cursor.k == self._dec_k:
            value = self._dec.get((self.quote_index, name))
            if value is not None:
                return value
        found = self._row(self.quote_index)
        if not found:
            return ZERO
        day, row = found
        return self._remember(self.quote_index, name, Decimal(int(day.rows.raw[name][row])) * _DECI * day.factor(row))

    def _remember(self, index: int, name: str, value: Decimal) -> Decimal:
        """Keep `value` for the rest of the cursor's step (a new step starts an empty table)."""
        cursor = self.cursor
        held = self._dec_block
        if held is None or held() is not cursor.block or cursor.k != self._dec_k:
            self._dec_block, self._dec_k, self._dec = weakref.ref(cursor.block), cursor.k, {}
        self._dec[(index, name)] = value
        return value

    def quote_field(self, name: str) -> float:
        found = self._row(self.quote_index)
        return float(found[0].rows.prices[name][found[1]]) if found else self.seeded(name)

    def _trade_columns(self) -> tuple["ConfigDay", "_Columns", int] | None:
        """The trade subscription's day, its Python-list columns and the newest real row (the hot readers' path)."""
        cursor = self.cursor
        block, k, index = cursor.block, cursor.k, self.trade_index
        if index < 0 or block is None or index >= len(block.configs) or k < 0:
            return None
        day = block.configs[index]
        cols = day.columns if day.columns is not None else columns(day, "trade")
        last_real = cols.last_real
        row = (last_real if last_real is not None else cols.cache_rows())[k]
        return (day, cols, row) if row >= 0 else None

    @property
    def price(self) -> float:
        found = self._trade_columns()
        if found:
            return found[1].fields[CLOSE][found[2]]
        return float(self._pinned.get("price", 0.0))

    @property
    def has_trade_data(self) -> bool:
        return self._row(self.trade_index) is not None or "price" in self._pinned

    def trade_bar(self) -> TradeBar | None:
        return self.get_data(TradeBar)  # type: ignore[return-value]

    def _step_trade_bar(self) -> TradeBar | None:
        """The step's trade bar, made now and kept for the rest of the step (get_data's miss)."""
        cursor = self.cursor
        bar = self._new_trade_bar()
        if cursor.block is not None:
            self._bar_step = (weakref.ref(cursor.block), cursor.k, self.trade_index, bar)
        return bar

    def _new_trade_bar(self) -> TradeBar | None:
        found = self._trade_columns()
        if not found:
            return None
        _, cols, row = found
        cursor, end_ms = self.cursor, cols.end_ms[row]  # type: ignore[index]  # made with last_real
        # a row that ended at this step (the usual case) ends at the step's datetime: no conversion
        end = cursor.k_time if end_ms == cursor.k_ms and cursor.k_time is not None else ms_to_local(end_ms)
        period = cols.period if cols.period is not None else cols.periods[row]  # type: ignore[index]
        o, h, low, c, v = cols.fields
        return new_trade_bar(self.symbol, end - period, end, o[row], h[row], low[row], c[row], v[row])

    def trade_bar_end_ms(self) -> int | None:
        found = self._row(self.trade_index)
        return found[0].rows.end_ms.item(found[1]) if found else None  # type: ignore[no-any-return]

    def trade_bar_start_ms(self) -> int | None:
        found = self._row(self.trade_index)
        return int(found[0].rows.time_ms[found[1]]) if found else None

    def quote_bar(self) -> QuoteBar | None:
        found = self._row(self.quote_index)
        if not found:
            return None
        day, row = found
        p, rows = day.rows.prices, day.rows
        bid = Bar(float(p["bid_open"][row]), float(p["bid_high"][row]), float(p["bid_low"][row]), float(p["bid_close"][row]))
        ask = Bar(float(p["ask_open"][row]), float(p["ask_high"][row]), float(p["ask_low"][row]), float(p["ask_close"][row]))
        return QuoteBar(ms_to_local(rows.time_ms[row]), self.symbol, bid if bid.close else None,
                        float(rows.sizes["bid_size"][row]), ask if ask.close else None,
                        float(rows.sizes["ask_size"][row]), end_time=ms_to_local(rows.end_ms[row]))

    def quote_bar_end_ms(self) -> int | None:
        found = self._row(self.quote_index)
        return found[0].rows.end_ms.item(found[1]) if found else None  # type: ignore[no-any-return]

    def get_data(self, data_type: type | None = None) -> TradeBar | QuoteBar | None:
        if data_type is TradeBar or data_type is None:
            # the step's bar once made (fill models ask for it per resting order per step)
            cursor, step = self.cursor, self._bar_step
            if (step is not None and step[1] == cursor.k and step[0]() is cursor.block
                    and step[2] == self.trade_index and cursor.block is not None):
                return step[3]  # type: ignore[no-any-return]
            return self._step_trade_bar()
        if data_type is QuoteBar:
            return self.quote_bar()
        return None  # no ticks (or custom data) in pylean's caches


@lean_api
class SecurityHolding:
    """Quantity, average price and realised profit of one security (Common/Securities/SecurityHolding.cs)."""

    __slots__ = ("security", "_quantity", "_average_price", "_total_fees", "_net_profit", "_total_sale_volume",
                 "_quantity_float", "_average_price_float")

    def __init__(self, security: "Security") -> None:
        self.security = security
        self._quantity = ZERO
        self._average_price = ZERO
        self._total_fees = ZERO
        self._net_profit = ZERO
        self._total_sale_volume = ZERO
        # the float Python last read of each, with the decimal object it was read from (algorithms read
        # quantity and average price of every symbol at every step; they change only with fills)
        self._quantity_float: tuple[Decimal, float] = (ZERO, 0.0)
        self._average_price_float: tuple[Decimal, float] = (ZERO, 0.0)

    symbol = property(lambda self: self.security.symbol)

    @property
    def quantity(self) -> float:
        value, cached = self._quantity, self._quantity_float
        if cached[0] is value:
            return cached[1]
        number = to_float(value)
        self._quantity_float = (value, number)
        return number

    @property
    def average_price(self) -> float:
        value, cached = self._average_price, self._average_price_float
        if cached[0] is value:
            return cached[1]
        number = to_float(value)
        self._average_price_float = (value, number)
        return number
    total_fees = property(lambda self: to_float(self._total_fees))
    net_profit = property(lambda self: to_float(self._net_profit))
    total_sale_volume = property(lambda self: to_float(self._total_sale_volume))
    invested = property(lambda self: self._quantity != 0)
    is_long = property(lambda self: self._quantity > 0)
    is_short = property(lambda self: self._quantity < 0)
    price = property(lambda self: self.security.price)

    @property
    def absolute_quantity(self) -> float:
        return abs(to_float(self._quantity))

    def get_quantity_value(self, quantity: Any, price: Any = None) -> Any:
        return quantity_value(self.security, quantity, price)

    def holdings_value_decimal(self) -> Decimal:
        if not self._quantity:
            return ZERO
        return self._quantity * self.security.cache.trade_decimal()

    def unrealized_profit_decimal(self) -> Decimal:
        """Lean's UnrealizedProfit: closing now at the bid/ask, less the closing order's fee (TotalCloseProfit)."""
        if not self._quantity:
            return ZERO
        from pylean.close_profit import close_profit
        return close_profit(self.security)

    holdings_value = property(lambda self: to_float(self.holdings_value_decimal()))
    absolute_holdings_value = property(lambda self: abs(to_float(self.holdings_value_decimal())))
    holdings_cost = property(lambda self: to_float(self._average_price * self._quantity))
    absolute_holdings_cost = property(lambda self: abs(to_float(self._average_price * self._quantity)))
    unrealized_profit = property(lambda self: to_float(self.unrealized_profit_decimal()))

    @property
    def unrealized_profit_percent(self) -> float:
        from pylean.close_profit import unrealized_profit_percent
        return to_float(unrealized_profit_percent(self.security))

    @property
    def profit(self) -> float:
        return to_float(self._net_profit)

    def __repr__(self) -> str:
        return f"{self.security.symbol}: {self.quantity} @ {self.average_price}"


# the clock time last asked about, kept alive so that `is` cannot meet a new object at its address; then the
# answers at that time by (id of the hours, extended): (hours, answer), the hours kept alive for the same reason
_OPEN_AT: list[Any] = [None, {}]


def open_at(hours: ExchangeHours, now: datetime, extended: bool = False) -> bool:
    """hours.is_open(now, extended), remembered for the clock's time: a step asks several times per order (the
    market order's conversion test, SetHoldings', the fill model's), and a day's segments never change."""
    at = _OPEN_AT
    if at[0] is not now:
        at[0], at[1] = now, {}
    answers = at[1]
    key = (id(hours), extended)
    found = answers.get(key)
    if found is None or found[0] is not hours:
        found = answers[key] = (hours, hours.is_open(now, extended))
    return found[1]  # type: ignore[no-any-return]


@lean_api
class SecurityExchange:
    """Exchange hours bound to the algorithm clock (Common/Securities/SecurityExchange.cs)."""

    __slots__ = ("hours", "cursor")

    def __init__(self, hours: ExchangeHours, cursor: FeedCursor) -> None:
        self.hours = hours
        self.cursor = cursor

    @property
    def exchange_open(self) -> bool:
        now = self.cursor.time
        return now is not None and open_at(self.hours, now)

    @property
    def local_time(self) -> datetime | None:
        return self.cursor.time

    def date_is_open(self, d: Any) -> bool:
        return self.hours.is_trading_day(d.date() if isinstance(d, datetime) else d)

    def is_open_during_bar(self, start: datetime, end: datetime, extended: bool = False) -> bool:
        return self.hours.overlaps_market(start, end, extended)

    @property
    def exchange_hours(self) -> ExchangeHours:
        return self.hours

    @property
    def time_zone(self) -> str:
        return self.hours.time_zone


@lean_api
class Security(DynamicProperties):
    """A tradable equity with its data, holdings and reality models (Common/Securities/Security.cs)."""

    def __init__(self, symbol: Symbol, cursor: FeedCursor, hours: ExchangeHours, properties: SymbolProperties,
                 resolution: Resolution, leverage: float, normalization: DataNormalizationMode) -> None:
        from pylean.orders.models import default_models  # reality models live with the orders package

        self.symbol = symbol
        self.type = SecurityType.EQUITY
        self.cache = SecurityCache(cursor, symbol)
        self.holdings = SecurityHolding(self)
        self.exchange = SecurityExchange(hours, cursor)
        self.symbol_properties = properties
        self.resolution = resolution
        self.leverage = float(leverage)
        self.data_normalization_mode = normalization
        self.subscriptions: list[SubscriptionDataConfig] = []
        self.is_tradable = True
        self.is_delisted = False
        self.fill_model, self.fee_model, self.slippage_model, self.buying_power_model = default_models(self)

    # --- prices (floats, as Lean hands decimals to Python) ---
    @property
    def price(self) -> float:
        cache = self.cache   # SecurityCache.price inlined: user code reads it per held symbol per step
        found = cache._trade_columns()
        if found:
            return found[1].fields[CLOSE][found[2]]
        return float(cache._pinned.get("price", 0.0))

    close = property(lambda self: self.cache.price)
    open = property(lambda self: self.cache.trade_field("open"))
    high = property(lambda self: self.cache.trade_field("high"))
    low = property(lambda self: self.cache.trade_field("low"))
    volume = property(lambda self: self._volume())
    # Security.BidPrice/AskPrice: the last quote's side, else the price (Lean's `Cache.BidPrice == 0 ? Price`)
    bid_price = property(lambda self: self.cache.quote_field("bid_close") or self.price)
    ask_price = property(lambda self: self.cache.quote_field("ask_close") or self.price)
    bid_size = property(lambda self: self._size("bid_size"))
    ask_size = property(lambda self: self._size("ask_size"))
    has_data = property(lambda self: self.cache.has_trade_data)
    invested = property(lambda self: self.holdings.invested)
    local_time = property(lambda self: self.exchange.local_time)
    quote_currency = property(lambda self: self.symbol_properties.quote_currency)
    lot_size = property(lambda self: float(self.symbol_properties.lot_size))

    def _volume(self) -> float:
        found = self.cache._row(self.cache.trade_index)
        return float(found[0].rows.sizes["volume"][found[1]]) if found else self.cache.seeded("volume")

    def _size(self, name: str) -> float:
        found = self.cache._row(self.cache.quote_index)
        return float(found[0].rows.sizes[name][found[1]]) if found else self.cache.seeded(name)

    def get_last_data(self) -> TradeBar | QuoteBar | None:
        return self.cache.trade_bar() or self.cache.quote_bar()

    def set_fill_model(self, model: Any) -> None:
        self.fill_model = model

    def set_fee_model(self, model: Any) -> None:
        self.fee_model = model

    def set_slippage_model(self, model: Any) -> None:
        self.slippage_model = model

    def set_buying_power_model(self, model: Any) -> None:
        self.buying_power_model = model
        MARGIN_EPOCH[0] += 1  # the portfolio's margin memos are stale

    def set_volatility_model(self, model: Any) -> None:
        from pylean.models.volatility import set_volatility_model
        set_volatility_model(self, model)

    @property
    def volatility_model(self) -> Any:
        from pylean.models.volatility import volatility_model_of
        return volatility_model_of(self)

    @volatility_model.setter
    def volatility_model(self, model: Any) -> None:
        self.set_volatility_model(model)

    @property
    def buying_power_model(self) -> Any:
        return self._buying_power_model

    @buying_power_model.setter
    def buying_power_model(self, model: Any) -> None:
        self._buying_power_model = model
        MARGIN_EPOCH[0] += 1  # margin figures kept by the buying power check are stale now

    def set_leverage(self, leverage: float) -> None:
        self.leverage = float(leverage)
        if hasattr(self.buying_power_model, "set_leverage"):
            self.buying_power_model.set_leverage(self, leverage)

    @property
    def shortable_provider(self) -> Any:
        return self.__dict__.get("_shortable_provider", NULL_SHORTABLE_PROVIDER)

    def set_data_filter(self, data_filter: Any) -> None:
        set_data_filter(self, data_filter)

    @property
    def data_filter(self) -> Any:
        return self.__dict__.get("_data_filter")

    def set_market_price(self, data: Any) -> None:
        """A price from outside the feed (a seeder): what the security answers until its first data point."""
        if data is None:
            return
        pinned = self.cache._pinned
        if isinstance(data, QuoteBar):
            pinned["quote"] = data
            if "trade" in pinned:
                return  # the price stays the trade's
        else:
            pinned["trade"] = data
        pinned["price"] = float(data.close)

    margin_interest_rate_model = NULL_MARGIN_INTEREST_RATE_MODEL  # Lean's default; an instance value replaces it

    def set_margin_interest_rate_model(self, model: Any) -> None:
        self.margin_interest_rate_model = model

    @property
    def session(self) -> Any:
        """The rolling window of daily session bars (pylean/securities_session.py), made when the security is."""
        return self.__dict__.get("_session")

    def set_shortable_provider(self, provider: Any) -> None:
        self._shortable_provider = provider

    def set_data_normalization_mode(self, mode: DataNormalizationMode) -> None:
        self.data_normalization_mode = mode
        for config in self.subscriptions:
            config.normalization = mode

    def __repr__(self) -> str:
        return f"{self.symbol}: {self.price}"


@lean_api
class SecurityManager:
    """`algorithm.securities`: Symbol -> Security, also indexable by ticker string."""

    def __init__(self) -> None:
        self._by_symbol: dict[Symbol, Security] = {}
        self._by_ticker: dict[str, Security] = {}
        self._version = 0  # bumped by every add and remove (the portfolio's memos read it)

    def add(self, security: Security) -> None:
        self._version += 1
        self._by_symbol[security.symbol] = security
        self._by_ticker[security.symbol.value] = security

    def remove(self, symbol: Symbol) -> None:
        self._version += 1
        security = self._by_symbol.pop(symbol, None)
        if security is not None:
            self._by_ticker.pop(security.symbol.value, None)

    def resolve(self, key: Symbol | str) -> Security:
        if isinstance(key, Symbol):
            found = self._by_symbol.get(key)
        else:
            found = self._by_ticker.get(str(key).upper())
        if found is None:
            raise KeyError(f"This asset symbol ({key}) was not found in your security list. Please add this "
                           "security or check it exists before using it with 'Securities.ContainsKey(\"{key}\")'")
        return found

    def __getitem__(self, key: Symbol | str) -> Security:
        return self.resolve(key)

    def find(self, key: Symbol | str) -> Security | None:
        """The security of `key`, None when there is none (one dict look-up for a Symbol: the order paths)."""
        found = self._by_symbol.get(key) if isinstance(key, Symbol) else None
        return found if found is not None or isinstance(key, Symbol) else self.get(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, Symbol):
            return key in self._by_symbol
        return isinstance(key, str) and key.upper() in self._by_ticker

    def contains_key(self, key: Symbol | str) -> bool:
        return key in self

    def __iter__(self) -> Iterator[Any]:
        """(symbol, security) pairs with `.key` / `.value`, as iterating Lean's SecurityManager from Python."""
        from pylean.dotnet.collections_generic import KeyValuePair
        return iter([KeyValuePair(symbol, security) for symbol, security in self._by_symbol.items()])

    def __len__(self) -> int:
        return len(self._by_symbol)

    def keys(self) -> list[Symbol]:
        return list(self._by_symbol)

    def values(self) -> list[Security]:
        return list(self._by_symbol.values())

    def items(self) -> list[tuple[Symbol, Security]]:
        return list(self._by_symbol.items())

    def get(self, key: Symbol | str, default: Any = None) -> Security | None:
        return self.resolve(key) if key in self else default

    @property
    def count(self) -> int:
        return len(self._by_symbol)

    total = count
