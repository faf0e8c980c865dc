"""Lean's OrderListHash: the MD5 of the run's orders as Newtonsoft.Json writes them (Common/Extensions.cs
`GetHash(this IDictionary<int, Order>)`, added to the final statistics by Messaging/Messaging.cs).

The recipe, as Lean runs it on the final packet's orders:

* orders sorted by id; before each is written its price fields are smart-rounded in place (spec §4.2):
  the average fill price, limit, stop, trigger prices and the trailing amount;
* each order is written by `JsonConvert.SerializeObject(order)` with no indentation: property names as the
  `[JsonProperty]` attributes spell them, camel-cased where a type has none (`timeInForce`; only the
  time-in-force converter writes its own names, `$type` and `Expiry`), the most derived class's properties
  first, enums as integers,
  decimals with their .NET digits (".0" added when integral), dates ISO 8601 (UTC ones end in "Z");
* the order texts are joined with "," and hashed (MD5 of the UTF-8 bytes, lower-case hex).

The result file does not carry the hash: only the log's `STATISTICS::` lines do (and the conformance runner).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pylean.enums import OrderDirection, OrderType
from pylean.memo import BoundedMemo
from pylean.statistics.dotnet import format_iso_utc, newtonsoft_decimal, normalize, smart_round

EMPTY_HASH = hashlib.md5(b"").hexdigest()
_COMBO_KINDS = frozenset((int(OrderType.COMBO_MARKET), int(OrderType.COMBO_LIMIT), int(OrderType.COMBO_LEG_LIMIT)))

# the fully qualified .NET type names TimeInForceJsonConverter writes as "$type" (GoodTilCanceled has none)
_TIME_IN_FORCE_TYPES = {
    "day": "QuantConnect.Orders.TimeInForces.DayTimeInForce",
    "gtd": "QuantConnect.Orders.TimeInForces.GoodTilDateTimeInForce",
}
# what Newtonsoft escapes in a string besides '"' and '\' (control characters and three line separators)
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ALWAYS_ESCAPED = {"\u0085", "\u2028", "\u2029"}


class Raw(str):
    """A JSON fragment already written (numbers, dates), put into the output as it is."""


def order_list_hash(orders: Mapping[int, Any] | Iterable[Any]) -> str:
    """Lean's OrderListHash of the run's orders (a dict id -> order, or the orders themselves)."""
    values = orders.values() if isinstance(orders, Mapping) else orders
    joined = ",".join(order_json_text(order) for order in sorted(values, key=lambda o: o.id))
    return hashlib.md5(joined.encode("utf-8")).hexdigest()


def order_json_text(order: Any) -> str:
    """One order as Lean's GetHash writes it: smart-rounded prices, Newtonsoft's compact JSON.

    Written field by field (the text `write_json(order_fields(order))` makes, without the dict: a test
    holds the two equal), in one frame: each value's text is a memo look-up (`_decimal`, `_utc_date`,
    `_symbol`... written out), as this runs once per order of the run. Enum members are compared as plain
    ints and Direction follows the quantity's sign (Order.Direction), so no enum class or property is read."""
    kind = order.type
    if kind not in _SIMPLE_KINDS:
        if kind in _COMBO_KINDS:
            from pylean.results.combo_order_json import combo_order_json_text
            return combo_order_json_text(order)
        return _order_json_text(order, int(kind))
    return _order_json_text(order, kind)


