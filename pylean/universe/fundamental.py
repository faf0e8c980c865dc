"""Fundamental (coarse) universes (Common/Data/Fundamental/FundamentalUniverse.cs, CoarseFundamental.cs): the
daily equity/usa/fundamental/coarse/<date>.csv of Lean's data folder, one Fundamental per row, handed to the
selector at the file's end (midnight after its date, New York). A fine selector, when given, gets the
Fundamental objects of the coarse selection (pylean reads no fine fundamental data)."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from pylean.enums import SecurityType
from pylean.naming import lean_api
from pylean.symbols import _OA_EPOCH, SecurityIdentifier, Symbol
from pylean.universe.file_universes import _DatedFileUniverse
from pylean.universe.identifiers import symbol_from_file
from pylean.universe.user_defined import to_symbols


@lean_api
class Fundamental:
    """One row of a coarse file: `sid,ticker,close,volume,dollar volume,has fundamental data,price factor,split
    factor`."""

    def __init__(self, time: datetime, symbol: Any, value: Decimal = Decimal(0), volume: int = 0,
                 dollar_volume: float = 0.0, has_fundamental_data: bool = False,
                 price_factor: Decimal = Decimal(1), split_factor: Decimal = Decimal(1)) -> None:
        self.time = time
        self.end_time = time + timedelta(days=1)
        self.symbol = symbol
        self.value = value
        self.volume = volume
        self.dollar_volume = dollar_volume
        self.has_fundamental_data = has_fundamental_data
        self.price_factor = price_factor
        self.split_factor = split_factor

    price = property(lambda self: self.value)
    market = property(lambda self: "usa")
    price_scale_factor = property(lambda self: self.price_factor * self.split_factor)
    adjusted_price = property(lambda self: self.value * self.price_factor * self.split_factor)

    def __repr__(self) -> str:
        return f"{self.symbol}: {self.value}"


CoarseFundamental = Fundamental


def _fundamental(fields: list[str], time: datetime) -> Fundamental | None:
    symbol = symbol_from_file(fields[1], fields[0])
    if symbol is None:
        return None
    return Fundamental(time, symbol, Decimal(fields[2]), int(fields[3]), float(fields[4]),
                       fields[5].strip().lower() == "true", Decimal(fields[6]), Decimal(fields[7]))


@lean_api
class FundamentalUniverse(_DatedFileUniverse):
    """`add_universe(selector)` and `add_universe(coarse, fine)`: Lean's FundamentalUniverse.USA."""

    def __init__(self, selector: Callable[[list[Any]], Any], universe_settings: Any = None,
                 fine_selector: Callable[[list[Any]], Any] | None = None) -> None:
        name = "qc-universe-fundamental-usa"
        super().__init__(Symbol(SecurityIdentifier(name, _OA_EPOCH, "usa", SecurityType.EQUITY), name),
                         universe_settings)
        self.__dict__["_pylean_selectors"] = (selector, fine_selector)

    def _folder(self) -> Path:
        root: Any = self.__dict__.get("_pylean_data_folder")
        return Path(root) / "equity" / "usa" / "fundamental" / "coarse"

    def selection_data(self, local_time: datetime) -> list[Fundamental]:
        time = local_time - timedelta(days=1)
        return [row for row in (_fundamental(f, time) for f in self._rows(local_time) if len(f) >= 8) if row]

    def select_symbols(self, local_time: datetime, data: Any) -> Any:
        coarse, fine = self.__dict__["_pylean_selectors"]
        selected = to_symbols(coarse(data))
        if fine is None or selected is None or not isinstance(selected, list):
            return selected
        chosen = set(selected)
        return to_symbols(fine([row for row in data if row.symbol in chosen]))


def FundamentalUniverseFactory(market: Any, universe_settings: Any,  # noqa: N802 - Lean's class name
                               selector: Callable[[list[Any]], Any]) -> FundamentalUniverse:
    """Lean's FundamentalUniverseFactory(market, settings, selector), which Lean's Python selection models build."""
    return FundamentalUniverse(selector, universe_settings)


def CoarseFundamentalUniverse(*args: Any) -> FundamentalUniverse:  # noqa: N802 - Lean's class name
    """CoarseFundamentalUniverse([symbol,] settings, selector): a fundamental universe of the coarse selector."""
    selector = next(a for a in reversed(args) if callable(a))
    settings = next((a for a in args if hasattr(a, "resolution") and hasattr(a, "fill_forward")), None)
    return FundamentalUniverse(selector, settings)


def FineFundamentalFilteredUniverse(universe: FundamentalUniverse,  # noqa: N802 - Lean's class name
                                    fine_selector: Callable[[list[Any]], Any]) -> FundamentalUniverse:
    """The coarse universe whose selection is then passed through the fine selector."""
    coarse, _ = universe.__dict__["_pylean_selectors"]
    universe.__dict__["_pylean_selectors"] = (coarse, fine_selector)
    return universe
