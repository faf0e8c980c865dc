"""Per-run figures the nightly job keeps, and their calibration-normalized timing (pure functions)."""
from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

# name -> how to read it from a harness run record (metrics.run_record)
FIGURES: dict[str, tuple[str, ...]] = {
    "engine_s": ("engine_s",),
    "data_points_per_s": ("data_points_per_s",),
    "on_data_p95_us": ("on_data", "p95_us"),
    "step_p95_us": ("time_step", "p95_us"),
    "warmup_s": ("warmup", "total_s"),
    "peak_rss_bytes": ("memory", "peak_rss_bytes"),
}
TIME_METRIC = "time_norm"      # engine_s / calibration seconds around the run (dimensionless)
RSS_METRIC = "peak_rss_bytes"


def figure(record: Mapping[str, Any], path: Sequence[str]) -> float | None:
    value: Any = record
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def sample_of(record: Mapping[str, Any], calibration_s: float) -> dict[str, float | None]:
    """One run's figures plus its normalized time (engine seconds per calibration second)."""
    out = {name: figure(record, path) for name, path in FIGURES.items()}
    engine = out["engine_s"]
    out[TIME_METRIC] = engine / calibration_s if engine and calibration_s > 0 else None
    return out


def machine_speed(calibrations: Sequence[float]) -> float:
    """Tonight's calibration: the median of every calibration run of the nightly (one per round and one
    after the last). One figure per nightly, so a stray slow calibration cannot move a single sample."""
    return statistics.median(calibrations)


def column(samples: Sequence[Mapping[str, float | None]], name: str) -> list[float]:
    return [float(s[name]) for s in samples if s.get(name) is not None]  # type: ignore[arg-type]


def medians(samples: Sequence[Mapping[str, float | None]]) -> dict[str, float | None]:
    names = list(FIGURES) + [TIME_METRIC]
    return {n: (statistics.median(column(samples, n)) if column(samples, n) else None) for n in names}
