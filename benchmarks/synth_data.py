"""Deterministic synthetic US-equity data in Lean's format, for benchmarks that need more symbols
or days than the real data folder has (scaling to 16 symbols / 20 days, the 60-day memory run).

Written for the benchmarks only (not zacperf/synth.py, which models prices; this only has to be
shaped like real second data):
  equity/usa/second/<ticker>/<yyyymmdd>_trade.zip  one CSV `<yyyymmdd>_<ticker>_second_trade.csv`,
      rows `ms_since_midnight,open,high,low,close,volume`, prices x10000 as integers. Like the
      real 2025 files: about 60 % of the regular-session seconds have a bar, about 2 % of the
      04:00-09:30 and 16:00-20:00 seconds do.
  equity/usa/daily/<ticker>.zip  one CSV `<ticker>.csv`, rows `yyyyMMdd 00:00,o,h,l,c,v`; also
      for SPY, the engine's default benchmark.
  market-hours/ and symbol-properties/ copied from the real data folder.

Same arguments -> byte-identical files (fixed seeds, fixed zip timestamps), so pylean's
content-keyed cache sees the same keys on every machine. Files already present are kept.
Trading days come from the real market-hours database (holidays skipped), starting 2025-06-02.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import zipfile
import zlib
from datetime import date, timedelta
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

GENERATOR_VERSION = 1
FIRST_DAY = date(2025, 6, 2)
_ZIP_STAMP = (2025, 1, 1, 0, 0, 0)
_OPEN_MS, _CLOSE_MS = 9 * 3_600_000 + 30 * 60_000, 16 * 3_600_000
_PRE_MS, _POST_MS = 4 * 3_600_000, 20 * 3_600_000


def synth_tickers(count: int) -> list[str]:
    """SYNA, SYNB, ... (letters only, like real tickers)."""
    out = []
    for i in range(count):
        a, b = divmod(i, 26)
        out.append("SYN" + ("" if a == 0 else chr(ord("A") + a - 1)) + chr(ord("A") + b))
    return out


def default_root() -> Path:
    """$ZACPERF_DATA_DIR/pylean-bench-synth-v<N>, else <tmp>/pylean-bench-synth-v<N> (never the repo)."""
    base = os.environ.get("ZACPERF_DATA_DIR")
    return Path(base or tempfile.gettempdir()) / f"pylean-bench-synth-v{GENERATOR_VERSION}"


def trading_days(reference: Path, count: int, first: date = FIRST_DAY) -> list[date]:
    from pylean.data.market_hours import MarketHoursDatabase

    hours = MarketHoursDatabase.from_data_folder(reference).exchange_hours("Equity", "usa")
    days: list[date] = []
    d = first
    while len(days) < count:
        if hours.is_trading_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def _seed(ticker: str, d: date | None) -> int:
    return zlib.crc32(f"{ticker}|{d.isoformat() if d else 'daily'}|{GENERATOR_VERSION}".encode())


def _base_price(ticker: str) -> int:
    """Deci-cents (x10000), 20..400 dollars, fixed per ticker."""
    return (20 + zlib.crc32(ticker.encode()) % 381) * 10000


def second_rows(ticker: str, d: date) -> np.ndarray:
    """int64 rows (ms, open, high, low, close, volume) of one synthetic day, sorted by time."""
    rng = np.random.default_rng(_seed(ticker, d))
    seconds = np.arange(_PRE_MS, _POST_MS, 1000, dtype=np.int64)
    regular = (seconds >= _OPEN_MS) & (seconds < _CLOSE_MS)
    keep = rng.random(len(seconds)) < np.where(regular, 0.60, 0.02)
    ms = seconds[keep]
    n = len(ms)
    base = _base_price(ticker)
    tick = 100  # one cent
    steps = rng.integers(-2, 3, size=n) * tick
    close = base + np.cumsum(steps)
    close = np.maximum(close, base // 2)
    open_ = np.concatenate([[base], close[:-1]])
    spread = rng.integers(0, 3, size=(2, n)) * tick
    high = np.maximum(open_, close) + spread[0]
    low = np.maximum(np.minimum(open_, close) - spread[1], tick)
    volume = rng.integers(1, 50, size=n) * 100
    return np.column_stack([ms, open_, high, low, close, volume]).astype(np.int64)


def _csv(rows: np.ndarray) -> bytes:
    return "".join(f"{a},{b},{c},{d},{e},{f}\n" for a, b, c, d, e, f in rows.tolist()).encode()


def _write_zip(path: Path, entry: str, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(entry, date_time=_ZIP_STAMP)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, payload)
    os.replace(tmp, path)


def _daily_rows(ticker: str, days: list[date]) -> list[str]:
    rng = np.random.default_rng(_seed(ticker, None))
    price = _base_price(ticker)
    lines = []
    for d in days:
        step = int(rng.integers(-200, 201)) * 100
        o, c = price, max(price + step, 10000)
        h, lo = max(o, c) + 500, max(min(o, c) - 500, 100)
        lines.append(f"{d:%Y%m%d} 00:00,{o},{h},{lo},{c},{int(rng.integers(1_000_000, 9_000_000))}")
        price = c
    return lines


def ensure(root: Path, reference: Path, n_symbols: int, n_days: int) -> tuple[Path, list[str], list[date]]:
    """Make sure `root` holds the first `n_symbols` synthetic tickers over the first `n_days`
    trading days (second trade zips) plus daily files; returns (root, tickers, days)."""
    for sub in ("market-hours", "symbol-properties"):
        if not (root / sub).is_dir():
            shutil.copytree(reference / sub, root / sub, dirs_exist_ok=True)
    tickers = synth_tickers(n_symbols)
    days = trading_days(reference, n_days)
    for ticker in tickers:
        low = ticker.lower()
        for d in days:
            path = root / "equity" / "usa" / "second" / low / f"{d:%Y%m%d}_trade.zip"
            if not path.is_file():
                _write_zip(path, f"{d:%Y%m%d}_{low}_second_trade.csv", _csv(second_rows(ticker, d)))
    # daily files always span the same 130 trading days, so they never change when more days are asked for
    daily_days = trading_days(reference, 130, FIRST_DAY - timedelta(days=10))
    for ticker in tickers + ["SPY"]:
        low = ticker.lower()
        path = root / "equity" / "usa" / "daily" / f"{low}.zip"
        if not path.is_file():
            _write_zip(path, f"{low}.csv", ("\n".join(_daily_rows(ticker, daily_days)) + "\n").encode())
    return root, tickers, days


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write deterministic synthetic Lean second data.")
    parser.add_argument("--root", type=Path, default=default_root())
    parser.add_argument("--reference", type=Path, default=None, help="real Lean data folder (market hours)")
    parser.add_argument("--symbols", type=int, default=16)
    parser.add_argument("--days", type=int, default=20)
    args = parser.parse_args(argv)
    from benchmarks.common import default_data_folder

    root, tickers, days = ensure(args.root, args.reference or default_data_folder(), args.symbols, args.days)
    print(f"{root}: {len(tickers)} symbols x {len(days)} days ({days[0]}..{days[-1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
