"""Missing data is reported, never hidden: the engine log and metrics list the files and days, the harness
prints them, and fails (exit 2) only above the scenario's thresholds.max_missing_trade_files."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from rel_support import REPO, run_harness

from zacperf import datasource
from zacperf.scenarios import load_scenario

STANDIN = REPO / "tests" / "zacperf" / "scenarios" / "standin.toml"


def test_a_missing_day_within_the_threshold_is_reported_and_passes(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("ZACPERF_TASKS_DIR", str(tmp_path / "tasks"))
    folder = tmp_path / "data"
    shutil.copytree(datasource.resolve(load_scenario(str(STANDIN))).folder, folder)
    (folder / "equity" / "usa" / "minute" / "nvda" / "20251002_trade.zip").unlink()
    scenario = tmp_path / "gap.toml"
    scenario.write_text(STANDIN.read_text()
                        .replace('source = "synthetic"\nseed = 7\nhistory_days = 5', f'source = "lean"\nfolder = "{folder}"')
                        .replace("min_orders = 2", "min_orders = 2\nmax_missing_trade_files = 1"))
    ran = run_harness(["--scenario", str(scenario), "--no-compare"], capsys)
    assert ran.code == 0, ran.err
    # the synthetic data has no quote files at all, so both days miss something; the trade gap is on 10-02
    assert "missing data files" in ran.out and "on 2 day(s): 2025-10-01, 2025-10-02; listed in the engine log" in ran.out
    (run,) = [p for p in (tmp_path / "tasks" / "perf-runs" / "runs").iterdir() if p.is_dir()]
    record = json.loads((run / "metrics.json").read_text())["runs"][0]
    assert record["missing_days"] == ["2025-10-01", "2025-10-02"]
    assert any(p.endswith("nvda/20251002_trade.zip") for p in record["missing_trade_files"])
    log = (run / "run1" / "output" / "log.txt").read_text()
    assert "on 2 day(s): 2025-10-01, 2025-10-02" in log and "nvda/20251002_trade.zip" in log
    engine = json.loads((run / "run1" / "engine-metrics.json").read_text())
    assert engine["missing_data"]["days"] == ["2025-10-01", "2025-10-02"] and engine["failure"] is None
    assert [f for f in engine["missing_data"]["files"] if f.endswith("_trade.zip")] == \
        [str(folder / "equity" / "usa" / "minute" / "nvda" / "20251002_trade.zip")]
