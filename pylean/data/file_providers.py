"""Map and factor file providers Lean's algorithms build themselves (Common/Data/Auxiliary/
LocalDiskMapFileProvider.cs, LocalDiskFactorFileProvider.cs, Engine/DataFeeds/DefaultDataProvider.cs).

They read the run's data folder; `initialize` takes the providers Lean chains them with and needs nothing.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from pylean.data.factors import FactorFile, MapFile, load_factor_file, load_map_file
from pylean.data.run_data_folder import run_data_folder
from pylean.enums import DataNormalizationMode
from pylean.naming import lean_api
from pylean.numbers import to_float

_MODE_NAMES = {DataNormalizationMode.ADJUSTED: "adjusted", DataNormalizationMode.RAW: "raw",
               DataNormalizationMode.SPLIT_ADJUSTED: "split_adjusted"}


@lean_api
class DefaultDataProvider:
    """Files come from the data folder on disk."""

    def fetch(self, key: str) -> Any:
        path = Path(key)
        return path.open("rb") if path.is_file() else None


@lean_api
class LocalDiskMapFileProvider:
    def initialize(self, data_provider: Any = None) -> None:
        pass

    def get(self, key: Any) -> MapFile:
        return load_map_file(_folder(), _ticker(getattr(key, "symbol", key)))  # a Symbol or an auxiliary-data key


@lean_api
class CorporateFactorProvider:
    """A ticker's factor file with Lean's query by date and normalization mode."""

    def __init__(self, factor_file: FactorFile) -> None:
        self._file = factor_file

    def get_price_factor(self, search_date: date | datetime, mode: Any, *_: Any) -> float:
        day = search_date.date() if isinstance(search_date, datetime) else search_date
        return to_float(self._file.price_scale_factor(day, _MODE_NAMES.get(mode, str(mode))))

    def get_price_scale_factor(self, search_date: date | datetime) -> float:
        return self.get_price_factor(search_date, DataNormalizationMode.ADJUSTED)


@lean_api
class LocalDiskFactorFileProvider:
    def initialize(self, map_file_provider: Any = None, data_provider: Any = None) -> None:
        pass

    def get(self, symbol: Any) -> CorporateFactorProvider:
        return CorporateFactorProvider(load_factor_file(_folder(), _ticker(symbol)))


def _folder() -> Any:
    folder = run_data_folder()
    if folder is None:
        raise RuntimeError("map and factor file providers read the data folder of a run")
    return folder


def _ticker(symbol: Any) -> str:
    return str(getattr(symbol, "value", symbol))
