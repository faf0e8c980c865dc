"""Interrupts (SIGINT, SIGTERM) and two harness runs at once: real processes, real signals."""
from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from rel_support import REPO, closing_line, make_workspace, result_state, spawn

SLOW_ON_DATA = ("open(__import__('os').environ['REL_MARKER'], 'a').close()\n"
                "        __import__('time').sleep(5)")
STANDIN = REPO / "tests" / "zacperf" / "scenarios" / "standin.toml"


def _wait_for(path: Path, proc, timeout: float = 90.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never reached on_data"
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_backtest_exits_130_with_results_marked_stopped(signum, tmp_path: Path, lean_data: Path) -> None:
    ws = make_workspace(tmp_path, lean_data)
    ws.algorithm(ON_DATA=SLOW_ON_DATA)
    marker = tmp_path / "in-on-data"
    proc = spawn(["-m", "pylean", *ws.pylean_args()], REL_MARKER=str(marker))
    _wait_for(marker, proc)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    name = signal.Signals(signum).name
    assert proc.returncode == 130, err
    assert err == f"pylean: interrupted by {name}; the run was stopped\n"
    assert out.startswith("Stopped: Algo (")
    state = result_state(ws.output)
    assert state["Status"] == "Stopped" and f"interrupted by {name}" in state["RuntimeError"]
    assert "ended with status Stopped after" in closing_line(ws.output)


def _slow_standin(tmp_path: Path) -> Path:
    project = tmp_path / "slow"
    source = (REPO / "tests" / "zacperf" / "algorithms" / "standin" / "main.py").read_text()
    project.mkdir()
    (project / "main.py").write_text(source.replace("        self.bars_seen += 1\n",
                                                    "        self.bars_seen += 1\n        " + SLOW_ON_DATA + "\n"))
    (project / "config.json").write_bytes((REPO / "tests/zacperf/algorithms/standin/config.json").read_bytes())
    scenario = tmp_path / "slow.toml"
    scenario.write_text(STANDIN.read_text().replace('project = "tests/zacperf/algorithms/standin"',
                                                    f'project = "{project}"'))
    return scenario


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_harness_run_leaves_a_run_folder_marked_stopped(signum, tmp_path: Path) -> None:
    scenario, marker = _slow_standin(tmp_path), tmp_path / "in-on-data"
    proc = spawn(["tools/perf_harness.py", "--scenario", str(scenario), "--no-compare", "--no-progress", "--no-plots"],
                 REL_MARKER=str(marker), ZACPERF_TASKS_DIR=str(tmp_path / "tasks"))
    _wait_for(marker, proc)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=90)
    name = signal.Signals(signum).name
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1].startswith(f"perf_harness: interrupted by {name}; the run folder ")
    (run,) = [p for p in (tmp_path / "tasks" / "perf-runs" / "runs").iterdir() if p.is_dir()]
    doc = json.loads((run / "metrics.json").read_text())
    assert doc["status"] == "Stopped" and doc["exit_code"] == 130 and doc["parity"]["verdict"] == "interrupted"
    assert {"stdout.log", "stderr.log", "test-report.md", "command.txt"} <= {p.name for p in run.iterdir()}
    state = json.loads(next((run / "run1" / "output").glob("*-summary.json")).read_text())["state"]
    assert state["Status"] == "Stopped"
    assert "INTERRUPTED" in (tmp_path / "tasks" / "perf-runs" / "decision-log.md").read_text()


def test_two_harness_runs_writing_the_same_feature_at_once(tmp_path: Path) -> None:
    env = {"ZACPERF_TASKS_DIR": str(tmp_path / "tasks"), "ZACPERF_BASELINES_DIR": str(tmp_path / "baselines")}
    command = ["tools/perf_harness.py", "--scenario", str(STANDIN), "--no-compare", "--no-progress", "--no-plots",
               "--feature", "shared-feature", "--emit-metrics", "csv"]
    procs = [spawn(command, **env) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    feature = tmp_path / "tasks" / "shared-feature"
    runs = sorted(p for p in (feature / "runs").iterdir() if p.is_dir())
    assert len(runs) == 2
    for run in runs:
        doc = json.loads((run / "metrics.json").read_text())
        assert doc["exit_code"] == 0 and doc["run_folder"].endswith(run.name)
    log = (feature / "decision-log.md").read_text().splitlines()
    assert sorted(line.rsplit("runs/", 1)[1].split("/")[0] for line in log if line.startswith("- 20")) == \
        [r.name for r in runs]
    rows = (feature / "benchmarks" / "metrics.csv").read_text().splitlines()
    assert len(rows) == 3 and rows.count(rows[0]) == 1 and rows[0].startswith("run_id,")   # one header, two rows
