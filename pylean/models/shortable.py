"""Shortable providers (Common/Data/Shortable/): how many shares can be shorted on a date, at what fee and rebate.

The null provider, the default of the default brokerage model, has no limit (None) and zero rates. The local
disk provider reads `<data>/equity/usa/shortable/<brokerage>/symbols/<ticker>.csv` (rows of
`yyyyMMdd,quantity,rebate %,fee %`); a date without a row is shortable without limit at zero rates.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from pylean.data.run_data_folder import run_data_folder
from pylean.naming import lean_api
from pylean.symbols import Symbol

@lean_api
class NullShortableProvider:
    def fee_rate(self, symbol: Symbol, local_time: datetime) -> float:
        return 0.0

    def rebate_rate(self, symbol: Symbol, local_time: datetime) -> float:
        return 0.0

    def shortable_quantity(self, symbol: Symbol, local_time: datetime) -> int | None:
        return None


NULL_SHORTABLE_PROVIDER = NullShortableProvider()
NullShortableProvider.instance = NullShortableProvider.Instance = NULL_SHORTABLE_PROVIDER  # type: ignore[attr-defined]


class ShortableData(NamedTuple):
    quantity: int | None
    rebate_rate: Decimal  # fractions: the file's percentages / 100
    fee_rate: Decimal


def read_shortable_file(path: Path) -> dict[date, ShortableData]:
    rows: dict[date, ShortableData] = {}
    if not path.is_file():
        return rows
    for line in path.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        cells = line.split(",")
        day = datetime.strptime(cells[0], "%Y%m%d").date()
        quantity = int(cells[1]) if len(cells) > 1 and cells[1] else None
        rebate = Decimal(cells[2]) if len(cells) > 2 and cells[2] else Decimal(0)
        fee = Decimal(cells[3]) if len(cells) > 3 and cells[3] else Decimal(0)
        rows[day] = ShortableData(quantity, rebate / 100, fee / 100)
    return rows


@lean_api
class LocalDiskShortableProvider:
    """Reads one ticker's file at a time (Lean keeps the last ticker asked about). Its state has `_pylean_`
    names: users subclass it, and their own attributes must not replace it."""

    def __init__(self, brokerage: str) -> None:
        self.brokerage = brokerage.lower()
        self._pylean_ticker: str | None = None
        self._pylean_rows: dict[date, ShortableData] = {}

    def _row(self, symbol: Symbol | None, local_time: datetime) -> ShortableData | None:
        if symbol is None:
            return None
        if symbol.value != self._pylean_ticker:
            self._pylean_ticker = symbol.value
            folder = run_data_folder()
            self._pylean_rows = {} if folder is None else read_shortable_file(
                Path(folder) / "equity" / "usa" / "shortable" / self.brokerage / "symbols"
                / f"{symbol.value.lower()}.csv")
        day = local_time.date() if isinstance(local_time, datetime) else local_time
        return self._pylean_rows.get(day)

    def fee_rate_decimal(self, symbol: Symbol, local_time: datetime) -> Decimal:
        row = self._row(symbol, local_time)
        return row.fee_rate if row is not None else Decimal(0)

    def rebate_rate_decimal(self, symbol: Symbol, local_time: datetime) -> Decimal:
        row = self._row(symbol, local_time)
        return row.rebate_rate if row is not None else Decimal(0)

    def fee_rate(self, symbol: Symbol, local_time: datetime) -> float:
        return float(self.fee_rate_decimal(symbol, local_time))

    def rebate_rate(self, symbol: Symbol, local_time: datetime) -> float:
        return float(self.rebate_rate_decimal(symbol, local_time))

    def shortable_quantity(self, symbol: Symbol, local_time: datetime) -> int | None:
        row = self._row(symbol, local_time)
        return row.quantity if row is not None else None
