"""The nightly job end to end on the stand-in algorithm, and its parts: fingerprint, perf baselines,
history, trend page, exit codes."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from zp_support import REPO, STANDIN

from zacperf.errors import ZacperfError
from zacperf.harness import HarnessOptions, run_harness
from zacperf.exit_codes import ExitCode
from zacperf.nightly import baselines, history, trend
from zacperf.nightly.calibration import CALIBRATION_VERSION
from zacperf.nightly.machine import machine_fingerprint
from zacperf.nightly.runner import NightlyOptions, _run_code, run_nightly

sys_path_tool = REPO / "tools"


def nightly(home: Path, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    # the stand-in's ~30 ms runs are all noise, and the test machine may be busy: wide factors and busy limit
    # keep this test about plumbing, not timing
    wide = {"factor": 50.0, "process_factor": 50.0, "rss_factor": 50.0, "busy_limit": 50.0}
    options = NightlyOptions(scenarios=[str(STANDIN)], home=home, progress=False, **{**wide, **kwargs})
    return run_nightly(options, out=out, err=err), out.getvalue(), err.getvalue()


@pytest.fixture()
def golden(roots) -> dict[str, Path]:
    code = run_harness(HarnessOptions(scenario=str(STANDIN), plots=False, progress=False, update_baseline=True,
                                      reason="stand-in"), out=io.StringIO(), err=io.StringIO())
    assert code == 0
    return roots


def test_nightly_records_a_perf_baseline_then_checks_and_writes_history_and_trend(golden):
    home = golden["tmp"] / "nightly"
    code, out, err = nightly(home)
    assert code == ExitCode.BAD_INPUT and "no perf baseline for standin" in err
    code, out, err = nightly(home, record_baseline=True)
    assert code == 0, out + err
    stored = json.loads(baselines.baseline_path(home, machine_fingerprint(), "standin").read_text())
    assert len(stored["samples"]["cpu_norm"]) == 5 and len(stored["calibration"]["samples"]) == 6
    assert len(stored["samples"]["time_norm"]) == 5 and stored["samples"]["cpu_s"][0] > 0
    assert stored["git"]["commit"] and stored["machine"]["cpu_count"]
    loop_rows = stored["floors"]["loop_floor"]
    assert len(loop_rows) == 5 and len({len(r) for r in loop_rows}) == 1 and min(map(min, loop_rows)) > 0
    assert [r[0] for r in stored["floors"]["process_floor"]] == stored["samples"]["cpu_s"]
    assert all(c["cpu_seconds_min"] <= c["cpu_seconds"] for c in stored["calibration"]["samples"])
    assert not history.history_path(home).exists()          # a baseline refresh is not a nightly result
    code, out, _ = nightly(home, record_baseline=True, if_missing=True)
    assert code == 0 and "already has one" in out
    path = baselines.baseline_path(home, machine_fingerprint(), "standin")
    path.write_text(json.dumps({**stored, "schema_version": 1}))   # an older schema counts as missing
    code, out, _ = nightly(home, record_baseline=True, if_missing=True)
    assert code == 0 and json.loads(path.read_text())["schema_version"] == baselines.SCHEMA_VERSION

    code, out, err = nightly(home)
    assert code == 0, out + err
    assert "| standin | 5 | identical | loop_floor |" in out and "p-value" in out
    [entry] = history.read_history(history.history_path(home))
    assert entry["scenario"] == "standin" and entry["parity"] == "identical" and entry["exit_code"] == 0
    assert {g["metric"] for g in entry["gate"]} == {"loop_floor", "process_floor", "peak_rss_bytes"}
    assert entry["medians"]["loop_floor"] > 0 and entry["medians"]["process_floor"] > 0
    assert entry["medians"]["data_points_per_s"] > 0 and entry["commit"] == entry["baseline_commit"]
    assert (home / "trend" / "standin.png").stat().st_size > 1000
    assert "standin" in (home / "trend" / "index.html").read_text()
    runs = list((golden["tasks"] / "nightly" / "runs").iterdir())
    assert any((r / "nightly-report.md").is_file() and len(list((r / "runs").iterdir())) == 5 for r in runs)

    # a baseline 10,000x faster than tonight: a regression, exit 4, marked in the history
    path = baselines.baseline_path(home, machine_fingerprint(), "standin")
    doc = json.loads(path.read_text())
    doc["floors"]["loop_floor"] = [[v / 10_000 for v in row] for row in doc["floors"]["loop_floor"]]
    path.write_text(json.dumps(doc))
    code, out, err = nightly(home)
    assert code == ExitCode.PERF_REGRESSION, out + err
    assert "| loop_floor | " in out and "| regression |" in out
    assert history.read_history(history.history_path(home))[-1]["exit_code"] == ExitCode.PERF_REGRESSION

    # a busy machine (calibration median far above its fastest piece) judges no time and records no baseline
    code, out, _ = nightly(home, busy_limit=1.0 + 1e-9)
    assert code == 0 and "machine BUSY" in out and "| loop_floor | " in out and "| busy |" in out, out
    before = path.read_text()
    code, out, _ = nightly(home, busy_limit=1.0 + 1e-9, record_baseline=True)
    assert code == ExitCode.BAD_INPUT and "not recorded" in out and path.read_text() == before


def test_a_baseline_with_other_parameters_or_calibration_is_refused(tmp_path):
    path = tmp_path / "b.json"
    baselines.write_baseline(path, {"scenario": "s", "parameter_hash": "sha256:a",
                                    "calibration": {"version": CALIBRATION_VERSION, "samples": []}, "samples": {}})
    assert baselines.load_baseline(path, "s", "sha256:a")["scenario"] == "s"
    with pytest.raises(ZacperfError, match="other parameters"):
        baselines.load_baseline(path, "s", "sha256:b")
    baselines.write_baseline(path, {"scenario": "s", "parameter_hash": "sha256:a",
                                    "calibration": {"version": 0}, "samples": {}})
    with pytest.raises(ZacperfError, match="calibration workload v0"):
        baselines.load_baseline(path, "s", "sha256:a")


def test_fingerprint_ignores_the_host_name_and_changes_with_the_cpu():
    facts = {"cpu_model": "AMD EPYC 7763 64-Core Processor", "cpu_count": 4, "memory_gib": 16, "system": "Linux",
             "machine": "x86_64", "python": "cpython-3.11"}
    first = machine_fingerprint(facts)
    assert first == machine_fingerprint(dict(facts)) and first.startswith("amd-epyc-7763-64-4c-")
    assert machine_fingerprint({**facts, "cpu_model": "Intel Xeon 8370C"}) != first


def test_history_survives_a_torn_line_and_trend_marks_regressions(tmp_path):
    path = tmp_path / "history.jsonl"
    history.append_history(path, [{"scenario": "a", "created_utc": "2026-12-01T00:00:00Z", "parity": "identical",
                                   "machine": "m", "medians": {"loop_floor": 1.0}, "gate": []}])
    path.write_text(path.read_text() + '{"torn')
    regressed = {"scenario": "a", "created_utc": "2026-12-02T00:00:00Z", "parity": "identical", "machine": "m",
                 "medians": {"loop_floor": 1.2}, "gate": [{"metric": "loop_floor", "verdict": "regression",
                                                           "ratio": 1.2, "p_value": 0.008}]}
    history.append_history(path, [regressed])
    entries = history.read_history(path)
    assert [e["medians"]["loop_floor"] for e in entries] == [1.0, 1.2]
    page = trend.render(entries, tmp_path / "trend", "m")
    text = page.read_text()
    assert '<td class="bad">1.200 (p=0.008) regression</td>' in text and 'src="a.png"' in text
    assert (tmp_path / "trend" / "a.png").stat().st_size > 1000


@pytest.mark.parametrize(("doc", "code"), [
    ({"parity": {"verdict": "identical"}, "exit_code": 0}, ExitCode.OK),
    ({"parity": {"verdict": "divergent"}, "exit_code": 1}, ExitCode.DIVERGENT),
    ({"parity": {"verdict": "error"}, "exit_code": 3}, ExitCode.ALGORITHM_ERROR),
    ({"parity": {"verdict": "error"}, "exit_code": 130}, ExitCode.INTERRUPTED),
    ({"parity": {"verdict": "error"}}, ExitCode.ENGINE_FAULT),
])
def test_each_run_outcome_keeps_the_harness_exit_code(doc, code):
    assert _run_code(doc) == code


def test_cli_refuses_mixed_or_bad_nightly_options(capsys):
    import sys
    sys.path.insert(0, str(sys_path_tool))
    import perf_harness
    assert perf_harness.main(["--nightly", "--scenario", "smoke"]) == ExitCode.BAD_INPUT
    assert perf_harness.main(["--nightly", "--refresh-perf-baseline"]) == ExitCode.BAD_INPUT
    assert perf_harness.main(["--nightly", "--factor", "0.9", "--scenarios", "smoke"]) == ExitCode.BAD_INPUT
    assert "--factor must be above 1" in capsys.readouterr().err
