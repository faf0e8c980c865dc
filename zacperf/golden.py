"""Golden baselines: store, load, normalize, diff (R-8, R-10).

`baselines/<scenario>/` holds order-events.json, orders.json, closed-trades.json, equity.json
(equity curve, daily equity and P&L), statistics.json, provenance.json (data fingerprint,
parameter hash and set, engine and version, git revision, UTC time, reason): trades only. Timing
baselines depend on the machine, so they live per machine outside the repository
(zacperf/nightly/baselines.py, `--refresh-perf-baseline`).

"Identical" means equal after normalizing only volatile fields: algorithmId and the event ids
built from it, wall-clock state fields and host names. Everything else (order ids, times,
quantities, prices, fees, statistics strings) compares exactly, because pylean is
deterministic; `tolerance` (relative) relaxes numbers for cross-engine comparisons.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from zacperf.env import REPO_ROOT
from zacperf.errors import ZacperfError
from zacperf.leanout import RunResult

BASELINE_ROOT = REPO_ROOT / "baselines"


def baseline_root() -> Path:
    """$ZACPERF_BASELINES_DIR (tests, experiments), else the repository's baselines/."""
    env = os.environ.get("ZACPERF_BASELINES_DIR")
    return Path(env).resolve() if env else BASELINE_ROOT
BASELINE_SCHEMA = 1
VOLATILE_KEYS = frozenset({"algorithmId", "StartTime", "EndTime", "Hostname", "hostname"})
SECTIONS = ("order-events", "orders", "closed-trades", "equity", "statistics")
_NUMBER = re.compile(r"^\s*(?P<pre>[$€£]?)(?P<num>-?[\d,]*\.?\d+(?:[eE][+-]?\d+)?)(?P<post>%?)\s*$")


# ----------------------------------------------------------------------------- normalization

def normalize(value: Any) -> Any:
    """Drop volatile keys everywhere; rewrite order-event ids "<algoId>-<order>-<event>" to "<order>-<event>"."""
    if isinstance(value, dict):
        out = {k: normalize(v) for k, v in value.items() if k not in VOLATILE_KEYS}
        if "orderEventId" in value and "orderId" in value and "id" in value:
            out["id"] = f"{value['orderId']}-{value['orderEventId']}"
        return out
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def daily_equity(equity: list[list[float]]) -> list[dict[str, Any]]:
    """The last equity value of each UTC day, with the P&L against the day before."""
    by_day: dict[str, float] = {}
    for point in equity:
        if len(point) < 2 or point[0] is None:
            continue
        day = datetime.fromtimestamp(float(point[0]), tz=UTC).strftime("%Y-%m-%d")
        by_day[day] = float(point[-1])
    rows, previous = [], None
    for day in sorted(by_day):
        value = by_day[day]
        rows.append({"date": day, "equity": value, "pnl": None if previous is None else round(value - previous, 6)})
        previous = value
    return rows


def sections_of(result: RunResult) -> dict[str, Any]:
    """The compared content of a run, normalized."""
    return {
        "order-events": normalize(result.order_events),
        "orders": normalize(result.orders) if result.orders is not None else None,
        "closed-trades": normalize(result.closed_trades),
        "equity": {"daily": daily_equity(result.equity), "equity": result.equity,
                   "profit_loss": result.profit_loss},
        "statistics": normalize({"statistics": result.statistics, "trade_statistics": result.trade_statistics,
                                 "portfolio_statistics": result.portfolio_statistics,
                                 "runtime_statistics": result.runtime_statistics}),
    }


# ----------------------------------------------------------------------------- diff

@dataclass
class Divergence:
    section: str
    where: str
    field: str
    baseline: Any
    run: Any


@dataclass
class DiffReport:
    divergences: list[Divergence] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    limit: int = 10                      # divergences kept per section (all are counted)

    @property
    def identical(self) -> bool:
        return not any(self.counts.values())

    def add(self, section: str, where: str, name: str, baseline: Any, run: Any) -> None:
        self.counts[section] = self.counts.get(section, 0) + 1
        if self.counts[section] <= self.limit:
            self.divergences.append(Divergence(section, where, name, baseline, run))


