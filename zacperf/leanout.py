"""Parse a Lean-layout result folder into a RunResult (both backends write this layout).

Files (Lean's BacktestingResultHandler): `<id>.json` (main result: orders, profitLoss, charts,
statistics, totalPerformance), `<id>-summary.json`, `<id>-order-events.json`, `<id>-log.txt`
(the algorithm's own log) and `log.txt` (engine trace). The original team's hand copies used
`<id>-algorithm-log.txt` / `engine-log.txt`; those names are accepted too. A missing main file
(the shared fixtures have none) leaves `orders` as None.

Log lines read (R-4, no hand transcription): Lean's closing "completed in … data points per
second" line, STATISTICS:: lines (incl. OrderListHash), Isolator memory/CPU samples,
DATA USAGE:: counters, pylean's "Missing data" list, warm-up markers, and the algorithm's
PERF_JSON (or legacy PERF_FINAL / PERF_FINAL_AGG) stage tables.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zacperf.errors import ZacperfError

COMPLETED_RE = re.compile(r"Algorithm Id:\((?P<id>[^)]*)\) completed in (?P<seconds>[\d.]+) seconds at "
                          r"(?P<kdps>[\d.]+)k data points per second\. Processing total of (?P<points>[\d,]+) data points")
STAMP_RE = re.compile(r"^(?P<stamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z\s+(?P<level>[A-Z]+)::\s?(?P<text>.*)$")
ISOLATOR_RE = re.compile(r"Isolator\.ExecuteWithTimeLimit\(\): Used: (?P<used>\d+)(?:, Sample: (?P<sample>\d+))?"
                         r"(?:, App: (?P<app>\d+))?")
CPU_RE = re.compile(r"CPU: (?P<cpu>\d+)%")
DATA_USAGE_RE = re.compile(r"DATA USAGE:: (?P<name>.+?)\s+(?P<value>[\d.,]+%?)\s*$")
MISSING_RE = re.compile(r"Missing data: (?P<count>\d+) file")
PERF_FINAL_RE = re.compile(r"PERF_FINAL(?P<agg>_AGG)?\s+(?P<rest>.*)$")
STAGE_RE = re.compile(r"(?P<stage>\w+)=avg:(?P<avg>[\d.]+)ms max:(?P<max>[\d.]+)ms n=(?P<n>\d+)")


@dataclass
class LogFacts:
    completed_in_s: float | None = None
    data_points: int | None = None
    data_points_per_s: float | None = None
    statistics: dict[str, str] = field(default_factory=dict)
    order_list_hash: str | None = None
    isolator: list[dict[str, float]] = field(default_factory=list)
    data_usage: dict[str, str] = field(default_factory=dict)
    missing_data: list[str] = field(default_factory=list)
    first_stamp: str | None = None
    last_stamp: str | None = None
    warmup_start: str | None = None
    warmup_end: str | None = None


@dataclass
class RunResult:
    folder: Path
    algorithm_id: str
    status: str | None
    statistics: dict[str, str]
    runtime_statistics: dict[str, str]
    portfolio_statistics: dict[str, Any]
    trade_statistics: dict[str, Any]
    order_events: list[dict[str, Any]]
    orders: list[dict[str, Any]] | None
    closed_trades: list[dict[str, Any]]
    equity: list[list[Any]]
    profit_loss: dict[str, float]
    state: dict[str, Any]
    configuration: dict[str, Any]
    engine_log: LogFacts
    algorithm_log: LogFacts
    perf_stages: dict[str, Any] | None
    files: dict[str, Path]

    @property
    def fills(self) -> int:
        return sum(1 for e in self.order_events if e.get("status") in ("filled", "partiallyFilled"))

    @property
    def order_count(self) -> int:
        if self.orders is not None:
            return len(self.orders)
        ids = {e.get("orderId") for e in self.order_events}
        return len(ids) if ids else int(self.statistics.get("Total Orders", "0") or 0)

    @property
    def completed(self) -> LogFacts:
        """Whichever log carries Lean's closing line (the engine log, else the algorithm log)."""
        return self.engine_log if self.engine_log.completed_in_s is not None else self.algorithm_log


# ----------------------------------------------------------------------------- folder

def find_algorithm_id(folder: Path) -> str:
    summaries = sorted(folder.glob("*-summary.json"))
    if not summaries:
        raise ZacperfError(f"{folder}: no <id>-summary.json (not a Lean result folder, or the run failed early)")
    if len(summaries) > 1:
        raise ZacperfError(f"{folder}: several result sets ({', '.join(p.name for p in summaries)})")
    return summaries[0].name[: -len("-summary.json")]


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise ZacperfError(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno})") from exc


