"""Per-run figures the nightly job keeps, and their calibration-normalized timing (pure functions)."""
from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

# name -> how to read it from a harness run record (metrics.run_record)
FIGURES: dict[str, tuple[str, ...]] = {
    "cpu_s": ("cpu_s",),
    "engine_s": ("engine_s",),
    "data_points_per_s": ("data_points_per_s",),
    "on_data_p95_us": ("on_data", "p95_us"),
    "step_p95_us": ("time_step", "p95_us"),
    "warmup_s": ("warmup", "total_s"),
    "peak_rss_bytes": ("memory", "peak_rss_bytes"),
}
TIME_METRIC = "cpu_norm"       # engine process CPU s / the night's calibration CPU s (trend only)
WALL_METRIC = "time_norm"      # engine_s / the night's calibration wall s (trend only)
RSS_METRIC = "peak_rss_bytes"  # gated: Mann-Whitney on the runs
LOOP_FLOOR = "loop_floor"      # gated: time-loop floor / calibration floor (zacperf/nightly/floors.py)
PROCESS_FLOOR = "process_floor"  # gated: fastest round's engine process CPU s / calibration floor


def figure(record: Mapping[str, Any], path: Sequence[str]) -> float | None:
    value: Any = record
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def sample_of(record: Mapping[str, Any], speed: Mapping[str, float]) -> dict[str, float | None]:
    """One run's figures plus its normalized CPU and wall time (per calibration second)."""
    out = {name: figure(record, path) for name, path in FIGURES.items()}
    cpu, engine = out["cpu_s"], out["engine_s"]
    out[TIME_METRIC] = cpu / speed["cpu_seconds"] if cpu and speed.get("cpu_seconds") else None
    out[WALL_METRIC] = engine / speed["seconds"] if engine and speed.get("seconds") else None
    return out


def machine_speed(calibrations: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Tonight's calibration: the medians over every calibration run of the nightly (one per round and
    one after the last). One figure per night, so a stray slow calibration cannot move a single sample.
    `cpu_floor` is the fastest timed piece of any of them: the floors are divided by it."""
    speed = {key: statistics.median(c[key] for c in calibrations) for key in ("seconds", "cpu_seconds")}
    speed["cpu_floor"] = min(c.get("cpu_seconds_min") or c["cpu_seconds"] for c in calibrations)
    # typical wall time over undisturbed CPU time: a sibling job slowing the CPU work and a job taking the
    # core away (the step timings are wall time) both raise it
    speed["busy"] = speed["seconds"] / speed["cpu_floor"]
    return speed


def chunk_row(record: Mapping[str, Any]) -> list[float] | None:
    """The run's step time per chunk of time steps in seconds (pylean metrics time_step.chunks, in µs), None
    without it."""
    chunks = (record.get("time_step") or {}).get("chunks") or {}
    values = chunks.get("us")
    return [float(v) / 1e6 for v in values] if isinstance(values, list) and values else None


def column(samples: Sequence[Mapping[str, float | None]], name: str) -> list[float]:
    return [float(s[name]) for s in samples if s.get(name) is not None]  # type: ignore[arg-type]


def medians(samples: Sequence[Mapping[str, float | None]]) -> dict[str, float | None]:
    names = list(FIGURES) + [TIME_METRIC, WALL_METRIC]
    return {n: (statistics.median(column(samples, n)) if column(samples, n) else None) for n in names}
