"""Lean's result files (Engine/Results/BacktestingResultHandler.cs): <id>.json, <id>-summary.json,
<id>-order-events.json, <id>-log.txt and log.txt, each written atomically."""
from __future__ import annotations

import gc
import json
import os
import socket
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from json.encoder import encode_basestring_ascii as _string  # json.dumps' own string writer (ensure_ascii)
from pathlib import Path
from typing import Any

from pylean.memo import BoundedMemo
from pylean.orders.types import Order, OrderEvent
from pylean.redaction import redact, secret_values
from pylean.results.charts import CandleSeries, Chart
from pylean.results.json_text import (CheckedDict, Written, WrittenParts, dumps_indent1, indent1_object_parts,
                                      plain_floats)
from pylean.results.order_list_hash import order_list_hash
from pylean.statistics.dotnet import iso_seconds
from pylean.statistics.summary import runtime_statistics

ZERO = Decimal(0)
_STATUS_NAMES = {0: "new", 1: "submitted", 2: "partiallyFilled", 3: "filled", 5: "canceled", 6: "none",
                 7: "invalid", 8: "cancelPending", 9: "updateSubmitted"}


@dataclass
class BacktestRecord:
    algorithm_id: str
    algorithm: Any
    runtime: Any
    status: str
    error: str
    started_utc: datetime
    ended_utc: datetime
    seconds: float
    data_points: int
    engine: Any = None
    statistics: dict[str, str] | None = None
    order_list_hash: str | None = None  # Lean's OrderListHash: logged with the statistics, not in the files' JSON


def _num(value: Decimal | float | int) -> float | int:
    if isinstance(value, Decimal):
        return _NUMBERS[str(value)]  # type: ignore[no-any-return]
    return value


def _decimal_number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    text = _ISO.get(dt)  # aware times: equal instants write the same UTC text
    if text is None:
        text = iso_seconds(dt.astimezone(timezone.utc)) + "Z"
        if dt.tzinfo is not None:
            if len(_ISO) > 100_000:
                _ISO.clear()
            _ISO[dt] = text
    return text


# numbers and times written in this process: a run's orders repeat a few prices and times thousands of times.
# Decimals are keyed by their text (exact: it gives the decimal back): hashing a new Decimal costs several
# times what its str does, and most decimals the writer meets are new objects
_NUMBERS = BoundedMemo(lambda text: _decimal_number(Decimal(text)))
_ISO: dict[datetime, str] = {}


def _unix(dt: datetime) -> int:
    return int(dt.timestamp())


def chart_json(chart: Chart) -> dict[str, Any]:
    series = {}
    for name, s in chart.series.items():
        if isinstance(s, CandleSeries):
            values = [[_unix(t), _num(o), _num(h), _num(low), _num(c)] for t, o, h, low, c in s.points]
            series[name] = {"name": name, "unit": s.unit, "index": s.index, "seriesType": 2, "values": values}
        else:
            values = [[_unix(t), _num(v)] for t, v in s.points]
            series[name] = {"name": name, "unit": s.unit, "index": s.index, "seriesType": s.series_type,
                            "values": values, "color": "", "scatterMarkerSymbol": "none"}
    return {"name": chart.name, "chartType": chart.chart_type, "series": series}


def order_json(order: Order) -> dict[str, Any]:
    """Lean's Order JSON: subtype price fields first, then the base fields; only null times are omitted.
    The result file writes it as text (`orders_parts`, held equal to `json.dumps` of this by a test)."""
    data: dict[str, Any] = {key: value if isinstance(value, bool) else _num(value)
                            for key, value in order._price_fields().items()}
    data.update({
        "type": int(order.type), "id": order.id, "contingentId": order.contingent_id,
        "brokerId": [str(order.id)], "symbol": {"value": order.symbol.value, "id": str(order.symbol.id),
                                                "permtick": order.symbol.value},
        "price": _num(order._price), "priceCurrency": "USD", "time": _iso(order._time),
        "createdTime": _iso(order._created_time), "lastFillTime": _iso(order._last_fill_time),
        "lastUpdateTime": _iso(order._last_update_time), "canceledTime": _iso(order._canceled_time),
        "quantity": _num(order._quantity), "status": int(order.status), "tag": order.tag or "",
        "properties": {"timeInForce": order.properties.time_in_force.to_json()},
        "securityType": 1, "direction": int(order.direction), "value": _num(order._quantity * order._price),
        "orderSubmissionData": {"bidPrice": _num(order._submission_bid), "askPrice": _num(order._submission_ask),
                                "lastPrice": _num(order._submission_last)},
        "isMarketable": int(order.type) == 0, "priceAdjustmentMode": order.price_adjustment_mode,
    })
    return {k: v for k, v in data.items() if v is not None}