def _order_json_text(order: Any, kind: int) -> str:
    decimal_text, dates = _DECIMAL_TEXT, _DATE_TEXT
    price = _SMART_ROUNDED[str(order._price)]
    quantity = _NORMALIZED[str(order._quantity)]  # Lean's Quantity setter normalizes
    price_text, quantity_text = str(price), str(quantity)
    when = order._time
    time = dates.get(when) or _utc_date(when)
    brokers = order.broker_id
    broker_text = json_string(str(brokers[0])) if len(brokers) == 1 else ",".join(json_string(str(b)) for b in brokers)
    times = time  # createdTime, then the three optional times
    when = order._last_fill_time
    if when is not None:
        times += ',"lastFillTime":' + (dates.get(when) or _utc_date(when))
    when = order._last_update_time
    if when is not None:
        times += ',"lastUpdateTime":' + (dates.get(when) or _utc_date(when))
    when = order._canceled_time
    if when is not None:
        times += ',"canceledTime":' + (dates.get(when) or _utc_date(when))
    tag = order.tag
    tag = "" if tag is None else _TAG_TEXT.get(tag) or _tag_text(tag)
    direction = _BUY if quantity > 0 else _SELL if quantity < 0 else _HOLD
    recorded = order._submission_recorded
    if kind == _LIMIT:
        limit = order._limit_price
        head = f'{{"limitPrice":{_ROUNDED_TEXT[str(limit)]},"type":1'
        # Order.IsMarketable: a limit order priced through the submission quote (GetHash rounds the limit first)
        marketable = recorded and (_SMART_ROUNDED[str(limit)] >= order._submission_ask if direction == _BUY
                                   else direction == _SELL and _SMART_ROUNDED[str(limit)] <= order._submission_bid)
    else:
        head = (f'{{"stopPrice":{_ROUNDED_TEXT[str(order._stop_price)]},"type":2' if kind == _STOP_MARKET
                else '{"type":0' if kind == _MARKET else write_json(_subtype_fields(order))[:-1])
        marketable = kind == _MARKET
    currency = order.price_currency
    currency_text = _STRING_TEXT.get(currency) or _string_text(currency)
    symbol = order.symbol
    symbol_text = _SYMBOL_TEXT.get((symbol, symbol.value)) or _symbol(symbol)
    # OrderSubmissionData is null until the order is accepted (has_submission_data)
    submission = (f'{{"bidPrice":{decimal_text[str(order._submission_bid)]},'
                  f'"askPrice":{decimal_text[str(order._submission_ask)]},'
                  f'"lastPrice":{decimal_text[str(order._submission_last)]}}}') if recorded else "null"
    return (f'{head},"id":{int.__repr__(order.id)},"contingentId":{int.__repr__(order.contingent_id)},'
            f'"brokerId":[{broker_text}],"symbol":{symbol_text},"price":{decimal_text[price_text]},'
            f'"priceCurrency":{currency_text},"time":{time},"createdTime":{times},'
            f'"quantity":{decimal_text[quantity_text]},"status":{int.__repr__(order.status)}{tag},'
            f'"properties":{_properties_text(order.properties)},"securityType":{_SECURITY_TYPE_TEXT.get(symbol) or _security_type(symbol)},'
            f'"direction":{direction},"value":{_VALUE_TEXT[quantity_text, price_text]},'
            f'"orderSubmissionData":{submission},"isMarketable":{"true" if marketable else "false"},'
            f'"priceAdjustmentMode":{str(int(order.price_adjustment_mode))}}}')


_MARKET, _LIMIT, _STOP_MARKET = int(OrderType.MARKET), int(OrderType.LIMIT), int(OrderType.STOP_MARKET)
_BUY, _SELL, _HOLD = (str(int(d)) for d in (OrderDirection.BUY, OrderDirection.SELL, OrderDirection.HOLD))
_SIMPLE_KINDS = frozenset((_MARKET, _LIMIT, _STOP_MARKET))
_STRING_TEXT: dict[str, str] = {}
_TAG_TEXT: dict[str, str] = {}


def _tag_text(tag: str) -> str:
    """The tag member's text, kept per tag (a run tags many orders alike)."""
    if len(_TAG_TEXT) > 100_000:
        _TAG_TEXT.clear()
    found = _TAG_TEXT[tag] = ',"tag":' + json_string(tag)
    return found


def _string_text(text: str) -> str:
    """json_string(text), kept for texts a run repeats (currencies)."""
    found = _STRING_TEXT[text] = json_string(text)
    return found


_PROPERTIES_TEXT: dict[str, str] = {}


def _properties_text(properties: Any) -> str:
    time_in_force = properties.time_in_force
    kind = getattr(time_in_force, "kind", "gtc")
    if kind == "gtd":
        return write_json(_properties(properties))
    text = _PROPERTIES_TEXT.get(kind)
    if text is None:
        text = _PROPERTIES_TEXT[kind] = write_json(_properties(properties))
    return text


