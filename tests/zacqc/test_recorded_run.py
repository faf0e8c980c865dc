"""Acceptance: ZacQC on pylean reproduces the recorded real-Lean run of the original, event for event.

The recorded run (../shared/specs/zacqc-recorded-run.md): Lean v2.5, ZacQC's config.json defaults,
2025-10-01 .. 10-10 (8 sessions), 157 orders, 456 order events; its files are in
../shared/fixtures/lean-output/. For each `enable_perf_opt` setting (false, true) the module runs
`python -m pylean backtest ZacQC --parameter enable_perf_opt <setting>` once, then checks:
- every one of the 456 order events equals the recorded one on every field Lean writes (order id, event id,
  symbol, status, direction, quantity, fill price and quantity, fees, time, stop/limit price, ...) and in the
  same order; only the algorithm id (and the event ids built from it) is normalized away, and numbers
  compare by value (so 1004 == 1004.0); the first differences are listed when they don't match;
- the order count (157, in the events, the statistics and the orders of `<id>.json`);
- ZacQC is flat at every session close;
- the summary statistics, except where Lean itself changed after v2.5 (VERSION_DIFFERENCES);
- Lean's OrderListHash of our orders (logged with the STATISTICS:: lines) is the recorded run's, read from
  ../shared/specs/zacqc-recorded-run.md: every order's fields, tags included, as Lean serializes them;
- the off and on runs give identical order events (the determinism check).
Also usable as a script on an existing output (exit status 0 when all events match):
    python tests/zacqc/test_recorded_run.py <our-order-events.json>
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ZACPERF_SHARED_DIR", REPO.parent / "shared")).resolve()
FIXTURES = SHARED / "fixtures" / "lean-output"
RECORDED_EVENTS_FILE = FIXTURES / "zacqc-15sym-2025-10-order-events.json"
RECORDED_SUMMARY_FILE = FIXTURES / "zacqc-15sym-2025-10-summary.json"
RECORDED_RUN_SPEC = SHARED / "specs" / "zacqc-recorded-run.md"
LEAN_DATA = Path(os.environ["LEAN_DATA_FOLDER"]) if os.environ.get("LEAN_DATA_FOLDER") else SHARED / "lean-data"
NEW_YORK = ZoneInfo("America/New_York")

# The recorded run (specs/zacqc-recorded-run.md); our run takes these from ZacQC/config.json's defaults.
SYMBOLS = ("AAPL", "NVDA", "TSLA", "V", "AMZN", "META", "ABBV", "AMD", "GS", "HAL", "JNJ", "MCD", "OXY", "SHOP", "UBER")
SESSIONS = tuple(date(2025, 10, day) for day in (1, 2, 3, 6, 7, 8, 9, 10))
RECORDED_PARAMETERS = {"start_date": "2025-10-01", "end_date": "2025-10-10", "starting_cash": "500000",
                       "symbols": ",".join(SYMBOLS)}
RECORDED_EVENT_COUNT = 456
RECORDED_ORDER_COUNT = 157
PERF_OPT_SETTINGS = ("false", "true")
RUN_TIMEOUT_S = 900
SHOWN_DIFFERENCES = 25

# Order-event keys that are not the run's behaviour: Lean's algorithm id and the `id` built from it
# ("<algorithmId>-<orderId>-<orderEventId>"); `id` is compared without its algorithm-id prefix.
VOLATILE_EVENT_KEYS = ("algorithmId",)

# Statistics Lean changed after v2.5 (the recorded run); we follow Lean HEAD (specs/lean-semantics.md).
VERSION_DIFFERENCES = {
    # Lean #9583 (2026-07): PSR on excess returns
    "statistics": {"Probabilistic Sharpe Ratio"},
    "runtimeStatistics": {"Probabilistic Sharpe Ratio"},
    "portfolioStatistics": {"probabilisticSharpeRatio"},
    # Lean #9249 (2026-01-30): a trade's EndTradeDrawdown became its largest peak-to-trough give-back
    # (v2.5: ProfitLoss - MFE) and the maximum its largest value (v2.5: the smallest); checked by
    # test_v25_end_trade_drawdown_from_our_trades instead
    "tradeStatistics": {"maximumEndTradeDrawdown"},
}


# ----------------------------------------------------------------------------- order events

def load_json(path: Path) -> Any:
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found (set ZACPERF_SHARED_DIR to the shared folder)")
    return json.loads(path.read_text())


def normalize_event(event: dict[str, Any]) -> dict[str, Any]:
    """The event without its volatile keys; `id` loses its "<algorithmId>-" prefix (kept whole otherwise)."""
    algorithm_id = str(event.get("algorithmId", ""))
    normalized = {k: v for k, v in event.items() if k not in VOLATILE_EVENT_KEYS}
    event_id = str(event.get("id", ""))
    if "id" in event and event_id.startswith(algorithm_id + "-"):
        normalized["id"] = event_id[len(algorithm_id) + 1:]
    return normalized


def same_value(a: Any, b: Any) -> bool:
    """Equal as JSON values: numbers by value (1004 == 1004.0), booleans never equal to numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return bool(a == b)