def orders_parts(orders: dict[int, Order]) -> WrittenParts:
    """`json.dumps({str(id): order_json(order), ...}, indent=1)` as the value of a key of the top-level object
    (every line after the first one level in), written directly: the orders are most of the result file."""
    if not orders:
        return WrittenParts(["{}"])
    return WrittenParts(["{\n", ",\n".join([f'  "{i}": {_order_text(o)}' for i, o in orders.items()]), "\n }"])


def _order_text(order: Order) -> str:
    """One order of `orders_parts` (its fields three levels in): the fields and layout of `order_json`."""
    fields = [f'   {_string(key)}: {_value_text(value) if isinstance(value, bool) else _number_json(value)}'
              for key, value in order._price_fields().items() if value is not None]
    symbol = order.symbol
    key = (symbol, symbol.value)
    symbol_text = _ORDER_SYMBOL_TEXT.get(key)
    if symbol_text is None:
        value = _string(symbol.value)
        symbol_text = _ORDER_SYMBOL_TEXT[key] = (f'{{\n    "value": {value},\n    "id": {_string(str(symbol.id))},'
                                                 f'\n    "permtick": {value}\n   }}')
    kind = int(order.type)
    quantity, price = order._quantity, order._price
    # the optional times (only null ones are left out); Direction follows the quantity's sign
    times = "".join([f',\n   "{name}": "{_iso(when)}"' for name, when in (
        ("time", order._time), ("createdTime", order._created_time), ("lastFillTime", order._last_fill_time),
        ("lastUpdateTime", order._last_update_time), ("canceledTime", order._canceled_time)) if when is not None])
    fields.append(f'   "type": {kind},\n   "id": {int.__repr__(order.id)},\n   "contingentId": '
                  f'{int.__repr__(order.contingent_id)},\n   "brokerId": [\n    {_string(str(order.id))}\n   ],\n'
                  f'   "symbol": {symbol_text},\n   "price": {_number_json(price)},\n'
                  f'   "priceCurrency": "USD"{times},\n'
                  f'   "quantity": {_number_json(quantity)},\n   "status": {int(order.status)},\n'
                  f'   "tag": {_string(order.tag or "")},\n   "properties": {{\n    "timeInForce": '
                  f'{_time_in_force_text(order.properties.time_in_force.to_json())}\n   }},\n   "securityType": 1,\n'
                  f'   "direction": {"0" if quantity > 0 else "1" if quantity < 0 else "2"},\n'
                  f'   "value": {_product_json(quantity, price)},\n   "orderSubmissionData": {{\n'
                  f'    "bidPrice": {_number_json(order._submission_bid)},\n'
                  f'    "askPrice": {_number_json(order._submission_ask)},\n'
                  f'    "lastPrice": {_number_json(order._submission_last)}\n   }},\n'
                  f'   "isMarketable": {"true" if kind == 0 else "false"}')
    if order.price_adjustment_mode is not None:
        fields.append(f'   "priceAdjustmentMode": {_value_text(order.price_adjustment_mode)}')
    return "{\n" + ",\n".join(fields) + "\n  }"


def _product_json(quantity: Decimal, price: Decimal) -> str:
    """json.dumps' text of `_num(quantity * price)`, once per pair of decimal texts."""
    return _PRODUCT_TEXT[str(quantity), str(price)]  # type: ignore[no-any-return]


_PRODUCT_TEXT = BoundedMemo(lambda texts: _number_json(Decimal(texts[0]) * Decimal(texts[1])))


