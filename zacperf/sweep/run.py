"""A sweep from options to results: resolve the project and data, build the points, run them (serially,
in a bounded local pool, or on Dask), rank them by the target within the constraints, write the
sweep folder (results.csv, results.json, sweep-report.md, heatmap.png)."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zacperf import runs
from zacperf.env import REPO_ROOT, lean_data_folder, repo_path
from zacperf.errors import ZacperfError
from zacperf.executor import run_tasks
from zacperf.exit_codes import ExitCode, worst
from zacperf.parameters import check_override, project_parameters
from zacperf.sweep import objective, space
from zacperf.sweep.point import run_point


@dataclass
class SweepOptions:
    params: list[str]                        # "NAME=v1,v2" / "NAME=lo:hi:step"
    scenario: str | None = None              # a harness scenario (its data prepared as the harness does) ...
    project: str | None = None               # ... or any Lean project folder
    data_folder: str | None = None           # with project: default $LEAN_DATA_FOLDER / lean.json
    fixed: list[tuple[str, str]] = field(default_factory=list)   # --parameter NAME VALUE on every point
    strategy: str = "grid"
    samples: int = 20
    seed: int = 0
    target: str = "Sharpe Ratio"
    minimize: bool = False
    constraints: list[str] = field(default_factory=list)
    compare_flag: str | None = None          # flag name: run it off and on at every point
    jobs: int = 1
    dask_scheduler: str | None = None
    feature: str | None = None               # default tasks/sweeps
    timeout_s: float = 3600.0
    progress: bool = True
    plots: bool = True


@dataclass
class SweepResult:
    folder: Path
    points: list[dict[str, Any]]
    best: dict[str, Any] | None
    exit_code: int


def _base(options: SweepOptions) -> tuple[Path, Path, dict[str, str]]:
    """Project, data folder and the full base parameter set (config.json < scenario < --parameter)."""
    if bool(options.scenario) == bool(options.project):
        raise ZacperfError("give --scenario NAME or --project DIR (one of them)")
    if options.scenario:
        from zacperf import datasource
        from zacperf.parameters import full_parameters
        from zacperf.scenarios import load_scenario
        scenario = load_scenario(options.scenario)
        if scenario.variants:
            raise ZacperfError(f"{scenario.name} is a matrix; pick one cell, e.g. {scenario.variants[0].name}")
        params = full_parameters(scenario, options.fixed)
        return scenario.project, datasource.resolve(scenario).folder, params
    project = repo_path(Path(options.project or "").expanduser()).resolve()
    if not (project / "main.py").is_file():
        raise ZacperfError(f"algorithm project not found: {project} (no main.py)")
    data = Path(options.data_folder).expanduser().resolve() if options.data_folder else lean_data_folder()
    if not data.is_dir():
        raise ZacperfError(f"data folder not found: {data}")
    params = project_parameters(project)
    for name, value in options.fixed:
        if name not in params:
            raise ZacperfError(f"--parameter {name}: not a parameter of {project / 'config.json'}")
        params[name] = check_override(name, value, params[name])
    return project, data, params


def build_points(options: SweepOptions, base: dict[str, str]) -> list[dict[str, str]]:
    parsed = [space.parse_param(p) for p in options.params]
    if not parsed:
        raise ZacperfError("give at least one --param NAME=values")
    for param in parsed:
        if param.name not in base:
            raise ZacperfError(f"--param {param.name}: unknown parameter of this project")
        for value in param.values:
            check_override(param.name, value, base[param.name])
        if options.compare_flag and param.name == options.compare_flag:
            raise ZacperfError(f"--compare-flag {param.name} is toggled at every point; do not sweep it")
    if options.strategy == "grid":
        return space.grid(parsed)
    if options.strategy == "random":
        return space.random_points(parsed, options.samples, options.seed)
    raise ZacperfError(f"--strategy must be grid or random, got {options.strategy!r}")


def run_sweep(options: SweepOptions) -> SweepResult:
    constraints = [objective.parse_constraint(c) for c in options.constraints]
    project, data, base = _base(options)
    if options.compare_flag and options.compare_flag not in base:
        raise ZacperfError(f"--compare-flag: the project has no parameter {options.compare_flag!r}")
    points = build_points(options, base)
    folder = runs.new_run_folder(runs.resolve_feature(options.feature or "sweeps"))
    payloads = [{"index": i, "point": point, "parameters": {**base, **point}, "project": str(project),
                 "data_folder": str(data), "run_dir": str(folder.path / "points" / f"{i:04d}"),
                 "timeout_s": options.timeout_s, "flag": options.compare_flag, "python": sys.executable,
                 "repo": str(REPO_ROOT)} for i, point in enumerate(points)]
    results = run_tasks(run_point, payloads, jobs=options.jobs, dask_scheduler=options.dask_scheduler,
                        label="sweep", progress=options.progress)
    best = rank(results, options.target, options.minimize, constraints)
    from zacperf.sweep.report import write_outputs
    write_outputs(folder.path, options, results, best, constraints)
    return SweepResult(folder.path, results, best, exit_code(results))


def rank(results: list[dict[str, Any]], target: str, minimize: bool,
         constraints: list[objective.Constraint]) -> dict[str, Any] | None:
    """Annotate each point with its target value and feasibility; the best feasible point (or None)."""
    with_stats = [r for r in results if r.get("statistics")]
    if with_stats:
        objective.check_names(with_stats[0]["statistics"], [target] + [c.name for c in constraints])
    for r in results:
        r["target"] = objective.statistic(r.get("statistics") or {}, target)
        r["feasible"] = bool(r.get("statistics")) and not r.get("problems") and all(
            c.holds(r["statistics"]) for c in constraints)
    feasible = [r for r in results if r["feasible"] and r["target"] is not None]
    if not feasible:
        return None
    if minimize:                                   # ties go to the first point either way
        return min(feasible, key=lambda r: (r["target"], r["index"]))
    return max(feasible, key=lambda r: (r["target"], -r["index"]))


def exit_code(results: list[dict[str, Any]]) -> int:
    found = []
    for r in results:
        problems = r.get("problems") or []
        if any("algorithm error" in p for p in problems):
            found.append(ExitCode.ALGORITHM_ERROR)
        elif problems:
            found.append(ExitCode.ENGINE_FAULT)
        if r.get("flag_parity") is False:
            found.append(ExitCode.DIVERGENT)
    return worst(found)
