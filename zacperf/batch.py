"""Harness batches: `perf_harness.py --scenario a,b,c [--jobs N] [--dask-scheduler tcp://HOST:PORT]`.

Each scenario is its own `perf_harness.py --scenario X --json` process (which runs its engine
processes one after another), scheduled by zacperf.executor. `--jobs 1` (the default) keeps
timing runs serial; with more jobs, or on a cluster, the runs are throughput runs: parity verdicts
hold, but their timings share the machine and are not for regression decisions, so
`--check-regression` is refused there.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from zacperf.env import REPO_ROOT
from zacperf.errors import ZacperfError
from zacperf.executor import bounded_jobs, run_tasks
from zacperf.exit_codes import ExitCode, worst

SHARED_ENV = ("LEAN_DATA_FOLDER", "ZACPERF_DATA_DIR", "PYLEAN_CACHE_DIR", "ZACPERF_TASKS_DIR",
              "ZACPERF_BASELINES_DIR", "ZACPERF_SHARED_DIR")
_BATCH_OPTIONS = {"--scenario": True, "--jobs": True, "--dask-scheduler": True, "--json": False,
                  "--no-progress": False}


def is_batch(args: Any) -> bool:
    return bool(args.scenario and "," in args.scenario) or (args.jobs or 1) > 1 or bool(args.dask_scheduler)


def scenario_list(text: str) -> list[str]:
    """The batch's tasks: each name, a matrix scenario's variants one by one (validated up front)."""
    from zacperf.scenarios import load_scenario

    names = []
    for name in (s.strip() for s in text.split(",") if s.strip()):
        scenario = load_scenario(name)
        names += [v.name for v in scenario.variants] if scenario.variants else [name]
    if not names:
        raise ZacperfError("--scenario lists no scenario")
    if len(set(names)) != len(names):
        raise ZacperfError("--scenario lists a scenario twice")
    return names


def passthrough(argv: list[str]) -> list[str]:
    """The command line without the batch's own options (each task gets its own --scenario)."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in _BATCH_OPTIONS:
            skip = _BATCH_OPTIONS[name] and "=" not in arg
            continue
        out.append(arg)
    return out


def harness_task(payload: dict[str, Any]) -> dict[str, Any]:
    """One scenario in a fresh harness process (runs on a Dask worker too: paths come in the payload)."""
    env = dict(os.environ)
    env.update(payload.get("env") or {})
    command = [payload.get("python") or sys.executable, os.path.join(payload["repo"], "tools", "perf_harness.py"),
               "--scenario", payload["scenario"], "--json", "--no-progress", *payload["args"]]
    done = subprocess.run(command, cwd=payload["repo"], env=env, capture_output=True, text=True, check=False)
    try:
        doc = json.loads(done.stdout) if done.stdout.strip() else None
    except json.JSONDecodeError:
        doc = None
    tail = [line for line in done.stderr.splitlines() if line.strip()][-1:] or [""]
    return {"scenario": payload["scenario"], "exit_code": done.returncode, "doc": doc, "stderr_tail": tail[0]}


def run_batch(scenarios: list[str], argv: list[str], jobs: int, dask_scheduler: str | None, check_regression: bool,
              progress: bool) -> list[dict[str, Any]]:
    parallel = bounded_jobs(jobs) > 1 or bool(dask_scheduler)
    if parallel and check_regression:
        raise ZacperfError("--check-regression needs serial timing runs: drop --jobs/--dask-scheduler")
    env = {k: os.environ[k] for k in SHARED_ENV if k in os.environ}
    payloads = [{"scenario": s, "args": passthrough(argv), "repo": str(REPO_ROOT), "env": env,
                 "python": sys.executable} for s in scenarios]
    results = run_tasks(harness_task, payloads, jobs=jobs, dask_scheduler=dask_scheduler, label="scenarios",
                        progress=progress)
    for result in results:
        result["throughput_run"] = parallel
    return results


def _docs(doc: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not doc:
        return []
    return list(doc.get("variants") or [doc])


def summary_lines(results: list[dict[str, Any]]) -> list[str]:
    lines = ["| scenario | exit | verdict | data points/s | wall s | run folder |", "|---|---:|---|---:|---:|---|"]
    for result in results:
        docs = _docs(result["doc"])
        if not docs:
            lines.append(f"| {result['scenario']} | {result['exit_code']} | {result['stderr_tail']} | | | |")
        for doc in docs:
            head = (doc.get("summary") or {}).get("headline") or {}
            dps, wall = head.get("data_points_per_s"), head.get("wall_s")
            lines.append(f"| {doc['scenario']['name']} | {doc.get('exit_code')} | "
                         f"{(doc.get('parity') or {}).get('headline', '').split(' (')[0]} | "
                         f"{format(dps, ',.0f') if isinstance(dps, (int, float)) else 'n/a'} | "
                         f"{format(wall, '.2f') if isinstance(wall, (int, float)) else 'n/a'} | "
                         f"{doc.get('run_folder')} |")
    if any(r.get("throughput_run") for r in results):
        lines.append("(parallel runs: the timings are throughput figures, not for regression decisions)")
    return lines


def dispatch(args: Any, argv: list[str]) -> int | None:
    """Exit code of a batch, or None when the command line is a single run."""
    if not is_batch(args):
        return None
    try:
        results = run_batch(scenario_list(args.scenario or ""), argv, args.jobs or 1, args.dask_scheduler,
                            args.check_regression, not args.no_progress)
    except ZacperfError as exc:
        print(f"perf_harness: error: {exc}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    if args.json:
        print(json.dumps(results, indent=1, default=str))
    else:
        print("\n".join(summary_lines(results)))
    return worst([r["exit_code"] for r in results])