def event_key(event: dict[str, Any]) -> tuple[int, int]:
    return int(event["orderId"]), int(event["orderEventId"])


def describe_event(event: dict[str, Any]) -> str:
    when = datetime.fromtimestamp(float(event["time"]), timezone.utc).astimezone(NEW_YORK)
    return (f"order {event['orderId']} event {event['orderEventId']} ({when:%m-%d %H:%M:%S} {event.get('symbolValue')} "
            f"{event.get('direction')} {event.get('status')})")


@dataclass
class EventComparison:
    recorded_count: int
    our_count: int
    identical: int                 # recorded events equal to ours with the same order and event id
    differences: list[str]

    @property
    def all_match(self) -> bool:
        return not self.differences and self.identical == self.recorded_count == self.our_count

    def report(self, limit: int = SHOWN_DIFFERENCES) -> str:
        lines = [f"{self.identical}/{self.recorded_count} recorded order events equal on every field "
                 f"(ours: {self.our_count} events)"]
        lines += ["  " + d for d in self.differences[:limit]]
        if len(self.differences) > limit:
            lines.append(f"  ... and {len(self.differences) - limit} more differences")
        return "\n".join(lines)


def compare_events(recorded: list[dict[str, Any]], ours: list[dict[str, Any]]) -> EventComparison:
    """Every recorded event against ours with the same (orderId, orderEventId), field by field, then the order."""
    mine = {event_key(e): normalize_event(e) for e in ours}
    differences: list[str] = []
    identical = 0
    for event in recorded:
        theirs, ours_event = normalize_event(event), mine.get(event_key(event))
        if ours_event is None:
            differences.append(f"{describe_event(event)}: recorded, missing from ours")
            continue
        fields = [f"{name} recorded {theirs.get(name, '<absent>')!r} ours {ours_event.get(name, '<absent>')!r}"
                  for name in sorted(theirs.keys() | ours_event.keys())
                  if name not in theirs or name not in ours_event or not same_value(theirs[name], ours_event[name])]
        if fields:
            differences.append(f"{describe_event(event)}: " + "; ".join(fields))
        else:
            identical += 1
    recorded_keys = {event_key(e) for e in recorded}
    differences += [f"{describe_event(e)}: ours, not in the recorded run" for e in ours
                    if event_key(e) not in recorded_keys]
    # Lean writes the events in the order they happened: the shared events must come in the same order
    order_recorded = [event_key(e) for e in recorded if event_key(e) in mine]
    order_ours = [event_key(e) for e in ours if event_key(e) in recorded_keys]
    if order_recorded != order_ours:
        first = next(i for i, (a, b) in enumerate(zip(order_recorded, order_ours)) if a != b)
        differences.append(f"events in another order: shared event #{first + 1} is (order, event) "
                           f"{order_recorded[first]} recorded, {order_ours[first]} ours")
    return EventComparison(len(recorded), len(ours), identical, differences)


def order_ids(events: list[dict[str, Any]]) -> set[int]:
    return {int(e["orderId"]) for e in events}


def open_positions_at_closes(events: list[dict[str, Any]]) -> dict[tuple[str, date], float]:
    """Net filled quantity per symbol at each session's 16:00 close, where it is not zero."""
    fills = [(float(e["time"]), str(e["symbolValue"]), float(e["fillQuantity"]))
             for e in events if e["status"] in ("filled", "partiallyFilled")]
    open_positions: dict[tuple[str, date], float] = {}
    for day in SESSIONS:
        close = datetime.combine(day, time(16, 0), NEW_YORK).timestamp()
        totals: dict[str, float] = defaultdict(float)
        for at, symbol, quantity in fills:
            if at <= close:
                totals[symbol] += quantity
        open_positions.update({(s, day): q for s, q in totals.items() if round(q, 6) != 0})
    return open_positions


