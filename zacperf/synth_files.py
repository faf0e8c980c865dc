"""Write synthetic bars as a Lean data folder (equity/usa/..., market-hours, symbol-properties).

Layout and row formats follow Lean's equity data (LeanData.GenerateZipFilePath):
  equity/usa/second|minute/<ticker>/<yyyymmdd>_trade.zip -> <yyyymmdd>_<ticker>_<res>_trade.csv
      rows: ms after midnight, open, high, low, close, volume (prices in deci-cents)
  equity/usa/daily/<ticker>.zip -> <ticker>.csv, rows: "yyyyMMdd 00:00", open, high, low, close, volume
Zip entries carry a fixed timestamp so the same bars give the same bytes. Folders are built
under a temporary name and renamed into place, so a half-written folder is never used.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np

from zacperf import calendar, synth
from zacperf.env import data_dir

_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
MANIFEST = "zacperf-synthetic.json"


@dataclass(frozen=True)
class SynthSpec:
    seed: int
    symbols: tuple[str, ...]
    start: date
    end: date
    resolution: str = "second"
    history_days: int = 60
    quotes: bool = False

    def key(self) -> str:
        blob = json.dumps({"v": synth.GENERATOR_VERSION, **asdict(self), "symbols": sorted(self.symbols),
                           "start": self.start.isoformat(), "end": self.end.isoformat()}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:20]


# ----------------------------------------------------------------------------- text formats

def _csv(columns: Iterable[np.ndarray]) -> bytes:
    """Integer columns -> CSV rows without header (pyarrow's integer formatting is exact and fast)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    table = pa.table({f"c{i}": np.asarray(column, dtype=np.int64) for i, column in enumerate(columns)})
    buffer = io.BytesIO()
    pcsv.write_csv(table, buffer, pcsv.WriteOptions(include_header=False, quoting_style="none"))
    return buffer.getvalue()


def _zip_bytes(entry: str, payload: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo(entry, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, payload, compresslevel=1)
    return out.getvalue()


def trade_csv(bars: synth.Bars) -> bytes:
    return _csv((bars.ms, bars.open, bars.high, bars.low, bars.close, bars.volume))


def quote_csv(bars: synth.Bars) -> bytes:
    """A one-cent spread around the trade bar; sizes from the trade volume."""
    half = 50
    size = np.maximum(bars.volume // 4, 100)
    return _csv((bars.ms, bars.open - half, bars.high - half, bars.low - half, bars.close - half, size,
                 bars.open + half, bars.high + half, bars.low + half, bars.close + half, size))


def daily_csv(rows: list[tuple[date, tuple[int, int, int, int, int]]]) -> bytes:
    return "".join(f"{d:%Y%m%d} 00:00,{o},{h},{low},{c},{v}\n" for d, (o, h, low, c, v) in rows).encode()


def market_hours_json(first_year: int, last_year: int) -> bytes:
    """A minimal market-hours database: the US equity entry with its holidays and early closes."""
    session = [{"start": "04:00:00", "end": "09:30:00", "state": "premarket"},
               {"start": "09:30:00", "end": "16:00:00", "state": "market"},
               {"start": "16:00:00", "end": "20:00:00", "state": "postmarket"}]
    years = range(first_year, last_year + 1)
    holidays = sorted(d for y in years for d in calendar.holidays(y))
    early = sorted(d for y in years for d in calendar.early_closes(y))
    entry = {"dataTimeZone": "America/New_York", "exchangeTimeZone": "America/New_York",
             "sunday": [], "saturday": [],
             **{day: session for day in ("monday", "tuesday", "wednesday", "thursday", "friday")},
             "holidays": [f"{d.month}/{d.day}/{d.year}" for d in holidays],
             "earlyCloses": {f"{d.month}/{d.day}/{d.year}": "13:00:00" for d in early}}
    return json.dumps({"entries": {"Equity-usa-[*]": entry}}, indent=1).encode()


SYMBOL_PROPERTIES = (b"market,symbol,type,description,quote_currency,contract_multiplier,minimum_price_variation,"
                     b"lot_size,market_ticker,minimum_order_size,price_magnifier,strike_multiplier\n"
                     b"usa,[*],equity,,USD,1,0.01,1,,,1,\n")


# ----------------------------------------------------------------------------- generation

def generate_folder(spec: SynthSpec, folder: Path, workers: int | None = None) -> dict[str, object]:
    """Write the whole data folder for `spec` into `folder` (which must not exist). Returns stats."""
    days = calendar.trading_days(spec.start, spec.end)
    history = calendar.trading_days_before(spec.start, spec.history_days) if spec.history_days else []
    first_year = (history[0] if history else spec.start).year
    folder.mkdir(parents=True)
    _write(folder / "market-hours" / "market-hours-database.json", market_hours_json(first_year, spec.end.year + 1))
    _write(folder / "symbol-properties" / "symbol-properties-database.csv", SYMBOL_PROPERTIES)
    started, bars_made, gen_seconds = time.perf_counter(), 0, 0.0
    jobs = []
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for ticker in spec.symbols:
            rows = []
            t0 = time.perf_counter()
            for day, bars, row in synth.symbol_days(spec.seed, ticker, history, days,
                                                    step_seconds=1 if spec.resolution != "daily" else 300):
                rows.append((day, row))
                if bars is None or spec.resolution == "daily":
                    continue
                if spec.resolution == "minute":
                    bars = synth.aggregate(bars, 60)
                bars_made += len(bars)
                jobs.append(pool.submit(_write_intraday, folder, spec, ticker, day, bars))
            gen_seconds += time.perf_counter() - t0
            path = folder / "equity" / "usa" / "daily" / f"{ticker.lower()}.zip"
            jobs.append(pool.submit(_write, path, _zip_bytes(f"{ticker.lower()}.csv", daily_csv(rows))))
        for job in jobs:
            job.result()
    return {"bars": bars_made, "generate_s": round(gen_seconds, 3),
            "total_s": round(time.perf_counter() - started, 3), "trading_days": len(days)}


def _write_intraday(folder: Path, spec: SynthSpec, ticker: str, day: date, bars: synth.Bars) -> None:
    low, stamp = ticker.lower(), f"{day:%Y%m%d}"
    base = folder / "equity" / "usa" / spec.resolution / low
    _write(base / f"{stamp}_trade.zip", _zip_bytes(f"{stamp}_{low}_{spec.resolution}_trade.csv", trade_csv(bars)))
    if spec.quotes:
        _write(base / f"{stamp}_quote.zip", _zip_bytes(f"{stamp}_{low}_{spec.resolution}_quote.csv", quote_csv(bars)))


def _write(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)


def ensure_synthetic(spec: SynthSpec, root: Path | None = None, progress=None) -> tuple[Path, bool]:  # type: ignore[no-untyped-def]
    """The data folder for `spec` under $ZACPERF_DATA_DIR/synthetic, generated on first use.

    Returns (folder, generated_now). Generation happens in a temporary folder renamed into place.
    """
    base = (root or data_dir()) / "synthetic"
    folder = base / spec.key()
    if (folder / MANIFEST).is_file():
        return folder, False
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".{spec.key()}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        progress(f"generating synthetic data ({len(spec.symbols)} symbols, {spec.start}..{spec.end}, "
                 f"{spec.resolution}) into {folder}")
    stats = generate_folder(spec, tmp)
    manifest = {"generator_version": synth.GENERATOR_VERSION, "spec": {**asdict(spec), "start": spec.start.isoformat(),
                                                                        "end": spec.end.isoformat()},
                "stats": stats}
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1))
    try:
        os.rename(tmp, folder)
    except OSError:                      # another process finished first: use its folder
        shutil.rmtree(tmp, ignore_errors=True)
        if not (folder / MANIFEST).is_file():
            raise
    return folder, True
