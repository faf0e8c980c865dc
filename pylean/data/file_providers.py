"""Lean's map- and factor-file providers as algorithms construct them (Common/Data/Auxiliary/
LocalDiskMapFileProvider.cs, LocalDiskFactorFileProvider.cs, Engine/DataFeeds/DefaultDataProvider.cs), reading
the run's data folder."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pylean.data.factors import FactorFile, load_factor_file, load_map_file
from pylean.naming import lean_api

_data_folder: Path | None = None


def use_data_folder(folder: Path | str | None) -> None:
    """The folder the providers read (the runtime sets the run's)."""
    global _data_folder
    _data_folder = Path(folder) if folder is not None else None


def _folder() -> Path:
    if _data_folder is None:
        raise RuntimeError("no data folder: the providers read the running backtest's")
    return _data_folder


def _ticker(symbol: Any) -> str:
    return str(getattr(symbol, "value", symbol))


@lean_api
class DefaultDataProvider:
    def fetch(self, key: str) -> Any:
        path = Path(key)
        return path.open("rb") if path.is_file() else None


@lean_api
class LocalDiskMapFileProvider:
    def initialize(self, data_provider: Any = None) -> None:
        pass

    def get(self, key: Any) -> Any:
        return load_map_file(_folder(), _ticker(getattr(key, "symbol", key)))


@lean_api
class FactorFileView:
    """A factor file as Lean's CorporateFactorProvider answers it."""

    def __init__(self, factor_file: FactorFile) -> None:
        self._factor_file = factor_file

    def get_price_factor(self, search_date: datetime, normalization_mode: Any, *_: Any) -> Decimal:
        mode = getattr(normalization_mode, "name", str(normalization_mode))
        return self._factor_file.price_scale_factor(search_date.date() if isinstance(search_date, datetime)
                                                    else search_date, mode)


@lean_api
class LocalDiskFactorFileProvider:
    def initialize(self, map_file_provider: Any = None, data_provider: Any = None) -> None:
        pass

    def get(self, symbol: Any) -> FactorFileView:
        return FactorFileView(load_factor_file(_folder(), _ticker(symbol)))
