"""The data cache: damaged or foreign entries are rebuilt, never read as data; two processes filling it at once
both get correct data."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from rel_support import subprocess_env
from support.lean_data import at, write_intraday

from pylean.data import cache as data_cache
from pylean.data import lean_format as lf
from pylean.data.cache import DataCache, clear_hash_memo


def _files(folder: Path, count: int = 12) -> list[Path]:
    paths = []
    for i in range(count):
        day = date(2013, 10, 1 + i % 28)
        bars = [(at(10, m), 10 + i + m / 100, 11 + i, 9 + i, 10.5 + i, 100 * (m + 1)) for m in range(60)]
        paths.append(write_intraday(folder, "minute", f"T{i}", day, bars))
    return paths


def _same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize("damage", ["truncated", "another pylean version", "garbage", "empty"])
def test_a_damaged_or_foreign_entry_is_rebuilt(damage: str, tmp_path: Path) -> None:
    (path,) = _files(tmp_path / "data", 1)
    expected = lf.read_intraday(path, "trade")
    DataCache(tmp_path / "cache").load_intraday(path, "trade")
    entry = DataCache(tmp_path / "cache").entry_path(path, "trade")
    raw = entry.read_bytes()
    entry.write_bytes({"truncated": raw[: len(raw) - 8], "garbage": b"\x07" * len(raw), "empty": b"",
                       "another pylean version": raw[:24] + (data_cache.ENGINE_TAG ^ 0xFF).to_bytes(4, "little")
                       + raw[28:]}[damage])
    clear_hash_memo()
    cache = DataCache(tmp_path / "cache")
    assert _same(cache.load_intraday(path, "trade"), expected)
    assert cache.stats.rebuilt == 1 and cache.stats.hits == 0
    assert entry.read_bytes() == raw                          # rewritten whole
    again = DataCache(tmp_path / "cache")
    assert _same(again.load_intraday(path, "trade"), expected) and again.stats.hits == 1


FILL = """
import hashlib, json, sys
from pathlib import Path
from pylean.data.cache import DataCache
cache = DataCache(Path(sys.argv[1]))
digest = hashlib.sha256()
for name in sys.argv[2:]:
    for _ in range(3):
        columns = cache.load_intraday(Path(name), "trade")
    digest.update(b"".join(columns[k].tobytes() for k in sorted(columns)))
print(json.dumps({"digest": digest.hexdigest(), "misses": cache.stats.misses, "rebuilt": cache.stats.rebuilt}))
"""


def test_two_processes_filling_the_same_cache_both_get_correct_data(tmp_path: Path) -> None:
    import hashlib

    paths = _files(tmp_path / "data", 24)
    expected = hashlib.sha256()
    for path in paths:
        columns = lf.read_intraday(path, "trade")
        expected.update(b"".join(columns[k].tobytes() for k in sorted(columns)))
    command = [sys.executable, "-c", FILL, str(tmp_path / "cache"), *map(str, paths)]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=subprocess_env()) for _ in range(2)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    assert [r["digest"] for r in results] == [expected.hexdigest()] * 2
    assert all(r["rebuilt"] == 0 for r in results)
    leftovers = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and not p.name.endswith(".col")]
    assert leftovers == []                                     # no temp files left behind
    clear_hash_memo()
    warm = DataCache(tmp_path / "cache")
    for path in paths:
        assert _same(warm.load_intraday(path, "trade"), lf.read_intraday(path, "trade"))
    assert warm.stats.hits == len(paths) and warm.stats.rebuilt == 0
