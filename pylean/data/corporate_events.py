"""Dividends and splits derived from factor files (Engine/DataFeeds/Enumerators/Factories/
CorporateEventEnumeratorFactory.cs, DividendEventProvider.cs, SplitEventProvider.cs; Common/Data/Market/Dividend.cs,
Split.cs)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from pylean.data.factors import FactorFile
from pylean.enums import _add_pascal_aliases, _LeanIntEnum
from pylean.naming import lean_api
from pylean.symbols import Symbol


@lean_api
class Dividend:
    """A cash distribution delivered on its ex-date (at midnight) in `slice.dividends`."""

    __slots__ = ("symbol", "time", "distribution", "reference_price")

    def __init__(self, symbol: Symbol, time: datetime, distribution: float, reference_price: float) -> None:
        self.symbol = symbol
        self.time = time
        self.distribution = distribution
        self.reference_price = reference_price

    @property
    def value(self) -> float:
        return self.distribution

    @property
    def end_time(self) -> datetime:
        return self.time

    def __repr__(self) -> str:
        return f"Dividend: {self.symbol}: {self.distribution}"


@dataclass(frozen=True)
class DividendRow:
    row_date: date          # last trading day before the ex-date (the factor row's date)
    distribution: Decimal
    reference_price: Decimal


def dividend_rows(factor_file: FactorFile) -> list[DividendRow]:
    """One dividend per factor row whose price factor differs from the next row's.

    distribution = reference close x (1 - this factor / next factor), rounded to cents (banker's),
    since the adjustment factor is built as (close - dividend) / close.
    """
    rows = factor_file.rows
    out = []
    for row, following in zip(rows, rows[1:]):
        if row.price_factor == following.price_factor or not row.reference_price:
            continue
        ratio = row.price_factor / following.price_factor
        distribution = (row.reference_price - row.reference_price * ratio).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
        out.append(DividendRow(row.date, distribution, row.reference_price))
    return out


class SplitType(_LeanIntEnum):
    WARNING = 0
    SPLIT_OCCURRED = 1


_add_pascal_aliases(SplitType)


@lean_api
class Split:
    """A split: a Warning at midnight of the last trading day before it, SplitOccurred at midnight of the next
    trading day (the split date), both in `slice.splits`. Portfolio effects are not modelled (Adjusted data)."""

    __slots__ = ("symbol", "time", "split_factor", "reference_price", "type")

    def __init__(self, symbol: Symbol, time: datetime, reference_price: float, split_factor: float,
                 type: SplitType) -> None:
        self.symbol = symbol
        self.time = time
        self.reference_price = reference_price
        self.split_factor = split_factor
        self.type = type

    @property
    def value(self) -> float:
        return self.reference_price

    @property
    def end_time(self) -> datetime:
        return self.time

    def __repr__(self) -> str:
        return f"Split: {self.symbol}: {self.split_factor} {self.type}"


@dataclass(frozen=True)
class SplitRow:
    row_date: date          # the last trading day before the split (the warning's day)
    split_factor: Decimal   # this row's split factor / the next row's (CorporateFactorProvider)
    reference_price: Decimal


def split_rows(factor_file: FactorFile) -> list[SplitRow]:
    """One split per factor row whose split factor differs from the next row's."""
    rows = factor_file.rows
    return [SplitRow(row.date, row.split_factor / following.split_factor, row.reference_price or Decimal(0))
            for row, following in zip(rows, rows[1:]) if row.split_factor != following.split_factor]
