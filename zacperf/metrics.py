"""Pure metric arithmetic: engine records + parsed results -> metrics.json (versioned schema).

No file or process access here. Definitions (fixed; a change bumps SCHEMA_VERSION, R-4):
* cpu_s = user + system CPU seconds of the engine process, start to exit (launch shim's rusage).
* engine_s = initialize + warm-up + data load + stream (the time the engine spends on the
  algorithm, like Lean's "completed in"); data_points_per_s = data_points / engine_s.
* warm-up time = process start -> first on_data, reported with its parts: start-up (interpreter
  and imports), initialize, warm-up (SetWarmUp period), first slice (the rest: data load and
  engine work before the first on_data).
* step time = the wall time of one iteration of the engine's time loop, engine and algorithm together;
  algorithm time = the part of a step spent inside the project's own code (its event handlers,
  consolidator and scheduled callbacks, model overrides; nested entries once); both per step, with
  their run totals (pylean/algorithm_clock.py has the full definitions).
* percentiles are nearest-rank over every sample (p95 = the smallest sample >= 95 % of samples);
  merged across repeats they come from the summed histograms (linear inside a bucket).
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

SCHEMA_VERSION = 1
PHASES = ("startup", "initialize", "warmup", "data_load", "stream", "teardown")
LATENCY_KEYS = ("count", "mean_us", "p50_us", "p95_us", "p99_us", "max_us")


# ----------------------------------------------------------------------------- latency

def histogram_percentile(edges: Sequence[float], counts: Sequence[int], q: float) -> float | None:
    """Percentile from a histogram: bucket i holds edges[i] <= x < edges[i+1]; linear inside the bucket."""
    total = sum(counts)
    if total == 0:
        return None
    if len(edges) != len(counts) + 1:
        raise ValueError(f"histogram has {len(edges)} edges for {len(counts)} buckets")
    target = q / 100.0 * total
    running = 0.0
    for i, count in enumerate(counts):
        if count and running + count >= target:
            fraction = (target - running) / count
            return float(edges[i] + fraction * (edges[i + 1] - edges[i]))
        running += count
    return float(edges[-1])


def merge_latency(summaries: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """Combine several engine latency summaries (repeats) through their histograms."""
    usable = [s for s in summaries if s and s.get("count")]
    if not usable:
        return None
    if len(usable) == 1:
        return {k: usable[0].get(k) for k in LATENCY_KEYS}
    count = sum(int(s["count"]) for s in usable)
    merged: dict[str, Any] = {"count": count,
                              "mean_us": sum(float(s["mean_us"]) * int(s["count"]) for s in usable) / count,
                              "max_us": max(float(s["max_us"]) for s in usable)}
    hists = [s.get("histogram") for s in usable]
    if all(h and h.get("edges_us") == hists[0].get("edges_us") for h in hists):   # type: ignore[union-attr]
        edges = hists[0]["edges_us"]                                                   # type: ignore[index]
        counts = [sum(col) for col in zip(*(h["counts"] for h in hists))]              # type: ignore[index]
        for q in (50, 95, 99):
            merged[f"p{q}_us"] = histogram_percentile(edges, counts, q)
    else:                                                 # no common histogram: median of the repeats
        for q in (50, 95, 99):
            merged[f"p{q}_us"] = statistics.median(float(s[f"p{q}_us"]) for s in usable)
    return merged


# ----------------------------------------------------------------------------- one run

def engine_seconds(phases: Mapping[str, float | None]) -> float | None:
    parts = [phases.get(k) for k in ("initialize", "warmup", "data_load", "stream")]
    if any(p is None for p in parts):
        return None
    return float(sum(parts))  # type: ignore[arg-type]


def warmup_breakdown(engine: Mapping[str, Any]) -> dict[str, Any]:
    """Process start -> first on_data, with its parts (the rest after initialize/warm-up is the first slice)."""
    phases = engine.get("phases_s") or {}
    total = engine.get("process_start_to_first_on_data_s")
    parts = {k: phases.get(k) for k in ("startup", "initialize", "warmup")}
    known = sum(v for v in parts.values() if isinstance(v, (int, float)))
    parts["first_slice"] = max(float(total) - known, 0.0) if isinstance(total, (int, float)) else None
    return {"total_s": total, "parts": parts}


def rate(points: int | None, seconds: float | None) -> float | None:
    if not points or not seconds or seconds <= 0:
        return None
    return points / seconds


def run_record(label: str, *, exit_code: int, wall_s: float, engine: Mapping[str, Any] | None,
               result: Any | None, memory: Mapping[str, Any], scenario_symbols: Sequence[str],
               extra_phases: Mapping[str, float] | None = None) -> dict[str, Any]:
    """One measured run. `engine` is pylean's --metrics-json (None for the Lean CLI backend),
    `result` the parsed RunResult (None when the run produced no results)."""
    engine = engine or {}
    log = result.completed if result is not None else None
    phases = {k: (engine.get("phases_s") or {}).get(k) for k in PHASES}
    if extra_phases:
        phases.update(extra_phases)
    engine_s = engine_seconds(phases) or (log.completed_in_s if log else None)
    points = engine.get("data_points") if engine.get("data_points") is not None else (log.data_points if log else None)
    missing = list(log.missing_data if log else []) or list(result.engine_log.missing_data if result else [])
    record: dict[str, Any] = {
        "label": label, "exit_code": exit_code, "status": engine.get("status") or (result.status if result else None),
        "wall_s": round(wall_s, 6), "cpu_s": memory.get("cpu_s"), "phases_s": phases, "engine_s": engine_s,
        "warmup": warmup_breakdown(engine) if engine else {"total_s": None, "parts": {}},
        "data_points": points, "data_points_per_s": rate(points, engine_s),
        "history": {"requests": engine.get("history_requests"), "seconds": engine.get("history_seconds"),
                    "data_points": engine.get("history_data_points")},
        "on_data": _latency(engine.get("on_data")), "time_step": _latency(engine.get("time_step")),
        "algorithm_time": _latency(engine.get("algorithm_time")),
        "step_time_total_s": engine.get("step_time_total_s"),
        "algorithm_time_total_s": engine.get("algorithm_time_total_s"),
        "stages": result.perf_stages if result is not None else None,
        "memory": {**memory, "engine_reported_peak_rss_bytes": engine.get("peak_rss_bytes")},
        "orders": engine.get("orders") if engine.get("orders") is not None else (result.order_count if result else None),
        "fills": engine.get("fills") if engine.get("fills") is not None else (result.fills if result else None),
        "missing_data_files": engine.get("missing_data_files", len(missing)),
        "missing_trade_files": [p for p in missing if p.endswith("_trade.zip") and _is_scenario_file(p, scenario_symbols)],
        "missing_days": (engine.get("missing_data") or {}).get("days") or _missing_days(missing),
        "ran": {"symbols": engine.get("symbols"), "start": engine.get("start") or _config_date(result, "startDate"),
                "end": engine.get("end") or _config_date(result, "endDate"), "data_points": points},
        "lean_log": _lean_log(result),
    }
    isolator = (record["lean_log"] or {}).get("isolator") or []
    apps = [sample["app"] for sample in isolator if "app" in sample]
    if record["memory"].get("peak_rss_bytes") is None and apps:     # Lean's once-a-minute trace, coarse
        record["memory"].update(peak_rss_bytes=int(max(apps) * 1024 * 1024), source="Lean Isolator App (coarse)")
    return record


def _missing_days(paths: Sequence[str]) -> list[str]:
    """YYYY-MM-DD of each day a second/minute file was missing for (from the file names)."""
    days = {m.group(1) for m in (re.search(r"(\d{8})_(?:trade|quote)\.zip$", p) for p in paths) if m}
    return [f"{d[:4]}-{d[4:6]}-{d[6:]}" for d in sorted(days)]


def _latency(summary: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not summary:
        return None
    out = {k: summary.get(k) for k in LATENCY_KEYS}
    for key in ("histogram", "chunks"):
        if summary.get(key):
            out[key] = summary[key]
    return out


def _is_scenario_file(path: str, symbols: Sequence[str]) -> bool:
    parts = path.replace("\\", "/").split("/")
    return len(parts) >= 2 and parts[-2].upper() in {s.upper() for s in symbols}


def _config_date(result: Any | None, key: str) -> str | None:
    if result is None:
        return None
    value = result.configuration.get(key)
    return str(value)[:10] if value else None


def _lean_log(result: Any | None) -> dict[str, Any] | None:
    """Facts read from Lean's log lines (engine log first, the algorithm log fills the gaps)."""
    if result is None:
        return None
    engine, algo, done = result.engine_log, result.algorithm_log, result.completed
    return {"completed_in_s": done.completed_in_s, "data_points": done.data_points,
            "data_points_per_s": done.data_points_per_s,
            "order_list_hash": engine.order_list_hash or algo.order_list_hash,
            "isolator": engine.isolator or algo.isolator, "data_usage": engine.data_usage or algo.data_usage,
            "missing_data": engine.missing_data or algo.missing_data}


