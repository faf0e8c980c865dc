"""End to end through tools/perf_harness.py's library entry point, with the stand-in algorithm on pylean."""
from __future__ import annotations

import io
import json
import socket
import sys
from pathlib import Path

import pytest
from zp_support import REPO, STANDIN, write_scenario

from zacperf.harness import HarnessOptions, expected_wall_s, run_harness

pytestmark = pytest.mark.skipif(not (REPO / "pylean").is_dir(), reason="pylean not available")


def harness(**kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    options = {"scenario": str(STANDIN), "plots": False, "progress": False, **kwargs}
    code = run_harness(HarnessOptions(**options), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture()
def recorded(roots) -> dict[str, Path]:
    code, out, err = harness(update_baseline=True, reason="stand-in baseline", repeat=2)
    assert code == 0, out + err
    assert "BASELINE UPDATED" in out
    return roots


def test_identical_run_prints_the_headline_numbers_and_writes_the_run_folder(recorded):
    code, out, err = harness(plots=True, emit=["csv"])
    assert code == 0, out + err
    for text in ("data points/s", "OnData latency     p50", "warm-up time", "peak RSS", "stages (PERF_JSON)"):
        assert text in out
    assert out.strip().splitlines()[-1].startswith("IDENTICAL to golden baseline (")
    run = max((recorded["tasks"] / "perf-runs" / "runs").iterdir())
    names = {p.name for p in run.iterdir()}
    assert {"test-report.md", "stdout.log", "stderr.log", "metrics.json", "command.txt", "scenario.toml",
            "ondata-latency.png", "stage-breakdown.png", "equity-curve.png", "run1", "metrics.csv"} <= names
    assert {p.name for p in (run / "run1" / "output").iterdir()} >= {"standin-run1.json", "standin-run1-summary.json",
                                                                     "standin-run1-order-events.json", "log.txt"}
    doc = json.loads((run / "metrics.json").read_text())
    assert doc["schema_version"] == 1 and doc["parity"]["verdict"] == "identical" and doc["exit_code"] == 0
    assert doc["scenario_check"]["ok"] and doc["runs"][0]["ran"]["symbols"] == ["AAPL", "NVDA"]
    assert doc["runs"][0]["memory"]["source"].startswith("ru_maxrss of the engine process")
    assert (run / "stdout.log").read_text() == out
    log = (recorded["tasks"] / "perf-runs" / "decision-log.md").read_text().strip().splitlines()
    assert log[-1].startswith("- 20") and "scenario=standin" in log[-1] and "IDENTICAL" in log[-1]
    assert len([line for line in log if line.startswith("- 20")]) == 2
    assert (recorded["tasks"] / "perf-runs" / "benchmarks" / "metrics.csv").read_text().count("\n") == 2


def test_changed_parameter_is_a_reported_divergence(recorded):
    code, out, _ = harness(parameters=[("threshold_bp", "5")])
    assert code == 1
    assert "threshold_bp: 20 -> 5" in out and "differs from the baseline's" in out
    assert "order-events:" in out and "event #1 (order 1, event 1, AAPL submitted" in out
    assert out.strip().splitlines()[-1].startswith("DIVERGENT from golden baseline")


def test_json_mode_prints_only_json(recorded):
    code, out, err = harness(json_output=True)
    doc = json.loads(out)
    assert code == 0 and doc["parity"]["verdict"] == "identical"
    assert doc["summary"]["headline"]["data_points"] == 1561 and "run1: exit 0" in err


def test_compare_flag_and_regression(recorded):
    code, out, _ = harness(compare_flag=True, repeat=2, check_regression=True)
    assert code == 0, out
    assert "enable_perf_opt    off -> on median paired speedup" in out and "parity IDENTICAL" in out
    assert "no perf baseline for standin on this machine" in out and "--refresh-perf-baseline" in out
    run = max((recorded["tasks"] / "perf-runs" / "runs").iterdir())
    doc = json.loads((run / "metrics.json").read_text())
    assert [r["label"] for r in doc["runs"]] == ["off1", "on1", "on2", "off2"]
    assert doc["flag"]["speedup"]["pairs"] == 2 and doc["flag"]["parity_identical"] is True


def test_check_regression_reads_this_machines_perf_baseline_never_the_golden_folder(recorded):
    from zacperf.harness import prepare
    from zacperf.nightly import baselines
    from zacperf.nightly.calibration import CALIBRATION_VERSION
    from zacperf.nightly.machine import machine_fingerprint, nightly_home
    from zacperf.parameters import parameter_hash
    from zacperf.scenarios import load_scenario

    assert not list(recorded["baselines"].rglob("perf.json"))       # --update-baseline records trades only
    _, params = prepare(load_scenario(str(STANDIN)), HarnessOptions(scenario=str(STANDIN)))
    path = baselines.baseline_path(nightly_home(), machine_fingerprint(), "standin")
    baselines.write_baseline(path, {"scenario": "standin", "parameter_hash": parameter_hash(params),
                                    "calibration": {"version": CALIBRATION_VERSION, "samples": []},
                                    "samples": {"engine_s": [1e-4, 1.1e-4, 0.9e-4, 1.05e-4, 0.95e-4]}})
    code, out, _ = harness(repeat=5, check_regression=True)    # 5 vs 5: Mann-Whitney can reach p < 0.05
    assert code == 4 and "SLOWER than the perf baseline: engine_s" in out, out
    assert expected_wall_s(baselines.machine_baseline("standin", parameter_hash(params))) == pytest.approx(1e-4)


@pytest.mark.parametrize("kwargs, message", [
    ({"parameters": [("threshold_bp", "abc")]}, "expected an integer"),
    ({"parameters": [("no_such", "1")]}, "unknown parameter"),
    ({"scenario": "no-such-scenario"}, "unknown scenario"),
    ({"update_baseline": True}, "needs --reason"),
    ({"emit": ["kafka://x"]}, "--emit-metrics"),
    ({"backend": "lean", "update_baseline": True, "reason": "x", "compare_flag": True}, "cannot be combined"),
])
def test_bad_input_is_one_line_and_exit_2(roots, kwargs, message):
    code, out, err = harness(**kwargs)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1
    assert not roots["tasks"].exists() and not roots["baselines"].exists()


def test_malformed_scenario_and_no_baseline(roots, tmp_path: Path):
    bad = write_scenario(tmp_path, "name = [", "bad.toml")
    code, _, err = harness(scenario=str(bad))
    assert code == 2 and "malformed TOML" in err
    code, out, _ = harness()
    assert code == 2 and "NO GOLDEN BASELINE" in out


def test_refuses_a_baseline_from_other_data(recorded):
    provenance = recorded["baselines"] / "standin" / "provenance.json"
    data = json.loads(provenance.read_text())
    data["data_fingerprint"] = "sha256:" + "0" * 64
    provenance.write_text(json.dumps(data))
    before = {p.name: p.read_bytes() for p in provenance.parent.iterdir()}
    code, _, err = harness()
    assert code == 2 and "recorded on other data" in err
    code, _, err = harness(update_baseline=True, reason="again")
    assert code == 2 and "refusing --update-baseline" in err
    assert {p.name: p.read_bytes() for p in provenance.parent.iterdir()} == before


def test_an_algorithm_failure_is_exit_3(roots, tmp_path: Path):
    broken = write_scenario(tmp_path, STANDIN.read_text().replace("tests/zacperf/algorithms/standin",
                                                                  "tests/zacperf/algorithms/broken")
                            .replace("perf_instrumentation = true", ""), "broken.toml")
    code, out, _ = harness(scenario=str(broken))
    assert code == 3
    assert "algorithm error: ValueError: stand-in failure in initialize (at tests/zacperf/algorithms/broken/main.py:" in out
    assert out.strip().splitlines()[-1].startswith("ERROR: the engine run failed")


def test_statsd_emission(recorded):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        port = sock.getsockname()[1]
        code, out, _ = harness(emit=[f"statsd://127.0.0.1:{port}"])
        assert code == 0, out
        packets = {sock.recv(512).decode() for _ in range(4)}
    assert any(p.startswith("zacperf.standin.pylean.wall_s:") and p.endswith("|g") for p in packets)


def test_expected_wall_s_is_the_median_of_the_recorded_samples():
    assert expected_wall_s({"samples": {"engine_s": [None, 2.0]}}) == 2.0
    assert expected_wall_s({"samples": {"engine_s": [3.0, 1.0, None, 2.0]}}) == 2.0
    assert expected_wall_s({"samples": {"engine_s": [None]}}) is None and expected_wall_s(None) is None


def test_missing_metrics_option_is_a_clear_error(tmp_path: Path):
    from zacperf.backends.pylean import PyleanBackend
    from zacperf.errors import BackendUnavailable
    fake = tmp_path / "python"
    fake.write_text(f"#!{sys.executable}\nprint('usage: pylean backtest [-h] [--output OUTPUT] project')\n")
    fake.chmod(0o755)
    with pytest.raises(BackendUnavailable, match="no --metrics-json"):
        PyleanBackend(python=str(fake)).check()


def test_cli_script_lists_scenarios():
    import subprocess
    done = subprocess.run([sys.executable, str(REPO / "tools" / "perf_harness.py"), "--list-scenarios"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "reference-real" in done.stdout and "9 variants" in done.stdout
    done = subprocess.run([sys.executable, str(REPO / "tools" / "perf_harness.py"), "--repeat", "x"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
