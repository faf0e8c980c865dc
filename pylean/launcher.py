"""Load an algorithm, build its components, run it and write Lean's result files (Launcher/, Engine/Engine.cs)."""
from __future__ import annotations

import contextlib
import gc
import importlib.util
import inspect
import json
import sys
import time as wallclock
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, ContextManager, Iterator

from pylean import algorithm_imports
from pylean.algorithm import QCAlgorithm
from pylean.algorithm_clock import AlgorithmClock, recording, timed_overrides
from pylean.algorithm_state import release, state_of
from pylean.dotnet import dotnet_imports
from pylean.engine import Engine
from pylean.exit_codes import ExitCode
from pylean.failures import Failure, classify, one_line, signals_deferred, unwritable
from pylean.lean_framework import framework_imports
from pylean.naming import user_method
from pylean.orders.buying_power import BuyingPowerModel
from pylean.orders.fees import ConstantSlippageModel, FeeModel, NullSlippageModel
from pylean.orders.fill_model import FillModel
from pylean.results.handler import ResultHandler
from pylean.results.writer import BacktestRecord, write_minimal_results, write_results
from pylean.runtime import AlgorithmRuntime, RunOptions
from pylean.run_metrics import SCHEMA_VERSION, latency_summary, peak_rss_bytes, process_start_wall, write_metrics
from pylean.step_phases import StepPhases
from pylean.step_phases import recording as recording_phases
from pylean.timeutil import local_to_utc


# what a project subclasses to change how orders fill, cost and are checked (the engine calls their methods)
USER_MODEL_BASES = (FillModel, FeeModel, NullSlippageModel, ConstantSlippageModel, BuyingPowerModel)


class BacktestError(Exception):
    """A problem with the inputs of a backtest (not with the algorithm's own code)."""


@dataclass
class BacktestOptions:
    algorithm_path: Path
    data_folder: Path
    output: Path
    parameters: dict[str, str] = field(default_factory=dict)
    algorithm_id: str | None = None
    metrics_path: Path | None = None   # write run metrics (phases, latencies, peak RSS) here
    step_phases: bool = False          # with metrics: also split the step time by engine phase (the profiler's)
    instrument: Callable[[Any], ContextManager[Any]] | None = None  # entered around the time loop (profilers)
    lean_root: Path | None = None      # a Lean checkout: its Python framework modules are imported from there


@dataclass
class BacktestOutcome:
    status: str
    algorithm_id: str
    output: Path
    data_points: int
    seconds: float
    record: BacktestRecord | None = None
    engine: Engine | None = None
    failure: Failure | None = None

    @property
    def exit_code(self) -> ExitCode:
        return self.failure.exit_code if self.failure is not None else ExitCode.OK


@contextlib.contextmanager
def algorithm_imports_installed(project_dir: Path) -> Iterator[None]:
    """Point `AlgorithmImports` at pylean's API and make the project's packages importable, for one run."""
    saved = sys.modules.get("AlgorithmImports")
    sys.modules["AlgorithmImports"] = algorithm_imports
    sys.path.insert(0, str(project_dir))
    try:
        yield
    finally:
        sys.path.remove(str(project_dir))
        if saved is None:
            sys.modules.pop("AlgorithmImports", None)
        else:
            sys.modules["AlgorithmImports"] = saved


