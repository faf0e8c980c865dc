from __future__ import annotations

import hashlib
import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from zacperf import calendar, synth
from zacperf.datasource import fingerprint_files
from zacperf.synth_files import SynthSpec, ensure_synthetic, generate_folder

DAYS = calendar.trading_days(date(2025, 10, 1), date(2025, 10, 3))
HISTORY = calendar.trading_days_before(date(2025, 10, 1), 5)

# Pinned: integer arithmetic on PCG64's raw output; these must not change across numpy versions or CPUs.
BARS_SHA256 = "c9bcae3594d499986ac6260f248a84c6f71fb6c4b24d787c9aedc7690d5e313a"
FOLDER_FINGERPRINT = "sha256:8c177028df9098fe2582b6d0360676e5e4dba198c2a74f18bb1edf0e2877e989"


def bars_digest(seed: int = 11, tickers=("AAPL", "NVDA")) -> str:
    digest = hashlib.sha256()
    for ticker in tickers:
        for day, bars, row in synth.symbol_days(seed, ticker, HISTORY, DAYS, step_seconds=1):
            digest.update(f"{ticker}{day}{row}".encode())
            if bars is not None:
                for column in (bars.ms, bars.open, bars.high, bars.low, bars.close, bars.volume):
                    digest.update(np.ascontiguousarray(column, dtype="<i8").tobytes())
    return digest.hexdigest()


def test_bars_are_pinned():
    assert bars_digest() == BARS_SHA256


def test_same_seed_same_bars_other_seed_other_bars():
    assert bars_digest(11) == bars_digest(11)
    assert bars_digest(12) != bars_digest(11)


def test_earlier_days_do_not_depend_on_later_ones():
    short = [row for _, _, row in synth.symbol_days(11, "NVDA", HISTORY, DAYS[:2], 1)]
    full = [row for _, _, row in synth.symbol_days(11, "NVDA", HISTORY, DAYS, 1)]
    assert full[: len(short)] == short and len(full) == len(short) + 1


def test_bar_invariants_and_shape():
    prof = synth.profile(11, "AAPL")
    bars = synth.day_bars(11, "AAPL", date(2025, 10, 1), prof.price_dc, prof)
    assert len(bars) == 23_400 and bars.ms[0] == 34_200_000 and bars.ms[-1] == 57_599_000
    assert (bars.low <= np.minimum(bars.open, bars.close)).all()
    assert (bars.high >= np.maximum(bars.open, bars.close)).all()
    assert (bars.low >= 100).all() and (bars.close % 100 == 0).all() and (bars.high % 100 == 0).all()
    assert (bars.volume >= 0).all()
    first, middle, last = bars.volume[:1800].mean(), bars.volume[9000:14400].mean(), bars.volume[-1800:].mean()
    assert first > 1.5 * middle and last > 1.5 * middle                                 # U-shaped volume
    early = synth.day_bars(11, "AAPL", date(2025, 11, 28), prof.price_dc, prof)         # early close
    assert len(early) == 12_600


def test_gaps_and_trends_occur():
    gaps, ranges = [], []
    for ticker in ("AAPL", "NVDA", "TSLA", "V", "AMZN", "META"):
        previous = None
        for _, _, (o, h, low, c, _v) in synth.symbol_days(20251001, ticker, [], calendar.trading_days(
                date(2025, 9, 1), date(2025, 10, 10)), step_seconds=300):
            if previous:
                gaps.append(abs(o - previous) / previous)
            ranges.append((h - low) / o)
            previous = c
    assert max(gaps) > 0.02 and np.median(gaps) > 0.001            # overnight gaps, occasionally large
    assert max(ranges) > 2.5 * np.median(ranges)                    # wild days beside quiet ones


def test_minute_bars_aggregate_the_seconds():
    prof = synth.profile(11, "V")
    seconds = synth.day_bars(11, "V", date(2025, 10, 2), prof.price_dc, prof)
    minutes = synth.aggregate(seconds, 60)
    assert len(minutes) == 390 and minutes.ms[1] - minutes.ms[0] == 60_000
    assert minutes.open[0] == seconds.open[0] and minutes.close[0] == seconds.close[59]
    assert minutes.high[0] == seconds.high[:60].max() and minutes.volume.sum() == seconds.volume.sum()


def test_generation_speed_at_least_5m_bars_per_second():
    best = 0.0
    for _ in range(3):
        started, bars = time.perf_counter(), 0
        for ticker in ("AAPL", "NVDA", "TSLA", "V"):
            for _day, day_bars, _row in synth.symbol_days(5, ticker, [], DAYS, step_seconds=1):
                bars += len(day_bars)
        best = max(best, bars / (time.perf_counter() - started))
    assert best >= 5_000_000, f"{best:,.0f} bars/s"


def test_folder_layout_is_lean_format_and_pinned(tmp_path: Path):
    spec = SynthSpec(seed=11, symbols=("AAPL", "NVDA"), start=date(2025, 10, 1), end=date(2025, 10, 2),
                     resolution="minute", history_days=5, quotes=True)
    stats = generate_folder(spec, tmp_path / "d")
    root = tmp_path / "d"
    assert stats["bars"] == 2 * 2 * 390
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert "equity/usa/minute/aapl/20251001_trade.zip" in files
    assert "equity/usa/minute/nvda/20251002_quote.zip" in files
    assert "equity/usa/daily/aapl.zip" in files and "market-hours/market-hours-database.json" in files
    pylean_format = pytest.importorskip("pylean.data.lean_format")
    trade = pylean_format.read_intraday(root / "equity/usa/minute/aapl/20251001_trade.zip", "trade")
    assert len(trade["ms"]) == 390 and trade["ms"][0] == 34_200_000
    daily = pylean_format.read_daily_or_hour(root / "equity/usa/daily/aapl.zip")
    assert list(daily["date"][-2:]) == [20251001, 20251002] and len(daily["date"]) == 7
    assert fingerprint_files(root, files, cache_path=tmp_path / "c.json") == FOLDER_FINGERPRINT


def test_ensure_synthetic_generates_once(tmp_path: Path):
    spec = SynthSpec(seed=3, symbols=("AAPL",), start=date(2025, 10, 1), end=date(2025, 10, 1), resolution="minute",
                     history_days=2)
    folder, made = ensure_synthetic(spec, root=tmp_path)
    again, made_again = ensure_synthetic(spec, root=tmp_path)
    assert made and not made_again and folder == again
    assert not [p for p in (tmp_path / "synthetic").iterdir() if p.name.startswith(".")]
