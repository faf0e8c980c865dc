from __future__ import annotations

import pytest

from zacperf import metrics

ENGINE = {  # pylean's --metrics-json contract (schema_version 1)
    "schema_version": 1, "engine": "pylean", "engine_version": "0.1.0", "status": "Completed", "algorithm_id": "x",
    "phases_s": {"startup": 0.12, "initialize": 0.05, "warmup": 0.0, "data_load": 0.8, "stream": 3.2, "teardown": 0.2},
    "process_start_to_first_on_data_s": 0.4, "data_points": 2_808_751, "history_data_points": 750,
    "history_requests": 15, "history_seconds": 0.03,
    "on_data": {"count": 10, "mean_us": 1.0, "p50_us": 0.8, "p95_us": 2.0, "p99_us": 5.0, "max_us": 400.0,
                "histogram": {"edges_us": [0, 1, 2, 4, 8, 512], "counts": [5, 3, 1, 0, 1]}},
    "time_step": {"count": 10, "mean_us": 2.0, "p50_us": 1.0, "p95_us": 3.0, "p99_us": 6.0, "max_us": 500.0},
    "peak_rss_bytes": 123_456_789, "orders": 157, "fills": 40, "symbols": ["AAPL", "NVDA"],
    "start": "2025-10-01", "end": "2025-10-10", "missing_data_files": 0,
}


def test_histogram_percentiles_and_merging():
    edges, counts = [0, 10, 20, 40], [50, 40, 10]
    assert metrics.histogram_percentile(edges, counts, 50) == 10.0
    assert metrics.histogram_percentile(edges, counts, 95) == 30.0
    assert metrics.histogram_percentile(edges, [0, 0, 0], 50) is None
    with pytest.raises(ValueError):
        metrics.histogram_percentile([0, 1], [1, 2], 50)
    a = {"count": 100, "mean_us": 10.0, "max_us": 35.0, "p50_us": 9, "p95_us": 30, "p99_us": 33,
         "histogram": {"edges_us": edges, "counts": counts}}
    b = {"count": 100, "mean_us": 20.0, "max_us": 39.0, "p50_us": 19, "p95_us": 31, "p99_us": 38,
         "histogram": {"edges_us": edges, "counts": [0, 90, 10]}}
    merged = metrics.merge_latency([a, b])
    assert merged["count"] == 200 and merged["mean_us"] == 15.0 and merged["max_us"] == 39.0
    assert merged["p50_us"] == pytest.approx(10 + 50 / 130 * 10)
    no_hist = metrics.merge_latency([{k: v for k, v in a.items() if k != "histogram"}, b])
    assert no_hist["p95_us"] == 30.5                                     # median of the repeats
    assert metrics.merge_latency([{}, {"count": 0}]) is None


def test_run_record_from_engine_metrics():
    record = metrics.run_record("run1", exit_code=0, wall_s=5.0, engine=ENGINE, result=None,
                                memory={"peak_rss_bytes": 130_000_000, "source": "wait4"}, scenario_symbols=["AAPL"])
    assert record["engine_s"] == pytest.approx(4.05)
    assert record["data_points_per_s"] == pytest.approx(2_808_751 / 4.05)
    assert record["warmup"] == {"total_s": 0.4, "parts": {"startup": 0.12, "initialize": 0.05, "warmup": 0.0,
                                                          "first_slice": pytest.approx(0.23)}}
    assert record["on_data"]["p95_us"] == 2.0 and record["on_data"]["histogram"]["counts"][0] == 5
    assert record["time_step"]["p99_us"] == 6.0
    assert record["history"] == {"requests": 15, "seconds": 0.03, "data_points": 750}
    assert record["memory"]["peak_rss_bytes"] == 130_000_000
    assert record["memory"]["engine_reported_peak_rss_bytes"] == 123_456_789
    assert (record["orders"], record["fills"]) == (157, 40)
    assert record["ran"] == {"symbols": ["AAPL", "NVDA"], "start": "2025-10-01", "end": "2025-10-10",
                             "data_points": 2_808_751}


def test_run_record_from_lean_logs_only(lean_fixtures):
    from zacperf.leanout import parse_folder
    result = parse_folder(lean_fixtures)
    record = metrics.run_record("run1", exit_code=0, wall_s=100.0, engine=None, result=result,
                                memory={"peak_rss_bytes": None, "source": "docker stats"}, scenario_symbols=["AAPL"],
                                extra_phases={"startup": 2.0})
    assert record["engine_s"] == 96.64 and record["data_points"] == 2_808_751
    assert record["data_points_per_s"] == pytest.approx(2_808_751 / 96.64)
    assert record["on_data"] is None and record["orders"] == 157 and record["fills"] == 20
    assert record["ran"]["start"] == "2025-10-01" and record["ran"]["symbols"] is None
    assert record["stages"]["source"] == "PERF_FINAL" and record["phases_s"]["startup"] == 2.0


def test_summarize_and_spread():
    runs = [{"wall_s": w, "engine_s": w - 1, "data_points_per_s": 100 / w, "warmup": {"total_s": 0.5},
             "on_data": {"count": 1, "mean_us": 1, "p50_us": 1, "p95_us": p, "p99_us": p, "max_us": p},
             "memory": {"peak_rss_bytes": 10}, "data_points": 100, "orders": 3, "fills": 2}
            for w, p in ((10.0, 2.0), (12.0, 3.0), (11.0, 4.0))]
    summary = metrics.summarize(runs)
    assert summary["headline"]["wall_s"] == 11.0 and summary["headline"]["on_data_p95_us"] == 3.0
    assert summary["spread"]["wall_s"]["spread_pct"] == pytest.approx(2 / 11 * 100)
    assert summary["headline"]["on_data"]["p95_us"] == 3.0


def test_check_scenario_catches_what_did_not_run():
    expected = {"symbols": ["AAPL", "NVDA"], "start": "2025-10-01", "end": "2025-10-10", "data_points": 1000}
    assert metrics.check_scenario(expected, {"symbols": ["AAPL", "NVDA"], "start": "2025-10-01", "end": "2025-10-10",
                                             "data_points": 1000}) == []
    problems = metrics.check_scenario(expected, {"symbols": ["SPY"], "start": "2025-10-08", "end": "2025-10-10",
                                                 "data_points": 2_808_751})
    assert len(problems) == 3 and "ran SPY" in problems[0] and "2,808,751" in problems[2]
    assert metrics.check_scenario(expected, {"symbols": None, "start": None, "end": None, "data_points": None}) == []
