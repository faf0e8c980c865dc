"""Map files, factor files, normalization (mirrors Common/Data/Auxiliary/MapFile.cs, CorporateFactorProvider.cs).

Factors are decimal.Decimal parsed from the text exactly, as Lean keeps them in .NET decimal.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

# Lean's SecurityIdentifier.DefaultDate / Time.EndOfTime: the span of a ticker without a map file.
DEFAULT_FIRST_DATE = date(1899, 12, 30)
END_OF_TIME = date(2050, 12, 31)
ONE = Decimal(1)

# Normalization modes (Lean DataNormalizationMode) -> which factor scales prices.
_MODES = {"adjusted": "both", "scaledraw": "both", "splitadjusted": "split", "raw": "none"}


def _parse_yyyymmdd(text: str) -> date:
    text = text.strip()
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


# ----------------------------------------------------------------------------- map files

@dataclass(frozen=True)
class MapFileRow:
    """`YYYYMMDD,mapped_ticker[,primary_exchange[,mapping_mode]]`: ticker in effect up to date."""

    date: date
    ticker: str  # upper-case
    exchange: str = ""


@dataclass
class MapFile:
    """Ticker history of one security (spec 1.6)."""

    rows: list[MapFileRow]
    has_file: bool = True
    _dates: list[date] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.rows:
            raise ValueError("a map file needs at least one row")
        self._dates = [row.date for row in self.rows]

    @property
    def first_date(self) -> date:
        return self.rows[0].date

    @property
    def first_ticker(self) -> str:
        return self.rows[0].ticker

    @property
    def delisting_date(self) -> date:
        return self.rows[-1].date

    def mapped_ticker(self, d: date) -> str | None:
        """The ticker of the first row dated >= d; None outside [first_date, delisting_date]."""
        if not self.has_file:
            return self.first_ticker  # no map file: the ticker maps to itself on every date
        if d < self.first_date or d > self.delisting_date:
            return None
        return self.rows[bisect.bisect_left(self._dates, d)].ticker


def default_map_file(ticker: str) -> MapFile:
    """What Lean assumes for a ticker without a map file: itself, from 1899-12-30 on."""
    return MapFile([MapFileRow(DEFAULT_FIRST_DATE, ticker.upper()), MapFileRow(END_OF_TIME, ticker.upper())],
                   has_file=False)


def parse_map_file(text: str) -> list[MapFileRow]:
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split(",")]
        if not cells[0] or cells[0].startswith("#"):
            continue
        rows.append(MapFileRow(_parse_yyyymmdd(cells[0]), cells[1].upper(), cells[2] if len(cells) > 2 else ""))
    rows.sort(key=lambda row: row.date)
    return rows


def load_map_file(data_folder: Path | str, ticker: str) -> MapFile:
    """equity/usa/map_files/<ticker>.csv, or the default map file when there is none."""
    path = Path(data_folder) / "equity" / "usa" / "map_files" / f"{ticker.lower()}.csv"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return default_map_file(ticker)
    rows = parse_map_file(text)
    return MapFile(rows) if rows else default_map_file(ticker)


# ----------------------------------------------------------------------------- factor files

@dataclass(frozen=True)
class FactorRow:
    """`YYYYMMDD,price_factor,split_factor[,reference_price]`: applies to dates up to `date`."""

    date: date
    price_factor: Decimal
    split_factor: Decimal
    reference_price: Decimal | None = None

    @property
    def price_scale_factor(self) -> Decimal:
        return self.price_factor * self.split_factor


@dataclass
class FactorFile:
    """Price/split factors of one security (spec 1.7). No rows means every factor is 1."""

    rows: list[FactorRow]
    has_file: bool = True
    _dates: list[date] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rows = sorted(self.rows, key=lambda row: row.date)
        self._dates = [row.date for row in self.rows]

    def row_for(self, d: date) -> FactorRow | None:
        """The row with the smallest date >= d (None after the last row: factors are 1)."""
        index = bisect.bisect_left(self._dates, d)
        return self.rows[index] if index < len(self.rows) else None

    def price_scale_factor(self, d: date, mode: str) -> Decimal:
        """Multiplier for prices dated d: adjusted/scaled_raw -> price x split, split_adjusted -> split, raw -> 1."""
        which = _MODES.get(mode.replace("_", "").lower())
        if which is None:
            raise ValueError(f"unsupported normalization mode {mode!r} (adjusted, scaled_raw, split_adjusted, raw)")
        row = self.row_for(d) if which != "none" else None
        if row is None:
            return ONE
        return row.price_scale_factor if which == "both" else row.split_factor


def parse_factor_file(text: str) -> list[FactorRow]:
    """Rows as Lean keeps them: lines with "inf" or "e+" skipped, non-positive factors ignored."""
    rows = []
    for line in text.splitlines():
        # Lean (CorporateFactorRow.Parse): exponent notation loses precision, so it is skipped like inf.
        if "inf" in line or "e+" in line:
            continue
        cells = [c.strip() for c in line.split(",")]
        if not cells[0] or cells[0].startswith("#"):
            continue
        row = FactorRow(_parse_yyyymmdd(cells[0]), Decimal(cells[1]), Decimal(cells[2]),
                        Decimal(cells[3]) if len(cells) > 3 and cells[3] else None)
        if row.price_scale_factor > 0:
            rows.append(row)
    return rows


def load_factor_file(data_folder: Path | str, ticker: str) -> FactorFile:
    """equity/usa/factor_files/<ticker>.csv; a missing file means all factors are 1."""
    path = Path(data_folder) / "equity" / "usa" / "factor_files" / f"{ticker.lower()}.csv"
    try:
        return FactorFile(parse_factor_file(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return FactorFile([], has_file=False)
