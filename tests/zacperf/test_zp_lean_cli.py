"""The lean backend: its exact command line, its preflight errors, and a full harness run against a fake
`lean` CLI and `docker` that replay the real Lean output fixtures."""
from __future__ import annotations

import json
import os
import stat
import sys
from datetime import datetime
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from zp_support import REPO, copy_standin, write_scenario

from zacperf.backends import RunRequest, lean_cli
from zacperf.errors import BackendUnavailable, ZacperfError
from zacperf.harness import HarnessOptions, run_harness

FAKE_LEAN = r'''#!{python}
import json, os, shutil, sys
from pathlib import Path
args = sys.argv[1:]
state = Path(os.environ["FAKE_LEAN_STATE"])
state.mkdir(parents=True, exist_ok=True)
if args == ["--version"]:
    print("lean 1.0.230"); sys.exit(0)
if args[:2] == ["config", "get"]:
    value = (state / "frequency").read_text() if (state / "frequency").exists() else "1.00:00:00"
    print(value); sys.exit(0)
if args[:2] == ["config", "set"]:
    (state / "frequency").write_text(args[3]); sys.exit(0)
assert args[0] == "backtest", args
(state / "calls.jsonl").open("a").write(json.dumps(args) + "\n")
output = Path(args[args.index("--output") + 1])
algo = args[args.index("algorithm-id") + 1]
output.mkdir(parents=True, exist_ok=True)
fixtures = Path(os.environ["FAKE_LEAN_FIXTURES"])
shutil.copy(fixtures / "zacqc-15sym-2025-10-summary.json", output / f"{algo}-summary.json")
events = json.loads((fixtures / "zacqc-15sym-2025-10-order-events.json").read_text())
for e in events:
    e["id"] = algo + e["id"][len(e["algorithmId"]):]
    e["algorithmId"] = algo
(output / f"{algo}-order-events.json").write_text(json.dumps(events))
shutil.copy(fixtures / "zacqc-15sym-2025-10-algorithm-log.txt", output / f"{algo}-log.txt")
(output / "log.txt").write_text("2026-11-25T10:00:01Z TRACE:: Engine.Main(): LEAN ALGORITHMIC TRADING ENGINE v2.5.0.0\n"
                                "2026-11-25T10:00:03Z TRACE:: Isolator.ExecuteWithTimeLimit(): Used: 121, Sample: 150, App: 1159, CPU: 112%\n"
                                "2026-11-25T10:00:04Z TRACE:: STATISTICS:: OrderListHash 770eef5fb78706619ac4b315c18e4142\n")
print("Successfully ran 'project' in the 'backtesting' environment")
'''
FAKE_DOCKER = r'''#!{python}
import sys
if sys.argv[1] == "info":
    print("28.2.2"); sys.exit(0)
if sys.argv[1] == "stats":
    print("1.10GiB / 15.5GiB"); sys.exit(0)
sys.exit(0)
'''


def _install(bin_dir: Path, name: str, text: str) -> None:
    path = bin_dir / name
    path.write_text(text.replace("{python}", sys.executable))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture()
def fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lean_fixtures: Path) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _install(bin_dir, "lean", FAKE_LEAN)
    _install(bin_dir, "docker", FAKE_DOCKER)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LEAN_STATE", str(tmp_path / "lean-state"))
    monkeypatch.setenv("FAKE_LEAN_FIXTURES", str(lean_fixtures))
    return tmp_path / "lean-state"


def test_command_line_is_pinned(tmp_path: Path):
    request = RunRequest(project=tmp_path / "p", data_folder=tmp_path / "d", run_dir=tmp_path / "run1",
                         parameters={"b": "2", "a": "1"}, label="run1", algorithm_id="reference-run1",
                         lean_image="quantconnect/lean:17748")
    command = lean_cli.build_command(request, tmp_path / "copy", tmp_path / "run1" / "lean.json", "zacperf-x")
    ident = lean_cli.numeric_algorithm_id("reference-run1")
    assert command == ["lean", "backtest", str(tmp_path / "copy"), "--output", str(tmp_path / "run1" / "output"),
                       "--no-update", "--image", "quantconnect/lean:17748",
                       "--lean-config", str(tmp_path / "run1" / "lean.json"), "--backtest-name", "zacperf-run1",
                       "--extra-config", "algorithm-id", ident, "--extra-docker-config", '{"name": "zacperf-x"}',
                       "--parameter", "a", "1", "--parameter", "b", "2"]
    assert len(ident) == 10 and ident.startswith("1") and ident == lean_cli.numeric_algorithm_id("reference-run1")
    for image in ("quantconnect/lean:latest", "quantconnect/lean", ""):
        with pytest.raises(ZacperfError, match="pinned"):
            lean_cli.check_image(image)


