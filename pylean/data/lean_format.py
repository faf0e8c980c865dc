"""Lean equity zip/CSV readers -> numpy columns (mirrors Common/Data/Market/TradeBar.cs and QuoteBar.cs Reader).

Values are returned exactly as stored: prices in integer deci-cents (dollars x 10000, the
engine scales), times as int64 milliseconds since midnight in the data time zone (New York).
The fast path is zipfile + pyarrow.csv with explicit int64 columns; anything pyarrow rejects,
or any cheap vectorized check that fails, falls back to a line-by-line parse whose only job is
to name the offending line (or to read oddly formatted but valid files, e.g. with blank lines).
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pylean.data.errors import LeanDataError

if TYPE_CHECKING:
    import pyarrow as pa

TRADE_FIELDS = ("ms", "open", "high", "low", "close", "volume")
QUOTE_FIELDS = ("ms", "bid_open", "bid_high", "bid_low", "bid_close", "bid_size",
                "ask_open", "ask_high", "ask_low", "ask_close", "ask_size")
# Hour/daily rows start with "yyyyMMdd HH:mm" (Lean DateFormat.TwelveCharacter), split into two columns.
DAILY_FIELDS = ("date", "ms", "open", "high", "low", "close", "volume")
RESOLUTIONS = ("second", "minute", "hour", "daily")
# Bump when what the readers accept or return changes: cached entries of another version are rebuilt.
# 2: duplicate times, non-positive trade prices and negative sizes are rejected.
READER_VERSION = 2
KINDS = ("trade", "quote")

Columns = dict[str, np.ndarray]

_BLOCK_SIZE = 1 << 18  # several pyarrow blocks per second-bar file, so both cores parse
_BOM = b"\xef\xbb\xbf"
_INT_RE = re.compile(rb"\s*-?\d+\s*")
_STAMP_RE = re.compile(rb"(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2})")
_INT64_MAX = np.iinfo(np.int64).max


# ----------------------------------------------------------------------------- paths

def intraday_path(data_folder: Path | str, resolution: str, ticker: str,
                  yyyymmdd: str | date, kind: str) -> Path:
    """equity/usa/<resolution>/<ticker>/<yyyymmdd>_<kind>.zip (Lean LeanData.GenerateZipFilePath)."""
    if resolution not in ("second", "minute"):
        raise ValueError(f"intraday resolution must be 'second' or 'minute', got {resolution!r}")
    _check_kind(kind)
    day = yyyymmdd.strftime("%Y%m%d") if isinstance(yyyymmdd, date) else str(yyyymmdd)
    return Path(data_folder) / "equity" / "usa" / resolution / ticker.lower() / f"{day}_{kind}.zip"


def daily_path(data_folder: Path | str, ticker: str) -> Path:
    """equity/usa/daily/<ticker>.zip: one file for the whole history."""
    return Path(data_folder) / "equity" / "usa" / "daily" / f"{ticker.lower()}.zip"


def hour_path(data_folder: Path | str, ticker: str) -> Path:
    """equity/usa/hour/<ticker>.zip: one file for the whole history."""
    return Path(data_folder) / "equity" / "usa" / "hour" / f"{ticker.lower()}.zip"


def fields_for(kind: str) -> tuple[str, ...]:
    """Column names produced for a reader kind: "trade", "quote" or "daily" (also hour)."""
    if kind == "daily":
        return DAILY_FIELDS
    _check_kind(kind)
    return TRADE_FIELDS if kind == "trade" else QUOTE_FIELDS


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be 'trade' or 'quote', got {kind!r}")


# ----------------------------------------------------------------------------- public readers

def read_intraday(path: Path | str, kind: str) -> Columns:
    """Read a second/minute trade or quote zip. Missing file -> FileNotFoundError."""
    _check_kind(kind)
    return parse_intraday(Path(path).read_bytes(), path, kind)


def read_daily_or_hour(path: Path | str) -> Columns:
    """Read daily/<t>.zip or hour/<t>.zip: date (int32 yyyymmdd), ms, OHLCV (int64)."""
    return parse_daily_or_hour(Path(path).read_bytes(), path)


def parse_intraday(zip_bytes: bytes, path: Path | str, kind: str) -> Columns:
    """Like read_intraday, from the zip file's bytes (the cache has read them to hash them)."""
    _check_kind(kind)
    path = Path(path)
    fields = fields_for(kind)
    text = unzip_single_entry(zip_bytes, path)
    # A missing quote side is written as empty cells; Lean reads them as 0 (a null bar side).
    block = _fast_parse(text, len(fields), allow_empty=(kind == "quote"))
    if block is None or not _is_increasing(block[0]) or _first_bad_value(block, kind) is not None:
        _, block = _slow_parse(text, path, len(fields), allow_empty=(kind == "quote"), stamped=False, kind=kind)
    return dict(zip(fields, block))


