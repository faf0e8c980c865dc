"""TradingParameters: every parameter of ZacQC with its default, type and meaning.

The names are the original ZacQC names its users know (`Parameter_1`, `C1`, `ProfitTakeC1`, `StopLoss`,
`Max_Daily_PNL`, `cash_pct`, ...). Every value can be overridden by a Lean parameter string
(`config.json` "parameters", `lean backtest --parameter name value`); a value that does not parse is a
`ParameterError` naming the parameter. Percent parameters are percentages; several are percentages of the
30-day mean daily range % ("range30").
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, TypeVar

CONDITIONS = ("cond1", "cond2", "cond3", "cond4", "cond5")
LONG_CONDITIONS = ("cond1", "cond2", "cond3")
SHORT_CONDITIONS = ("cond4", "cond5")

RECORDED_SYMBOLS = ("AAPL", "NVDA", "TSLA", "V", "AMZN", "META", "ABBV", "AMD", "GS", "HAL", "JNJ", "MCD",
                    "OXY", "SHOP", "UBER")

_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


class ParameterError(ValueError):
    """A parameter value that cannot be used; the message names the parameter."""


T = TypeVar("T")


def _p(default: T, meaning: str) -> T:
    """A dataclass field with its default and its meaning (shown by `describe`)."""
    return field(default=default, metadata={"meaning": meaning})


@dataclass(frozen=True)
class TradingParameters:
    # --- condition triggers ---
    Parameter_1: float = _p(120.0, "c1/c4 trigger: |% from open| must reach P1/100 x range30")
    Parameter_2: float = _p(130.0, "c2/c5 trigger: today's range % >= P2/100 x range30")
    Parameter_3: float = _p(300.0, "c3 trigger: maxdown / range30 <= -P3/100")
    Parameter_4: float = _p(8.0, "entry stop distance, % of the day's high-low range (c1, c2, c4, c5)")
    Parameter_5: float = _p(0.85, "c3 entry stop distance, % of price")
    C1: bool = _p(True, "enable condition 1 (long, dropped far from open)")
    C2: bool = _p(True, "enable condition 2 (long, new low in a wide day)")
    C3: bool = _p(False, "enable condition 3 (long, max-down)")
    C4: bool = _p(True, "enable condition 4 (short, rose far from open)")
    C5: bool = _p(True, "enable condition 5 (short, new high in a wide day)")
    # --- exits ---
    ProfitTakeC1: float = _p(20.0, "c1 take-profit distance: PT % x range30 % of the fill price")
    ProfitTakeC2: float = _p(20.0, "c2 take-profit distance (see ProfitTakeC1)")
    ProfitTakeC3: float = _p(20.0, "c3 take-profit distance (see ProfitTakeC1)")
    ProfitTakeC4: float = _p(20.0, "c4 take-profit distance (see ProfitTakeC1)")
    ProfitTakeC5: float = _p(20.0, "c5 take-profit distance (see ProfitTakeC1)")
    StopLoss: float = _p(125.0, "stop-loss distance: StopLoss % x range30 % of the fill price")
    SharesToSell: float = _p(100.0, "stop-loss/take-profit size, % of the filled quantity (truncated)")
    StopLossUpdate: bool = _p(True, "create stop-losses and run the break-even ratchet (off: no stop-loss)")
    StopLossXC1: float = _p(10.0, "c1 ratchet: new stop at avg x (1 +- X x PT/100 x range30/100 %)")
    StopLossXC2: float = _p(10.0, "c2 ratchet offset (see StopLossXC1)")
    StopLossXC3: float = _p(10.0, "c3 ratchet offset (see StopLossXC1)")
    StopLossXC4: float = _p(10.0, "c4 ratchet offset (see StopLossXC1)")
    StopLossXC5: float = _p(10.0, "c5 ratchet offset (see StopLossXC1)")
    StopLossYC1: float = _p(50.0, "c1 ratchet trigger: profit % >= Y x PT/100 x range30/100")
    StopLossYC2: float = _p(50.0, "c2 ratchet trigger (see StopLossYC1)")
    StopLossYC3: float = _p(50.0, "c3 ratchet trigger (see StopLossYC1)")
    StopLossYC4: float = _p(50.0, "c4 ratchet trigger (see StopLossYC1)")
    StopLossYC5: float = _p(50.0, "c5 ratchet trigger (see StopLossYC1)")
    Allow_Actions: bool = _p(True, "enable the time actions (Action1 break-even, Action2 flatten)")
    Action1_Time: float = _p(30.0, "minutes after the entry fill: move TP (losing) or SL (otherwise) to break-even")
    Action2_Time: float = _p(150.0, "minutes after the entry fill: cancel exits and flatten at market")
    # --- timing / cooldowns ---
    SameSymbolTime: float = _p(240.0, "minutes after a detected SL/TP exit with no new entry on the symbol")
    SameConditionTimeC1: float = _p(10.0, "c1 cooldown minutes after a detected exit")
    SameConditionTimeC2: float = _p(10.0, "c2 cooldown minutes after a detected exit")
    SameConditionTimeC3: float = _p(30.0, "c3 cooldown minutes after a detected exit")
    SameConditionTimeC4: float = _p(10.0, "c4 cooldown minutes after a detected exit")
    SameConditionTimeC5: float = _p(10.0, "c5 cooldown minutes after a detected exit")
    Algo_Off_Before: str = _p("10:57", "entry window start HH:MM (inclusive)")
    Algo_Off_After: str = _p("14:00", "entry window end HH:MM (exclusive); entry orders are cancelled then")
    # --- filters ---
    VWAP_PCT: float = _p(55.0, "'VWAP' (% from open) hard threshold, % of range30; sign must match the side")
    Vwap_Margin: float = _p(7.0, "soft threshold for keeping entries: (VWAP_PCT - Vwap_Margin) % of range30")
    Rally_X_Min_PCT: float = _p(4.0, "rally X (move % / today's range %) lower bound, %")
    Rally_X_Max_PCT: float = _p(20.0, "rally X upper bound, %; above it the condition resets")
    Rally_Y_PCT: float = _p(2.0, "rally Y (pull-back % / today's range %) lower bound, %")
    Rally_Time_Constraint: float = _p(7.0, "minutes the rally must last when the range multiple is high")
    Rally_Time_Constraint_Threshold: float = _p(1.3, "range multiple above which the rally duration applies")
    Gap_Threshold: float = _p(90.0, "trading disabled on a cycle if |gap| > range30 x Gap_Threshold/100")
    RangeMultipleThreshold: float = _p(2.2, "09:30-09:31: disable if today's range / range30 exceeds this")
    Liquidity_Threshold: float = _p(0.011, "USD millions per second (Vol7 / 23400 x price / 1e6) to trade")
    SharpMovement_Threshold: float = _p(75.0, "disable if the last-minutes high-low % / range30 > this/100")
    SharpMovement_Minutes: int = _p(4, "minutes of 15-s bars (4 per minute) the sharp-move check looks at")
    New_Range_Order_Cancellation_Margin: float = _p(0.5, "USD: range-based entry cancellation distance")
    # --- capital / risk ---
    cash_pct: float = _p(60.0, "% of total portfolio value used by each entry")
    MaxCapitalPCT: float = _p(225.0, "entry refused if its cash plus open exposure exceeds this % of TPV")
    Max_Daily_PNL: float = _p(0.27, "daily profit target, % of the day's starting value (0: off)")
    # --- run ---
    symbols: tuple[str, ...] = _p(RECORDED_SYMBOLS, "comma-separated tickers; the order decides processing order")
    start_date: date = _p(date(2025, 10, 1), "backtest start, YYYY-MM-DD")
    end_date: date = _p(date(2025, 10, 10), "backtest end, YYYY-MM-DD")
    starting_cash: float = _p(500_000.0, "starting cash, USD")
    Enable_Debug_Logging: bool = _p(False, "verbose algorithm log lines")
    enable_perf_opt: bool = _p(False, "use the optimized hot-path implementations (off: legacy cost profile)")
    max_history_batch_size: int = _p(100, "optimized path: symbols per daily-history request at initialize")
    numba_kernels: bool = _p(False, "optimized path: numba-compiled rally kernels (~0.7 s to load; numpy if off)")
    perf_instrumentation: bool = _p(False, "time the pipeline stages and log PERF_JSON at the end")

    def __post_init__(self) -> None:
        _validate(self)

    # ------------------------------------------------------------ per-condition getters
    def condition_enabled(self, condition: str) -> bool:
        return bool(getattr(self, "C" + condition[-1]))

    def profit_take(self, condition: str) -> float:
        return float(getattr(self, "ProfitTakeC" + condition[-1]))

    def same_condition_minutes(self, condition: str) -> float:
        return float(getattr(self, "SameConditionTimeC" + condition[-1]))

    def stop_loss_x(self, condition: str) -> float:
        return float(getattr(self, "StopLossXC" + condition[-1]))

    def stop_loss_y(self, condition: str) -> float:
        return float(getattr(self, "StopLossYC" + condition[-1]))

    @property
    def entry_window(self) -> tuple[int, int]:
        """(start, end) as HHMM integers: start inclusive, end exclusive."""
        return hhmm(self.Algo_Off_Before), hhmm(self.Algo_Off_After)

    # ------------------------------------------------------------ construction from Lean parameters
    @classmethod
    def from_lookup(cls, lookup: Callable[[str], str | None]) -> "TradingParameters":
        """Defaults overridden by every parameter `lookup(name)` returns a string for."""
        values: dict[str, Any] = {}
        for item in dataclasses.fields(cls):
            raw = lookup(item.name)
            if raw is not None and str(raw).strip() != "":
                values[item.name] = parse_value(item.name, item.default, str(raw))
        return cls(**values)

    @classmethod
    def describe(cls) -> list[tuple[str, object, str, str]]:
        """(name, default, type name, meaning) of every parameter, in declaration order."""
        return [(f.name, f.default, type(f.default).__name__, str(f.metadata.get("meaning", "")))
                for f in dataclasses.fields(cls)]


def parse_value(name: str, default: object, raw: str) -> object:
    """Parse a Lean parameter string to the type of `default`; errors name the parameter."""
    text = raw.strip()
    if isinstance(default, bool):
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ParameterError(f"parameter {name!r}: expected a boolean (true/false, 1/0, yes/no, on/off), got {raw!r}")
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            raise ParameterError(f"parameter {name!r}: expected an integer, got {raw!r}") from None
    if isinstance(default, float):
        try:
            return float(text)
        except ValueError:
            raise ParameterError(f"parameter {name!r}: expected a number, got {raw!r}") from None
    if isinstance(default, date):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ParameterError(f"parameter {name!r}: expected a date YYYY-MM-DD, got {raw!r}") from None
    if isinstance(default, tuple):
        tickers = tuple(t.strip().upper() for t in text.split(",") if t.strip())
        if not tickers:
            raise ParameterError(f"parameter {name!r}: expected comma-separated tickers, got {raw!r}")
        return tickers
    if name.startswith("Algo_Off"):
        hhmm(text, name)
    return text


def hhmm(text: str, name: str = "time") -> int:
    """'10:57' -> 1057; errors name the parameter."""
    parts = text.strip().split(":")
    try:
        hour, minute = int(parts[0]), int(parts[1])
    except (ValueError, IndexError):
        raise ParameterError(f"parameter {name!r}: expected a time HH:MM, got {text!r}") from None
    if len(parts) != 2 or not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ParameterError(f"parameter {name!r}: expected a time HH:MM, got {text!r}")
    return hour * 100 + minute


def _validate(p: TradingParameters) -> None:
    hhmm(p.Algo_Off_Before, "Algo_Off_Before")
    hhmm(p.Algo_Off_After, "Algo_Off_After")
    if p.end_date < p.start_date:
        raise ParameterError(f"parameter 'end_date': {p.end_date} is before start_date {p.start_date}")
    if p.starting_cash <= 0:
        raise ParameterError(f"parameter 'starting_cash': must be positive, got {p.starting_cash}")
    if p.cash_pct <= 0:
        raise ParameterError(f"parameter 'cash_pct': must be positive, got {p.cash_pct}")
    if p.SharpMovement_Minutes < 0:
        raise ParameterError(f"parameter 'SharpMovement_Minutes': must not be negative, got {p.SharpMovement_Minutes}")
    if p.max_history_batch_size < 1:
        raise ParameterError(f"parameter 'max_history_batch_size': must be at least 1, got {p.max_history_batch_size}")
    if len(set(p.symbols)) != len(p.symbols):
        raise ParameterError(f"parameter 'symbols': duplicate tickers in {','.join(p.symbols)}")
