"""Acceptance: ZacQC on pylean against the recorded real-Lean run of the original (2025-10-01 .. 10-02).

Runs `python -m pylean backtest ZacQC --parameter end_date 2025-10-02` twice through the CLI, then:
- matches every recorded order of those two sessions with one of ours on symbol, direction, order type,
  quantity and submission second, and (when the recorded order filled) a fill within $0.01 -> >= 90 %;
- checks ZacQC is flat at every session close;
- checks the two runs produced identical order events.
Unmatched orders are printed. Also usable as a script on existing output folders:
    python tests/zacqc/test_recorded_run.py <our-order-events.json>
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ZACPERF_SHARED_DIR", REPO.parent / "shared")).resolve()
FIXTURE = SHARED / "fixtures" / "lean-output" / "zacqc-15sym-2025-10-order-events.json"
LEAN_DATA = Path(os.environ["LEAN_DATA_FOLDER"]) if os.environ.get("LEAN_DATA_FOLDER") else SHARED / "lean-data"
NEW_YORK = ZoneInfo("America/New_York")
SESSIONS = (date(2025, 10, 1), date(2025, 10, 2))
MATCH_TARGET = 0.90
PRICE_TOLERANCE = 0.01
RUN_TIMEOUT_S = 3600


@dataclass
class OrderRecord:
    order_id: int
    symbol: str
    direction: str
    kind: str                    # market / stop / limit
    quantity: float
    submitted: int               # epoch second of the 'submitted' event
    fill_price: float | None     # None when never filled
    stop_or_limit: float | None

    @property
    def local_submitted(self) -> datetime:
        return datetime.fromtimestamp(self.submitted, timezone.utc).astimezone(NEW_YORK).replace(tzinfo=None)

    def describe(self) -> str:
        price = f" @{self.stop_or_limit}" if self.stop_or_limit is not None else ""
        fill = f" filled {self.fill_price}" if self.fill_price is not None else " not filled"
        return (f"#{self.order_id} {self.local_submitted:%m-%d %H:%M:%S} {self.symbol} {self.direction} {self.kind} "
                f"{self.quantity:g}{price}{fill}")


def load_orders(events: list[dict[str, Any]]) -> list[OrderRecord]:
    """One record per order from a Lean `-order-events.json` list."""
    by_id: dict[int, OrderRecord] = {}
    for e in events:
        oid = int(e["orderId"])
        if oid not in by_id:
            kind = "stop" if "stopPrice" in e else "limit" if "limitPrice" in e else "market"
            by_id[oid] = OrderRecord(oid, e["symbolValue"], e["direction"], kind, float(e["quantity"]),
                                     int(e["time"]), None, e.get("stopPrice", e.get("limitPrice")))
        record = by_id[oid]
        if e["status"] == "submitted":
            record.submitted = int(e["time"])
        elif e["status"] == "filled":
            record.fill_price = float(e["fillPrice"])
    return sorted(by_id.values(), key=lambda r: r.order_id)


def in_sessions(record: OrderRecord, sessions: tuple[date, ...] = SESSIONS) -> bool:
    return record.local_submitted.date() in sessions


def _same_fill(a: OrderRecord, b: OrderRecord) -> bool:
    if a.fill_price is None or b.fill_price is None:
        return a.fill_price is None and b.fill_price is None
    return abs(a.fill_price - b.fill_price) <= PRICE_TOLERANCE + 1e-9


def match_orders(recorded: list[OrderRecord], ours: list[OrderRecord]
                 ) -> tuple[list[tuple[OrderRecord, OrderRecord]], list[OrderRecord], list[OrderRecord]]:
    """Pair recorded orders with ours on (symbol, direction, type, quantity, submission second) and fill."""
    pool: dict[tuple[str, str, str, float, int], list[OrderRecord]] = defaultdict(list)
    for record in ours:
        pool[(record.symbol, record.direction, record.kind, record.quantity, record.submitted)].append(record)
    matched, missing = [], []
    for record in recorded:
        candidates = pool.get((record.symbol, record.direction, record.kind, record.quantity, record.submitted), [])
        found = next((c for c in candidates if _same_fill(record, c)), None)
        if found is None:
            missing.append(record)
        else:
            candidates.remove(found)
            matched.append((record, found))
    used = {id(o) for _, o in matched}
    extra = [o for o in ours if id(o) not in used]
    return matched, missing, extra


def closing_positions(events: list[dict[str, Any]]) -> dict[tuple[str, date], float]:
    """Net filled quantity per symbol at each session's 16:00 close (fills after the close count next day)."""
    fills = sorted((e["time"], e["symbolValue"], float(e["fillQuantity"])) for e in events if e["status"] == "filled")
    days = sorted({datetime.fromtimestamp(t, timezone.utc).astimezone(NEW_YORK).date() for t, _, _ in fills}
                  | set(SESSIONS))
    positions: dict[tuple[str, date], float] = {}
    for day in days:
        close = datetime.combine(day, time(16, 0), NEW_YORK).timestamp()
        totals: dict[str, float] = defaultdict(float)
        for t, symbol, quantity in fills:
            if t <= close:
                totals[symbol] += quantity
        for symbol, quantity in totals.items():
            positions[(symbol, day)] = quantity
    return positions


def report(matched: list[Any], missing: list[OrderRecord], extra: list[OrderRecord]) -> str:
    total = len(matched) + len(missing)
    lines = [f"matched {len(matched)}/{total} recorded orders ({len(matched) / max(total, 1):.1%})"]
    lines += ["  recorded, unmatched: " + r.describe() for r in missing]
    lines += ["  ours, unmatched:     " + r.describe() for r in extra]
    return "\n".join(lines)


def run_pylean(output: Path) -> list[dict[str, Any]]:
    command = [sys.executable, "-m", "pylean", "backtest", str(REPO / "ZacQC"), "--data-folder", str(LEAN_DATA),
               "--output", str(output), "--parameter", "end_date", "2025-10-02"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    files = list(output.glob("*-order-events.json"))
    assert done.returncode == 0 and files, f"pylean run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    events: list[dict[str, Any]] = json.loads(files[0].read_text())
    return events


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if not (LEAN_DATA / "equity" / "usa" / "second" / "mcd").is_dir():
        pytest.skip(f"recorded run's data not found under {LEAN_DATA}")
    first = run_pylean(tmp_path_factory.mktemp("zacqc-run-1"))
    second = run_pylean(tmp_path_factory.mktemp("zacqc-run-2"))
    return first, second


def test_orders_match_the_recorded_lean_run(runs: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    recorded = [r for r in load_orders(json.loads(FIXTURE.read_text())) if in_sessions(r)]
    ours = [r for r in load_orders(runs[0]) if in_sessions(r)]
    matched, missing, extra = match_orders(recorded, ours)
    text = report(matched, missing, extra)
    print(text)
    assert len(recorded) == 55
    assert len(matched) >= MATCH_TARGET * len(recorded), text


def test_flat_at_every_close(runs: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    open_positions = {k: v for k, v in closing_positions(runs[0]).items() if v != 0}
    assert open_positions == {}


def test_two_runs_give_identical_order_events(runs: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    assert runs[0] == runs[1]


if __name__ == "__main__":
    recorded_all = [r for r in load_orders(json.loads(FIXTURE.read_text())) if in_sessions(r)]
    ours_all = [r for r in load_orders(json.loads(Path(sys.argv[1]).read_text())) if in_sessions(r)]
    print(report(*match_orders(recorded_all, ours_all)))