def parse_daily_or_hour(zip_bytes: bytes, path: Path | str) -> Columns:
    """Like read_daily_or_hour, from the zip file's bytes."""
    path = Path(path)
    text = unzip_single_entry(zip_bytes, path)
    parsed = _fast_parse_stamped(text)
    dates, block = parsed if parsed is not None else _slow_parse(text, path, 6, allow_empty=False, stamped=True,
                                                                   kind="trade")
    return {"date": dates, **dict(zip(DAILY_FIELDS[1:], block))}


def unzip_single_entry(zip_bytes: bytes, path: Path) -> bytes:
    """The bytes of the zip's first file entry, whatever its name (Lean Compression.Unzip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
            entries = [info for info in archive.infolist() if not info.is_dir()]
            if not entries:
                raise LeanDataError(path, None, "zip archive has no entry")
            return archive.read(entries[0])
    except LeanDataError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise LeanDataError(path, None, f"unreadable zip archive ({exc})") from exc


# ----------------------------------------------------------------------------- fast path

def _arrow_table(text: bytes, types: list[str], max_byte: int = 57) -> pa.Table | None:
    """Parse with pyarrow (column `types` by pyarrow's names); None when pyarrow rejects anything (the slow
    path explains why)."""
    # imported at the first parse, not with pylean: a warm-cache run parses nothing, and pyarrow takes ~25 ms
    import pyarrow as pa
    import pyarrow.csv as pcsv

    # pyarrow accepts hex ("0x1F") and a UTF-8 BOM; every legal byte here is <= '9' (':' for stamps).
    if text and np.frombuffer(text, np.uint8).max() > max_byte:
        return None
    names = [f"c{i}" for i in range(len(types))]
    try:
        return pcsv.read_csv(pa.py_buffer(text),
                             read_options=pcsv.ReadOptions(column_names=names, use_threads=True,
                                                           block_size=_BLOCK_SIZE),
                             parse_options=pcsv.ParseOptions(quote_char=False, double_quote=False),
                             convert_options=pcsv.ConvertOptions(
                                 column_types={name: getattr(pa, kind)() for name, kind in zip(names, types)}))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def _fill_block(table: pa.Table, first: int, out: np.ndarray, allow_empty: bool) -> bool:
    """Copy int64 columns first, first+1, ... into the rows of out; False on an empty cell."""
    for i in range(out.shape[0]):
        column = table.column(first + i)
        if column.null_count:
            if not allow_empty:
                return False
            column = column.fill_null(0)
        pos = 0
        for chunk in column.chunks:
            out[i, pos:pos + len(chunk)] = _int64_values(chunk)
            pos += len(chunk)
    return True


def _int64_values(chunk: pa.Array) -> np.ndarray:
    """A zero-copy view of a null-free int64 chunk (Array.to_numpy would import pandas)."""
    return np.frombuffer(chunk.buffers()[1], np.int64, len(chunk), chunk.offset * 8)


def _fast_parse(text: bytes, nfields: int, allow_empty: bool) -> np.ndarray | None:
    """The (nfields, n) int64 block of a second/minute file, or None (use the slow path)."""
    table = _arrow_table(text, ["int64"] * nfields)
    if table is None or table.column(0).null_count:  # the time column is never empty
        return None
    block = np.empty((nfields, table.num_rows), np.int64)
    return block if _fill_block(table, 0, block, allow_empty) else None


def _fast_parse_stamped(text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """Hour/daily (dates, (6, n) block), column 0 "yyyyMMdd HH:mm" decoded from its fixed-width bytes."""
    table = _arrow_table(text, ["string"] + ["int64"] * 5, max_byte=58)
    if table is None or table.num_rows == 0:
        return None  # the slow path explains the problem, or reads the (odd) empty file
    n = table.num_rows
    stamps = table.column(0).combine_chunks()
    if stamps.null_count:
        return None
    offsets = np.frombuffer(stamps.buffers()[1], np.int32, n + 1, stamps.offset * 4)
    if np.any(np.diff(offsets) != 14):
        return None
    raw = np.frombuffer(stamps.buffers()[2], np.uint8, 14 * n, int(offsets[0])).reshape(n, 14)
    digits = raw[:, [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13]].astype(np.int64) - 48
    if np.any((digits < 0) | (digits > 9)) or np.any(raw[:, 8] != ord(" ")) or np.any(raw[:, 11] != ord(":")):
        return None
    ymd = digits[:, :8] @ (10 ** np.arange(7, -1, -1, dtype=np.int64))
    hours, minutes = digits[:, 8] * 10 + digits[:, 9], digits[:, 10] * 10 + digits[:, 11]
    if not _valid_dates(ymd) or np.any((hours > 23) | (minutes > 59)):
        return None
    block = np.empty((6, n), np.int64)
    block[0] = (hours * 60 + minutes) * 60_000
    if not _fill_block(table, 1, block[1:], False) or not _is_increasing(ymd * 86_400_000 + block[0]):
        return None
    if _first_bad_value(block, "trade") is not None:
        return None
    return ymd.astype(np.int32), block


_DAYS_IN_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _valid_dates(ymd: np.ndarray) -> bool:
    year, month, day = ymd // 10000, (ymd // 100) % 100, ymd % 100
    if np.any((month < 1) | (month > 12) | (year < 1)):
        return False
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return not np.any((day < 1) | (day > _DAYS_IN_MONTH[month]) | ((month == 2) & (day == 29) & ~leap))


def _is_increasing(keys: np.ndarray) -> bool:
    """Each row's time is later than the row before (Lean's files never repeat a time)."""
    return keys.size < 2 or not bool(np.any(keys[1:] <= keys[:-1]))


def _first_bad_value(block: np.ndarray, kind: str) -> tuple[int, int, str] | None:
    """(row, field, why) of the first price or size no market can have, else None.

    Trade prices must be positive; quote prices may be 0 (an empty side, as Lean reads it) but not
    negative; sizes and volumes must not be negative. `block` rows are fields, column 0 the time.
    """
    if block.shape[1] == 0:
        return None
    if kind == "trade":
        checks = [(range(1, 5), block[1:5] <= 0, "price must be positive"), (range(5, 6), block[5:6] < 0,
                                                                             "volume must not be negative")]
    else:
        checks = [(range(1, block.shape[0]), block[1:] < 0, "price and size must not be negative")]
    found: tuple[int, int, str] | None = None
    for fields, bad, why in checks:
        if bad.any():
            field_index, row = np.unravel_index(int(np.argmax(bad.T.ravel())), bad.T.shape)[::-1]
            candidate = (int(row), fields[int(field_index)] + 1, why)
            if found is None or candidate[0] < found[0]:
                found = candidate
    return found


# ----------------------------------------------------------------------------- slow path

def _slow_parse(text: bytes, path: Path, nfields: int, allow_empty: bool,
                stamped: bool, kind: str = "trade") -> tuple[np.ndarray | None, np.ndarray]:
    """Line by line: (dates or None, (nfields, n) block), or LeanDataError naming the first bad line."""
    text = text.removeprefix(_BOM)
    rows: list[list[int]] = []
    dates: list[int] = []
    line_numbers: list[int] = []
    for number, line in enumerate(text.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue  # a blank line carries no bar
        cells = line.split(b",")
        if len(cells) != nfields:
            raise LeanDataError(path, number, f"expected {nfields} fields, got {len(cells)}")
        row = []
        for index, cell in enumerate(cells, start=1):
            if index == 1 and stamped:
                ymd, ms = _parse_stamp(cell, path, number)
                dates.append(ymd)
                row.append(ms)
            elif index > 1 and allow_empty and not cell.strip():
                row.append(0)
            else:
                row.append(_parse_int(cell, index, path, number))
        rows.append(row)
        line_numbers.append(number)
    block = np.array(rows, np.int64).reshape(-1, nfields).T.copy()
    day_ms = np.array(dates, np.int64) * 86_400_000 if stamped else 0
    keys = block[0] + day_ms
    if not _is_increasing(keys):
        index = int(np.flatnonzero(keys[1:] <= keys[:-1])[0]) + 1
        why = "duplicate time (same as the row before)" if keys[index] == keys[index - 1] else \
            "rows out of time order (time earlier than the row before)"
        raise LeanDataError(path, line_numbers[index], why)
    bad = _first_bad_value(block, kind)  # hour/daily rows have the trade layout (the stamp's time first)
    if bad is not None:
        row, field_number, why = bad
        shown = block[field_number - 1, row]
        raise LeanDataError(path, line_numbers[row], f"field {field_number} ({shown}) {why}")
    return (np.array(dates, np.int32) if stamped else None), block


def _parse_int(cell: bytes, index: int, path: Path, number: int) -> int:
    if not _INT_RE.fullmatch(cell):
        shown = cell[:24].decode("ascii", "replace")
        raise LeanDataError(path, number, f"field {index} ({shown!r}) is not an integer")
    value = int(cell)
    if abs(value) > _INT64_MAX:
        raise LeanDataError(path, number, f"field {index} ({value}) does not fit in 64 bits")
    return value


def _parse_stamp(cell: bytes, path: Path, number: int) -> tuple[int, int]:
    match = _STAMP_RE.fullmatch(cell)
    shown = cell[:24].decode("ascii", "replace")
    if not match:
        raise LeanDataError(path, number, f"field 1 ({shown!r}) is not a 'yyyyMMdd HH:mm' time")
    year, month, day, hours, minutes = (int(g) for g in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        raise LeanDataError(path, number, f"field 1 ({shown!r}) is not a valid date") from None
    if hours > 23 or minutes > 59:
        raise LeanDataError(path, number, f"field 1 ({shown!r}) is not a valid time")
    return year * 10000 + month * 100 + day, (hours * 60 + minutes) * 60_000
