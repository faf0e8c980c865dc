"""Tests for pylean/data/cache.py: hits, invalidation by content, rebuilds, and recycled memory."""
from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from pylean.data import cache as data_cache
from pylean.data import lean_format as lf
from pylean.data.cache import DataCache
from pylean.data.errors import LeanDataError


def make_zip(path: Path, text: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("x.csv", text)
    return path


def assert_same(expected: lf.Columns, actual: lf.Columns) -> None:
    assert list(expected) == list(actual)
    for name in expected:
        assert actual[name].dtype == expected[name].dtype, name
        assert np.array_equal(actual[name], expected[name]), name


@pytest.fixture()
def spy_minute(lean_data: Path) -> Path:
    return lf.intraday_path(lean_data, "minute", "spy", "20131007", "quote")


def test_default_folder_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYLEAN_CACHE_DIR", str(tmp_path / "c"))
    cache = DataCache()
    assert cache.cache_dir == tmp_path / "c" and not cache.cache_dir.exists()  # created lazily


def test_miss_then_hit_returns_the_reader_result(tmp_path: Path, spy_minute: Path, lean_data: Path) -> None:
    expected = lf.read_intraday(spy_minute, "quote")
    first = DataCache(tmp_path)
    assert_same(expected, first.load_intraday(spy_minute, "quote"))
    assert (first.stats.hits, first.stats.misses, first.stats.rows) == (0, 1, 908)
    second = DataCache(tmp_path)
    columns = second.load_intraday(spy_minute, "quote")
    assert_same(expected, columns)
    assert (second.stats.hits, second.stats.misses) == (1, 0)
    columns["bid_close"][0] = -1  # loaded columns are ordinary writable arrays
    daily = lf.daily_path(lean_data, "aapl")
    assert_same(lf.read_daily_or_hour(daily), first.load_daily_or_hour(daily))
    assert_same(lf.read_daily_or_hour(daily), second.load_daily_or_hour(daily))
    assert second.stats.hits == 2
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith(".col")]
    assert leftovers == []  # no temp files stay behind


def test_trade_and_quote_entries_never_mix(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "t.zip", "1000,1,2,3,4,5,6,7,8,9,10\n")
    cache = DataCache(tmp_path / "c")
    cache.load_intraday(path, "quote")
    with pytest.raises(LeanDataError):
        cache.load_intraday(path, "trade")  # 11 fields are not a trade row


def test_copied_file_hits(tmp_path: Path, spy_minute: Path) -> None:
    cache = DataCache(tmp_path / "c")
    cache.load_intraday(spy_minute, "quote")
    copy = tmp_path / "elsewhere" / "20131007_quote.zip"
    copy.parent.mkdir()
    shutil.copy(spy_minute, copy)
    cache.load_intraday(copy, "quote")
    assert (cache.stats.hits, cache.stats.misses) == (1, 1)


def test_changed_content_is_never_served_stale(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "20131007_trade.zip", "1000,1,2,3,4,5\n")
    cache = DataCache(tmp_path / "c")
    assert list(cache.load_intraday(path, "trade")["close"]) == [4]
    make_zip(path, "1000,1,2,3,7,5\n2000,1,2,3,8,5\n")
    os.utime(path, ns=(1, 1))  # new mtime, so the in-process hash memo is bypassed
    assert list(DataCache(tmp_path / "c").load_intraday(path, "trade")["close"]) == [7, 8]
    assert list(cache.load_intraday(path, "trade")["close"]) == [7, 8]  # the new entry
    assert (cache.stats.misses, cache.stats.hits) == (1, 1)


def test_hash_memo_avoids_rehashing(tmp_path: Path, spy_minute: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = data_cache._digest
    monkeypatch.setattr(data_cache, "_digest", lambda data: calls.append(1) or real(data))
    data_cache.clear_hash_memo()
    cache = DataCache(tmp_path)
    for _ in range(3):
        cache.load_intraday(spy_minute, "quote")
    assert len(calls) == 1
    data_cache.clear_hash_memo()
    cache.load_intraday(spy_minute, "quote")
    assert len(calls) == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "extra"])
def test_damaged_entry_is_rebuilt(tmp_path: Path, spy_minute: Path, damage: str) -> None:
    cache = DataCache(tmp_path)
    expected = lf.read_intraday(spy_minute, "quote")
    cache.load_intraday(spy_minute, "quote")
    entry = cache.entry_path(spy_minute, "quote")
    good = entry.read_bytes()
    entry.write_bytes({"truncate": good[: len(good) // 2], "garbage": os.urandom(len(good)),
                       "empty": b"", "extra": good + b"\0" * 8}[damage])
    fresh = DataCache(tmp_path)
    assert_same(expected, fresh.load_intraday(spy_minute, "quote"))
    assert (fresh.stats.misses, fresh.stats.rebuilt) == (1, 1)
    assert entry.read_bytes() == good


def test_missing_source_passes_through(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        DataCache(tmp_path).load_intraday(tmp_path / "nope.zip", "trade")


def test_unwritable_cache_still_returns_data(tmp_path: Path, spy_minute: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    cache = DataCache(blocker)
    assert_same(lf.read_intraday(spy_minute, "quote"), cache.load_intraday(spy_minute, "quote"))
    assert cache.stats.write_errors == 1


def test_recycled_memory_never_overwrites_live_columns(tmp_path: Path, lean_data: Path) -> None:
    files = sorted((lean_data / "equity/usa/second/spy").glob("*_quote.zip"))
    cache = DataCache(tmp_path)
    for path in files:
        cache.load_intraday(path, "quote")
    kept = cache.load_intraday(files[0], "quote")
    kept_copy = {name: array.copy() for name, array in kept.items()}
    slab = kept["ms"].base
    assert slab is not None and all(array.base is slab for array in kept.values())
    slabs_before = len(data_cache._POOL._slabs)
    for _ in range(6):  # ~60 MB through 16 MiB slabs: only recycling keeps the pool small
        for path in files[1:]:
            columns = cache.load_intraday(path, "quote")
            assert not np.shares_memory(columns["ms"], kept["ms"])
            del columns
    assert_same(kept_copy, kept)
    assert len(data_cache._POOL._slabs) - slabs_before <= 2
    del kept
    data_cache.release_idle_memory()


def test_a_new_process_pool_faults_its_first_slab_in_ahead_of_the_first_load() -> None:
    """DataCache() starts the first slab on the helper thread; the first load then takes that very slab."""
    pool = data_cache._SlabPool(slab_bytes=1 << 20)
    pool.prepare()
    spare = pool._spare
    assert spare is not None
    pool.prepare()  # once: a pool with a spare (or slabs) starts no other
    assert pool._spare is spare
    first = spare.result()
    buffer = pool.take(1000)
    assert buffer.base is first and pool._slabs == [first]
    assert pool._spare is not spare  # the next one is on its way
    pool.prepare()
    assert len(pool._slabs) == 1
    pool.release_idle()


def test_a_data_cache_prepares_the_shared_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = data_cache._SlabPool(slab_bytes=1 << 20)
    monkeypatch.setattr(data_cache, "_POOL", pool)
    DataCache(tmp_path)
    assert pool._spare is not None and pool._spare.result().nbytes == 1 << 20
