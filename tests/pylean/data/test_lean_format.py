"""Tests for pylean/data/lean_format.py (Lean TradeBar/QuoteBar readers) on real and broken files."""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from pylean.data import lean_format as lf
from pylean.data.errors import LeanDataError


def make_zip(path: Path, text: bytes | str, entry: str = "data.csv") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry, text.encode() if isinstance(text, str) else text)
    return path


def spy(lean_data: Path, resolution: str, kind: str) -> lf.Columns:
    return lf.read_intraday(lf.intraday_path(lean_data, resolution, "SPY", "20131007", kind), kind)


def test_paths(lean_data: Path) -> None:
    assert lf.intraday_path(lean_data, "minute", "SPY", date(2013, 10, 7), "trade") == \
        lean_data / "equity/usa/minute/spy/20131007_trade.zip"
    assert lf.daily_path(lean_data, "AAPL") == lean_data / "equity/usa/daily/aapl.zip"
    assert lf.hour_path(lean_data, "Spy") == lean_data / "equity/usa/hour/spy.zip"
    with pytest.raises(ValueError):
        lf.intraday_path(lean_data, "daily", "spy", "20131007", "trade")


def test_spy_minute_first_regular_rows(lean_data: Path) -> None:
    trade, quote = spy(lean_data, "minute", "trade"), spy(lean_data, "minute", "quote")
    i = int(np.flatnonzero(trade["ms"] == 34_200_000)[0])
    assert [int(trade[f][i]) for f in lf.TRADE_FIELDS] == [34200000, 1674300, 1675200, 1674100, 1674400, 816453]
    j = int(np.flatnonzero(quote["ms"] == 34_200_000)[0])
    assert [int(quote[f][j]) for f in lf.QUOTE_FIELDS] == [
        34200000, 1674100, 1675200, 1674100, 1674400, 4400, 1674100, 1675300, 1674100, 1674500, 1400]
    assert trade["ms"][0] == 14_400_000  # extended-hours rows are kept (filtered later)
    assert all(a.dtype == np.int64 for a in (*trade.values(), *quote.values()))


def test_row_counts_of_spec_1_5(lean_data: Path) -> None:
    # Spec 1.5 says 827/907 and 16,674/27,408: those are newline counts (wc -l). The files do
    # not end with a newline, so each holds one row more, and Lean reads that last row too.
    assert len(spy(lean_data, "minute", "trade")["ms"]) == 828
    assert len(spy(lean_data, "minute", "quote")["ms"]) == 908
    assert len(spy(lean_data, "second", "trade")["ms"]) == 16_675
    assert len(spy(lean_data, "second", "quote")["ms"]) == 27_409
    ms = spy(lean_data, "minute", "trade")["ms"]
    assert np.count_nonzero((ms >= 34_200_000) & (ms < 57_600_000)) == 390


def test_daily_last_row_without_newline(lean_data: Path) -> None:
    aapl = lf.read_daily_or_hour(lf.daily_path(lean_data, "aapl"))
    assert lf.daily_path(lean_data, "aapl").stat().st_size > 0
    assert aapl["date"].dtype == np.int32 and aapl["ms"].dtype == np.int64
    last = [int(aapl[f][-1]) for f in lf.DAILY_FIELDS]
    assert last == [20251010, 0, 2549400, 2563800, 2440000, 2452700, 61999098]
    daily = lf.read_daily_or_hour(lf.daily_path(lean_data, "spy"))
    assert len(daily["date"]) == 5849
    assert [int(daily[f][0]) for f in lf.DAILY_FIELDS] == [19980102, 0, 973100, 975300, 965300, 973600, 2150000]


def test_hour_rows_are_stamped_at_the_clock_hour(lean_data: Path) -> None:
    hour = lf.read_daily_or_hour(lf.hour_path(lean_data, "spy"))
    assert len(hour["ms"]) == 40_832
    assert hour["date"][0] == 19980102 and list(hour["ms"][:2]) == [9 * 3_600_000, 10 * 3_600_000]


def test_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        lf.read_intraday(tmp_path / "20131007_trade.zip", "trade")
    with pytest.raises(FileNotFoundError):
        lf.read_daily_or_hour(tmp_path / "spy.zip")


def test_quote_empty_cells_read_as_zero(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "q.zip", "34200000,,,,,,1,2,3,4,5\n34201000,6,7,8,9,10,,,,,\n")
    quote = lf.read_intraday(path, "quote")
    assert list(quote["bid_close"]) == [0, 9] and list(quote["ask_size"]) == [5, 0]


def test_entry_name_and_folder_do_not_matter(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "tapa.zip", "20131004 09:00,1,2,3,4,5", entry="tapa/tapa.csv")
    assert lf.read_daily_or_hour(path)["ms"][0] == 9 * 3_600_000


