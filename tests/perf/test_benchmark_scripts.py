"""Smoke checks that the benchmark scripts in benchmarks/ run. No timing is asserted here: the
figures depend on the machine; `python benchmarks/run_all.py` is what judges them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks import bench_memory, common, floor, synth_data


def test_floor_loop_counts_time() -> None:
    assert floor.floor_loop(1000) > 0
    bar = floor.FloorBar(1, "AAPL", 1.0, 2.0, 0.5, 1.5)
    assert bar.value() == 1.5 and not hasattr(bar, "__dict__")


def test_synthetic_data_is_deterministic_and_readable(tmp_path: Path, lean_data: Path) -> None:
    from pylean.data.lean_format import daily_path, intraday_path, read_daily_or_hour, read_intraday

    first, tickers, days = synth_data.ensure(tmp_path / "a", lean_data, 2, 2)
    second, _, _ = synth_data.ensure(tmp_path / "b", lean_data, 2, 2)
    assert tickers == ["SYNA", "SYNB"] and len(days) == 2
    for ticker in tickers:
        for day in days:
            a, b = intraday_path(first, "second", ticker, day, "trade"), intraday_path(second, "second", ticker, day, "trade")
            assert a.read_bytes() == b.read_bytes()
            columns = read_intraday(a, "trade")
            ms = columns["ms"]
            assert len(ms) > 10_000 and (ms[1:] > ms[:-1]).all()
            assert (columns["low"] <= columns["close"]).all() and (columns["close"] <= columns["high"]).all()
        assert len(read_daily_or_hour(daily_path(first, ticker))["close"]) >= 120
    assert (first / "market-hours" / "market-hours-database.json").is_file()


def test_results_and_table() -> None:
    rows = [common.at_least("x", "fast", 3.2e6, "pts/s", 3e6, floor_ratio=0.5),
            common.at_most("x", "slow", 2.5, "x/doubling", 2.1),
            common.info("x", "plain", 12.0, "s")]
    assert [r.status for r in rows] == ["PASS", "FAIL", "info"]

    class Out:
        text = ""

        def write(self, s: str) -> None:
            self.text += s

    out = Out()
    common.print_table(rows, out)
    assert "3.2 M" in out.text and ">= 3 M" in out.text and "50.0%" in out.text and "FAIL" in out.text


def test_memory_growth_is_measured_after_the_first_day() -> None:
    mb = 2 ** 20
    days = [["2025-06-02", 100 * mb, 100 * mb, 0.0, 90 * mb, 10 * mb],
            ["2025-06-03", 120 * mb, 121 * mb, 1.0, 110 * mb, 10 * mb],
            ["2025-06-04", 121 * mb, 121 * mb, 2.0, 111 * mb, 10 * mb]]
    run = common.Run({}, 0.0, [{"days": days, "end": [126 * mb, 127 * mb, 3.0, 116 * mb, 10 * mb]}])
    found = bench_memory.growth(run)
    assert found["rss_growth"] == pytest.approx(0.05) and found["peak_growth"] == pytest.approx(127 / 121 - 1)
    assert found["anon_growth_mb"] == 6.0 and found["file_growth_mb"] == 0.0


def test_run_all_runs_one_benchmark(tmp_path: Path, lean_data: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(REPO_ROOT / "benchmarks" / "run_all.py"), "--quick", "--repeat", "1",
                           "--only", "startup", "--data-folder", str(lean_data), "--json", str(out)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode in (0, 1), proc.stderr  # 1 = a target missed on this machine; still ran
    assert "start_to_first_on_data_warm" in proc.stdout and "status" in proc.stdout
    saved = json.loads(out.read_text())
    assert saved["git"]["commit"] and saved["machine"]["cpu_count"] and saved["utc"]
    names = {r["name"] for r in saved["results"]}
    assert {"start_to_first_on_data_warm", "heavy_modules_at_first_on_data"} <= names
    assert all(r["status"] != "FAIL" or r["value"] is not None for r in saved["results"])  # ran, not crashed


def test_data_cache_script_still_runs(lean_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "cache.json"
    proc = subprocess.run([sys.executable, str(REPO_ROOT / "benchmarks" / "bench_data_cache.py"), "--repeat", "1",
                           "--warmup", "0", "--data-folder", str(lean_data), "--json", str(out)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    assert "rows/s" in proc.stdout
    assert json.loads(out.read_text())["rows"] > 0
