"""`python -m pylean backtest`: data-folder resolution, parameters, exit codes, result files."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from datetime import date

from support.lean_data import at, new_data_folder, write_algorithm, write_intraday

REPO = Path(__file__).resolve().parents[3]

PARAMETER_ECHO = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("ABC")
        self.debug("fast=" + repr(self.get_parameter("fast")) + " slow=" + repr(self.get_parameter("slow", 5)))
        self.debug("pandas loaded at start: " + str("pandas" in __import__("sys").modules))

    def on_data(self, data):
        if not self.portfolio.invested:
            self.set_holdings("ABC", 0.5)

    def on_end_of_algorithm(self):
        self.debug("pandas loaded at end: " + str("pandas" in __import__("sys").modules))
"""


def _project(tmp_path: Path, lean_data: Path, body: str = PARAMETER_ECHO) -> Path:
    data = new_data_folder(tmp_path / "data", lean_data)
    write_intraday(data, "minute", "ABC", date(2013, 10, 7), [(at(9, 30), 10, 10, 10, 10, 100)])
    project = tmp_path / "workspace" / "Echo"
    project.mkdir(parents=True)
    write_algorithm(project, "Echo", body).rename(project / "main.py")
    (project / "config.json").write_text(json.dumps({"parameters": {"fast": "3", "slow": "8"}}))
    return project


def _pylean(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pylean", "backtest", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=_env())


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("LEAN_DATA_FOLDER", None)
    env.pop("LEAN_ROOT", None)
    env["PYTHONPATH"] = str(REPO)
    return env


def test_data_folder_comes_from_the_nearest_lean_json(tmp_path: Path, lean_data: Path) -> None:
    project = _project(tmp_path, lean_data)
    (tmp_path / "workspace" / "lean.json").write_text('// Lean CLI config\n{"data-folder": "../data"}\n')
    result = _pylean(str(project), "--output", str(tmp_path / "out"), "--parameter", "slow", "13")
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "out" / "Echo-log.txt").read_text()
    # --parameter merges over config.json; values arrive as strings, typed by the default
    assert "fast='3' slow=13" in log
    # the hot loop builds no pandas objects: pandas is never imported by a run without history()
    assert "pandas loaded at end: False" in log


def test_default_output_folder_and_class_name_id(tmp_path: Path, lean_data: Path) -> None:
    project = _project(tmp_path, lean_data)
    result = _pylean(str(project), "--data-folder", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    runs = list((project / "backtests").iterdir())
    assert len(runs) == 1 and len(runs[0].name) == len("2026-01-01_00-00-00")
    names = sorted(p.name for p in runs[0].iterdir())
    assert names == ["Echo-log.txt", "Echo-order-events.json", "Echo-summary.json", "Echo.json", "log.txt"]
    assert json.loads((runs[0] / "Echo-summary.json").read_text())["state"]["Status"] == "Completed"
    closing = (runs[0] / "log.txt").read_text().strip().splitlines()[-1]
    assert "Algorithm Id:(Echo) completed in" in closing and "Processing total of 391 data points." in closing


def test_bad_inputs_fail_with_one_line_and_exit_2(tmp_path: Path, lean_data: Path) -> None:
    project = _project(tmp_path, lean_data)
    (tmp_path / "workspace" / "lean.json").write_text('{"data-folder": ')
    bad_json = _pylean(str(project), "--output", str(tmp_path / "o1"))
    assert bad_json.returncode == 2 and "lean.json" in bad_json.stderr
    assert len(bad_json.stderr.strip().splitlines()) == 1
    missing = _pylean(str(tmp_path / "nope.py"), "--data-folder", str(tmp_path / "data"))
    assert missing.returncode == 2 and "not found" in missing.stderr
    not_data = _pylean(str(project), "--data-folder", str(tmp_path))
    assert not_data.returncode == 2 and "not a Lean data folder" in not_data.stderr
    assert not (tmp_path / "o1").exists()


def test_an_algorithm_exception_is_a_runtime_error_with_exit_3(tmp_path: Path, lean_data: Path) -> None:
    body = PARAMETER_ECHO.replace("self.set_holdings(\"ABC\", 0.5)", "raise ValueError('boom at ' + str(self.time))")
    project = _project(tmp_path, lean_data, body)
    result = _pylean(str(project), "--data-folder", str(tmp_path / "data"), "--output", str(tmp_path / "out"),
                     "--algorithm-id", "Echo")
    assert result.returncode == 3
    assert result.stderr == ("pylean: error: algorithm error: ValueError: boom at 2013-10-07 09:31:00 "
                             "(at main.py:15 in on_data)\n")
    state = json.loads((tmp_path / "out" / "Echo.json").read_text())["state"]
    assert state["Status"] == "RuntimeError" and "boom at 2013-10-07 09:31:00" in state["RuntimeError"]
    assert "Traceback" in (tmp_path / "out" / "Echo-log.txt").read_text()
    closing = (tmp_path / "out" / "log.txt").read_text().strip().splitlines()[-1]
    assert "ended with status RuntimeError after" in closing and "completed" not in closing


def test_same_inputs_give_identical_orders_and_results(tmp_path: Path, lean_data: Path) -> None:
    project = _project(tmp_path, lean_data)
    outputs = []
    for run in ("a", "b"):
        result = _pylean(str(project), "--data-folder", str(tmp_path / "data"), "--output", str(tmp_path / run),
                         "--algorithm-id", "Echo")
        assert result.returncode == 0, result.stderr
        main = json.loads((tmp_path / run / "Echo.json").read_text())
        main.pop("state")  # wall-clock start/end and host name
        outputs.append(((tmp_path / run / "Echo-order-events.json").read_bytes(), main))
    assert outputs[0] == outputs[1]
    assert b'"status":"filled"' in outputs[0][0]


FRAMEWORK_USER = """
    def initialize(self):
        from Risk.TinyRiskModel import LIMIT
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("ABC")
        self.debug("limit=" + str(LIMIT))
"""


def test_lean_framework_modules_come_from_lean_root_or_a_one_line_hint(tmp_path: Path, lean_data: Path) -> None:
    project = _project(tmp_path, lean_data, FRAMEWORK_USER)
    lean = tmp_path / "lean"
    (lean / "Algorithm.Framework" / "Risk").mkdir(parents=True)
    (lean / "Algorithm.Framework" / "Risk" / "TinyRiskModel.py").write_text("LIMIT = 7\n")
    common = (str(project), "--data-folder", str(tmp_path / "data"), "--algorithm-id", "Echo")
    found = _pylean(*common, "--output", str(tmp_path / "with"), "--lean-root", str(lean))
    assert found.returncode == 0, found.stderr
    assert "limit=7" in (tmp_path / "with" / "Echo-log.txt").read_text()
    hint = _pylean(*common, "--output", str(tmp_path / "without"))
    assert hint.returncode == 3   # the algorithm's import failed: an algorithm error (README "Exit codes")
    assert hint.stderr.strip().splitlines()[-1].startswith(
        "pylean: error: algorithm error: ModuleNotFoundError: Risk is part of Lean's Python framework, which pylean "
        "imports from a Lean checkout: pass --lean-root DIR or set LEAN_ROOT=DIR")
    not_lean = _pylean(*common, "--output", str(tmp_path / "bad"), "--lean-root", str(tmp_path / "data"))
    assert not_lean.returncode == 2 and "not a Lean checkout" in not_lean.stderr