def test_blank_lines_crlf_and_bom_read_like_clean_files(tmp_path: Path) -> None:
    clean = lf.read_intraday(make_zip(tmp_path / "a.zip", "1000,1,2,3,4,5\n2000,6,7,8,9,10\n"), "trade")
    odd = lf.read_intraday(make_zip(tmp_path / "b.zip", b"\xef\xbb\xbf1000,1,2,3,4,5\r\n\r\n2000,6,7,8,9,10"), "trade")
    for name in lf.TRADE_FIELDS:
        assert np.array_equal(clean[name], odd[name])


def test_fast_and_slow_paths_agree_on_real_files(lean_data: Path) -> None:
    for kind in ("trade", "quote"):
        path = lf.intraday_path(lean_data, "minute", "ibm", "20131008", kind)
        text = lf.unzip_single_entry(path.read_bytes(), path)
        _, slow = lf._slow_parse(text, path, len(lf.fields_for(kind)), kind == "quote", stamped=False, kind=kind)
        fast = lf.read_intraday(path, kind)
        assert np.array_equal(np.stack([fast[f] for f in lf.fields_for(kind)]), slow)
    path = lf.daily_path(lean_data, "ibm")
    dates, block = lf._slow_parse(lf.unzip_single_entry(path.read_bytes(), path), path, 6, False, stamped=True)
    fast = lf.read_daily_or_hour(path)
    assert np.array_equal(fast["date"], dates) and np.array_equal(fast["close"], block[4])


def error_of(path: Path, kind: str = "trade") -> LeanDataError:
    with pytest.raises(LeanDataError) as caught:
        if kind == "daily":
            lf.read_daily_or_hour(path)
        else:
            lf.read_intraday(path, kind)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and caught.value.path == path
    return caught.value


def test_corrupt_zip(tmp_path: Path) -> None:
    bad = tmp_path / "20131007_trade.zip"
    bad.write_bytes(b"PK\x03\x04 definitely not a zip archive")
    err = error_of(bad)
    assert err.line is None and str(err).startswith(f"corrupt Lean data file {bad}: ")


def test_zip_with_a_damaged_member(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "20131007_trade.zip", "1000,1,2,3,4,5\n" * 200)
    raw = bytearray(path.read_bytes())
    raw[60:80] = b"\xff" * 20  # inside the deflate stream
    path.write_bytes(bytes(raw))
    assert error_of(path).line is None


def test_zip_without_entry(tmp_path: Path) -> None:
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w"):
        pass
    assert "no entry" in str(error_of(path))


@pytest.mark.parametrize("rows, line, reason", [
    ("1000,1,2,3,4,5\n2000,1,2,3,4\n3000,1,2,3,4,5\n", 2, "expected 6 fields, got 5"),
    ("1000,1,2,3,4,5\n2000,1,2,3,4,5,6\n", 2, "expected 6 fields, got 7"),
    ("1000,1,2,3,4,5\n2000,1,2,3,4,5\n3000,1,abc,3,4,5\n", 3, "field 3 ('abc') is not an integer"),
    ("1000,1,2,3,4,5.5\n", 1, "field 6 ('5.5') is not an integer"),
    ("1000,0x10,2,3,4,5\n", 1, "field 2 ('0x10') is not an integer"),
    ("1000,1,,3,4,5\n", 1, "field 3 ('') is not an integer"),
    ("1000,1,2,3,4,5\n999,1,2,3,4,5\n", 2, "rows out of time order"),
    ("1000,1,2,3,4,99999999999999999999\n", 1, "does not fit in 64 bits"),
])
def test_malformed_trade_rows_name_the_line(tmp_path: Path, rows: str, line: int, reason: str) -> None:
    path = make_zip(tmp_path / "20131007_trade.zip", rows)
    err = error_of(path)
    assert err.line == line and reason in str(err)
    assert str(err).startswith(f"corrupt Lean data file {path} line {line}: ")


def test_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "t.zip", "1000,1,2,3,4,5\n\n2000,1,2,3,4\n")
    assert error_of(path).line == 3


def test_quote_rows_need_eleven_fields(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "q.zip", "1000,1,2,3,4,5,6,7,8,9,10\n2000,1,2,3,4,5\n")
    err = error_of(path, "quote")
    assert err.line == 2 and "expected 11 fields, got 6" in str(err)


@pytest.mark.parametrize("rows, line, reason", [
    ("20131004 00:00,1,2,3,4,5\n2013100 00:00,1,2,3,4,5\n", 2, "is not a 'yyyyMMdd HH:mm' time"),
    ("20131304 00:00,1,2,3,4,5\n", 1, "is not a valid date"),
    ("20130229 00:00,1,2,3,4,5\n", 1, "is not a valid date"),
    ("20131004 24:00,1,2,3,4,5\n", 1, "is not a valid time"),
    ("20131004 00:00,1,2,3,4\n", 1, "expected 6 fields, got 5"),
    ("20131004 00:00,1,2,3,4,5\n20131003 00:00,1,2,3,4,5\n", 2, "rows out of time order"),
])
def test_malformed_daily_rows_name_the_line(tmp_path: Path, rows: str, line: int, reason: str) -> None:
    err = error_of(make_zip(tmp_path / "spy.zip", rows), "daily")
    assert err.line == line and reason in str(err)
