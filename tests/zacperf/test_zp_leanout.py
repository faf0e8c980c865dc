from __future__ import annotations

import json
from pathlib import Path

from zacperf.leanout import normalize_perf_json, parse_folder, parse_log, parse_perf


def test_real_lean_fixtures(lean_fixtures: Path):
    result = parse_folder(lean_fixtures)
    assert result.algorithm_id == "zacqc-15sym-2025-10"
    assert result.status == "Completed" and result.orders is None      # no <id>.json main file was kept
    assert len(result.order_events) == 456 and result.order_count == 157 and result.fills == 20
    assert result.statistics["Total Orders"] == "157" and result.statistics["Net Profit"] == "0.248%"
    assert result.statistics["Total Fees"] == "$135.20"
    assert result.portfolio_statistics["startEquity"] == 500000.0 or result.portfolio_statistics["startEquity"]
    assert result.closed_trades == [] and result.equity[0][0] == 1759291200
    assert result.configuration["startDate"].startswith("2025-10-01")
    log = result.completed                                             # the closing line is in the algorithm log
    assert (log.completed_in_s, log.data_points, log.data_points_per_s) == (96.64, 2_808_751, 29_000.0)
    first = result.order_events[0]
    assert first["id"] == "1446662437-1-1" and first["symbolValue"] == "MCD" and first["stopPrice"] == 299.0576


def test_legacy_perf_final_stage_table(lean_fixtures: Path):
    stages = parse_folder(lean_fixtures).perf_stages
    assert stages["source"] == "PERF_FINAL" and len(stages["per_symbol"]) == 15
    total = stages["aggregate"]["total"]
    assert total["count"] == 187_185 and total["mean_us"] == 360.0 and total["max_us"] == 41_520.0
    assert stages["aggregate"]["data_manager"]["count"] == 187_200
    assert stages["per_symbol"]["MCD"]["strategy_logic"]["max_us"] == 19_360.0


def test_perf_json_in_zacqc_format():
    report = {"schema": "zacqc.perf", "version": 1, "unit": "us", "stages": ["metrics", "total"],
              "symbols": {"AAPL": {"metrics": {"count": 4, "total": 10.0, "p50": 2.0, "p95": 4.0, "p99": 4.0,
                                               "max": 4.0}}},
              "aggregate": {"total": {"count": 4, "total": 12.0, "p50": 2.5, "p95": 5.0, "p99": 5.0, "max": 5.0}}}
    lines = ["2025-10-10 16:00:00 something", "2025-10-10 16:00:00 PERF_JSON " + json.dumps(report)]
    table = parse_perf(lines)
    assert table["source"] == "PERF_JSON"
    assert table["aggregate"]["total"] == {"count": 4, "total_us": 12.0, "p50_us": 2.5, "p95_us": 5.0, "p99_us": 5.0,
                                           "max_us": 5.0, "mean_us": 3.0}
    assert table["per_symbol"]["AAPL"]["metrics"]["p95_us"] == 4.0 and table["extra"]["schema"] == "zacqc.perf"
    assert normalize_perf_json({"unit": "ms", "aggregate": {"x": {"count": 1, "max": 2}}})["aggregate"]["x"]["max_us"] == 2000
    assert parse_perf(["PERF_JSON {broken"])["error"].startswith("unreadable")
    assert parse_perf(["nothing here"]) is None


def test_engine_log_lines():
    lines = [
        "2026-11-25T15:08:21.1234567Z TRACE:: Engine.Main(): Started X",
        "2026-11-25T15:08:21Z TRACE:: Missing data: 2 file(s)",
        "    /data/equity/usa/second/aapl/20251001_quote.zip",
        "    /data/equity/usa/hour/spy.zip",
        "2026-11-25T15:08:22Z TRACE:: Algorithm starting warm up...",
        "2026-11-25T15:08:23Z TRACE:: Algorithm finished warming up.",
        "2026-11-25T15:09:00Z TRACE:: Isolator.ExecuteWithTimeLimit(): Used: 121, Sample: 150, App: 1159, CurrentTimeStepElapsed: 00:00.000. CPU: 112% Managed",
        "2026-11-25T15:09:30Z TRACE:: DATA USAGE:: Total data requests 257",
        "2026-11-25T15:09:30Z TRACE:: DATA USAGE:: Failed data requests percentage 53%",
        "2026-11-25T15:09:31Z TRACE:: STATISTICS:: Lowest Capacity Asset SPY R735QTJ8XC9X",
        "2026-11-25T15:09:31Z TRACE:: STATISTICS:: Net Profit 1.692%",
        "2026-11-25T15:09:31Z TRACE:: STATISTICS:: OrderListHash 84e79bd641b57df60c29386afb1ecca5",
        ("2026-11-25T15:09:31Z TRACE:: Debug: Algorithm Id:(1149406114) completed in 199.58 seconds at 14k data points "
        "per second. Processing total of 2,808,751 data points."),
    ]
    facts = parse_log(lines, {"Lowest Capacity Asset": "", "Net Profit": ""})
    assert facts.missing_data == ["/data/equity/usa/second/aapl/20251001_quote.zip", "/data/equity/usa/hour/spy.zip"]
    assert facts.statistics["Lowest Capacity Asset"] == "SPY R735QTJ8XC9X"
    assert facts.order_list_hash == "84e79bd641b57df60c29386afb1ecca5"
    assert facts.isolator == [{"used": 121.0, "sample": 150.0, "app": 1159.0, "cpu": 112.0}]
    assert facts.data_usage == {"Total data requests": "257", "Failed data requests percentage": "53%"}
    assert (facts.completed_in_s, facts.data_points, facts.data_points_per_s) == (199.58, 2_808_751, 14_000.0)
    assert facts.first_stamp == "2026-11-25T15:08:21.1234567Z" and facts.last_stamp == "2026-11-25T15:09:31Z"
    assert facts.warmup_start == "2026-11-25T15:08:22Z" and facts.warmup_end == "2026-11-25T15:08:23Z"
