"""Readers for the few Lean sample-data facts the statistics tests rebuild by hand (spec §9)."""
from __future__ import annotations

import zipfile
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from pylean.statistics.dotnet import net_div, net_mul, round_decimal

SPY_FACTOR = Decimal("0.8646266")  # factor_files/spy.csv row 20131219, valid for Oct 2013
NY_OFFSET = timedelta(hours=4)     # EDT in October 2013


def ny(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """A New York wall-clock time (October 2013) as an aware UTC datetime."""
    return datetime(y, m, d, h, mi, tzinfo=timezone.utc) + NY_OFFSET


def adjusted(raw: str | Decimal) -> Decimal:
    """Deci-cents x 0.0001 x factor, as Lean scales prices."""
    return net_mul(net_mul(Decimal(raw), Decimal("0.0001")), SPY_FACTOR)


def adjusted_volume(raw: str) -> Decimal:
    """Volume x (1 / factor), banker's rounded."""
    return round_decimal(net_mul(Decimal(raw), net_div(Decimal(1), SPY_FACTOR)), 0)


class SpyData:
    """SPY sample data of Oct 2013 plus the helpers to scale it (exposed on the fixture)."""
    ny = staticmethod(ny)
    adjusted = staticmethod(adjusted)
    adjusted_volume = staticmethod(adjusted_volume)

    def __init__(self, root: Path) -> None:
        self.root = root / "equity" / "usa"

    def _rows(self, zip_path: Path) -> list[list[str]]:
        with zipfile.ZipFile(zip_path) as z:
            return [line.split(",") for line in z.read(z.namelist()[0]).decode().splitlines()]

    def hour_closes(self) -> dict[str, Decimal]:
        """'yyyyMMdd HH:mm' -> raw close of the SPY hour bars of October 2013."""
        return {r[0]: Decimal(r[4]) for r in self._rows(self.root / "hour" / "spy.zip") if r[0].startswith("201310")}

    def daily_rows(self) -> dict[str, list[str]]:
        return {r[0][:8]: r for r in self._rows(self.root / "daily" / "spy.zip") if r[0].startswith("201310")}

    def minute_trade_rows(self, day: str) -> list[tuple[datetime, list[str]]]:
        """(bar end time UTC, row) of the regular-hours minute trade bars of one day."""
        y, m, d = int(day[:4]), int(day[4:6]), int(day[6:])
        out = []
        for r in self._rows(self.root / "minute" / "spy" / f"{day}_trade.zip"):
            ms = int(r[0])
            if 34_200_000 <= ms < 57_600_000:
                out.append((ny(y, m, d) + timedelta(milliseconds=ms + 60_000), r))
        return out


@pytest.fixture(scope="session")
def spy(lean_data: Path) -> SpyData:
    return SpyData(lean_data)
