"""One profile, end to end: what scripts/profile_ondata.py calls.

Every run is a fresh engine process (child.py) in its own subfolder of the run folder:

  reference/   no profiler: the unprofiled wall time and pylean's phase split of the step time
  discover/    the call graph (line tool): which functions the callbacks reach, and from which lines
  line/        line_profiler on the chosen functions (.lprof)
  tree/        pyinstrument's call tree (HTML, speedscope JSON, text)
  sample/      a low-overhead sampling profile (py-spy from outside when installed, else pyinstrument)

then report.py writes profile.json, profile-report.md, line-profile.txt and step-split.png from those files.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from zacperf import runs
from zacperf.backends.pylean import engine_env, last_line
from zacperf.backends.process import run_measured
from zacperf.env import REPO_ROOT
from zacperf.errors import ZacperfError
from zacperf.exit_codes import ExitCode, from_engine, one_line
from zacperf.profiling import report
from zacperf.profiling.callgraph import CallGraph
from zacperf.profiling.target import ProfileTarget, resolve_target
from zacperf.redaction import redact_file, register_parameters

TOOLS = ("line", "tree", "both", "sample")
DEFAULT_DEPTH = 8
TREE_INTERVAL_S, SAMPLE_INTERVAL_S, SAMPLE_RATE_HZ = 0.001, 0.01, 100


@dataclass
class ProfileOptions:
    scenario: str | None = None
    project: str | None = None
    parameters: list[tuple[str, str]] = field(default_factory=list)
    tool: str = "both"
    functions: list[str] = field(default_factory=list)
    depth: int = DEFAULT_DEPTH
    perf_opt: str | None = None
    days: int | None = None
    top: int = 20
    data_folder: str | None = None
    feature: str | None = None
    timeout_s: float = 3600.0
    command_line: str = ""


@dataclass
class ChildRun:
    label: str
    folder: Path
    wall_s: float
    metrics: dict[str, Any]
    note: str = ""


def run_profile(options: ProfileOptions, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        _validate(options)
        target = resolve_target(options.scenario, options.project, options.parameters, options.perf_opt,
                                options.days, options.data_folder, progress=lambda text: err.write(text + "\n"))
        register_parameters(target.parameters)   # secret-named parameters are masked in the run folder
        runs.check_writable(runs.tasks_root(), "run folder root")
        run = runs.new_run_folder(runs.resolve_feature(options.feature))
        runs.write_text_atomic(run.path / "command.txt", options.command_line + "\n")
        done = _run_tools(options, target, run.path, err)
        doc = report.write(run, target, options, done)
    except ZacperfError as exc:
        err.write(f"profile_ondata: error: {one_line(str(exc))}\n")
        return exc.exit_code
    for line in report.console_lines(doc):
        out.write(line + "\n")
    return 0


def _validate(options: ProfileOptions) -> None:
    if options.tool not in TOOLS:
        raise ZacperfError(f"--tool must be one of {', '.join(TOOLS)}")
    if options.functions and options.tool not in ("line", "both"):
        raise ZacperfError("--functions selects line-profiled functions: use it with --tool line or both")
    if options.depth < 0 or options.top < 1:
        raise ZacperfError("--depth must be >= 0 and --top >= 1")


def _run_tools(options: ProfileOptions, target: ProfileTarget, folder: Path, err: TextIO) -> dict[str, Any]:
    done: dict[str, Any] = {"reference": _child(target, folder, "reference", options, err)}
    if options.tool in ("line", "both"):
        done["discover"] = _child(target, folder, "discover", options, err)
        graph = CallGraph.from_json(json.loads((folder / "discover" / "call-graph.json").read_text()))
        chosen = select_functions(graph, options.depth, options.functions)
        done["graph"], done["chosen"] = graph, chosen
        done["line"] = _child(target, folder, "line", options, err, functions=chosen)
    if options.tool in ("tree", "both"):
        done["tree"] = _child(target, folder, "tree", options, err, interval_s=TREE_INTERVAL_S)
    if options.tool == "sample":
        done["sample"] = _sample(target, folder, options, err)
    return done


def select_functions(graph: CallGraph, depth: int, specs: list[str]) -> list[str]:
    """The reached functions within `depth` of a callback, or those `specs` (module:qualname) name."""
    if not specs:
        return graph.within(depth)
    reached = sorted(graph.depths())
    chosen: list[str] = []
    for spec in specs:
        module, _, name = spec.partition(":")
        files = {module.replace(".", "/") + ".py", module.replace(".", "/") + "/__init__.py"}
        matches = [key for key in reached if key.split(":", 1)[0] in files and
                   (key.split(":", 2)[2] == name or key.split(":", 2)[2].startswith(name + "."))]
        if not module or not name or not matches:
            raise ZacperfError(f"--functions {spec}: no function of the project's time loop matches (module:qualname, "
                               "e.g. main:MyAlgorithm.on_data or core.symbol_manager:SymbolManager)")
        chosen += [key for key in matches if key not in chosen]
    return chosen


def _child(target: ProfileTarget, folder: Path, label: str, options: ProfileOptions, err: TextIO,
           tool: str | None = None, prefix: list[str] | None = None, **extra: Any) -> ChildRun:
    """One engine process running `tool` (default: `label`); its metrics, or an error naming the failure."""
    run_dir = folder / label
    run_dir.mkdir(parents=True, exist_ok=True)
    spec = {"tool": tool or label, "out": str(run_dir), "project": str(target.project),
            "data_folder": str(target.data_folder), "parameters": target.parameters, "days": target.days,
            "algorithm_id": f"{target.name}-{label}", **extra}
    runs.write_json_atomic(run_dir / "spec.json", spec)           # the record (secrets masked)
    fd, spec_file = tempfile.mkstemp(prefix="zacperf-profile-spec-", suffix=".json")  # what the child reads
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(spec, handle)
    command = [*(prefix or []), sys.executable, "-m", "zacperf.profiling.child", spec_file]
    err.write(f"  {label}: running ...\n")
    try:
        stats = run_measured(command, run_dir / "engine-stdout.log", run_dir / "engine-stderr.log", cwd=REPO_ROOT,
                             env=engine_env(), timeout_s=options.timeout_s)
    finally:
        os.unlink(spec_file)
    for log in ("engine-stdout.log", "engine-stderr.log"):
        redact_file(run_dir / log)
    if stats.timed_out or stats.exit_code != 0 or not (run_dir / "engine-metrics.json").is_file():
        why = f"timed out after {options.timeout_s:.0f} s" if stats.timed_out else last_line(run_dir / "engine-stderr.log")
        code = ExitCode.BAD_INPUT if stats.timed_out else from_engine(stats.exit_code)
        raise ZacperfError(f"the {label} run failed (exit {stats.exit_code}): {why} (see {run_dir})",
                           exit_code=ExitCode.ENGINE_FAULT if code == ExitCode.OK else code)
    err.write(f"  {label}: {stats.wall_s:.2f} s\n")
    metrics = json.loads((run_dir / "engine-metrics.json").read_text(encoding="utf-8"))
    return ChildRun(label, run_dir, stats.wall_s, metrics)


def _sample(target: ProfileTarget, folder: Path, options: ProfileOptions, err: TextIO) -> ChildRun:
    """py-spy samples the engine process from outside when installed; else pyinstrument at a coarse interval."""
    py_spy = shutil.which("py-spy")
    if py_spy is not None:
        output = folder / "sample" / "sample.speedscope.json"
        prefix = [py_spy, "record", "--format", "speedscope", "--function", "--rate", str(SAMPLE_RATE_HZ),
                  "--output", str(output), "--"]
        try:
            done = _child(target, folder, "sample", options, err, tool="plain", prefix=prefix)
            if output.is_file():
                done.note = f"py-spy at {SAMPLE_RATE_HZ} samples/s (the whole process: start-up and initialize too)"
                return done
        except ZacperfError as exc:
            err.write(f"  sample: py-spy failed ({exc}); using pyinstrument's sampler\n")
    done = _child(target, folder, "sample", options, err, interval_s=SAMPLE_INTERVAL_S)
    done.note = f"pyinstrument every {SAMPLE_INTERVAL_S * 1000:.0f} ms (the time loop only)" + (
        "" if py_spy else "; install py-spy for a sampler outside the process")
    return done
