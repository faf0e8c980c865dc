"""The engine process of one profile run: `python -m zacperf.profiling.child SPEC.json`.

Each run is a fresh process, as in the harness. The spec names the run's tool, which is attached around
the time loop only (pylean's `instrument` hook), so initialize, data loading and the result files stay
outside every profile. Beside zacperf/backends/pylean.py this is the only zacperf module that imports
pylean: the profilers must live inside the engine's process.

Tools: "reference" (no profiler: wall time and the engine's phase split), "discover" (the call graph,
callgraph.py), "line" (line_profiler on the spec's functions), "tree" and "sample" (pyinstrument at the
spec's interval), "plain" (nothing: py-spy samples it from outside).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import sys
from pathlib import Path
from typing import Any, Iterator

import pylean
from pylean.cli import interrupts_raised
from pylean.exit_codes import ExitCode
from pylean.launcher import BacktestError, BacktestOptions, run_backtest

from zacperf.profiling import lines
from zacperf.profiling.callgraph import CallRecorder

ENGINE_DIR = Path(pylean.__file__).resolve().parent


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    out = Path(spec["out"])
    options = BacktestOptions(Path(spec["project"]), Path(spec["data_folder"]), out / "output", spec["parameters"],
                              spec.get("algorithm_id"), out / "engine-metrics.json",
                              step_phases=spec["tool"] == "reference", instrument=functools.partial(_tool, spec))
    try:
        with interrupts_raised():
            outcome = run_backtest(options)
    except BacktestError as exc:
        print(f"pylean refused its input: {exc}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    if outcome.failure is not None:
        print(outcome.failure.line, file=sys.stderr)
    return outcome.exit_code


@contextlib.contextmanager
def _tool(spec: dict[str, Any], engine: Any) -> Iterator[None]:
    if spec.get("days"):
        _end_after_trading_days(engine, int(spec["days"]))
    tool, out, project = spec["tool"], Path(spec["out"]), Path(spec["project"])
    if tool == "discover":
        recorder = CallRecorder(project, ENGINE_DIR)
        recorder.start()
        try:
            yield
        finally:
            recorder.stop()
            _write_json(out / "call-graph.json", recorder.as_json())
    elif tool == "line":
        profiler, found = lines.attach(project, spec["functions"])
        _write_json(out / "line-functions.json", found)
        profiler.enable()
        try:
            yield
        finally:
            profiler.disable()
            profiler.dump_stats(str(out / "line-profile.lprof"))
    elif tool in ("tree", "sample"):
        from pyinstrument import Profiler

        profiler = Profiler(interval=float(spec["interval_s"]))
        profiler.start()
        try:
            yield
        finally:
            profiler.stop()
            _write_call_tree(profiler, out, tool)
    else:
        yield


def _write_call_tree(profiler: Any, out: Path, tool: str) -> None:
    from pyinstrument.renderers import SpeedscopeRenderer

    name = "call-tree" if tool == "tree" else "sample"
    profiler.last_session.save(str(out / f"{name}.pyisession"))   # what the report reads
    # a timeline keeps every call apart: the default 1 % threshold would drop each single on_data
    timeline = SpeedscopeRenderer(processor_options={"filter_threshold": 0})
    (out / f"{name}.speedscope.json").write_text(profiler.output(renderer=timeline), encoding="utf-8")
    (out / f"{name}.txt").write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    if tool == "tree":
        (out / f"{name}.html").write_text(profiler.output_html(), encoding="utf-8")


def _end_after_trading_days(engine: Any, days: int) -> None:
    """--days for a project: end the backtest after its first `days` trading days (set after initialize)."""
    algorithm, hours = engine.algorithm, engine.rt.hours
    day, seen = algorithm.start_date.date(), 0
    while day < algorithm.end_date.date():
        seen += hours.is_trading_day(day)
        if seen >= days:
            algorithm.set_end_date(day)
            return
        day += dt.timedelta(days=1)


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
