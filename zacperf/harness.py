"""One command, end to end: run a scenario, measure it, prove the trades did not change.

`run_harness(options)` is what tools/perf_harness.py calls. For each scenario (or matrix
variant): validate everything first (nothing is written before inputs are known good), prepare
the data outside the timed runs (R-11), run each repeat as a fresh engine process, parse the
Lean-layout results, build metrics.json, compare with the golden baseline, then write the run
folder, the plots, the decision-log line and any emitted metrics.
"""
from __future__ import annotations

import dataclasses
import io
import json
import re
import shlex
import statistics
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from zacperf import datasource, golden, metrics, regression, report, runs
from zacperf.backends import RunRequest, get_backend
from zacperf.env import repo_rel, utc_iso
from zacperf.errors import ZacperfError, signals_deferred
from zacperf.exit_codes import ExitCode, one_line, worst
from zacperf.leanout import RunResult, parse_folder
from zacperf.parameters import full_parameters, parameter_hash
from zacperf.progress import Progress
from zacperf.run_failures import contain_fault, failure_line, mark_interrupted
from zacperf.redaction import register_parameters
from zacperf.scenarios import Scenario, load_scenario
from zacperf.verdict import Parity, compare_with_baseline, repeats_agree


@dataclass
class HarnessOptions:
    scenario: str
    backend: str = "pylean"
    repeat: int | None = None
    parameters: list[tuple[str, str]] = field(default_factory=list)
    json_output: bool = False
    emit: list[str] = field(default_factory=list)
    feature: str | None = None
    update_baseline: bool = False
    reason: str | None = None
    allow_data_change: bool = False
    check_regression: bool = False
    compare_flag: bool = False
    tolerance: float = 0.0
    no_compare: bool = False
    plots: bool = True
    progress: bool = True
    command_line: str = ""


class Console:
    """stdout/stderr that are also kept for the run folder's stdout.log / stderr.log."""

    def __init__(self, out: TextIO, err: TextIO, quiet_stdout: bool) -> None:
        self.out, self.err, self.quiet = out, err, quiet_stdout
        self.out_log, self.err_log = io.StringIO(), io.StringIO()

    def say(self, text: str) -> None:
        self.out_log.write(text + "\n")
        if not self.quiet:
            self.out.write(text + "\n")
            self.out.flush()

    def note(self, text: str) -> None:
        self.err_log.write(text + "\n")
        self.err.write(text + "\n")
        self.err.flush()