def test_run_lean_config_switches_database_updates_off(tmp_path: Path):
    source = tmp_path / "lean.json"
    source.write_text('// c\n{"data-folder": "x", "database-update-frequency": "-", "description": "d"}')
    target = lean_cli.write_lean_config(source, tmp_path / "data", tmp_path / "run" / "lean.json",
                                        now=datetime(2026, 11, 25, 15, 0, 0))
    config = json.loads(target.read_text())
    assert config["data-folder"] == str((tmp_path / "data").resolve())
    assert config["file-database-last-update"] == "11/25/2026 15:00:00" and "description" not in config

    calls: list[list[str]] = []

    def runner(args, **_):
        calls.append(args)
        return CompletedProcess(args, 0, stdout="1.00:00:00\n" if args[1] == "config" and args[2] == "get" else "")

    notes: list[str] = []
    lean_cli.ensure_database_updates_off("lean", runner, notes.append)
    assert calls[-1] == ["lean", "config", "set", "database-update-frequency", "-"] and notes
    calls.clear()
    lean_cli.ensure_database_updates_off("lean", lambda args, **_: CompletedProcess(args, 0, stdout="-\n"))
    assert calls == []


def test_preflight_errors_are_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackendUnavailable, match="pip install lean"):
        lean_cli.LeanCliBackend().check()
    _install(tmp_path, "lean", "#!/bin/sh\nexit 0\n")
    with pytest.raises(BackendUnavailable, match="needs Docker"):
        lean_cli.LeanCliBackend().check()
    _install(tmp_path, "docker", "#!/bin/sh\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n")
    with pytest.raises(BackendUnavailable, match="Cannot connect to the Docker daemon"):
        lean_cli.LeanCliBackend(runner=__import__("subprocess").run).check()


def test_a_lean_cli_that_cannot_start_offline_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    _install(tmp_path, "lean", "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\n"
                               "echo 'requests.exceptions.ConnectionError: Max retries exceeded with url: "
                               "/modules.json' >&2\nexit 1\n")
    _install(tmp_path, "docker", "#!/bin/sh\nexit 0\n")
    with pytest.raises(BackendUnavailable) as caught:
        lean_cli.LeanCliBackend(runner=__import__("subprocess").run).check()
    message = str(caught.value)
    assert "\n" not in message and "`lean --version` exited 1: requests.exceptions.ConnectionError" in message
    assert "fetches its modules list from the network" in message


def test_parse_docker_memory():
    assert lean_cli.parse_mem_usage("1.10GiB / 15.5GiB") == int(1.10 * 1024 ** 3)
    assert lean_cli.parse_mem_usage("512MiB / 2GiB") == 512 * 1024 ** 2
    assert lean_cli.parse_mem_usage("--") is None


REAL_SHAPE = """
name = "lean-fake"
[algorithm]
project = "{project}"
[run]
symbols = ["AAPL", "NVDA", "TSLA", "V", "AMZN", "META", "ABBV", "AMD", "GS", "HAL", "JNJ", "MCD", "OXY", "SHOP", "UBER"]
start = 2025-10-01
end = 2025-10-10
resolution = "second"
cash = 500000
[data]
source = "lean"
folder = "{data}"
[thresholds]
min_orders = 20
[expect]
data_points = 2808751
[backends.lean]
image = "quantconnect/lean:17748"
"""


def test_harness_on_the_lean_backend(tmp_path: Path, roots, fake_tools: Path, capsys):
    shared = REPO.parent / "shared" / "lean-data"
    if not (shared / "equity/usa/second/aapl").is_dir():
        pytest.skip("shared Lean data not available")
    project = copy_standin(tmp_path)
    scenario = write_scenario(tmp_path, REAL_SHAPE.format(project=project, data=shared), "lean-fake.toml")
    options = {"scenario": str(scenario), "backend": "lean", "plots": False, "progress": False}
    assert run_harness(HarnessOptions(**options)) == 2                   # no baseline yet
    assert "NO GOLDEN BASELINE" in capsys.readouterr().out
    assert (fake_tools / "frequency").read_text() == "-"                   # the daily DB update is off
    call = json.loads((fake_tools / "calls.jsonl").read_text().splitlines()[0])
    assert call[:2] == ["backtest", str(next(roots["tasks"].glob("perf-runs/runs/*/run1/project")))]
    assert call[call.index("--image") + 1] == "quantconnect/lean:17748" and "--no-update" in call
    params = dict(zip(call[call.index("--parameter") + 1::3], call[call.index("--parameter") + 2::3]))
    assert params["symbols"].startswith("AAPL,NVDA") and params["threshold_bp"] == "20"   # the FULL set
    assert json.loads(call[call.index("--extra-docker-config") + 1])["name"].startswith("zacperf-")

    assert run_harness(HarnessOptions(**options, update_baseline=True, reason="fixture replay")) == 0
    capsys.readouterr()
    assert run_harness(HarnessOptions(**options)) == 0                   # other algorithm id, same trades
    out = capsys.readouterr().out
    assert "IDENTICAL to golden baseline (157 orders, 20 fills, P&L $1,239.17 (0.248%))" in out
    assert "2,808,751 at 29,064 data points/s" in out and "1,126.4 MiB  (docker stats" in out
    run = max(roots["tasks"].glob("perf-runs/runs/*"))
    doc = json.loads((run / "metrics.json").read_text())
    record = doc["runs"][0]
    assert record["lean_log"]["order_list_hash"] == "770eef5fb78706619ac4b315c18e4142"
    assert record["lean_log"]["isolator"][0]["app"] == 1159.0 and record["stages"]["source"] == "PERF_FINAL"
    assert record["phases_s"]["startup"] is not None