def order_fields(order: Any) -> dict[str, Any]:
    """The order's serialized properties in Newtonsoft's order: the subtype's own ones first, then Order's."""
    fields = _subtype_fields(order)
    price = smart_round(order._price)
    quantity = normalize(order._quantity)  # Lean's Quantity setter normalizes
    fields.update({
        "id": order.id,
        "contingentId": order.contingent_id,
        "brokerId": [str(b) for b in order.broker_id],
        "symbol": _symbol(order.symbol),
        "price": _decimal(price),
        "priceCurrency": order.price_currency,
        "time": _utc_date(order._time),
        "createdTime": _utc_date(order._time),  # Lean's CreatedTime is the order's Time
    })
    for key, value in (("lastFillTime", order._last_fill_time), ("lastUpdateTime", order._last_update_time),
                       ("canceledTime", order._canceled_time)):
        if value is not None:  # these three carry NullValueHandling.Ignore
            fields[key] = _utc_date(value)
    fields.update({
        "quantity": _decimal(quantity),
        "status": int(order.status),
        "tag": order.tag if order.tag is not None else None,
        "properties": _properties(order.properties),
        "securityType": int(order.symbol.security_type),
        "direction": int(order.direction),
        "value": _decimal(quantity * price),
        "orderSubmissionData": _submission_data(order),
        "isMarketable": is_marketable(order),
        "priceAdjustmentMode": int(order.price_adjustment_mode),
    })
    if fields["tag"] is None:  # DefaultValueHandling.Ignore: only a null tag is left out, "" is written
        del fields["tag"]
    return fields


def _subtype_fields(order: Any) -> dict[str, Any]:
    """The properties each order class declares itself, in its declaration order (Type is overridden there)."""
    kind = int(order.type)
    if kind == OrderType.LIMIT:
        return {"limitPrice": _rounded(order._limit_price), "type": kind}
    if kind == OrderType.STOP_MARKET:
        return {"stopPrice": _rounded(order._stop_price), "type": kind}
    if kind == OrderType.STOP_LIMIT:
        return {"stopPrice": _rounded(order._stop_price), "stopTriggered": bool(order.stop_triggered),
                "limitPrice": _rounded(order._limit_price), "type": kind}
    if kind == OrderType.TRAILING_STOP:  # a StopMarketOrder subclass: its own members, then StopMarketOrder's
        return {"trailingAmount": _rounded(order._trailing_amount),
                "trailingAsPercentage": bool(order.trailing_as_percentage), "type": kind,
                "stopPrice": _rounded(order._stop_price)}
    if kind == OrderType.LIMIT_IF_TOUCHED:
        return {"type": kind, "triggerPrice": _rounded(order._trigger_price),
                "limitPrice": _rounded(order._limit_price), "triggerTouched": bool(order.trigger_touched)}
    return {"type": kind}


def is_marketable(order: Any) -> bool:
    """Order.IsMarketable: market orders; limit orders priced through the submission quote."""
    kind = int(order.type)
    if kind == OrderType.LIMIT:
        if not has_submission_data(order):
            return False
        limit = _smart_rounded(order._limit_price)  # GetHash rounds the limit before the order is written
        direction = order.direction
        return ((direction == OrderDirection.BUY and limit >= order._submission_ask)
                or (direction == OrderDirection.SELL and limit <= order._submission_bid))
    return kind in (OrderType.MARKET, OrderType.COMBO_MARKET)


def has_submission_data(order: Any) -> bool:
    """Lean records the submission quote only for orders it accepted (an order refused up front has null)."""
    return bool(order._submission_recorded)


def _submission_text(order: Any) -> str:
    """`write_json(_submission_data(order))`, without the dict."""
    if not order._submission_recorded:  # has_submission_data, inlined: once per order
        return "null"
    return (f'{{"bidPrice":{_decimal(order._submission_bid)},"askPrice":{_decimal(order._submission_ask)},'
            f'"lastPrice":{_decimal(order._submission_last)}}}')


def _submission_data(order: Any) -> dict[str, Any] | None:
    if not has_submission_data(order):
        return None
    return {"bidPrice": _decimal(order._submission_bid), "askPrice": _decimal(order._submission_ask),
            "lastPrice": _decimal(order._submission_last)}


# texts already written in this process, keyed by what fully decides them (a run's orders repeat a few
# prices, times and symbols thousands of times). Decimals are keyed by their text (exact: it gives the
# decimal back), as hashing a Decimal the first time costs several times its str.
_SMART_ROUNDED = BoundedMemo(lambda text: smart_round(Decimal(text)))
_ROUNDED_TEXT = BoundedMemo(lambda text: Raw(newtonsoft_decimal(_SMART_ROUNDED[text])))
_NORMALIZED = BoundedMemo(lambda text: normalize(Decimal(text)))
_DECIMAL_TEXT = BoundedMemo(lambda text: Raw(newtonsoft_decimal(Decimal(text))))  # keyed by the exact digits
_DATE_TEXT: dict[datetime, Raw] = {}
_SYMBOL_TEXT: dict[tuple[Any, str], Raw] = {}