def run_harness(options: HarnessOptions, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    console = Console(out, err, quiet_stdout=options.json_output)
    try:
        validate_options(options)
        scenario = load_scenario(options.scenario)
        targets = list(scenario.variants) or [scenario]
        prepared = [prepare(target, options) for target in targets]          # all input checks before any run
        docs = [run_scenario(target, params, options, console) for target, params in prepared]
    except ZacperfError as exc:
        err.write(f"perf_harness: error: {one_line(str(exc))}\n")
        return exc.exit_code
    code = worst([doc["exit_code"] for doc in docs])
    if options.json_output:
        payload: Any = docs[0] if len(docs) == 1 else {"scenario": scenario.name, "variants": docs, "exit_code": code}
        out.write(json.dumps(payload, indent=1, default=str) + "\n")
    failed = [doc for doc in docs if doc["exit_code"] not in (0, 1, 4, 130)]
    if failed:
        err.write(f"perf_harness: error: {failure_line(failed[0])}\n")
    stopped = [doc for doc in docs if doc.get("interrupted")]
    if stopped:
        err.write(f"perf_harness: interrupted by {stopped[0]['interrupted']}; the run folder "
                  f"{stopped[0]['run_folder']} is marked Stopped\n")
    return code


def validate_options(options: HarnessOptions) -> None:
    runs.check_writable(runs.tasks_root() if not options.feature or "/" not in options.feature
                        else Path(options.feature), "run folder root")
    if options.update_baseline:
        runs.check_writable(golden.baseline_root(), "baseline folder")
    if options.update_baseline and not (options.reason or "").strip():
        raise ZacperfError("--update-baseline needs --reason \"why the trades are allowed to change\"")
    if options.update_baseline and (options.compare_flag or options.no_compare):
        raise ZacperfError("--update-baseline cannot be combined with --compare-flag or --no-compare")
    if options.repeat is not None and options.repeat < 1:
        raise ZacperfError("--repeat must be >= 1")
    if options.tolerance < 0:
        raise ZacperfError("--tolerance must be >= 0")
    from zacperf.emit import parse_target
    for target in options.emit:
        parse_target(target)


def prepare(scenario: Scenario, options: HarnessOptions) -> tuple[Scenario, dict[str, str]]:
    params = full_parameters(scenario, options.parameters)
    register_parameters(params)   # secret-named parameters are masked in the run folder
    if not (scenario.project / "main.py").is_file():
        raise ZacperfError(f"algorithm project not found: {scenario.project} (no main.py) — scenario "
                           f"{scenario.name} ({scenario.file.name})")
    if options.compare_flag and scenario.flag not in params:
        raise ZacperfError(f"--compare-flag: the project has no parameter {scenario.flag!r}")
    return scenario, params


def _labels(options: HarnessOptions, repeats: int) -> list[tuple[str, str | None]]:
    if not options.compare_flag:
        return [(f"run{i}", None) for i in range(1, repeats + 1)]
    order: list[tuple[str, str | None]] = []
    for i in range(1, repeats + 1):                  # ABBA interleaving cancels slow drift
        pair = [(f"off{i}", "off"), (f"on{i}", "on")]
        order += pair if i % 2 else pair[::-1]
    return order


def run_scenario(scenario: Scenario, params: dict[str, str], options: HarnessOptions, console: Console) -> dict[str, Any]:
    backend = get_backend(options.backend)
    if hasattr(backend, "notify"):
        backend.notify = console.note
    backend.check()
    data = datasource.resolve(scenario, progress=console.note)
    baseline = None if options.no_compare else golden.load_baseline(scenario.name)
    if baseline is not None and not (options.update_baseline and options.allow_data_change):
        try:
            golden.check_fingerprint(baseline[1], data.fingerprint, scenario.name)
        except ZacperfError as exc:
            if not options.update_baseline:
                raise
            raise ZacperfError(f"refusing --update-baseline: {exc}") from exc
    from zacperf.nightly.baselines import machine_baseline
    perf_base = machine_baseline(scenario.name, parameter_hash(params))
    feature = runs.resolve_feature(options.feature)
    run = runs.new_run_folder(feature)
    try:
        return _run_in_folder(scenario, params, options, console, backend, data, baseline, perf_base, run)
    except Exception:  # a fault inside zacperf: the run folder still says what happened
        contain_fault(run, console.out_log.getvalue(), console.err_log.getvalue(), traceback.format_exc())
        raise


def _run_in_folder(scenario: Scenario, params: dict[str, str], options: HarnessOptions, console: Console,
                   backend: Any, data: Any, baseline: Any, perf_base: dict[str, Any] | None,
                   run: runs.RunFolder) -> dict[str, Any]:
    runs.write_text_atomic(run.path / "command.txt", (options.command_line or "") + "\n")
    runs.copy_into(run, scenario.file, "scenario.toml")
    repeats = options.repeat or scenario.repeats
    expected_s = expected_wall_s(perf_base)

    records, results, outcomes, variants = [], [], [], []
    interrupted: str | None = None
    for label, variant in _labels(options, repeats):
        run_params = dict(params)
        if variant is not None:
            run_params[scenario.flag] = "true" if variant == "on" else "false"
        progress = Progress(f"{scenario.name} {label}", expected_s, stream=console.err, enabled=options.progress)
        request = RunRequest(project=scenario.project, data_folder=data.folder, parameters=run_params,
                             run_dir=run.path / label, label=label,
                             algorithm_id=re.sub(r"[^A-Za-z0-9_-]+", "-", f"{scenario.name}-{label}"),
                             timeout_s=scenario.timeout_s, lean_image=scenario.lean_image, on_tick=progress.tick)
        try:
            outcome = backend.run(request)
        except KeyboardInterrupt as exc:        # SIGINT or SIGTERM: keep what ran, mark the run folder Stopped
            progress.finish()
            interrupted = getattr(exc, "signal_name", "SIGINT")
            console.note(f"  {label}: interrupted by {interrupted}; the engine run was stopped")
            break
        progress.finish()
        expected_s = expected_s or outcome.process.wall_s
        result = _parse(outcome.output, outcome.problems)
        if result is not None and result.state.get("RuntimeError") and outcome.failure_code != ExitCode.BAD_INPUT:
            outcome.problems.insert(0, "algorithm error: " + algorithm_error(result.state))
            outcome.failure_code = outcome.failure_code or ExitCode.ALGORITHM_ERROR
        record = metrics.run_record(label, exit_code=outcome.process.exit_code, wall_s=outcome.process.wall_s,
                                    engine=outcome.engine_metrics, result=result, memory=outcome.process.memory(),
                                    scenario_symbols=scenario.symbols, extra_phases=outcome.extra_phases)
        record["variant"], record["output"], record["problems"] = variant, run.rel(outcome.output), outcome.problems
        records.append(record)
        results.append(result)
        outcomes.append(outcome)
        variants.append(variant)
        console.note(f"  {label}: exit {outcome.process.exit_code}, {outcome.process.wall_s:.2f} s")

    doc = build_doc(scenario, params, options, data, run, records, outcomes)
    if interrupted is not None:
        mark_interrupted(doc, interrupted, repeats)
        with signals_deferred():
            _finish(doc, scenario, options, console, run, results)
        return doc
    problems = scenario_problems(scenario, records)
    doc["scenario_check"] = {"ok": not problems, "problems": problems}
    engine_failed = any(r.get("problems") or r.get("status") not in (None, "Completed") for r in records)
    if engine_failed:
        code = worst([o.failure_code for o in outcomes if o.failure_code]) or ExitCode.BAD_INPUT
        parity = Parity("error", f"ERROR: the engine run failed ({problems[0]})", code)
    elif problems and options.update_baseline:
        parity = Parity("error", "ERROR: not recording a baseline from a run that failed the scenario check", 2)
    else:
        parity = decide(scenario, params, options, results, records, variants, baseline, data, doc)
        if problems:
            parity.details.append(f"  parity: {parity.headline}")
            parity.headline, parity.exit_code = "INVALID MEASUREMENT: the run did not match the scenario file", 2
    doc["parity"] = parity.as_dict()
    if options.check_regression and parity.exit_code == 0 and not problems:
        doc["regression"] = _regression(scenario, records, perf_base)
    exit_code = parity.exit_code if engine_failed else (ExitCode.BAD_INPUT if problems else parity.exit_code)
    if doc.get("regression") and doc["regression"]["slower"] and exit_code == 0:
        exit_code = ExitCode.PERF_REGRESSION
    doc["exit_code"] = int(exit_code)
    with signals_deferred():
        _finish(doc, scenario, options, console, run, results)
    return doc


def expected_wall_s(perf_base: dict[str, Any] | None) -> float | None:
    """This machine's perf baseline's median engine time (for the progress bar), None when it has none."""
    samples = [float(x) for x in ((perf_base or {}).get("samples") or {}).get("engine_s") or [] if x]
    return statistics.median(samples) if samples else None


def algorithm_error(state: dict[str, Any]) -> str:
    """The runtime error and the innermost algorithm frame outside the engine, on one line."""
    text = str(state.get("RuntimeError") or "").strip().splitlines()
    frames = re.findall(r'File "([^"]+)", line (\d+)', str(state.get("StackTrace") or ""))
    user = [f for f in frames if "/pylean/" not in f[0] and "\\pylean\\" not in f[0]]
    where = f" (at {repo_rel(Path(user[-1][0]))}:{user[-1][1]})" if user else ""
    return (text[0] if text else "unknown error") + where


def _parse(output: Path, problems: list[str]) -> RunResult | None:
    try:
        return parse_folder(output)
    except ZacperfError as exc:
        problems.append(str(exc))
        return None


def build_doc(scenario: Scenario, params: dict[str, str], options: HarnessOptions, data: Any, run: runs.RunFolder,
              records: list[dict[str, Any]], outcomes: list[Any]) -> dict[str, Any]:
    phash = parameter_hash(params)
    engine_version = next((o.engine_version for o in outcomes if o.engine_version), None)
    doc: dict[str, Any] = {
        "schema_version": metrics.SCHEMA_VERSION, "kind": "zacperf-metrics", "run_id": run.run_id,
        "created_utc": utc_iso(), "run_folder": repo_rel(run.path),
        "mode": "compare-flag" if options.compare_flag else ("update-baseline" if options.update_baseline else "measure"),
        "scenario": {"name": scenario.name, "file": repo_rel(scenario.file), "symbols": list(scenario.symbols),
                     "start": scenario.start.isoformat(), "end": scenario.end.isoformat(),
                     "resolution": scenario.resolution, "cash": scenario.cash, "repeats": len(records),
                     "parameter_hash": phash, "parameters": params, "overrides": options.parameters,
                     "expected_data_points": scenario.expect_data_points, "data": data.describe(),
                     "thresholds": dataclasses.asdict(scenario.thresholds)},
        "backend": {"name": options.backend, "engine_version": engine_version,
                    "command": outcomes[0].command if outcomes else None},
        "provenance": runs.provenance(data.describe(), phash, options.backend, engine_version),
        "runs": records,
    }
    measured = [r for r in records if r.get("variant") in (None, "off")]
    doc["summary"] = metrics.summarize(measured)
    if options.compare_flag:
        on_runs = [r for r in records if r.get("variant") == "on"]
        doc["summary_on"] = metrics.summarize(on_runs)
        metric, off = regression.timing_samples(measured)
        _, on = regression.timing_samples(on_runs)
        # the decision metric's ratio, then the two a flag is judged by: the algorithm's own time and the
        # process's wall clock (median of per-pair off/on ratios; > 1 means faster with the flag)
        doc["flag"] = {"name": scenario.flag, "metric": metric, "speedup": regression.paired_speedup(off, on),
                       "algorithm_time": regression.paired_metric(measured, on_runs, "algorithm_time_total_s"),
                       "wall_clock": regression.paired_metric(measured, on_runs, "wall_s"),
                       "parity_identical": None}
    return doc


def scenario_problems(scenario: Scenario, records: list[dict[str, Any]]) -> list[str]:
    """Everything that makes the measurement invalid: engine errors and a scenario that did not run as written."""
    problems: list[str] = []
    expected = {"symbols": list(scenario.symbols), "start": scenario.start.isoformat(), "end": scenario.end.isoformat(),
                "data_points": scenario.expect_data_points}
    for record in records:
        tag = f"{record['label']}: "
        if record.get("problems") or record.get("status") not in (None, "Completed"):
            problems += [tag + p for p in record.get("problems") or []] or [tag + f"engine status {record.get('status')}"]
            continue                       # the checks below are noise after an engine error
        problems += [tag + p for p in metrics.check_scenario(expected, record["ran"])]
        orders = record.get("orders")
        if scenario.thresholds.min_orders and isinstance(orders, int) and orders < scenario.thresholds.min_orders:
            problems.append(tag + f"{orders} orders < thresholds.min_orders {scenario.thresholds.min_orders} "
                            "(the data does not exercise the strategy)")
        missing = record.get("missing_trade_files") or []
        if len(missing) > scenario.thresholds.max_missing_trade_files:
            problems.append(tag + f"{len(missing)} trade file(s) missing at run time (e.g. {missing[0]})")
    return list(dict.fromkeys(problems))


def decide(scenario: Scenario, params: dict[str, str], options: HarnessOptions, results: list[RunResult | None],
           records: list[dict[str, Any]], variants: list[str | None], baseline: Any, data: Any,
           doc: dict[str, Any]) -> Parity:
    if any(r is None for r in results):
        return Parity("error", "ERROR: a run produced no readable results (see stderr.log and the run folder)", 2)
    sections = [golden.sections_of(r) for r in results]  # type: ignore[arg-type]
    base_sections = [s for s, v in zip(sections, variants) if v in (None, "off")]
    disagreement = repeats_agree(base_sections)
    if disagreement is not None:
        return Parity("nondeterministic", "NONDETERMINISTIC: repeats of the same run disagree", 1,
                      details=golden.format_report(disagreement, base_sections[0]))
    first_record = next(r for r, v in zip(records, variants) if v in (None, "off"))
    phash = parameter_hash(params)
    if options.compare_flag:
        flag_report = repeats_agree([base_sections[0]] + [s for s, v in zip(sections, variants) if v == "on"])
        doc["flag"]["parity_identical"] = flag_report is None
        if flag_report is not None:
            return Parity("divergent", f"DIVERGENT: {scenario.flag}=true changes the trades", 1,
                          details=golden.format_report(flag_report, base_sections[0]))
    if options.update_baseline:
        provenance = {"scenario": scenario.name, "data_fingerprint": data.fingerprint, "parameter_hash": phash,
                      "parameters": params, "engine": options.backend,
                      "engine_version": doc["backend"]["engine_version"], "git": doc["provenance"]["git"],
                      "recorded_utc": utc_iso(), "reason": options.reason, "run": doc["run_folder"],
                      "orders": first_record.get("orders"), "fills": first_record.get("fills")}
        folder = golden.write_baseline(scenario.name, base_sections[0], provenance,
                                       allow_data_change=options.allow_data_change)
        from zacperf.verdict import outcome_text
        return Parity("updated", f"BASELINE UPDATED: {repo_rel(folder)} "
                      f"({outcome_text(base_sections[0], first_record.get('orders'), first_record.get('fills'))}); "
                      f"reason: {options.reason}", 0)
    if options.no_compare:
        return Parity("skipped", "MEASURED (no baseline comparison requested)", 0)
    return compare_with_baseline(base_sections[0], baseline, params, phash, first_record.get("orders"),
                                 first_record.get("fills"), options.tolerance, f"baselines/{scenario.name}")


def _regression(scenario: Scenario, records: list[dict[str, Any]], perf_base: dict[str, Any] | None) -> dict[str, Any]:
    """Engine seconds against this machine's perf baseline (the nightly job's, `--refresh-perf-baseline`)."""
    measured = [r for r in records if r.get("variant") in (None, "off")]
    current = [float(r["engine_s"]) for r in measured if isinstance(r.get("engine_s"), (int, float))]
    baseline = [float(x) for x in ((perf_base or {}).get("samples") or {}).get("engine_s") or []]
    verdict = regression.check_regression(current, baseline, scenario.thresholds.max_slowdown_pct, "engine_s")
    message = verdict.message
    if perf_base is None:
        message = (f"no perf baseline for {scenario.name} on this machine: record one with `python "
                   f"tools/perf_harness.py --refresh-perf-baseline --scenarios {scenario.name}`")
    return {"slower": verdict.slower, "metric": verdict.metric, "ratio": verdict.ratio, "p_value": verdict.p_value,
            "message": message}


def _finish(doc: dict[str, Any], scenario: Scenario, options: HarnessOptions, console: Console, run: runs.RunFolder,
            results: list[RunResult | None]) -> None:
    for line in report.summary_lines(doc):
        console.say(line)
    equity = next((r.equity for r in results if r is not None), [])
    if options.plots:
        try:
            doc["plots"] = report.write_plots(doc, run.path, equity)
        except Exception as exc:  # noqa: BLE001 - a plotting failure must not lose the measurement
            console.note(f"perf_harness: warning: plots not written ({exc})")
    runs.write_json_atomic(run.path / "metrics.json", doc)
    runs.write_text_atomic(run.path / "test-report.md", report.test_report(doc, options.command_line))
    headline = dict(doc["summary"]["headline"])
    headline["on_data_p95_us"] = (headline.get("on_data") or {}).get("p95_us")
    runs.append_decision_log(run.feature, runs.decision_line(
        run, scenario.name, options.backend, doc["parity"]["headline"].split(" (")[0], headline,
        doc["scenario"]["parameter_hash"], doc["provenance"]["git"]["commit"]))
    _emit(doc, options, run)
    runs.write_text_atomic(run.path / "stdout.log", console.out_log.getvalue())
    runs.write_text_atomic(run.path / "stderr.log", console.err_log.getvalue())


def _emit(doc: dict[str, Any], options: HarnessOptions, run: runs.RunFolder) -> None:
    from zacperf.emit import (
        append_csv,
        flat_row,
        parse_target,
        send_statsd,
        statsd_lines,
    )
    row = flat_row(doc, doc["parity"]["verdict"])
    for target in options.emit:
        kind, detail = parse_target(target)
        if kind == "csv":
            append_csv(detail or run.feature / "benchmarks" / "metrics.csv", row)
            append_csv(run.path / "metrics.csv", row)
        else:
            send_statsd(detail, statsd_lines(row))


def command_line(argv: list[str]) -> str:
    return "python tools/perf_harness.py " + " ".join(shlex.quote(a) for a in argv)