# ----------------------------------------------------------------------------- across repeats

def spread(values: Sequence[float | None]) -> dict[str, Any] | None:
    clean = [float(v) for v in values if v is not None]
    if not clean:
        return None
    median = statistics.median(clean)
    return {"n": len(clean), "median": median, "min": min(clean), "max": max(clean),
            "spread_pct": (max(clean) - min(clean)) / median * 100.0 if median else None}


def summarize(runs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Medians (and spread) over repeats of the headline numbers."""
    def pick(path: str) -> list[Any]:
        out = []
        for run in runs:
            value: Any = run
            for key in path.split("."):
                value = value.get(key) if isinstance(value, Mapping) else None
            out.append(value)
        return out

    spreads = {name: spread(pick(path)) for name, path in (
        ("wall_s", "wall_s"), ("engine_s", "engine_s"), ("data_points_per_s", "data_points_per_s"),
        ("warmup_s", "warmup.total_s"), ("on_data_p95_us", "on_data.p95_us"),
        ("peak_rss_bytes", "memory.peak_rss_bytes"), ("step_time_total_s", "step_time_total_s"),
        ("algorithm_time_total_s", "algorithm_time_total_s"))}
    headline = {name: (s["median"] if s else None) for name, s in spreads.items()}
    headline["data_points"] = runs[0].get("data_points") if runs else None
    headline["on_data"] = merge_latency([r.get("on_data") or {} for r in runs])
    headline["time_step"] = merge_latency([r.get("time_step") or {} for r in runs])
    headline["algorithm_time"] = merge_latency([r.get("algorithm_time") or {} for r in runs])
    headline["orders"] = runs[0].get("orders") if runs else None
    headline["fills"] = runs[0].get("fills") if runs else None
    return {"headline": headline, "spread": spreads}


def check_scenario(expected: Mapping[str, Any], ran: Mapping[str, Any]) -> list[str]:
    """R-7: compare what actually ran (symbols, dates, data points) with the scenario. Returns problems."""
    problems = []
    if ran.get("symbols") is not None and list(ran["symbols"]) != list(expected["symbols"]):
        problems.append(f"symbols: scenario {','.join(expected['symbols'])}, ran {','.join(ran['symbols'])}")
    for key in ("start", "end"):
        if ran.get(key) is not None and str(ran[key]) != str(expected[key]):
            problems.append(f"{key}: scenario {expected[key]}, ran {ran[key]}")
    want = expected.get("data_points")
    if want is not None and ran.get("data_points") is not None and int(ran["data_points"]) != int(want):
        problems.append(f"data points: scenario expects {want:,}, ran {int(ran['data_points']):,}")
    if ran.get("data_points") == 0:
        problems.append("data points: the run processed no data")
    return problems