def load_algorithm_class(path: Path) -> type[QCAlgorithm]:
    spec = importlib.util.spec_from_file_location(f"pylean_user_algorithm_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise BacktestError(f"cannot load algorithm file {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return _find_algorithm_class(module, path)


def _find_algorithm_class(module: ModuleType, path: Path) -> type[QCAlgorithm]:
    found = [obj for obj in vars(module).values()
             if inspect.isclass(obj) and issubclass(obj, QCAlgorithm) and obj is not QCAlgorithm
             and obj.__module__ == module.__name__]
    if not found:
        raise BacktestError(f"no QCAlgorithm subclass found in {path}")
    return found[-1]


def resolve_algorithm_file(target: Path) -> Path:
    if target.is_dir():
        main = target / "main.py"
        if not main.is_file():
            raise BacktestError(f"project {target} has no main.py")
        return main
    if not target.is_file():
        raise BacktestError(f"algorithm not found: {target}")
    return target


def project_parameters(project_dir: Path) -> dict[str, str]:
    """The "parameters" of the project's config.json, as strings (Lean passes every value as a string)."""
    config = project_dir / "config.json"
    if not config.is_file():
        return {}
    try:
        data = json.loads(config.read_text())
    except json.JSONDecodeError as exc:
        raise BacktestError(f"{config}: invalid JSON ({exc.msg} at line {exc.lineno})") from exc
    params = data.get("parameters", {}) if isinstance(data, dict) else {}
    return {str(k): str(v) for k, v in params.items()}


def run_backtest(options: BacktestOptions) -> BacktestOutcome:
    """Run one backtest end to end. Bad input found before the run raises BacktestError and writes nothing;
    anything that stops the run itself (the algorithm raising, bad data, an interrupt, a pylean fault) still
    writes every result file, with Lean's status (RuntimeError or Stopped) and the traceback."""
    wall_start = wallclock.perf_counter()
    launch_wall = wallclock.time()
    started_utc = datetime.now(timezone.utc)
    algorithm_file = resolve_algorithm_file(options.algorithm_path)
    check_data_folder(options.data_folder)
    check_writable(options.output, "output folder")
    if options.metrics_path is not None:
        check_writable(options.metrics_path.parent, "metrics folder")
    try:
        runtime = AlgorithmRuntime(RunOptions(options.data_folder, options.parameters))
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise BacktestError(f"unreadable Lean metadata in {options.data_folder}: {one_line(str(exc))}") from exc
    failure: Failure | None = None
    engine: Engine | None = None
    algorithm: Any = None
    # with metrics, the algorithm's callbacks are timed from the moment its code is loaded
    clock = AlgorithmClock() if options.metrics_path is not None else None
    phases = StepPhases(clock) if clock is not None and options.step_phases else None
    with algorithm_imports_installed(algorithm_file.parent), framework_imports(options.lean_root), dotnet_imports(), \
            recording(clock), recording_phases(phases):
        try:
            algorithm = load_algorithm_class(algorithm_file)()
            state_of(algorithm).ctx = runtime
            runtime.transactions.on_error = algorithm.error  # order errors are reported like Lean's Error()
            runtime.portfolio.set_cash(state_of(algorithm).initial_cash)
            runtime.results = ResultHandler()
            initialize_start = wallclock.perf_counter()
            user_method(algorithm, "initialize")()
            initialize_s = wallclock.perf_counter() - initialize_start
            check_period(algorithm, algorithm_file)
            runtime.portfolio.set_cash(state_of(algorithm).initial_cash)
            runtime.results.configure(local_to_utc(algorithm.start_date), local_to_utc(algorithm.end_date),
                                      runtime.portfolio.total_portfolio_value_decimal(),
                                      algorithm.start_date, algorithm.end_date)
            engine = Engine(algorithm, runtime, clock)
            with _collector_for_the_run(), timed_overrides(clock, USER_MODEL_BASES), \
                    _time_loop(engine, phases, options.instrument):
                engine.run()
        except BacktestError:
            raise
        except (Exception, KeyboardInterrupt, SystemExit) as exc:  # Lean: RuntimeError (Stopped), trace in the log
            failure = classify(exc, algorithm_file.parent)
    seconds = wallclock.perf_counter() - wall_start
    algorithm_id = options.algorithm_id or (type(algorithm).__name__ if algorithm is not None else algorithm_file.stem)
    data_points = (engine.data_points if engine else 0) + runtime.history_provider.data_point_count
    record = BacktestRecord(algorithm_id=algorithm_id, algorithm=algorithm, runtime=runtime,
                            status=failure.status if failure else "Completed", error=failure.trace if failure else "",
                            started_utc=started_utc, ended_utc=datetime.now(timezone.utc),
                            seconds=seconds, data_points=data_points, engine=engine)
    with signals_deferred():  # a second Ctrl-C must not leave half the result files
        failure = _write_outputs(record, options, failure, engine, phases, launch_wall, wall_start,
                                 locals().get("initialize_s", 0.0))
    if algorithm is not None:
        release(algorithm)  # the run is freed with the algorithm, not kept by pylean's table
    return BacktestOutcome(record.status, algorithm_id, options.output, data_points, seconds, record, engine, failure)


def _write_outputs(record: BacktestRecord, options: BacktestOptions, failure: Failure | None, engine: Engine | None,
                   phases: StepPhases | None, launch_wall: float, wall_start: float,
                   initialize_s: float) -> Failure | None:
    """The result files, then the metrics file. A fault in pylean's own writer still leaves result files."""
    try:
        write_results(record, options.output)
    except OSError as exc:
        raise BacktestError(f"cannot write results to {options.output}: {exc.strerror or exc}") from exc
    except Exception as exc:  # noqa: BLE001 - a bug in the writer: keep what is known, as Lean's status
        failure = classify(exc, options.output)
        record.status, record.error = failure.status, (record.error + "\n" + failure.trace).strip()
        write_minimal_results(record, options.output)
    if options.metrics_path is not None:
        teardown_s = wallclock.perf_counter() - (engine.timings.loop_end if engine and engine.timings.loop_end
                                                 else wall_start)
        metrics = collect_metrics(record, engine, launch_wall, initialize_s, teardown_s)
        metrics["failure"] = None if failure is None else {
            "exit_code": int(failure.exit_code), "kind": failure.exit_code.name.lower(), "message": failure.line,
            "status": failure.status}
        if phases is not None and engine is not None:
            metrics["step_phases"] = phases.split(engine.timings.step_ns.total_ns, engine.timings.algorithm_ns.total_ns)
        try:
            write_metrics(options.metrics_path, metrics)
        except OSError as exc:
            raise BacktestError(f"cannot write metrics to {options.metrics_path}: {exc.strerror or exc}") from exc
    return failure


def check_data_folder(folder: Path) -> None:
    """The Lean metadata a run cannot do without (R-9): named, file by file."""
    if not folder.is_dir():
        raise BacktestError(f"data folder not found: {folder}")
    for relative in ("market-hours/market-hours-database.json", "symbol-properties/symbol-properties-database.csv"):
        if not (folder / relative).is_file():
            raise BacktestError(f"not a Lean data folder: {folder} has no {relative}")


def check_writable(folder: Path, what: str) -> None:
    reason = unwritable(folder)
    if reason is not None:
        raise BacktestError(f"{what} {folder}{reason}")


def check_period(algorithm: QCAlgorithm, algorithm_file: Path) -> None:
    if algorithm.start_date > algorithm.end_date:
        raise BacktestError(f"{algorithm_file.name}: start date {algorithm.start_date:%Y-%m-%d} is after end date "
                            f"{algorithm.end_date:%Y-%m-%d} (set_start_date / set_end_date)")


# Young-generation threshold of the cyclic GC while the engine runs (CPython's default: 700). A day's bar
# columns are lists of ~23,400 items each; a young collection that finds them still young walks every
# item (~8 ms for 15 second-bar subscriptions), and the default let one happen about every day.
RUN_YOUNG_GC_THRESHOLD = 10_000


@contextlib.contextmanager
def _collector_for_the_run() -> Iterator[None]:
    """The cyclic GC while the engine runs: what start-up and initialize built lives for the whole run, so
    it is kept out of full collections (which would otherwise pause a random on_data for tens of
    milliseconds), and young collections come in larger batches (cycles are still collected). An embedding
    process (tests, notebooks) gets its collector back as it was."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], RUN_YOUNG_GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@contextlib.contextmanager
def _time_loop(engine: Engine, phases: StepPhases | None, instrument: Any) -> Iterator[None]:
    """The phase split counts, and profilers are attached, for the time loop only (not initialize)."""
    with instrument(engine) if instrument is not None else contextlib.nullcontext():
        if phases is not None:
            phases.counting = True
        try:
            yield
        finally:
            if phases is not None:
                phases.counting = False


def collect_metrics(record: BacktestRecord, engine: Engine | None, launch_wall: float, initialize_s: float,
                    teardown_s: float) -> dict[str, Any]:
    """The metrics file: phases, data points, latencies, peak RSS, orders (schema_version 1)."""
    from pylean import __version__

    runtime = record.runtime
    timings = engine.timings if engine is not None else None
    process_start = process_start_wall()
    warmup_s = stream_s = data_load_s = 0.0
    if timings is not None and timings.loop_start is not None and timings.loop_end is not None:
        loop_s = timings.loop_end - timings.loop_start
        warmup_s = (timings.warmup_end - timings.loop_start) if timings.warmup_end is not None else 0.0
        data_load_s = timings.data_load_s
        stream_s = max(loop_s - warmup_s - data_load_s, 0.0)
    first_on_data = timings.first_on_data_wall if timings is not None else None
    algorithm = record.algorithm
    events = runtime.transactions.order_events
    return {
        "schema_version": SCHEMA_VERSION, "engine": "pylean", "engine_version": __version__,
        "status": record.status, "algorithm_id": record.algorithm_id,
        "phases_s": {"startup": round(launch_wall - process_start, 6), "initialize": round(initialize_s, 6),
                     "warmup": round(warmup_s, 6), "data_load": round(data_load_s, 6), "stream": round(stream_s, 6),
                     "teardown": round(teardown_s, 6)},
        "process_start_to_first_on_data_s": round(first_on_data - process_start, 6) if first_on_data else None,
        "data_points": record.data_points,
        "history_data_points": runtime.history_provider.data_point_count,
        "history_requests": runtime.history_provider.request_count,
        "history_seconds": round(runtime.history_provider.seconds, 6),
        "on_data": latency_summary(timings.on_data_ns if timings else []),
        "time_step": latency_summary(timings.step_ns if timings else []),
        "algorithm_time": latency_summary(timings.algorithm_ns if timings else []),
        "step_time_total_s": round(timings.step_ns.total_ns / 1e9, 6) if timings else 0.0,
        "algorithm_time_total_s": round(timings.algorithm_ns.total_ns / 1e9, 6) if timings else 0.0,
        "peak_rss_bytes": peak_rss_bytes(),
        "orders": len(runtime.transactions.orders),
        "fills": sum(1 for e in events if int(e.status) in (2, 3)),
        "symbols": [s.value for s in runtime.securities.keys()],
        "start": f"{algorithm.start_date:%Y-%m-%d}" if algorithm is not None else None,
        "end": f"{algorithm.end_date:%Y-%m-%d}" if algorithm is not None else None,
        "missing_data_files": len(runtime.source.missing),
        "missing_data": {"files": list(runtime.source.missing), "days": runtime.source.missing_days()},
    }