def parse_folder(folder: Path) -> RunResult:
    folder = Path(folder)
    algorithm_id = find_algorithm_id(folder)
    summary_path, main_path = folder / f"{algorithm_id}-summary.json", folder / f"{algorithm_id}.json"
    events_path = folder / f"{algorithm_id}-order-events.json"
    algo_log = _first(folder / f"{algorithm_id}-log.txt", folder / f"{algorithm_id}-algorithm-log.txt")
    engine_log = _first(folder / "log.txt", folder / "engine-log.txt")
    files = {"summary": summary_path, "main": main_path, "order_events": events_path, "algorithm_log": algo_log,
             "engine_log": engine_log}
    if not summary_path.is_file():
        raise ZacperfError(f"{folder}: missing {summary_path.name}")
    summary = _load_json(summary_path)
    main = _load_json(main_path) if main_path.is_file() else None
    source = main if isinstance(main, dict) else summary
    events = _load_json(events_path) if events_path.is_file() else []
    performance = source.get("totalPerformance") or summary.get("totalPerformance") or {}
    algo_lines = _read_lines(algo_log)
    engine_lines = _read_lines(engine_log)
    statistics = dict(summary.get("statistics") or source.get("statistics") or {})
    orders = None
    if isinstance(main, dict) and isinstance(main.get("orders"), dict):
        orders = [main["orders"][key] for key in sorted(main["orders"], key=_int_key)]
    state = dict(summary.get("state") or source.get("state") or {})
    return RunResult(
        folder=folder, algorithm_id=algorithm_id, status=state.get("Status"), statistics=statistics,
        runtime_statistics=dict(summary.get("runtimeStatistics") or source.get("runtimeStatistics") or {}),
        portfolio_statistics=dict(performance.get("portfolioStatistics") or {}),
        trade_statistics=dict(performance.get("tradeStatistics") or {}),
        order_events=list(events or []), orders=orders,
        closed_trades=list(performance.get("closedTrades") or []),
        equity=equity_values(source) or equity_values(summary), profit_loss=dict(source.get("profitLoss") or {}),
        state=state, configuration=dict(summary.get("algorithmConfiguration") or source.get("algorithmConfiguration") or {}),
        engine_log=parse_log(engine_lines, statistics), algorithm_log=parse_log(algo_lines, statistics),
        perf_stages=parse_perf(algo_lines), files={k: v for k, v in files.items() if v is not None and v.is_file()})


def _first(*paths: Path) -> Path | None:
    return next((p for p in paths if p.is_file()), None)


def _read_lines(path: Path | None) -> list[str]:
    if path is None:
        return []
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def _int_key(text: str) -> tuple[int, str]:
    return (int(text), "") if str(text).isdigit() else (1 << 62, str(text))


def equity_values(result: dict[str, Any]) -> list[list[Any]]:
    """charts["Strategy Equity"].series.Equity.values: [epoch, open, high, low, close] (or [epoch, value])."""
    try:
        values = result["charts"]["Strategy Equity"]["series"]["Equity"]["values"]
    except (KeyError, TypeError):
        return []
    out = []
    for point in values or []:
        if isinstance(point, dict):        # older Lean: {"x": epoch, "y": value}
            out.append([point.get("x"), point.get("y")])
        elif isinstance(point, list):
            out.append(point)
    return out


# ----------------------------------------------------------------------------- log lines

def parse_log(lines: list[str], known_statistics: dict[str, str] | None = None) -> LogFacts:
    facts = LogFacts()
    names = sorted({*(known_statistics or {}), "OrderListHash"}, key=len, reverse=True)
    in_missing = False
    for line in lines:
        if in_missing and line.startswith("    ") and line.strip():
            facts.missing_data.append(line.strip())
            continue
        in_missing = False
        stamped = STAMP_RE.match(line)
        text = stamped.group("text") if stamped else line
        if stamped:
            facts.first_stamp = facts.first_stamp or stamped.group("stamp") + "Z"
            facts.last_stamp = stamped.group("stamp") + "Z"
        if "completed in" in text:
            match = COMPLETED_RE.search(text)
            if match:
                facts.completed_in_s = float(match.group("seconds"))
                facts.data_points = int(match.group("points").replace(",", ""))
                facts.data_points_per_s = float(match.group("kdps")) * 1000.0
        elif "STATISTICS:: " in text:
            _statistic(text.split("STATISTICS:: ", 1)[1].strip(), names, facts)
        elif "Isolator.ExecuteWithTimeLimit()" in text:
            match = ISOLATOR_RE.search(text)
            if match:
                sample = {k: float(v) for k, v in match.groupdict().items() if v is not None}
                cpu = CPU_RE.search(text)
                if cpu:
                    sample["cpu"] = float(cpu.group("cpu"))
                facts.isolator.append(sample)
        elif "DATA USAGE::" in text:
            match = DATA_USAGE_RE.search(text)
            if match:
                facts.data_usage[match.group("name")] = match.group("value")
        elif "Missing data:" in text and MISSING_RE.search(text):
            facts.missing_data, in_missing = [], True
        if "Algorithm starting warm up" in text and stamped:
            facts.warmup_start = stamped.group("stamp") + "Z"
        elif "Algorithm finished warming up" in text and stamped:
            facts.warmup_end = stamped.group("stamp") + "Z"
    return facts


