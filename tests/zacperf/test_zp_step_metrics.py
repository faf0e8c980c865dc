"""Step time and algorithm time through zacperf: run records, summaries, the console and markdown reports,
and the --compare-flag ratios (algorithm time and wall clock, each with pairs/min/max/p-value)."""
from __future__ import annotations

import copy
import io
import json

import pytest
from zp_support import STANDIN

from zacperf import metrics, regression, report

ENGINE = {  # pylean's --metrics-json before step_time_total_s and algorithm_time existed
    "schema_version": 1, "engine": "pylean", "status": "Completed",
    "phases_s": {"startup": 0.1, "initialize": 0.1, "warmup": 0.0, "data_load": 0.1, "stream": 0.5, "teardown": 0.1},
    "data_points": 1000, "on_data": {"count": 10, "mean_us": 1.0, "p50_us": 0.8, "p95_us": 2.0, "p99_us": 5.0,
                                     "max_us": 9.0},
    "time_step": {"count": 10, "mean_us": 2.0, "p50_us": 1.0, "p95_us": 3.0, "p99_us": 6.0, "max_us": 500.0},
}
HISTOGRAM = {"edges_us": [0, 1, 10, 100], "counts": [6, 3, 1]}
STEPPED = {**ENGINE,
           "time_step": {"count": 10, "mean_us": 20.0, "p50_us": 12.0, "p95_us": 40.0, "p99_us": 90.0, "max_us": 150.0,
                         "histogram": HISTOGRAM},
           "algorithm_time": {"count": 10, "mean_us": 5.0, "p50_us": 0.0, "p95_us": 16.0, "p99_us": 70.0,
                              "max_us": 80.0, "histogram": HISTOGRAM},
           "step_time_total_s": 0.4, "algorithm_time_total_s": 0.1}


def record(label: str, wall_s: float, algorithm_s: float | None, engine: dict | None = None) -> dict:
    engine = copy.deepcopy(engine or STEPPED)
    if algorithm_s is not None:
        engine["algorithm_time_total_s"] = algorithm_s
    else:
        engine.pop("algorithm_time_total_s")
    return metrics.run_record(label, exit_code=0, wall_s=wall_s, engine=engine, result=None,
                              memory={"peak_rss_bytes": 1, "source": "wait4"}, scenario_symbols=["AAPL"])


def test_run_records_and_summaries_carry_step_and_algorithm_time():
    run = record("run1", 5.0, 0.1)
    assert run["time_step"]["p99_us"] == 90.0 and run["algorithm_time"]["p95_us"] == 16.0
    assert run["algorithm_time"]["histogram"] == HISTOGRAM
    assert (run["step_time_total_s"], run["algorithm_time_total_s"]) == (0.4, 0.1)
    old = metrics.run_record("run1", exit_code=0, wall_s=5.0, engine=ENGINE, result=None, memory={},
                             scenario_symbols=["AAPL"])  # an engine file from before these fields
    assert old["algorithm_time"] is None and old["step_time_total_s"] is None
    summary = metrics.summarize([record("run1", 5.0, 0.1), record("run2", 5.0, 0.3), record("run3", 5.0, 0.2)])
    head = summary["headline"]
    assert head["algorithm_time_total_s"] == 0.2 and head["step_time_total_s"] == 0.4
    assert head["algorithm_time"]["count"] == 30 and head["time_step"]["count"] == 30
    assert summary["spread"]["algorithm_time_total_s"]["min"] == 0.1


def test_report_lines_show_step_time_and_the_algorithms_share():
    head = metrics.summarize([record("run1", 5.0, 0.1)])["headline"]
    assert report.latency_line(head["time_step"], "steps") == "p50 12.0 µs  p95 40.0 µs  p99 90.0 µs  max 150.0 µs  (10 steps)"
    assert report.algorithm_time_line(head) == "p50 0.0 µs  p95 16.0 µs  p99 70.0 µs  total 0.100 s (25.0 % of step time)"
    assert report.algorithm_time_line({}) == "n/a (no samples from the engine)"  # the Lean CLI backend


def test_paired_ratios_of_algorithm_time_and_wall_clock():
    off = [record("off1", 2.0, 0.8), record("off2", 2.2, 1.0), record("off3", 2.1, None)]
    on = [record("on1", 2.0, 0.4), record("on2", 2.0, 0.4), record("on3", 2.1, 0.3)]
    algorithm = regression.paired_metric(off, on, "algorithm_time_total_s")
    assert algorithm["pairs"] == 2 and algorithm["ratios"] == [2.0, 2.5] and algorithm["median_speedup"] == 2.25
    assert (algorithm["min"], algorithm["max"], algorithm["p_value"]) == (2.0, 2.5, None)  # < 3 pairs: no test
    wall = regression.paired_metric(off, on, "wall_s")
    assert wall["pairs"] == 3 and wall["median_speedup"] == 1.0 and wall["p_value"] is not None
    assert regression.paired_metric([], [], "wall_s")["median_speedup"] is None


def test_compare_flag_reports_both_ratios_and_both_settings_side_by_side(roots):
    from zacperf.harness import HarnessOptions, run_harness

    out, err = io.StringIO(), io.StringIO()
    options = HarnessOptions(scenario=str(STANDIN), compare_flag=True, repeat=1, no_compare=True, plots=False,
                             progress=False)
    assert run_harness(options, out=out, err=err) == 0, out.getvalue() + err.getvalue()
    text = out.getvalue()
    assert "  time step          p50 " in text and " steps)" in text
    assert "  algorithm time     p50 " in text and "% of step time)" in text
    assert "enable_perf_opt    off -> on median paired speedup" in text
    assert "    algorithm time   " in text and "    wall clock       " in text and "1 pair(s)" in text
    assert text.count(" off p50 ") == 2 and text.count("|  on p50 ") == 2
    run = max((roots["tasks"] / "perf-runs" / "runs").iterdir())
    doc = json.loads((run / "metrics.json").read_text())
    flag, off_run = doc["flag"], doc["runs"][0]
    assert flag["algorithm_time"]["pairs"] == 1 and flag["wall_clock"]["pairs"] == 1
    on_run = next(r for r in doc["runs"] if r["variant"] == "on")
    assert flag["wall_clock"]["median_speedup"] == pytest.approx(off_run["wall_s"] / on_run["wall_s"])
    assert flag["algorithm_time"]["median_speedup"] == pytest.approx(
        off_run["algorithm_time_total_s"] / on_run["algorithm_time_total_s"])
    for run_record in doc["runs"]:
        assert 0 < run_record["algorithm_time_total_s"] <= run_record["step_time_total_s"]
        assert run_record["algorithm_time"]["count"] == run_record["time_step"]["count"] > 0
    markdown = (run / "test-report.md").read_text()
    assert "| time step | p50 " in markdown and "| algorithm time | p50 " in markdown
    assert "## Flag comparison (enable_perf_opt off -> on)" in markdown and "wall clock" in markdown
