"""Build tiny Lean data folders for tests: our own bars in Lean's zip/CSV format, Lean's real
market-hours and symbol-properties files copied from the reference data folder."""
from __future__ import annotations

import shutil
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Iterable, Sequence

Bar = tuple[time, float, float, float, float, int]  # start time (NY), open, high, low, close, volume


def _deci(price: float) -> int:
    return int(round(price * 10000))


def new_data_folder(root: Path, reference: Path) -> Path:
    """An empty Lean data folder with the reference market-hours and symbol-properties databases."""
    for sub in ("market-hours", "symbol-properties"):
        shutil.copytree(reference / sub, root / sub, dirs_exist_ok=True)
    return root


def write_intraday(folder: Path, resolution: str, ticker: str, day: date, bars: Iterable[Bar],
                   kind: str = "trade") -> Path:
    """equity/usa/<resolution>/<ticker>/<yyyymmdd>_trade.zip with one CSV entry."""
    stamp = day.strftime("%Y%m%d")
    path = folder / "equity" / "usa" / resolution / ticker.lower() / f"{stamp}_{kind}.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for start, o, h, low, c, v in bars:
        ms = ((start.hour * 60 + start.minute) * 60 + start.second) * 1000
        lines.append(f"{ms},{_deci(o)},{_deci(h)},{_deci(low)},{_deci(c)},{v}")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stamp}_{ticker.lower()}_{resolution}_{kind}.csv", "\n".join(lines) + "\n")
    return path


def write_quotes(folder: Path, resolution: str, ticker: str, day: date,
                 quotes: Iterable[tuple[time, float, float]], size: int = 100) -> Path:
    """Quote bars with flat bid/ask OHLC: (start, bid, ask)."""
    stamp = day.strftime("%Y%m%d")
    path = folder / "equity" / "usa" / resolution / ticker.lower() / f"{stamp}_quote.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for start, bid, ask in quotes:
        ms = ((start.hour * 60 + start.minute) * 60 + start.second) * 1000
        b, a = _deci(bid), _deci(ask)
        lines.append(f"{ms},{b},{b},{b},{b},{size},{a},{a},{a},{a},{size}")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stamp}_{ticker.lower()}_{resolution}_quote.csv", "\n".join(lines) + "\n")
    return path


def write_daily(folder: Path, ticker: str, rows: Sequence[tuple[date, float, float, float, float, int]]) -> Path:
    path = folder / "equity" / "usa" / "daily" / f"{ticker.lower()}.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{d:%Y%m%d} 00:00,{_deci(o)},{_deci(h)},{_deci(low)},{_deci(c)},{v}" for d, o, h, low, c, v in rows]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{ticker.lower()}.csv", "\n".join(lines) + "\n")
    return path


def write_algorithm(folder: Path, name: str, body: str) -> Path:
    """A Lean Python algorithm file whose class `name` has the given (indented) body."""
    path = folder / f"{name}.py"
    path.write_text("from AlgorithmImports import *\n\n\nclass " + name + "(QCAlgorithm):\n" + body)
    return path


def at(hour: int, minute: int, second: int = 0) -> time:
    return time(hour, minute, second)


def dt(day: date, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second)
