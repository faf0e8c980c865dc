"""Risk-free interest rate provider (mirrors Common/Data/InterestRateProvider.cs; spec 4.4).

interest-rate.csv lists the FED primary credit rate in percent on the dates it changed;
Lean forward-fills it to every calendar day and uses the first value before the first row.
"""
from __future__ import annotations

import bisect
from datetime import date
from decimal import Decimal
from pathlib import Path

DEFAULT_RATE = Decimal("0.01")  # Lean's default when the file is missing
_HUNDRED = Decimal(100)


class InterestRateProvider:
    """rate(d) -> the annual risk-free rate (a fraction, e.g. 0.0075) in effect on d."""

    def __init__(self, rows: list[tuple[date, Decimal]]) -> None:
        rows = sorted(rows)
        self._dates = [d for d, _ in rows]
        self._rates = [rate for _, rate in rows]

    @classmethod
    def from_data_folder(cls, data_folder: Path | str) -> InterestRateProvider:
        """alternative/interest-rate/usa/interest-rate.csv (header DATE,PCREDIT8); missing -> 0.01."""
        path = Path(data_folder) / "alternative" / "interest-rate" / "usa" / "interest-rate.csv"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls([])
        return cls(parse_interest_rates(text))

    def rate(self, d: date) -> Decimal:
        if not self._dates:
            return DEFAULT_RATE
        index = bisect.bisect_right(self._dates, d) - 1
        return self._rates[max(index, 0)]  # before the first row: the first row's rate


def parse_interest_rates(text: str) -> list[tuple[date, Decimal]]:
    """Rows `yyyy-MM-dd,percent` -> (date, percent / 100), exact decimals."""
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split(",")]
        if len(cells) < 2 or not cells[0] or not cells[0][0].isdigit():
            continue  # header or blank
        year, month, day = (int(p) for p in cells[0].split("-"))
        rows.append((date(year, month, day), Decimal(cells[1]) / _HUNDRED))
    return rows
