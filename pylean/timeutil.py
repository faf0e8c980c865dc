"""Exchange-local clock arithmetic: naive New York datetimes <-> integer milliseconds, and UTC conversion."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1)
EPOCH_DATE = date(1970, 1, 1)
MS_PER_DAY = 86_400_000
NEW_YORK = ZoneInfo("America/New_York")


def day_ms(d: date) -> int:
    """Milliseconds of local midnight of `d`, counted on the naive local time line."""
    return (d - EPOCH_DATE).days * MS_PER_DAY


def ms_to_local(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=int(ms))


def local_to_ms(dt: datetime) -> int:
    delta = dt - EPOCH
    return delta.days * MS_PER_DAY + delta.seconds * 1000 + delta.microseconds // 1000


@lru_cache(maxsize=4096)
def utc_offset_ms(d: date, tz: ZoneInfo = NEW_YORK) -> int:
    """Offset of local time from UTC on `d` (taken at noon: exchange sessions never straddle a DST switch)."""
    offset = datetime(d.year, d.month, d.day, 12, tzinfo=tz).utcoffset()
    assert offset is not None
    return int(offset.total_seconds() * 1000)


# the last New York conversion: naive local, aware UTC, naive UTC (made when first asked, else None)
_last_new_york: list[Any] = [None, None, None]
last_new_york_times = _last_new_york  # read-only elsewhere: orders/types.utc_aware


def local_to_utc(dt: datetime, tz: ZoneInfo = NEW_YORK) -> datetime:
    """Naive local -> aware UTC."""
    if tz is NEW_YORK:
        # the clock's one datetime object per step is converted many times (utc_time, order events)
        last = _last_new_york
        if last[0] is dt:
            return last[1]  # type: ignore[no-any-return]
        utc = dt.replace(tzinfo=tz).astimezone(timezone.utc)
        last[0], last[1], last[2] = dt, utc, None
        return utc
    return dt.replace(tzinfo=tz).astimezone(timezone.utc)


def local_to_naive_utc(dt: datetime) -> datetime:
    """Naive New York local -> naive UTC (what `algorithm.utc_time` shows), made once per clock object:
    fill models ask for it at every order of every step."""
    last = _last_new_york
    if last[0] is dt:
        naive = last[2]
        if naive is None:
            naive = last[2] = last[1].replace(tzinfo=None)
        return naive  # type: ignore[no-any-return]
    naive = local_to_utc(dt).replace(tzinfo=None)
    last[2] = naive
    return naive


def utc_to_local(dt: datetime, tz: ZoneInfo = NEW_YORK) -> datetime:
    """Aware (or naive-UTC) -> naive local."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(tz).replace(tzinfo=None)