def _statistic(body: str, names: list[str], facts: LogFacts) -> None:
    for name in names:
        if body.startswith(name + " "):
            value = body[len(name) + 1:].strip()
            break
    else:
        name, _, value = body.rpartition(" ")
    if name == "OrderListHash":
        facts.order_list_hash = value
    facts.statistics[name] = value


# ----------------------------------------------------------------------------- stage tables

def parse_perf(lines: list[str]) -> dict[str, Any] | None:
    """The algorithm's stage table: the last PERF_JSON line, else the PERF_FINAL/PERF_FINAL_AGG lines."""
    for line in reversed(lines):
        if "PERF_JSON " in line:
            payload = line.split("PERF_JSON ", 1)[1].strip()
            try:
                return normalize_perf_json(json.loads(payload))
            except (json.JSONDecodeError, TypeError, ValueError) as exc:
                return {"source": "PERF_JSON", "error": f"unreadable PERF_JSON line: {exc}"}
    per_symbol: dict[str, dict[str, dict[str, float]]] = {}
    aggregate: dict[str, dict[str, float]] = {}
    for line in lines:
        match = PERF_FINAL_RE.search(line)
        if not match:
            continue
        rest = match.group("rest")
        table = {s.group("stage"): _legacy_stage(s) for s in STAGE_RE.finditer(rest)}
        if match.group("agg"):
            aggregate = table
        else:
            per_symbol[rest.split("|", 1)[0].strip()] = table
    if not aggregate and not per_symbol:
        return None
    return {"source": "PERF_FINAL", "unit": "us", "aggregate": aggregate, "per_symbol": per_symbol}


def _legacy_stage(match: re.Match[str]) -> dict[str, float]:
    count = int(match.group("n"))
    mean = float(match.group("avg")) * 1000.0
    return {"count": count, "mean_us": mean, "total_us": mean * count, "max_us": float(match.group("max")) * 1000.0}


_STAT_KEYS = ("count", "total", "mean", "p50", "p95", "p99", "max")


def normalize_perf_json(raw: dict[str, Any]) -> dict[str, Any]:
    """PERF_JSON (per symbol and aggregate; count/total/p50/p95/p99/max in µs) -> the normalized table."""
    if not isinstance(raw, dict):
        raise TypeError("PERF_JSON is not an object")
    aggregate: dict[str, Any] = next((raw[k] for k in ("aggregate", "AGG", "agg", "total") if isinstance(raw.get(k), dict)), {})
    symbols: dict[str, Any] = next((raw[k] for k in ("per_symbol", "symbols", "by_symbol") if isinstance(raw.get(k), dict)), {})
    scale = 1000.0 if str(raw.get("unit", "us")).lower() == "ms" else 1.0
    return {"source": "PERF_JSON", "unit": "us", "aggregate": _stages(aggregate, scale),
            "per_symbol": {sym: _stages(table, scale) for sym, table in symbols.items() if isinstance(table, dict)},
            "extra": {k: v for k, v in raw.items() if k not in ("aggregate", "AGG", "agg", "total", "per_symbol",
                                                                "symbols", "by_symbol")}}


def _stages(table: dict[str, Any], unit_scale: float = 1.0) -> dict[str, dict[str, float]]:
    out = {}
    for stage, stats in table.items():
        if not isinstance(stats, dict):
            continue
        clean: dict[str, float] = {}
        for key, value in stats.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            base, scale = key, unit_scale
            if key.endswith("_us"):
                base = key[:-3]
            elif key.endswith("_ms"):
                base, scale = key[:-3], 1000.0
            elif key == "n":
                base = "count"
            if base in _STAT_KEYS:
                clean["count" if base == "count" else f"{base}_us"] = value if base == "count" else value * scale
        if "mean_us" not in clean and clean.get("count") and "total_us" in clean:
            clean["mean_us"] = clean["total_us"] / clean["count"]
        out[stage] = clean
    return out
