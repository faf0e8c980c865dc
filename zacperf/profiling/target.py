"""What a profile runs: a scenario (its data prepared like the harness's) or any Lean project folder, with
its full parameter set, the enable_perf_opt choice and an optional shorter run."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from zacperf import calendar, datasource
from zacperf.env import lean_data_folder, repo_rel
from zacperf.errors import ZacperfError
from zacperf.parameters import check_override, full_parameters, project_parameters
from zacperf.scenarios import load_scenario

PERF_FLAG = "enable_perf_opt"


@dataclass(frozen=True)
class ProfileTarget:
    name: str                       # the scenario's name, or the project folder's
    project: Path
    data_folder: Path
    parameters: dict[str, str]
    days: int | None                # projects: the engine ends the run after this many trading days
    description: str


def resolve_target(scenario: str | None, project: str | None, overrides: list[tuple[str, str]],
                   perf_opt: str | None, days: int | None, data_folder: str | None,
                   progress: Callable[[str], None] | None = None) -> ProfileTarget:
    if (scenario is None) == (project is None):
        raise ZacperfError("give --scenario NAME or --project DIR (one of them)")
    if days is not None and days < 1:
        raise ZacperfError("--days must be >= 1")
    if scenario is not None:
        if data_folder is not None:
            raise ZacperfError("--data-folder is for --project; a scenario names its own data")
        return _scenario_target(scenario, overrides, perf_opt, days, progress)
    return _project_target(Path(project).expanduser().resolve(), overrides, perf_opt, days, data_folder)  # type: ignore[arg-type]


def _scenario_target(name: str, overrides: list[tuple[str, str]], perf_opt: str | None, days: int | None,
                     progress: Callable[[str], None] | None) -> ProfileTarget:
    scenario = load_scenario(name)
    if scenario.variants:
        raise ZacperfError(f"scenario {scenario.name!r} is a matrix; profile one variant, e.g. "
                           f"{scenario.variants[0].name}")
    if days is not None:
        scenario = dataclasses.replace(scenario, end=min(scenario.end, calendar.add_trading_days(scenario.start, days)),
                                       expect_data_points=None)
    if not (scenario.project / "main.py").is_file():
        raise ZacperfError(f"algorithm project not found: {scenario.project} (no main.py)")
    params = full_parameters(scenario, overrides)
    _set_perf_opt(params, perf_opt, scenario.flag)
    data = datasource.resolve(scenario, progress=progress)
    return ProfileTarget(scenario.name, scenario.project, data.folder, params, None,
                         f"scenario {scenario.name} ({', '.join(scenario.symbols)}, {scenario.start}..{scenario.end}, "
                         f"{scenario.resolution}, {data.kind} data)")


def _project_target(project: Path, overrides: list[tuple[str, str]], perf_opt: str | None, days: int | None,
                    data_folder: str | None) -> ProfileTarget:
    if not (project / "main.py").is_file():
        raise ZacperfError(f"not a Lean project: {project} has no main.py")
    params = project_parameters(project)
    for name, value in overrides:
        params[name] = check_override(name, value, params[name]) if name in params else value  # Lean merges
    _set_perf_opt(params, perf_opt, PERF_FLAG)
    folder = Path(data_folder).expanduser().resolve() if data_folder else lean_data_folder()
    if not (folder / "market-hours" / "market-hours-database.json").is_file():
        raise ZacperfError(f"not a Lean data folder (no market-hours database): {folder}")
    return ProfileTarget(project.name, project, folder, params, days,
                         f"project {repo_rel(project)} on {repo_rel(folder)}" + (f", first {days} trading day(s)"
                                                                                  if days else ""))


def _set_perf_opt(params: dict[str, Any], perf_opt: str | None, flag: str) -> None:
    if perf_opt is None:
        return
    if flag not in params:
        raise ZacperfError(f"--perf-opt: the project has no parameter {flag!r}")
    params[flag] = "true" if perf_opt == "on" else "false"