def _rounded(value: Decimal) -> Raw:
    """Smart-rounded decimal text; smart_round normalizes first, so equal values (1.5, 1.50) share one text."""
    return _ROUNDED_TEXT[str(value)]  # type: ignore[no-any-return]


def _smart_rounded(value: Decimal) -> Decimal:
    """smart_round(value), once per decimal text."""
    return _SMART_ROUNDED[str(value)]  # type: ignore[no-any-return]


def _normalized(value: Decimal) -> Decimal:
    """normalize(value), once per decimal text."""
    return _NORMALIZED[str(value)]  # type: ignore[no-any-return]


# Order.Value's text (quantity x price), keyed by the two texts, not the decimals: equal values can differ
# in scale (smart_round gives 100000 for 100000.0000 but 100000.0000 for 99999.99999999), and the
# product's digits follow the scales
_VALUE_TEXT = BoundedMemo(lambda texts: _decimal(Decimal(texts[0]) * Decimal(texts[1])))


def _decimal(value: Decimal) -> Raw:
    """A decimal's Newtonsoft text (its scale counts: keyed by its exact digits)."""
    return _DECIMAL_TEXT[str(value)]  # type: ignore[no-any-return]


def _symbol(symbol: Any) -> Raw:
    """SymbolJsonConverter: value, id (the SID string), permtick (the value again)."""
    key = (symbol, symbol.value)  # symbols are interned: one id each, while the value can change (renames)
    text = _SYMBOL_TEXT.get(key)
    if text is None:
        value = symbol.value
        text = _SYMBOL_TEXT[key] = Raw(write_json({"value": value, "id": str(symbol.id), "permtick": value}))
    return text


def _security_type(symbol: Any) -> str:
    """The symbol's SecurityType as an integer text (a symbol's id, and so its type, never changes)."""
    text = _SECURITY_TYPE_TEXT.get(symbol)
    if text is None:
        text = _SECURITY_TYPE_TEXT[symbol] = str(int(symbol.security_type))
    return text


_SECURITY_TYPE_TEXT: dict[Any, str] = {}


def _properties(properties: Any) -> dict[str, Any]:
    """OrderProperties: `timeInForce` (camel-cased: Lean's serializer settings name it so); a null Exchange
    is left out."""
    return {"timeInForce": time_in_force_json(properties.time_in_force)}


def time_in_force_json(time_in_force: Any) -> dict[str, Any]:
    """TimeInForceJsonConverter: "$type" unless good-til-canceled, then the type's public properties."""
    kind = getattr(time_in_force, "kind", "gtc")
    data: dict[str, Any] = {}
    if kind in _TIME_IN_FORCE_TYPES:
        data["$type"] = _TIME_IN_FORCE_TYPES[kind]
    if kind == "gtd":
        data["Expiry"] = Raw(_unspecified_date(time_in_force.Expiry))
    return data


def _utc_date(value: datetime) -> Raw:
    """A DateTime of kind Utc as Newtonsoft writes it ("2013-10-07T13:31:00Z", fractions trimmed)."""
    text = _DATE_TEXT.get(value)  # aware times: equal instants write the same UTC text
    if text is None or value.tzinfo is None:
        if len(_DATE_TEXT) > 100_000:
            _DATE_TEXT.clear()
        text = Raw('"' + format_iso_utc(value) + '"')
        if value.tzinfo is not None:
            _DATE_TEXT[value] = text
    return text


def _unspecified_date(value: datetime | date) -> str:
    """A DateTime of kind Unspecified (what Python's naive datetimes become): no zone suffix."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return '"' + format_iso_utc(value.replace(tzinfo=None))[:-1] + '"'


# ---------------------------------------------------------------- writing
def write_json(value: Any) -> str:
    """Compact JSON as Newtonsoft's JsonTextWriter writes it (no spaces, its string escaping)."""
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{json_string(str(k))}:{write_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(write_json(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as order JSON")


_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x85\u2028\u2029]')


def json_string(text: str) -> str:
    """Newtonsoft's default escaping: quotes, backslashes, control characters (lower-case \\u00xx) and
    U+0085/U+2028/U+2029; everything else, non-ASCII included, is written as it is."""
    if text.isalnum() or _NEEDS_ESCAPE.search(text) is None:  # letters and digits are never escaped
        return '"' + text + '"'
    out = []
    for char in text:
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif char < " " or char in _ALWAYS_ESCAPED:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