def _time_in_force_text(data: dict[str, Any]) -> str:
    """The time in force's JSON four levels in (`{}` for most orders)."""
    return json.dumps(data, indent=1).replace("\n", "\n    ") if data else "{}"


def _value_text(value: Any) -> str:
    """json.dumps' text of a scalar (None, bool, int, float, str)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_ORDER_SYMBOL_TEXT: dict[Any, str] = {}


def order_event_json(event: OrderEvent, algorithm_id: str) -> str:
    """One order event's compact JSON text: what `json.dumps(..., separators=(",", ":"))` writes for Lean's
    OrderEvent fields, written directly (the events file is the largest list of a run)."""
    symbol = event.symbol
    key = (symbol, symbol.value)  # an interned symbol's value can change (a later run, a rename)
    symbol_text = _EVENT_SYMBOL_TEXT.get(key)
    if symbol_text is None:
        value = _string(symbol.value)
        symbol_text = _EVENT_SYMBOL_TEXT[key] = (f',"symbol":{_string(str(symbol.id))},"symbolValue":{value},'
                                                    f'"symbolPermtick":{value}')
    head = _STRING_TEXT.get(algorithm_id) or _string_text(algorithm_id)
    fee = event.order_fee.value._amount
    fee_text = f',"orderFeeAmount":{_number_json(fee)},"orderFeeCurrency":"USD"' if fee else ""
    message = f',"message":{_string(event.message)}' if event.message else ""
    # decimals are written as Lean's serializer writes them: every digit (float() rounds correctly)
    floats = _FLOAT_TEXT
    stop, limit = event._stop_price, event._limit_price
    prices = ("" if stop is None else f',"stopPrice":{floats[str(stop)]}') + \
        ("" if limit is None else f',"limitPrice":{floats[str(limit)]}')
    return (f'{{"id":{head[:-1]}-{event.order_id}-{event.id}","algorithmId":{head},"orderId":{event.order_id},'
            f'"orderEventId":{event.id}{symbol_text},"time":{_TIMESTAMP_TEXT[event._utc_time]},'
            f'"status":"{_STATUS_NAMES[event.status]}"{fee_text},"fillPrice":{floats[str(event._fill_price)]},'
            f'"fillPriceCurrency":"USD","fillQuantity":{floats[str(event._fill_quantity)]},'
            f'"direction":{_SELL if event.direction else _BUY}{message},"isAssignment":false,'
            f'"quantity":{floats[str(event._quantity)]}{prices}}}')


_STRING_TEXT: dict[str, str] = {}


def _string_text(text: str) -> str:
    """json.dumps' text of a string a run writes again and again (the algorithm id of every event)."""
    if len(_STRING_TEXT) > 1000:
        _STRING_TEXT.clear()
    found = _STRING_TEXT[text] = _string(text)
    return found


_BUY, _SELL = '"buy"', '"sell"'
_EVENT_SYMBOL_TEXT: dict[Any, str] = {}
_NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def _float_text(x: float) -> str:
    """json.dumps' text of a float: its repr, with JavaScript's names for the non-finite ones."""
    text = float.__repr__(x)
    return _NON_FINITE.get(text, text) if text[-1] in "nf" else text


def _number_json(value: Decimal | float | int) -> str:
    """json.dumps' text of `_num(value)`, once per decimal text."""
    if type(value) is not Decimal:
        return _value_text(_num(value))
    return _NUMBER_TEXT[str(value)]  # type: ignore[no-any-return]


_NUMBER_TEXT = BoundedMemo(lambda text: _value_text(_NUMBERS[text]))
_FLOAT_TEXT = BoundedMemo(lambda text: _float_text(float(Decimal(text))))  # json.dumps' text of float(decimal)
_TIMESTAMP_TEXT = BoundedMemo(lambda utc_time: _float_text(float(utc_time.timestamp())))  # of an aware time