# ----------------------------------------------------------------------------- statistics

def summary_sections(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    performance = summary["totalPerformance"]
    return {"statistics": summary["statistics"], "runtimeStatistics": summary["runtimeStatistics"],
            "tradeStatistics": performance["tradeStatistics"],
            "portfolioStatistics": performance["portfolioStatistics"]}


def compare_statistics(recorded: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    """Exact string comparison of every statistic the two summaries share the meaning of."""
    differences = []
    theirs_all, ours_all = summary_sections(recorded), summary_sections(ours)
    for section, theirs in theirs_all.items():
        mine, skipped = ours_all[section], VERSION_DIFFERENCES.get(section, set())
        for name in sorted((theirs.keys() | mine.keys()) - skipped):
            a, b = theirs.get(name, "<absent>"), mine.get(name, "<absent>")
            if not same_value(a, b):
                differences.append(f"{section}.{name}: recorded {a!r} ours {b!r}")
    return differences


# ----------------------------------------------------------------------------- the runs

@dataclass(frozen=True)
class Run:
    perf_opt: str
    events: list[dict[str, Any]]
    summary: dict[str, Any]
    result: dict[str, Any]         # <id>.json
    order_list_hash: str | None    # from log.txt's "STATISTICS:: OrderListHash <md5>"


def missing_data() -> list[str]:
    needed = [LEAN_DATA / "market-hours" / "market-hours-database.json",
              LEAN_DATA / "symbol-properties" / "symbol-properties-database.csv"]
    for ticker in (s.lower() for s in SYMBOLS):
        needed.append(LEAN_DATA / "equity" / "usa" / "daily" / f"{ticker}.zip")
        needed += [LEAN_DATA / "equity" / "usa" / "second" / ticker / f"{d:%Y%m%d}_trade.zip" for d in SESSIONS]
    return [str(p) for p in needed if not p.is_file()]


def run_pylean(output: Path, perf_opt: str) -> Run:
    command = [sys.executable, "-m", "pylean", "backtest", str(REPO / "ZacQC"), "--data-folder", str(LEAN_DATA),
               "--output", str(output), "--parameter", "enable_perf_opt", perf_opt]
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"pylean run (enable_perf_opt {perf_opt}) took over {RUN_TIMEOUT_S} s: {' '.join(command)}")
    events_files = list(output.glob("*-order-events.json"))
    if done.returncode != 0 or len(events_files) != 1:
        pytest.fail(f"pylean run (enable_perf_opt {perf_opt}) failed with exit {done.returncode}: "
                    f"{' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    algorithm_id = events_files[0].name.removesuffix("-order-events.json")
    run = Run(perf_opt, json.loads(events_files[0].read_text()),
              json.loads((output / f"{algorithm_id}-summary.json").read_text()),
              json.loads((output / f"{algorithm_id}.json").read_text()),
              logged_order_list_hash(output / "log.txt"))
    parameters = run.summary["algorithmConfiguration"]["parameters"]
    expected = {**RECORDED_PARAMETERS, "enable_perf_opt": perf_opt}
    ran = {k: parameters.get(k) for k in expected}
    if ran != expected:
        pytest.fail(f"the run is not the recorded run's setup (ZacQC/config.json defaults changed?): "
                    f"ran {ran}, expected {expected}")
    return run


class Runs:
    """One backtest per `enable_perf_opt` setting and pytest session, made when first asked for
    (a failed run is not repeated: the tests that need it fail with its message)."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._runs: dict[str, Run] = {}
        self._failures: dict[str, str] = {}

    def __getitem__(self, perf_opt: str) -> Run:
        if perf_opt in self._failures:
            pytest.fail(self._failures[perf_opt])
        if perf_opt not in self._runs:
            try:
                self._runs[perf_opt] = run_pylean(self._factory.mktemp(f"zacqc-perf-opt-{perf_opt}"), perf_opt)
            except pytest.fail.Exception as failure:
                self._failures[perf_opt] = str(failure)
                raise
        return self._runs[perf_opt]


@pytest.fixture(scope="module")
def recorded_events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = load_json(RECORDED_EVENTS_FILE)
    assert len(events) == RECORDED_EVENT_COUNT and len(order_ids(events)) == RECORDED_ORDER_COUNT
    return events


@pytest.fixture(scope="module")
def recorded_summary() -> dict[str, Any]:
    summary: dict[str, Any] = load_json(RECORDED_SUMMARY_FILE)
    return summary


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    missing = missing_data()
    if missing:
        pytest.fail(f"the recorded run's data is missing under {LEAN_DATA} ({len(missing)} files, e.g. "
                    f"{missing[0]}); point LEAN_DATA_FOLDER (or ZACPERF_SHARED_DIR) at the shared Lean data")
    return Runs(tmp_path_factory)


each_perf_opt = pytest.mark.parametrize("perf_opt", PERF_OPT_SETTINGS,
                                        ids=[f"perf_opt_{s}" for s in PERF_OPT_SETTINGS])


@each_perf_opt
def test_every_order_event_matches_the_recorded_run(runs: Runs, recorded_events: list[dict[str, Any]],
                                                    perf_opt: str) -> None:
    comparison = compare_events(recorded_events, runs[perf_opt].events)
    print(comparison.report())
    assert comparison.all_match, comparison.report()


@each_perf_opt
def test_order_count(runs: Runs, perf_opt: str) -> None:
    run = runs[perf_opt]
    counts = {"orders in the events": len(order_ids(run.events)), "orders in <id>.json": len(run.result["orders"]),
              "Total Orders": int(run.summary["statistics"]["Total Orders"]),
              "state.OrderCount": int(run.summary["state"]["OrderCount"])}
    assert counts == dict.fromkeys(counts, RECORDED_ORDER_COUNT)


@each_perf_opt
def test_flat_at_every_session_close(runs: Runs, recorded_events: list[dict[str, Any]], perf_opt: str) -> None:
    assert open_positions_at_closes(recorded_events) == {}  # the yardstick itself
    assert open_positions_at_closes(runs[perf_opt].events) == {}


@each_perf_opt
def test_statistics_match_the_recorded_run(runs: Runs, recorded_summary: dict[str, Any], perf_opt: str) -> None:
    differences = compare_statistics(recorded_summary, runs[perf_opt].summary)
    assert differences == [], "\n".join(differences)


@each_perf_opt
def test_v25_end_trade_drawdown_from_our_trades(runs: Runs, recorded_summary: dict[str, Any], perf_opt: str) -> None:
    """Our closed trades give the recorded maximumEndTradeDrawdown under v2.5's rule: min(ProfitLoss - MFE)."""
    trades = runs[perf_opt].result["totalPerformance"]["closedTrades"]
    v25 = min((Decimal(str(t["profitLoss"])) - Decimal(str(t["mfe"])) for t in trades), default=Decimal(0))
    recorded = Decimal(recorded_summary["totalPerformance"]["tradeStatistics"]["maximumEndTradeDrawdown"])
    assert min(v25, Decimal(0)) == recorded


def logged_order_list_hash(log: Path) -> str | None:
    found = re.findall(r"STATISTICS:: OrderListHash (\S+)", log.read_text()) if log.is_file() else []
    return found[-1] if found else None


def recorded_order_list_hash() -> str:
    """The recorded run's OrderListHash, as its description states it ("OrderListHash <32 hex digits>")."""
    found = re.findall(r"OrderListHash\s+([0-9a-f]{32})\b", RECORDED_RUN_SPEC.read_text())
    assert len(found) == 1, f"expected one OrderListHash in {RECORDED_RUN_SPEC}, found {found}"
    return found[0]


@each_perf_opt
def test_order_list_hash_matches_the_recorded_run(runs: Runs, perf_opt: str) -> None:
    """Every field of every order (tags, update/cancel/fill times, smart-rounded prices) equals Lean's."""
    assert runs[perf_opt].order_list_hash == recorded_order_list_hash()
    assert "OrderListHash" not in runs[perf_opt].summary["statistics"]


def test_perf_opt_off_and_on_give_identical_order_events(runs: Runs) -> None:
    off, on = runs["false"].events, runs["true"].events
    assert json.dumps(off) == json.dumps(on), compare_events(off, on).report()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: python {sys.argv[0]} <our-order-events.json>")
    result = compare_events(load_json(RECORDED_EVENTS_FILE), json.loads(Path(sys.argv[1]).read_text()))
    print(result.report())
    sys.exit(0 if result.all_match else 1)
