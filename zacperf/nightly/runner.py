"""The nightly job: rounds of (calibration, every scenario once), golden parity on every run, the
asv-style gate against this machine's perf baselines, the history line and the trend page.

`run_nightly(options)` measures; with `options.record_baseline` it stores the samples as this
machine's perf baselines instead of judging them (`--refresh-perf-baseline`). Each scenario run is
a normal harness run (zacperf.harness.run_scenario, repeat 1) filed under the nightly run folder,
so its metrics.json, logs and parity verdict are the harness's own.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from zacperf import runs
from zacperf.env import git_revision, utc_iso
from zacperf.errors import ZacperfError
from zacperf.exit_codes import ExitCode, worst
from zacperf.nightly import baselines, history, samples, trend
from zacperf.nightly.calibration import CALIBRATION_VERSION, run_calibration
from zacperf.nightly.floors import chunk_layout_agrees, floor_sum, scaled
from zacperf.nightly.gate import MIN_SAMPLES, GateResult, decide, decide_floor
from zacperf.nightly.machine import fingerprint_facts, machine_fingerprint, nightly_home
from zacperf.nightly.report import write_report

NIGHTLY_SET = ("smoke", "scale/s1-d5", "scale/s4-d1")   # synthetic: runs on a hosted CI runner as well
DEFAULT_REPEATS = 5


@dataclass
class NightlyOptions:
    scenarios: list[str] = field(default_factory=lambda: list(NIGHTLY_SET))
    repeats: int = DEFAULT_REPEATS
    factor: float = 1.05            # the seed's rollout abort line: 5 % (time-loop floor)
    process_factor: float = 1.10    # whole engine process (start-up and imports are noisier)
    rss_factor: float = 1.10
    busy_limit: float = 1.15        # calibration wall median / its fastest CPU piece above this: time not judged
    alpha: float = 0.05
    record_baseline: bool = False   # --refresh-perf-baseline
    if_missing: bool = False        # with record_baseline: only scenarios without a baseline here
    feature: str | None = None      # default tasks/nightly
    home: Path | None = None        # default $ZACPERF_NIGHTLY_DIR or ~/.cache/zacperf/nightly
    progress: bool = True
    command_line: str = ""


@dataclass
class _Target:
    scenario: Any
    params: dict[str, str]
    baseline: dict[str, Any] | None = None
    docs: list[dict[str, Any]] = field(default_factory=list)
    samples: list[dict[str, float | None]] = field(default_factory=list)


def run_nightly(options: NightlyOptions, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        targets, fingerprint, home = _prepare(options)
    except ZacperfError as exc:
        err.write(f"perf_harness: error: {exc}\n")
        return ExitCode.BAD_INPUT
    if not targets:
        out.write("perf baselines: every scenario already has one on this machine (--if-missing)\n")
        return ExitCode.OK
    from zacperf.harness import Console, HarnessOptions, run_scenario
    console = Console(out, err, quiet_stdout=True)
    folder = runs.new_run_folder(runs.resolve_feature(options.feature or "nightly"))
    runs.write_text_atomic(folder.path / "command.txt", options.command_line + "\n")
    calibrations: list[dict[str, float]] = []
    try:
        for round_no in range(1, options.repeats + 1):
            calibrations.append(run_calibration())
            err.write(f"nightly round {round_no}/{options.repeats}: calibration {calibrations[-1]['cpu_seconds']:.4f} "
                      "CPU s\n")
            for target in targets:
                harness_options = HarnessOptions(scenario=target.scenario.name, repeat=1, feature=str(folder.path),
                                                 plots=False, progress=options.progress,
                                                 command_line=options.command_line)
                target.docs.append(run_scenario(target.scenario, target.params, harness_options, console))
                if _run_code(target.docs[-1]) == ExitCode.INTERRUPTED:
                    err.write("perf_harness: interrupted; the nightly recorded nothing\n")
                    return int(ExitCode.INTERRUPTED)
            if any(_run_code(doc) != ExitCode.OK for t in targets for doc in t.docs):
                err.write("nightly: stopping after this round: a run failed or diverged (timing is moot)\n")
                break
        calibrations.append(run_calibration())
    except (ZacperfError, RuntimeError) as exc:
        err.write(f"perf_harness: error: {exc}\n")
        return ExitCode.BAD_INPUT if isinstance(exc, ZacperfError) else ExitCode.ENGINE_FAULT
    return _conclude(options, targets, calibrations, fingerprint, home, folder, out)


def _prepare(options: NightlyOptions) -> tuple[list[_Target], str, Path]:
    from zacperf.harness import HarnessOptions, prepare
    from zacperf.parameters import parameter_hash
    from zacperf.scenarios import load_scenario

    if options.repeats < MIN_SAMPLES:
        raise ZacperfError(f"the nightly gate needs at least {MIN_SAMPLES} repeats (got {options.repeats})")
    if min(options.factor, options.process_factor, options.rss_factor) <= 1.0:
        raise ZacperfError(f"--factor must be above 1 (got {options.factor})")
    if not options.scenarios:
        raise ZacperfError("--scenarios is empty")
    home, fingerprint = options.home or nightly_home(), machine_fingerprint()
    targets = []
    for name in options.scenarios:
        scenario = load_scenario(name)
        for variant in list(scenario.variants) or [scenario]:
            _, params = prepare(variant, HarnessOptions(scenario=variant.name))
            path = baselines.baseline_path(home, fingerprint, variant.name)
            target = _Target(variant, params)
            if options.record_baseline:
                if options.if_missing and _usable(path, variant.name, parameter_hash(params)):
                    continue   # an old schema or other parameters count as missing (refreshed)
            else:
                target.baseline = baselines.load_baseline(path, variant.name, parameter_hash(params))
            targets.append(target)
    return targets, fingerprint, home


def _usable(path: Path, scenario: str, phash: str) -> bool:
    try:
        baselines.load_baseline(path, scenario, phash)
    except ZacperfError:
        return False
    return True


def _run_code(doc: dict[str, Any]) -> int:
    """One harness run's outcome in the exit-code table (the harness's own verdict; no doc is a fault)."""
    code = doc.get("exit_code")
    return int(code) if isinstance(code, int) else int(ExitCode.ENGINE_FAULT)


def _conclude(options: NightlyOptions, targets: list[_Target], calibrations: list[dict[str, float]], fingerprint: str,
              home: Path, folder: runs.RunFolder, out: TextIO) -> int:
    git = git_revision()
    outcomes, entries = [], []
    for target in targets:
        speed = samples.machine_speed(calibrations)
        target.samples = [samples.sample_of(doc["runs"][0], speed) for doc in target.docs]
        run_codes = [_run_code(doc) for doc in target.docs]
        parity = next(((d.get("parity") or {}).get("verdict") for d, c in zip(target.docs, run_codes) if c),
                      "identical")
        gates: list[GateResult] = []
        if not any(run_codes) and not options.record_baseline and target.baseline is not None:
            gates = _gates(options, target, speed)
        code = worst(run_codes + [ExitCode.PERF_REGRESSION for g in gates if g.regression])
        if options.record_baseline and code == ExitCode.OK:
            if _busy(options, speed):
                code = ExitCode.BAD_INPUT   # a baseline from a busy machine would hide regressions
            else:
                _record(target, calibrations, fingerprint, home, folder, git)
        outcomes.append((target, code, gates))
        entries.append(_history_entry(options, target, calibrations, fingerprint, folder, git, parity, gates, code))
    if not options.record_baseline:
        history.append_history(history.history_path(home), entries)
    page = trend.render(history.read_history(history.history_path(home)), home / "trend", fingerprint)
    exit_code = worst([c for _, c, _ in outcomes])
    report_path = write_report(folder, options, outcomes, calibrations, fingerprint, git, exit_code, page, entries)
    for line in report_path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("|", "**", "- ")):
            out.write(line + "\n")
    out.write(f"nightly report: {report_path}\ntrend page: {page}\nexit code {exit_code}\n")
    return exit_code


def _floor_rows(target: _Target, speed: dict[str, float]) -> dict[str, list[list[float]]]:
    """Tonight's rounds as floor rows, divided by tonight's calibration floor."""
    loop = [row for row in (samples.chunk_row(doc["runs"][0]) for doc in target.docs) if row]
    process = [[s["cpu_s"]] for s in target.samples if s.get("cpu_s")]
    return {samples.LOOP_FLOOR: scaled(loop, speed["cpu_floor"]),
            samples.PROCESS_FLOOR: scaled(process, speed["cpu_floor"])}   # type: ignore[arg-type]


def _busy(options: NightlyOptions, speed: dict[str, float]) -> bool:
    """The machine was busy for much of the night: the calibration's median piece took more than busy_limit
    times the CPU time of its fastest piece, in wall time (waiting for a core counts, as it does in the step
    timings). Floors then rise where every round was disturbed, as slower code would make them; such a night
    neither judges time nor records a baseline (tasks/nightly-gate-floors/decision-log.md, 6)."""
    return speed["busy"] > options.busy_limit


def _gates(options: NightlyOptions, target: _Target, speed: dict[str, float]) -> list[GateResult]:
    base = target.baseline or {}
    base_floor = samples.machine_speed(base["calibration"]["samples"])["cpu_floor"]
    tonight = _floor_rows(target, speed)
    stored = base.get("floors") or {}
    busy = _busy(options, speed)
    return [decide_floor(samples.LOOP_FLOOR, tonight[samples.LOOP_FLOOR],
                         scaled(stored.get(samples.LOOP_FLOOR) or [], base_floor), options.factor, options.alpha,
                         busy=busy),
            decide_floor(samples.PROCESS_FLOOR, tonight[samples.PROCESS_FLOOR],
                         scaled(stored.get(samples.PROCESS_FLOOR) or [], base_floor), options.process_factor,
                         options.alpha, busy=busy),
            decide(samples.RSS_METRIC, samples.column(target.samples, samples.RSS_METRIC),
                   base.get("samples", {}).get(samples.RSS_METRIC) or [], options.rss_factor, options.alpha)]


def _record(target: _Target, calibrations: list[dict[str, float]], fingerprint: str, home: Path, folder: runs.RunFolder,
            git: dict[str, Any]) -> None:
    first = target.docs[0]
    names = list(samples.FIGURES) + [samples.TIME_METRIC, samples.WALL_METRIC]
    baselines.write_baseline(baselines.baseline_path(home, fingerprint, target.scenario.name), {
        "scenario": target.scenario.name, "machine_fingerprint": fingerprint, "machine": fingerprint_facts(),
        "recorded_utc": utc_iso(), "git": git, "parameter_hash": first["scenario"]["parameter_hash"],
        "data_fingerprint": first["scenario"]["data"].get("fingerprint"),
        "calibration": {"version": CALIBRATION_VERSION, "samples": calibrations},
        "samples": {n: samples.column(target.samples, n) for n in names},
        # unscaled rows (chunk seconds, process CPU seconds): each night divides by its own calibration floor
        "floors": {samples.LOOP_FLOOR: [row for row in (samples.chunk_row(d["runs"][0]) for d in target.docs) if row],
                   samples.PROCESS_FLOOR: [[s["cpu_s"]] for s in target.samples if s.get("cpu_s")]},
        "run_folder": str(folder.path)})


def _floor_figures(target: _Target, calibrations: list[dict[str, float]]) -> dict[str, float | None]:
    """Tonight's floors (what the gate compares), for the history and the trend charts."""
    if not calibrations:
        return {samples.LOOP_FLOOR: None, samples.PROCESS_FLOOR: None}
    rows = _floor_rows(target, samples.machine_speed(calibrations))
    return {name: (floor_sum(r) if chunk_layout_agrees(r) else None) for name, r in rows.items()}


def _history_entry(options: NightlyOptions, target: _Target, calibrations: list[dict[str, float]], fingerprint: str,
                   folder: runs.RunFolder, git: dict[str, Any], parity: str, gates: list[GateResult],
                   code: int) -> dict[str, Any]:
    return {"kind": "zacperf-nightly", "created_utc": utc_iso(), "commit": git.get("commit"), "dirty": git.get("dirty"),
            "baseline_commit": ((target.baseline or {}).get("git") or {}).get("commit"),
            "machine": fingerprint, "scenario": target.scenario.name, "repeats": len(target.samples),
            "calibration": samples.machine_speed(calibrations) if calibrations else None,
            "medians": {**samples.medians(target.samples), **_floor_figures(target, calibrations)},
            "gate": [g.as_dict() for g in gates],
            "parity": parity, "exit_code": code, "run_folder": str(folder.path),
            "mode": "baseline" if options.record_baseline else "check"}