def jsonable(value: Any) -> Any:
    """Plain JSON types: decimals become numbers (integral ones ints), containers recursively."""
    if isinstance(value, Decimal):
        return _num(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _plain_trade(trade: dict[str, Any], done: dict[int, tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """A closed trade's JSON with its decimals made numbers (`jsonable`), once per dict (`done` keeps the dict
    alive, so that its id is not reused); marked `checked` when its floats are plain, found in the same pass."""
    found = done.get(id(trade))
    if found is None:
        numbers, leaves = _NUMBERS, _TRADE_LEAVES
        plain = {}
        floats_plain = True
        for key, value in trade.items():
            if isinstance(value, Decimal):
                value = numbers[str(value)]
            kind = type(value)
            if kind is float:
                if not (value == 0.0 or 1e-4 <= abs(value) < 1e16):  # NaN fails both tests
                    floats_plain = False
            elif kind not in leaves and not plain_floats(value):
                floats_plain = False
            plain[key] = value
        found = done[id(trade)] = (trade, CheckedDict(plain) if floats_plain else plain)
    return found[1]


_TRADE_LEAVES = frozenset([str, int, bool, type(None)])  # a trade's values besides floats, lists and dicts


def _object_text(members: list[tuple[str, str]], depth: int) -> str:
    """`json.dumps(..., indent=1)` of an object `depth` levels in, from its members' texts (written one level
    deeper: every line after the first indented by depth + 1)."""
    if not members:
        return "{}"
    pad = " " * (depth + 1)
    return "{\n" + ",\n".join([f"{pad}{_string(key)}: {text}" for key, text in members]) + "\n" + " " * depth + "}"


def _indented(text: str, depth: int) -> str:
    """A value's top-level JSON text moved `depth` levels in (strings never hold a raw newline)."""
    return text.replace("\n", "\n" + " " * depth) if depth else text


class _TradeListTexts:
    """The JSON text of each list of closed trades, made once: a short run's rolling windows and its total
    performance all list the same trades (the largest part of the result file after the orders)."""

    def __init__(self) -> None:
        self._texts: dict[tuple[int, ...], tuple[list[Any], str]] = {}
        self._plain: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}

    def text(self, trades: list[Any], depth: int) -> str:
        key = tuple(map(id, trades))  # the value keeps the list (and so its trades' ids) alive
        found = self._texts.get(key)
        if found is None:
            # closed trades as plain numbers once each (a trade is in several lists); orjson then needs no callback
            plain = [_plain_trade(t, self._plain) for t in trades]
            found = self._texts[key] = (trades, dumps_indent1(plain, _num))
        return _indented(found[1], depth)


def _performance_text(performance: dict[str, Any], depth: int, trade_lists: _TradeListTexts) -> str:
    """A performance object's text `depth` levels in; its closed trades' text is shared (`_TradeListTexts`)."""
    inner = depth + 1
    return _object_text([(key, trade_lists.text(value, inner) if key == "closedTrades"
                           else _indented(dumps_indent1(value, _num), inner)) for key, value in performance.items()],
                        depth)


def _runtime_statistics(runtime: Any, start: Decimal, summary: dict[str, str], custom: dict[str, str]) -> dict[str, str]:
    portfolio = runtime.portfolio
    return runtime_statistics(
        total_portfolio_value=portfolio.total_portfolio_value_decimal(), starting_capital=start,
        total_fees=portfolio.total_fees_decimal,
        total_net_profit=portfolio.total_profit_decimal() - portfolio.total_fees_decimal,
        total_holdings_value=portfolio.total_holdings_value_decimal(),
        unrealized_profit=portfolio.unrealized_profit_decimal(),
        total_sale_volume=portfolio.total_sale_volume_decimal, summary=summary, custom=custom)


def write_results(record: BacktestRecord, output: Path) -> dict[str, str]:
    """Write the five result files (all or none); returns the summary statistics (OrderListHash is in `record`).

    The cyclic collector is paused meanwhile: the writer makes hundreds of thousands of short-lived
    objects and no cycles, and each collection it would trigger walks every object of the run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _write_results(record, output)
    finally:
        if enabled:
            gc.enable()


def _write_results(record: BacktestRecord, output: Path) -> dict[str, str]:
    runtime, results = record.runtime, record.runtime.results
    algorithm_id = record.algorithm_id
    orders = runtime.transactions.orders
    statistics: dict[str, str] = {}
    portfolio_stats: dict[str, Any] = {}
    trade_stats: dict[str, Any] = {}
    rolling: dict[str, Any] = {}
    closed_trades: list[Any] = []
    charts: dict[str, Any] = {}
    start_equity = runtime.portfolio.total_portfolio_value_decimal()
    if results is not None:
        symbol_json = _symbol_json(runtime)
        built = results.build_statistics(runtime.portfolio.total_fees_decimal, len(orders),
                                         runtime.portfolio.transaction_records, runtime.interest_rates.rate,
                                         symbol_json)
        statistics = dict(built.summary)
        portfolio_stats, trade_stats = built.portfolio_statistics, built.trade_statistics
        rolling = built.rolling_window
        to_json = built.closed_trades_json or (lambda trades: [t.to_json(symbol_json) for t in trades])
        closed_trades = to_json(results.trades.closed_trades)
        charts = {name: chart_json(chart) for name, chart in results.charts.items()}
        start_equity = results.starting_portfolio_value
    record.statistics = statistics
    record.order_list_hash = order_list_hash(orders)
    runtime_stats = _runtime_statistics(runtime, start_equity, statistics,
                                        results.runtime_statistics if results is not None else {})
    algorithm = record.algorithm
    state = {
        "StartTime": _iso(record.started_utc), "EndTime": _iso(record.ended_utc),
        "RuntimeError": record.error.strip().splitlines()[-1] if record.error else "",
        "StackTrace": record.error, "LogCount": str(len(results.log_lines) if results else 0),
        "OrderCount": str(len(orders)), "InsightCount": "0", "Name": algorithm_id,
        "Hostname": socket.gethostname(), "Status": record.status,
    }
    configuration = {
        "name": algorithm_id, "tags": [], "accountCurrency": "USD", "brokerage": 0, "accountType": 0,
        "parameters": dict(runtime.parameters), "outOfSampleMaxEndDate": None, "outOfSampleDays": 0,
        "startDate": f"{algorithm.start_date:%Y-%m-%dT%H:%M:%SZ}" if algorithm else None,
        "endDate": f"{algorithm.end_date:%Y-%m-%dT%H:%M:%SZ}" if algorithm else None,
        "tradingDaysPerYear": 252,
    }
    performance = {"tradeStatistics": trade_stats, "portfolioStatistics": portfolio_stats, "closedTrades": closed_trades}
    trade_lists = _TradeListTexts()
    rolling_text = _object_text([(name, _performance_text(window, 2, trade_lists)) for name, window in rolling.items()], 1)
    main = {
        "rollingWindow": Written(rolling_text), "charts": charts, "orders": orders_parts(orders),
        "profitLoss": {_iso(t): _num(v) for t, v in sorted(runtime.portfolio.transaction_records.items())},
        "statistics": statistics, "runtimeStatistics": runtime_stats, "state": state,
        "serverStatistics": {}, "algorithmConfiguration": configuration,
        "totalPerformance": Written(_performance_text(performance, 1, trade_lists)),
    }
    summary = {
        "rollingWindow": {}, "totalPerformance": {"tradeStatistics": trade_stats, "portfolioStatistics": portfolio_stats},
        "charts": {"Strategy Equity": charts["Strategy Equity"]} if "Strategy Equity" in charts else {},
        "statistics": statistics, "runtimeStatistics": runtime_stats, "state": state,
        "algorithmConfiguration": configuration,
    }
    events = [order_event_json(e, algorithm_id) for e in runtime.transactions.order_events]
    log_lines = list(results.log_lines) if results is not None else []
    if record.error:
        log_lines.append(record.error.rstrip())
    closing = closing_line(record)
    console = [f"{_iso(record.started_utc)} TRACE:: Engine.Main(): Started {algorithm_id}"]
    console += _error_lines(record)
    console.append(_missing_line(record))
    # Lean's Messaging.Send logs the final statistics with OrderListHash appended (the result files lack it)
    for key, value in [*statistics.items(), ("OrderListHash", record.order_list_hash)]:
        console.append(f"{_iso(record.ended_utc)} TRACE:: STATISTICS:: {key} {value}")
    console.append(f"{_iso(record.ended_utc)} TRACE:: {closing}")
    # everything is serialized before the first file is touched: a fault leaves no half-written set
    write_all(output, secret_values(runtime.parameters), {
        f"{algorithm_id}.json": indent1_object_parts(main, _num),
        f"{algorithm_id}-summary.json": dumps_indent1(summary, _num),
        f"{algorithm_id}-order-events.json": ["[", ",".join(events), "]"],
        f"{algorithm_id}-log.txt": "\n".join(log_lines + [closing]) + "\n",
        "log.txt": "\n".join(console) + "\n",
    })
    return statistics


def closing_line(record: BacktestRecord) -> str:
    """Lean's last log line; a run that did not complete says how it ended instead of "completed"."""
    kps = record.data_points / 1000 / record.seconds if record.seconds > 0 else 0.0
    rate = f"{kps:.0f}k data points per second. Processing total of {record.data_points:,} data points."
    if record.status == "Completed":
        return f"Algorithm Id:({record.algorithm_id}) completed in {record.seconds:.2f} seconds at {rate}"
    return f"Algorithm Id:({record.algorithm_id}) ended with status {record.status} after {record.seconds:.2f} " \
           f"seconds at {rate}"


def _error_lines(record: BacktestRecord) -> list[str]:
    if not record.error:
        return []
    lines = record.error.strip().splitlines()
    return [f"{_iso(record.ended_utc)} ERROR:: Runtime Error: {lines[-1]}"] + ["    " + line for line in lines]


def _missing_line(record: BacktestRecord) -> str:
    source = record.runtime.source
    days = source.missing_days()
    on_days = f" on {len(days)} day(s): {', '.join(days)}" if days else ""
    return (f"{_iso(record.ended_utc)} TRACE:: Missing data: {len(source.missing)} file(s){on_days}"
            + "".join(f"\n    {path}" for path in source.missing))


def write_all(output: Path, secrets: list[str], files: dict[str, str | list[str]]) -> None:
    """Every file to a temp file first, then renamed into place: a full disk leaves the folder as it was.
    A file's text may come in consecutive parts (written one after the other, not joined first).
    Secret values (pylean/redaction.py) are masked in every file."""
    output.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, text in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=output)
            staged.append((tmp, output / name))
            parts = [text] if isinstance(text, str) else text
            if secrets:  # a secret may span two parts
                parts = [redact("".join(parts), secrets)]
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                for part in parts:
                    handle.write(part)
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise


def write_minimal_results(record: BacktestRecord, output: Path) -> None:
    """What is known when pylean's own result writer failed: the state (Lean's status, traceback) and the logs."""
    state = {"StartTime": _iso(record.started_utc), "EndTime": _iso(record.ended_utc),
             "RuntimeError": record.error.strip().splitlines()[-1] if record.error else "",
             "StackTrace": record.error, "Name": record.algorithm_id, "Status": record.status}
    main = {"state": state, "statistics": {}, "runtimeStatistics": {}, "orders": {}, "charts": {}}
    closing = closing_line(record)
    console = [f"{_iso(record.started_utc)} TRACE:: Engine.Main(): Started {record.algorithm_id}",
               *_error_lines(record), f"{_iso(record.ended_utc)} TRACE:: {closing}"]
    write_all(output, secret_values(getattr(record.runtime, "parameters", {})), {
        f"{record.algorithm_id}.json": json.dumps(main, indent=1),
        f"{record.algorithm_id}-summary.json": json.dumps(main, indent=1),
        f"{record.algorithm_id}-order-events.json": "[]",
        f"{record.algorithm_id}-log.txt": record.error.rstrip() + "\n" + closing + "\n",
        "log.txt": "\n".join(console) + "\n",
    })


def _symbol_json(runtime: Any) -> Any:
    """Closed trades name their symbol as Lean serializes a Symbol."""
    by_sid = {str(s.id): s for s in runtime.securities.keys()}

    def convert(sid: str) -> dict[str, str]:
        symbol = by_sid.get(sid)
        value = symbol.value if symbol is not None else sid.split(" ")[0]
        return {"value": value, "id": sid, "permtick": value}

    return convert
