"""Every bad input of the table in rel_cases.py: one error line on stderr, the documented exit code, nothing
partial where a good result is expected, nothing stored overwritten (README "Exit codes")."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from rel_cases import CASES, Case, Ctx
from rel_support import (
    RESULT_FILES,
    closing_line,
    make_workspace,
    result_state,
    run_harness,
    run_pylean,
    run_profiler,
    run_sweep,
    snapshot,
)

PROGRAMS = {"pylean": "pylean", "harness": "perf_harness", "profiler": "profile_ondata", "sweep": "sweep"}
RUNNERS = {"pylean": run_pylean, "harness": run_harness, "profiler": run_profiler, "sweep": run_sweep}


@pytest.fixture()
def ctx(tmp_path: Path, lean_data: Path, monkeypatch: pytest.MonkeyPatch) -> Ctx:
    monkeypatch.setenv("ZACPERF_TASKS_DIR", str(tmp_path / "tasks"))
    monkeypatch.setenv("ZACPERF_BASELINES_DIR", str(tmp_path / "baselines"))
    context = Ctx(make_workspace(tmp_path, lean_data), monkeypatch, tmp_path)
    yield context
    for cleanup in context.cleanups:
        cleanup()


def test_the_table_is_big_enough_and_covers_every_tool() -> None:
    assert len(CASES) >= 30 and len({c.name for c in CASES}) == len(CASES)
    assert {c.tool for c in CASES} == {"pylean", "harness", "profiler", "sweep"}
    assert {c.code for c in CASES} == {0, 2, 3, 5}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, ctx: Ctx, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> None:
    args = case.make(ctx)
    if args is None:
        args = ctx.ws.pylean_args() if case.tool == "pylean" else []
    before = snapshot(ctx.guarded) if ctx.guarded is not None else None
    ran = RUNNERS[case.tool](args, capsys)
    prog = PROGRAMS[case.tool]
    # the table of messages: pytest --junitxml=FILE -o junit_family=xunit1 tests/reliability/test_rel_bad_inputs.py
    request.node.user_properties += [("exit_code", ran.code), ("stderr_line", (ran.error_lines(prog) or [""])[-1])]
    assert ran.code == case.code, ran.err
    if case.message is None:
        assert ran.err == ""
    else:
        lines = ran.error_lines(prog)
        assert len(lines) == 1, ran.err
        assert re.search(case.message, lines[0]), lines[0]
        if case.tool == "pylean":
            assert ran.err.count("\n") == 1  # pylean's stderr is that one line and nothing else
    check_after(case, ctx, before)


def check_after(case: Case, ctx: Ctx, before: dict[str, bytes] | None) -> None:
    output = ctx.ws.output
    tasks = Path(os.environ["ZACPERF_TASKS_DIR"])
    run_folders = [p for p in tasks.glob("*/runs/*") if p.is_dir()]
    if case.after == "nothing":
        assert not output.exists() and not run_folders
    elif case.after == "failed":
        assert sorted(p.name for p in output.iterdir()) == sorted(RESULT_FILES)
        state = result_state(output)
        assert state["Status"] == "RuntimeError" and state["StackTrace"].startswith("Traceback")
        assert "ended with status RuntimeError after" in closing_line(output)
        assert "completed" not in closing_line(output)
        assert "Traceback" in (output / "Algo-log.txt").read_text()
    elif case.after == "completed":
        assert result_state(output)["Status"] == "Completed"
        log = (output / "log.txt").read_text()
        assert re.search(r"Missing data: \d+ file\(s\) on 1 day\(s\): 2013-10-08\n", log), log
        assert "20131008_trade.zip" in log and "20131008_quote.zip" in log
    elif case.after == "unchanged":
        assert ctx.guarded is not None and snapshot(ctx.guarded) == before
        assert not run_folders
    elif case.after == "run-failed":
        (run,) = run_folders
        doc = json.loads((run / "metrics.json").read_text())
        assert doc["exit_code"] == case.code and doc["parity"]["verdict"] == "error"
        assert (run / "stderr.log").is_file() and (run / "test-report.md").is_file()
        state = json.loads(next((run / "run1" / "output").glob("*-summary.json")).read_text())["state"]
        assert state["Status"] == "RuntimeError" and state["StackTrace"]
    elif case.after == "zacperf-fault":
        (run,) = run_folders
        doc = json.loads((run / "metrics.json").read_text())
        assert doc["exit_code"] == 5 and doc["status"] == "RuntimeError" and "report bug" in doc["traceback"]
        assert "Traceback" in (run / "stderr.log").read_text() and (run / "run1" / "output" / "log.txt").is_file()
    elif case.after == "profile-failed":
        (run,) = run_folders
        metrics = json.loads((run / "reference" / "engine-metrics.json").read_text())
        assert metrics["status"] == "RuntimeError" and metrics["failure"]["exit_code"] == case.code
        state = json.loads(next((run / "reference" / "output").glob("*-summary.json")).read_text())["state"]
        assert state["Status"] == "RuntimeError" and "Traceback" in state["StackTrace"]
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(case.after)
