from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
import zipfile
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
BARS_SHA256 = "dbaaa3e1942d342a4d0e5a623bffc91c40c6ab07c63dabf5ba16ffc74df6b554"
FOLDER_FINGERPRINT = "sha256:6b81f4670d736192e91bee61438dd924b984346039bda75dcb89b132374e2ff7"


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


def test_bars_do_not_depend_on_the_hash_seed():
    code = "import sys; sys.path[:0] = sys.argv[1:]; import test_zp_synth as t; print(t.bars_digest())"
    paths = [str(Path(__file__).parent), str(Path(__file__).parents[2])]
    digests = {subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2")}
    assert digests == {BARS_SHA256}


def test_same_seed_same_bytes_on_an_integer_cent_grid(tmp_path: Path):
    """Two generations of one spec give byte-identical folders; every price is whole cents, every volume whole."""
    spec = SynthSpec(seed=5, symbols=("AAPL", "NVDA"), start=date(2025, 10, 1), end=date(2025, 10, 1),
                     history_days=35)
    generate_folder(spec, tmp_path / "a", workers=1)
    generate_folder(spec, tmp_path / "b", workers=2)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    integer = re.compile(rb"^[0-9]+$")
    for name in files:
        if name.suffix != ".zip":
            continue
        with zipfile.ZipFile(tmp_path / "a" / name) as archive:
            rows = archive.read(archive.namelist()[0]).splitlines()
        assert rows
        for row in rows:
            fields = row.split(b",")
            if b" " in fields[0]:                                  # daily: "yyyyMMdd 00:00"
                fields[0] = fields[0].replace(b" 00:00", b"")
            assert len(fields) == 6 and all(integer.match(f) for f in fields), row
            assert all(int(price) % 100 == 0 for price in fields[1:5]), row     # deci-cents on the cent grid


def test_earlier_days_do_not_depend_on_later_ones():
    short = [row for _, _, row in synth.symbol_days(11, "NVDA", HISTORY, DAYS[:2], 1)]
    full = [row for _, _, row in synth.symbol_days(11, "NVDA", HISTORY, DAYS, 1)]
    assert full[: len(short)] == short and len(full) == len(short) + 1


def test_bar_invariants_and_shape():
    prof = synth.profile(11, "AAPL")
    bars = synth.day_bars(11, "AAPL", date(2025, 10, 1), prof.price_dc, prof, prof.range_bp, shape="take_profit")
    assert len(bars) == 23_400 and bars.ms[0] == 34_200_000 and bars.ms[-1] == 57_599_000
    assert (bars.low <= np.minimum(bars.open, bars.close)).all()
    assert (bars.high >= np.maximum(bars.open, bars.close)).all()
    assert (bars.low >= 100).all() and (bars.close % 100 == 0).all() and (bars.high % 100 == 0).all()
    assert (bars.volume >= 0).all()
    first, middle, last = bars.volume[:1800].mean(), bars.volume[9000:14400].mean(), bars.volume[-1800:].mean()
    assert first > 1.5 * middle and last > 1.5 * middle                                 # U-shaped volume
    early = synth.day_bars(11, "AAPL", date(2025, 11, 28), prof.price_dc, prof, prof.range_bp,
                           shape="take_profit")                                         # early close: quiet
    assert len(early) == 12_600


def _units(bars: synth.Bars, ref: int, unit: int) -> np.ndarray:
    """Closes in units (the day's mean 30-day range) from the previous close `ref`."""
    return (bars.close - ref) * 10_000 / (ref * unit)


@pytest.mark.parametrize("shape", synth.TRADING_SHAPES)
def test_trading_shapes_pass_zacqc_triggers_inside_the_entry_window(shape: str):
    prof, day = synth.profile(11, "AAPL"), date(2025, 10, 1)
    bars = synth.day_bars(11, "AAPL", day, prof.price_dc, prof, prof.range_bp, shape=shape)
    plan = synth.plan_day(11, "AAPL", day, 23_400, shape)
    level = plan.side * _units(bars, prof.price_dc, prof.range_bp)
    window = (bars.ms >= (10 * 3600 + 57 * 60) * 1000) & (bars.ms < 14 * 3600 * 1000)
    assert level[window].min() <= -1.25                   # c1: 1.2 units below the open (long side)
    assert level.max() - level.min() >= 1.5               # c2: a day range of 1.3 units
    for t, anchor, _noise in plan.anchors[1:]:            # the bridge pins the path to every anchor
        expected = prof.price_dc + prof.price_dc * prof.range_bp * anchor // 10_000_000
        assert abs(int(bars.close[t - 1]) - expected) <= 100


@pytest.mark.parametrize("shape", synth.QUIET_SHAPES)
def test_quiet_shapes_stay_inside_the_triggers(shape: str):
    prof = synth.profile(11, "NVDA")
    for day in calendar.trading_days(date(2025, 10, 1), date(2025, 10, 10)):
        bars = synth.day_bars(11, "NVDA", day, prof.price_dc, prof, prof.range_bp, shape=shape)
        level = _units(bars, prof.price_dc, prof.range_bp)
        assert np.abs(level).max() < 1.2 and level.max() - level.min() < 1.3, day


def test_shapes_rotate_through_the_deck_and_history_is_ordinary():
    days = [date(2025, 10, 1).fromordinal(date(2025, 10, 1).toordinal() + k) for k in range(len(synth.DECK))]
    for ticker in ("AAPL", "NVDA", "TSLA"):
        assert sorted(synth.shape_for(11, ticker, d, False) for d in days) == sorted(synth.DECK)
        assert {synth.shape_for(11, ticker, d, True) for d in days} <= set(synth.QUIET_SHAPES)


def test_the_unit_is_zacqcs_30_day_mean_range():
    prof = synth.profile(11, "AAPL")
    rows = [row for _, _, row in synth.symbol_days(11, "AAPL", HISTORY + DAYS, [], 1)]
    assert synth.unit_bp([], prof) == prof.range_bp
    assert synth.unit_bp(rows, prof) == sum((h - low) * 10_000 // o for o, h, low, _c, _v in rows) // len(rows)
    many = rows * 10
    assert synth.unit_bp(many, prof) == synth.unit_bp(many[-30:], prof)


def test_minute_bars_aggregate_the_seconds():
    prof = synth.profile(11, "V")
    seconds = synth.day_bars(11, "V", date(2025, 10, 2), prof.price_dc, prof, prof.range_bp)
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
