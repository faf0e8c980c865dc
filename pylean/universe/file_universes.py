"""Universes read from Lean's universe files: ETF constituents (universes/etf/<etf>/<date>.csv) and
ConstituentsUniverse (universes/<resolution>/<name>/<date>.csv). A file of date D is one data point
delivered at its end time, D + 1 day in the data's time zone (UTC for ETF files, New York for constituents)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from pylean.enums import Resolution, SecurityType
from pylean.naming import lean_api
from pylean.symbols import _OA_EPOCH, SecurityIdentifier, Symbol
from pylean.timeutil import utc_to_local
from pylean.universe.base import Universe
from pylean.universe.identifiers import symbol_from_file


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


@lean_api
class ETFConstituentUniverse:
    """One row of an ETF constituents file."""

    def __init__(self, symbol: Any = None, time: datetime | None = None, last_update: datetime | None = None,
                 weight: Decimal | None = None, shares_held: Decimal | None = None,
                 market_value: Decimal | None = None) -> None:
        self.symbol = symbol
        self.time = time
        self.end_time = time + timedelta(days=1) if time is not None else None
        self.last_update = last_update
        self.weight = weight
        self.shares_held = shares_held
        self.market_value = market_value

    value = property(lambda self: 0.0)

    def __repr__(self) -> str:
        return f"{self.symbol} weight={self.weight}"


ETFConstituentData = ETFConstituentUniverse


@lean_api
class ConstituentsUniverseData:
    def __init__(self, symbol: Any = None, time: datetime | None = None) -> None:
        self.symbol = symbol
        self.time = time
        self.end_time = time + timedelta(days=1) if time is not None else None


class _DatedFileUniverse(Universe):
    """Selection at the end time of each dated file in a folder."""

    utc_files = False  # the files' dates are UTC days (else New York)

    def _folder(self) -> Path:
        raise NotImplementedError

    def _end_time(self, day: date) -> datetime:
        end = datetime(day.year, day.month, day.day) + timedelta(days=1)
        return utc_to_local(end) if self.utc_files else end

    def trigger_times(self, start: datetime, end: datetime, hours: Any) -> Iterable[datetime]:
        folder = self._folder()
        days = sorted(date(int(p.stem[:4]), int(p.stem[4:6]), int(p.stem[6:8]))
                      for p in folder.glob("*.csv") if p.stem.isdigit() and len(p.stem) == 8) if folder.is_dir() else []
        files = self.__dict__.setdefault("_pylean_files", {})
        # DataManager starts a universe subscription on the tradable day before the algorithm's start, so the
        # first selection happens at the start with the latest file of that day
        first = start.date() - timedelta(days=1)
        while not hours.is_trading_day(first):
            first -= timedelta(days=1)
        early = [day for day in days if datetime(first.year, first.month, first.day) < self._end_time(day) < start]
        if early:
            files[start] = folder / f"{early[-1]:%Y%m%d}.csv"
            yield start
        for day in days:
            when = self._end_time(day)
            if start <= when <= end:
                files[when] = folder / f"{day:%Y%m%d}.csv"
                yield when

    def _rows(self, when: datetime) -> list[list[str]]:
        path = self.__dict__.get("_pylean_files", {}).get(when)
        if path is None:
            return []
        return [line.split(",") for line in path.read_text().splitlines() if line.strip()]

    def data_points(self, data: Any) -> int:
        return len(data)  # TimeSliceFactory counts a universe's data collection item by item


@lean_api
class ETFConstituentsUniverse(_DatedFileUniverse):
    """`universe.etf(etf, settings, filter)`: the ETF's constituents, passed through the filter (all by default)."""

    utc_files = True
    # an algorithm whose only data is this universe has Lean's data feed (and its benchmark) start at the
    # universe's first file, not at the algorithm's start (UniverseOnlyRegressionAlgorithm's statistics)
    first_data_starts_feed = True

    def __init__(self, etf_symbol: Any, universe_settings: Any = None,
                 universe_filter_func: Callable[[list[Any]], Any] | None = None, data_folder: Path | None = None) -> None:
        etf = etf_symbol if isinstance(etf_symbol, Symbol) else Symbol.create(str(etf_symbol))
        super().__init__(Symbol(SecurityIdentifier(f"qc-universe-etf-{etf.value}", _OA_EPOCH, "usa",
                                                   SecurityType.BASE), f"qc-universe-etf-{etf.value}"),
                         universe_settings)
        self.__dict__["_pylean_etf"] = etf
        self.__dict__["_pylean_filter"] = universe_filter_func
        self.__dict__["_pylean_data_folder"] = data_folder

    def _folder(self) -> Path:
        root = self.__dict__["_pylean_data_folder"]
        return Path(root) / "equity" / "usa" / "universes" / "etf" / self.__dict__["_pylean_etf"].value.lower()

    def selection_data(self, local_time: datetime) -> list[ETFConstituentUniverse]:
        rows = []
        time = local_time - timedelta(days=1)
        for fields in self._rows(local_time):
            symbol = symbol_from_file(fields[0], fields[1])
            if symbol is None:
                continue
            updated = datetime.strptime(fields[2], "%Y%m%d") if fields[2].strip() else None
            rows.append(ETFConstituentUniverse(symbol, time, updated, _decimal(fields[3]), _decimal(fields[4]),
                                               _decimal(fields[5])))
        return rows

    def select_symbols(self, local_time: datetime, data: Any) -> Any:
        chosen = self.__dict__["_pylean_filter"]
        result = chosen(data) if chosen is not None else [row.symbol for row in data]
        from pylean.universe.user_defined import to_symbols

        return to_symbols(result)


@lean_api
class ConstituentsUniverse(_DatedFileUniverse):
    """ConstituentsUniverse(symbol, settings[, filter]): the symbols listed in the universe's daily files."""

    def __init__(self, symbol: Any, universe_settings: Any = None,
                 constituents_filter: Callable[[list[Any]], Any] | None = None) -> None:
        super().__init__(symbol, universe_settings)
        self.__dict__["_pylean_filter"] = constituents_filter

    def _folder(self) -> Path:
        name = str(self.__dict__["_pylean_symbol"].value)
        resolution = Resolution(getattr(self.universe_settings, "resolution", Resolution.DAILY) or Resolution.DAILY)
        root: Any = self.__dict__.get("_pylean_data_folder")
        return Path(root) / "equity" / "usa" / "universes" / resolution.name.lower() / name[name.rfind("-") + 1:].lower()

    def selection_data(self, local_time: datetime) -> list[ConstituentsUniverseData]:
        time = local_time - timedelta(days=1)
        return [ConstituentsUniverseData(symbol_from_file(f[0], f[1]), time) for f in self._rows(local_time)]

    def data_points(self, data: Any) -> int:
        # Lean's ConstituentsUniverseRegressionAlgorithm counts none of its files' rows in DataPoints
        return 0

    def select_symbols(self, local_time: datetime, data: Any) -> Any:
        chosen = self.__dict__["_pylean_filter"]
        if chosen is not None:
            from pylean.universe.user_defined import to_symbols

            return to_symbols(chosen(data))
        return [row.symbol for row in data if row.symbol is not None]


def generate_constituent_identifier(name: str, security_type: Any = SecurityType.EQUITY,
                                    market: str = "usa") -> SecurityIdentifier:
    """SecurityIdentifier.GenerateConstituentIdentifier: a base-data identifier named after the universe."""
    return SecurityIdentifier(name, _OA_EPOCH, market, SecurityType.BASE)

