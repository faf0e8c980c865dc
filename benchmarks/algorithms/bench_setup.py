"""Shared set-up of the benchmark algorithms: dates, cash and symbols come from the run's parameters.

Parameters (all strings, as Lean passes them): `tickers` (comma-separated), `start` and `end`
(yyyymmdd, inclusive), `resolution` (second, minute, hour or daily), `cash`.
Importable by the algorithms because the runner puts the algorithm's folder on sys.path
(pylean does, and so does Lean for a project's own files).
"""
from datetime import datetime

from AlgorithmImports import *

RESOLUTIONS = {"second": Resolution.SECOND, "minute": Resolution.MINUTE, "hour": Resolution.HOUR,
               "daily": Resolution.DAILY}
REAL_TICKERS = "AAPL,ABBV,AMD,AMZN,GS,HAL,JNJ,MCD,META,NVDA,OXY,SHOP,TSLA,UBER,V"


def configure(algorithm, tickers=REAL_TICKERS, start="20251001", end="20251010", resolution="second"):
    """Set the dates and cash, add one equity per ticker; returns their symbols."""
    parameter = algorithm.get_parameter
    first = datetime.strptime(parameter("start") or start, "%Y%m%d")
    last = datetime.strptime(parameter("end") or end, "%Y%m%d")
    algorithm.set_start_date(first.year, first.month, first.day)
    algorithm.set_end_date(last.year, last.month, last.day)
    algorithm.set_cash(int(parameter("cash") or 100000))
    chosen = RESOLUTIONS[(parameter("resolution") or resolution).lower()]
    names = [t.strip() for t in (parameter("tickers") or tickers).split(",") if t.strip()]
    return [algorithm.add_equity(name, chosen).symbol for name in names]