def equal(a: Any, b: Any, tolerance: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if a == b:
        return True
    if tolerance <= 0:
        return False
    x, y = _as_number(a), _as_number(b)
    if x is None or y is None:
        return False
    if isinstance(a, str) and isinstance(b, str) and (_unit(a) != _unit(b)):
        return False
    return abs(x - y) <= tolerance * max(1.0, abs(x), abs(y))


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        match = _NUMBER.match(value)
        if match:
            return float(match.group("num").replace(",", ""))
    return None


def _unit(text: str) -> tuple[str, str]:
    match = _NUMBER.match(text)
    return (match.group("pre"), match.group("post")) if match else ("", "")


def diff(baseline: Mapping[str, Any], run: Mapping[str, Any], tolerance: float = 0.0) -> DiffReport:
    report = DiffReport()
    for section in SECTIONS:
        left, right = baseline.get(section), run.get(section)
        if left is None or right is None:
            if (left is None) != (right is None):
                report.notes.append(f"{section}: {'baseline' if left is None else 'run'} has none; not compared")
            continue
        _walk(report, section, "", left, right, tolerance)
    return report


def _walk(report: DiffReport, section: str, path: str, left: Any, right: Any, tolerance: float) -> None:
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            report.add(section, path, "count", len(left), len(right))
        for i, (a, b) in enumerate(zip(left, right)):
            _walk(report, section, f"{path}[{i}]", a, b, tolerance)
        return
    if isinstance(left, dict) and isinstance(right, dict):
        for key in [*left, *(k for k in right if k not in left)]:
            if key not in left or key not in right:
                report.add(section, path, str(key), left.get(key, "<absent>"), right.get(key, "<absent>"))
            else:
                _walk(report, section, f"{path}.{key}" if path else str(key), left[key], right[key], tolerance)
        return
    if not equal(left, right, tolerance):
        where, _, name = path.rpartition(".")
        if not where and name.endswith("]"):
            where, name = name, "value"
        report.add(section, where, name or path, left, right)


# ----------------------------------------------------------------------------- readable output

def describe_event(events: list[dict[str, Any]], index: int) -> str:
    if not 0 <= index < len(events) or not isinstance(events[index], dict):
        return f"event #{index + 1}"
    e = events[index]
    when = ""
    if isinstance(e.get("time"), (int, float)):
        when = datetime.fromtimestamp(float(e["time"]), tz=UTC).strftime(" at %Y-%m-%d %H:%M:%SZ")
    return (f"event #{index + 1} (order {e.get('orderId')}, event {e.get('orderEventId')}, "
            f"{e.get('symbolValue', '?')} {e.get('status', '?')}{when})")


def describe_where(section: str, where: str, events: list[dict[str, Any]], baseline: Mapping[str, Any]) -> str:
    if not where:
        return "whole section"
    match = re.match(r"^\[(\d+)\](.*)$", where)
    if match:
        index, rest = int(match.group(1)), match.group(2)
        if section == "order-events":
            return describe_event(events, index) + rest
        if section == "orders":
            orders = baseline.get("orders") if isinstance(baseline.get("orders"), list) else []
            ident = orders[index].get("id") if index < len(orders) and isinstance(orders[index], dict) else index + 1
            return f"order {ident}{rest}"
        if section == "closed-trades":
            return f"trade #{index + 1}{rest}"
    equity = baseline.get("equity") if isinstance(baseline.get("equity"), dict) else {}
    point = re.match(r"^equity\[(\d+)\]\[(\d+)\]$", where)
    if section == "equity" and point:
        curve = equity.get("equity") or []
        i, j = int(point.group(1)), int(point.group(2))
        if i < len(curve) and isinstance(curve[i], list) and curve[i] and isinstance(curve[i][0], (int, float)):
            column = ("time", "open", "high", "low", "close")[j] if j < 5 else str(j)
            return f"equity at {format_value('time', curve[i][0])} ({column})"
    daily = re.match(r"^daily\[(\d+)\]$", where)
    if section == "equity" and daily:
        rows = equity.get("daily") or []
        index = int(daily.group(1))
        return f"day {rows[index]['date']}" if index < len(rows) and isinstance(rows[index], dict) \
            and "date" in rows[index] else where
    return where


def format_value(name: str, value: Any) -> str:
    if name == "time" and isinstance(value, (int, float)) and value > 1e8:
        return datetime.fromtimestamp(float(value), tz=UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def format_report(report: DiffReport, baseline: Mapping[str, Any]) -> list[str]:
    """The first divergences of each section, readably: order events by order/event/symbol/time."""
    lines = []
    events = baseline.get("order-events") if isinstance(baseline.get("order-events"), list) else []
    for section in SECTIONS:
        count = report.counts.get(section, 0)
        if not count:
            continue
        lines.append(f"  {section}: {count} difference(s); first:")
        shown = [d for d in report.divergences if d.section == section][: 5 if section == "order-events" else 3]
        for d in shown:
            where = describe_where(section, d.where, events, baseline)
            lines.append(f"    - {where}: {d.field}: baseline {format_value(d.field, d.baseline)} | "
                         f"run {format_value(d.field, d.run)}")
    lines.extend(f"  note: {n}" for n in report.notes)
    return lines


def parameter_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    out = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            out.append(f"{key}: {old.get(key, '<unset>')} -> {new.get(key, '<unset>')}")
    return out


# ----------------------------------------------------------------------------- storage

def baseline_dir(scenario_name: str, root: Path | None = None) -> Path:
    return (root or baseline_root()) / scenario_name


def load_baseline(scenario_name: str, root: Path | None = None) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(sections, provenance) or None when there is no baseline."""
    folder = baseline_dir(scenario_name, root)
    if not (folder / "provenance.json").is_file():
        return None
    sections: dict[str, Any] = {}
    for section in SECTIONS:
        path = folder / f"{section}.json"
        sections[section] = _read(path) if path.is_file() else None
    return sections, _read(folder / "provenance.json")


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ZacperfError(f"cannot read baseline file {path}: {exc}") from exc


def check_fingerprint(provenance: Mapping[str, Any], fingerprint: str, scenario_name: str) -> None:
    stored = provenance.get("data_fingerprint")
    if stored and stored != fingerprint:
        raise ZacperfError(f"the {scenario_name} baseline was recorded on other data (fingerprint {stored[:19]}…), "
                           f"this run used {fingerprint[:19]}…; refusing to compare. Re-record it with "
                           "--update-baseline --reason \"...\" --allow-data-change")


def write_baseline(scenario_name: str, sections: Mapping[str, Any], provenance: Mapping[str, Any],
                   root: Path | None = None, allow_data_change: bool = False) -> Path:
    """Write atomically: build a sibling temp folder, then swap it in. Refuses another data fingerprint."""
    folder = baseline_dir(scenario_name, root)
    if not allow_data_change and (folder / "provenance.json").is_file():
        try:
            check_fingerprint(_read(folder / "provenance.json"), str(provenance.get("data_fingerprint")), scenario_name)
        except ZacperfError as exc:
            raise ZacperfError(f"refusing to overwrite the baseline: {exc}") from exc
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}"
    old = folder.parent / f".{folder.name}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        for section in SECTIONS:
            if sections.get(section) is not None:
                _write_json(tmp / f"{section}.json", sections[section])
        _write_json(tmp / "provenance.json", {"schema_version": BASELINE_SCHEMA, **provenance})
    except OSError as exc:  # a full disk or read-only folder: the stored baseline stays as it was
        shutil.rmtree(tmp, ignore_errors=True)
        raise ZacperfError(f"cannot write the baseline {folder}: {exc.strerror or exc}; it was left unchanged") from exc
    if folder.exists():
        os.rename(folder, old)
    try:
        os.rename(tmp, folder)
    except OSError:
        if old.exists():
            os.rename(old, folder)  # put the stored baseline back
        raise
    shutil.rmtree(old, ignore_errors=True)
    return folder


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=1, sort_keys=False) + "\n", encoding="utf-8")
