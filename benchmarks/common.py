"""Helpers shared by the benchmark modules: running backtests in fresh processes, reading their
metrics, the Python floor, results and the table.

Every engine measurement is one fresh `python -m pylean backtest ... --metrics-json FILE`
process; figures come from that metrics file (schema_version 1):
  points  = data_points - history_data_points: every data point the feed emitted in the time loop
            (fill-forward bars, the internal benchmark's bars and the universe trigger included,
            as Lean counts them);
  loop_s  = phases warmup + data_load + stream = the whole time loop, from the first day's block
            build to the end of the last time step (excludes process start-up, initialize,
            on_end_of_algorithm and writing results);
  rate    = points / loop_s.
The floor (benchmarks/floor.py) runs in its own fresh process right after each engine run, over
the same number of points, so both see the same machine load; ratio = median rate / median floor rate.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO_ROOT / "benchmarks"
ALGORITHMS = BENCH_DIR / "algorithms"
REAL_TICKERS = ("AAPL", "ABBV", "AMD", "AMZN", "GS", "HAL", "JNJ", "MCD", "META", "NVDA", "OXY", "SHOP",
                "TSLA", "UBER", "V")
REAL_FIRST, REAL_LAST = "20251001", "20251010"       # 8 sessions of second trade bars
MINUTE_TICKERS = ("SPY", "AIG", "BAC", "IBM")
MINUTE_FIRST, MINUTE_LAST = "20131007", "20131011"   # Lean's sample minute data (trade + quote)


class BenchmarkError(RuntimeError):
    """A backtest of a benchmark did not complete."""


class WrongPylean(BenchmarkError):
    """An engine process imported another pylean than the context's: every figure would be a lie."""


def default_data_folder() -> Path:
    env = os.environ.get("LEAN_DATA_FOLDER")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "lean-data"


# ----------------------------------------------------------------------------- results

@dataclass
class Result:
    """One row of the table. passed is None for informational rows (no target)."""

    benchmark: str
    name: str
    value: float | None
    unit: str
    target: str = ""
    passed: bool | None = None
    floor_ratio: float | None = None
    samples: list[float] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return "info" if self.passed is None else ("PASS" if self.passed else "FAIL")


def at_least(benchmark: str, name: str, value: float, unit: str, minimum: float, **kw: Any) -> Result:
    return Result(benchmark, name, value, unit, f">= {fmt(minimum, unit)}", value >= minimum, **kw)


def at_most(benchmark: str, name: str, value: float, unit: str, maximum: float, **kw: Any) -> Result:
    return Result(benchmark, name, value, unit, f"<= {fmt(maximum, unit)}", value <= maximum, **kw)


def info(benchmark: str, name: str, value: float | None, unit: str, **kw: Any) -> Result:
    return Result(benchmark, name, value, unit, "", None, **kw)


def fmt(value: float | None, unit: str) -> str:
    """Numbers with an SI prefix for rates and counts, plain for seconds, ratios and percents."""
    if value is None:
        return "-"
    if unit.endswith("/s") or unit in ("pts", "rows", "orders", "calls"):
        for scale, prefix in ((1e6, "M"), (1e3, "k")):
            if abs(value) >= scale:
                return f"{value / scale:.3g} {prefix}"
        return f"{value:.3g}"
    if unit == "%":
        return f"{value:.1f}"
    if unit == "MB":
        return f"{value:.0f}"
    if unit.startswith("x"):
        return f"{value:.2f}"
    return f"{value:.3g}"


def print_table(results: Iterable[Result], out: Any = None) -> None:
    out = out or sys.stdout
    rows = [("benchmark", "median", "unit", "target", "vs floor", "status")]
    for r in results:
        ratio = f"{r.floor_ratio:.1%}" if r.floor_ratio is not None else ""
        rows.append((r.name, fmt(r.value, r.unit), r.unit, r.target, ratio, r.status))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(cell.rjust(w) if i in (1, 4) else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)


# ----------------------------------------------------------------------------- context

@dataclass
class Context:
    """What every benchmark gets: the mode, where data and caches are, scratch space."""

    data_folder: Path
    repeat: int
    quick: bool
    work: Path                       # scratch root (outputs, caches); removed at the end
    synth_root: Path                 # synthetic data (kept between runs)
    verbose: bool = False
    python: str = sys.executable
    pylean_root: Path = REPO_ROOT    # the tree whose `pylean` package the engine processes import
    floors: bool = True              # measure the Python floors (not with --against)
    _primed: set[tuple[Any, ...]] = field(default_factory=set)
    _series: dict[tuple[Any, ...], Series] = field(default_factory=dict)

    @property
    def warm_cache(self) -> Path:
        """The suite's own PYLEAN_CACHE_DIR, filled by prime() before warm measurements."""
        return self.work / "cache-warm"

    def fresh_cache(self) -> Path:
        """An empty cache folder (a cold run)."""
        return Path(tempfile.mkdtemp(prefix="cache-cold-", dir=self.work))

    def log(self, message: str) -> None:
        print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def prime(self, data_folder: Path, parameters: dict[str, str]) -> None:
        """Fill the warm cache (and the page cache) with the files a run reads: one untimed run
        of the empty algorithm with the same tickers, dates and resolution."""
        key = (str(data_folder), tuple(sorted(parameters.items())))
        if key in self._primed:
            return
        self.log(f"priming the warm cache: {describe(parameters)}")
        run_backtest(self, "empty_algorithm.py", data_folder, parameters, self.warm_cache)
        self._primed.add(key)


def describe(parameters: dict[str, str]) -> str:
    tickers = parameters.get("tickers") or parameters.get("symbols", "")  # benchmark algorithms / ZacQC
    count = len(tickers.split(",")) if tickers else "default"
    start, end = parameters.get("start") or parameters.get("start_date", ""), parameters.get("end") or parameters.get(
        "end_date", "")
    return f"{count} symbols {parameters.get('resolution', '')} {start}..{end}".replace("  ", " ")


def make_context(data_folder: Path | None, repeat: int | None, quick: bool, verbose: bool = False,
                 synth_root: Path | None = None) -> Context:
    from benchmarks.synth_data import default_root

    folder = (data_folder or default_data_folder()).resolve()
    if not (folder / "market-hours" / "market-hours-database.json").is_file():
        raise SystemExit(f"not a Lean data folder: {folder} (set LEAN_DATA_FOLDER or --data-folder)")
    work = Path(tempfile.mkdtemp(prefix="pylean-bench-"))
    return Context(folder, repeat if repeat is not None else (3 if quick else 5), quick, work,
                   synth_root or default_root(), verbose)


# ----------------------------------------------------------------------------- running

@dataclass
class Run:
    """One backtest process: its metrics file, wall time and BENCH_JSON lines of its log."""

    metrics: dict[str, Any]
    wall_s: float
    bench: list[dict[str, Any]]
    pylean_file: str = ""                 # the pylean/__init__.py the engine process imported
    cpu_s: float | None = None            # CPU seconds (user + system) of the engine process
    write_results_s: float | None = None  # seconds in pylean's write_results (benchmarks/engine_entry.py)

    @property
    def points(self) -> int:
        return int(self.metrics["data_points"]) - int(self.metrics.get("history_data_points") or 0)

    @property
    def loop_s(self) -> float:
        phases = self.metrics["phases_s"]
        return float(phases["warmup"]) + float(phases["data_load"]) + float(phases["stream"])

    @property
    def rate(self) -> float:
        return self.points / self.loop_s

    def phase(self, name: str) -> float:
        return float(self.metrics["phases_s"][name])


def run_backtest(ctx: Context, algorithm: str | Path, data_folder: Path, parameters: dict[str, str],
                 cache_dir: Path, *, metrics: bool = True, env: dict[str, str] | None = None) -> Run:
    """`python -m pylean backtest` in a fresh process (through benchmarks/engine_entry.py, which also
    reports which pylean it imported and the seconds spent writing results), with ctx.pylean_root's
    pylean first on the path; raises BenchmarkError unless it completed with that pylean.
    `algorithm`: a file in benchmarks/algorithms, or a path (a project folder). Without `metrics` no
    --metrics-json is passed (the engine then records no latencies) and Run.metrics is empty."""
    out = Path(tempfile.mkdtemp(prefix="out-", dir=ctx.work))
    metrics_path = out / "metrics.json"
    command = [ctx.python, str(BENCH_DIR / "engine_entry.py"), "backtest", str(ALGORITHMS / algorithm),
               "--data-folder", str(data_folder), "--output", str(out / "result")]
    if metrics:
        command += ["--metrics-json", str(metrics_path)]
    for name, value in parameters.items():
        command += ["--parameter", name, value]
    environment = dict(os.environ, PYLEAN_CACHE_DIR=str(cache_dir), **(env or {}))
    environment["PYTHONPATH"] = os.pathsep.join(p for p in (str(ctx.pylean_root), environment.get("PYTHONPATH", ""))
                                                if p)
    if ctx.verbose:
        ctx.log(" ".join(command))
    cpu_before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=ctx.pylean_root, env=environment, capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    name = Path(algorithm).name
    try:
        found = json.loads(metrics_path.read_text()) if metrics_path.is_file() else None
        completed = proc.returncode == 0 and (found.get("status") == "Completed" if found else not metrics)
        if not completed:
            log_tail = ""
            log_file = out / "result" / "log.txt"
            if log_file.is_file():
                log_tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-15:])
            raise BenchmarkError(f"{name} {describe(parameters)}: exit {proc.returncode}\n"
                                 f"{proc.stderr[-2000:]}{log_tail}")
        pylean_file, write_s = entry_lines(proc.stderr)
        check_pylean(pylean_file, ctx.pylean_root)
        return Run(found or {}, wall, bench_lines(out / "result"), pylean_file, round(cpu, 3), write_s)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _children_cpu() -> float:
    """User + system CPU seconds of this process's waited-for children (the runs are sequential)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def entry_lines(stderr: str) -> tuple[str, float | None]:
    """What benchmarks/engine_entry.py reported: the imported pylean file and the result-writing seconds."""
    pylean_file, write_s = "", None
    for line in stderr.splitlines():
        if line.startswith("BENCH_PYLEAN_FILE "):
            pylean_file = line[len("BENCH_PYLEAN_FILE "):].strip()
        elif line.startswith("BENCH_WRITE_RESULTS_S "):
            write_s = float(line.split()[1])
    return pylean_file, write_s


def check_pylean(pylean_file: str, root: Path) -> None:
    """BenchmarkError unless the engine imported the pylean package of `root` (root/pylean/__init__.py)."""
    expected = (Path(root) / "pylean" / "__init__.py").resolve()
    if not pylean_file or Path(pylean_file).resolve() != expected:
        raise WrongPylean(f"the engine imported the wrong pylean: {pylean_file or '(none reported)'}, "
                             f"expected {expected}")


def bench_lines(result_dir: Path) -> list[dict[str, Any]]:
    """The `BENCH_JSON {...}` debug lines an algorithm logged (in the `<algorithm id>-log.txt` file)."""
    found = []
    for log_file in sorted(result_dir.glob("*-log.txt")):
        for line in log_file.read_text(errors="replace").splitlines():
            at = line.find("BENCH_JSON ")
            if at >= 0:
                found.append(json.loads(line[at + len("BENCH_JSON "):]))
    return found


def floor_seconds(ctx: Context, points: int, loop: str = "strict") -> float:
    """One fresh process timing a floor loop (benchmarks/floor.py) over `points` iterations."""
    proc = subprocess.run([ctx.python, str(BENCH_DIR / "floor.py"), "--points", str(points), "--loop", loop],
                          capture_output=True, text=True, check=True)
    return float(proc.stdout.strip())


@dataclass
class Series:
    """`repeat` engine runs of one configuration, each followed by one floor run of the same size."""

    runs: list[Run]
    floor_s: list[float]

    def median(self, value: Callable[[Run], float]) -> float:
        return statistics.median(value(r) for r in self.runs)

    def samples(self, value: Callable[[Run], float]) -> list[float]:
        return [round(value(r), 6) for r in self.runs]

    @property
    def rate(self) -> float:
        return self.median(lambda r: r.rate)

    @property
    def floor_rate(self) -> float | None:
        if not self.floor_s:
            return None
        return self.runs[0].points / statistics.median(self.floor_s)

    @property
    def floor_ratio(self) -> float | None:
        floor = self.floor_rate
        return self.rate / floor if floor else None

    def details(self) -> dict[str, Any]:
        m = self.runs[0].metrics
        out = {"points": self.runs[0].points, "time_steps": m["time_step"]["count"],
               "loop_s": self.samples(lambda r: r.loop_s),
               "data_load_s": self.samples(lambda r: r.phase("data_load")),
               "stream_s": self.samples(lambda r: r.phase("stream")),
               "startup_s": self.samples(lambda r: r.phase("startup")),
               "teardown_s": self.samples(lambda r: r.phase("teardown")),
               "wall_s": self.samples(lambda r: r.wall_s),
               "write_results_s": [r.write_results_s for r in self.runs],
               "pylean_file": self.runs[0].pylean_file,
               "on_data_p50_us": self.median(lambda r: r.metrics["on_data"]["p50_us"]),
               "on_data_p99_us": self.median(lambda r: r.metrics["on_data"]["p99_us"]),
               "peak_rss_mb": round(self.median(lambda r: r.metrics["peak_rss_bytes"]) / 2**20, 1),
               "orders": m.get("orders"), "missing_data_files": m.get("missing_data_files")}
        if self.floor_s:
            out["floor_s"] = [round(s, 6) for s in self.floor_s]
            out["floor_rate"] = round(self.floor_rate or 0.0)
        return out


def measure(ctx: Context, algorithm: str | Path, data_folder: Path, parameters: dict[str, str], *,
            repeat: int | None = None, floor: bool = True, cold: bool = False,
            env: dict[str, str] | None = None, prime_with: dict[str, str] | None = None) -> Series:
    """Median-ready series: warm cache (primed first, by the empty algorithm with `prime_with` or else the
    same parameters) unless `cold`, where every run gets an empty cache.
    No floor runs when the context measures none (--against)."""
    repeat = repeat or ctx.repeat
    floor = floor and ctx.floors
    key = (algorithm, str(data_folder), tuple(sorted(parameters.items())), repeat, cold)
    known = ctx._series.get(key)
    if known is not None and (known.floor_s or not floor):
        return known  # the same measurement was already made in this run (e.g. empty warm by data_cache)
    if not cold:
        ctx.prime(data_folder, prime_with or parameters)
    runs: list[Run] = []
    floors: list[float] = []
    for i in range(repeat):
        cache = ctx.fresh_cache() if cold else ctx.warm_cache
        run = run_backtest(ctx, algorithm, data_folder, parameters, cache, env=env)
        runs.append(run)
        if cold:
            shutil.rmtree(cache, ignore_errors=True)
        if floor:
            floors.append(floor_seconds(ctx, run.points))
        ctx.log(f"{Path(algorithm).name} {describe(parameters)}{' cold' if cold else ''} run {i + 1}/{repeat}: "
                f"{run.points:,} pts, loop {run.loop_s:.3f} s, {run.rate / 1e6:.3f} M pts/s"
                + (f", floor {run.points / floors[-1] / 1e6:.2f} M pts/s" if floor else ""))
    ctx._series[key] = Series(runs, floors)
    return ctx._series[key]


# ----------------------------------------------------------------------------- provenance

def git_info() -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                                  check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    status = git("status", "--porcelain", "--", "pylean")
    return {"commit": git("rev-parse", "HEAD"), "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
            "pylean_uncommitted_changes": len(status.splitlines()) if status else 0}


def machine_info() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        import psutil

        memory = psutil.virtual_memory().total
    except ImportError:
        pass
    return {"python": platform.python_version(), "implementation": platform.python_implementation(),
            "platform": platform.platform(), "cpu": cpu, "cpu_count": os.cpu_count(),
            "memory_bytes": memory, "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None}


def save_json(path: Path, ctx: Context, results: list[Result], started: datetime, seconds: float) -> None:
    payload = {"schema": "pylean-benchmarks/1", "utc": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
               "seconds": round(seconds, 1), "mode": "quick" if ctx.quick else "full", "repeat": ctx.repeat,
               "git": git_info(), "machine": machine_info(), "data_folder": str(ctx.data_folder),
               "passed": all(r.passed is not False for r in results),
               "results": [dict(asdict(r), status=r.status) for r in results]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1))


# ----------------------------------------------------------------------------- standalone modules

def standalone(run: Callable[[Context], list[Result]], description: str, argv: list[str] | None = None) -> int:
    """The command line of one benchmark module: same options as run_all.py, one benchmark."""
    import argparse

    parser = argparse.ArgumentParser(description=description.strip().splitlines()[0])
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    ctx = make_context(args.data_folder, args.repeat, args.quick, args.verbose)
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    try:
        results = run(ctx)
    finally:
        shutil.rmtree(ctx.work, ignore_errors=True)
    print_table(results)
    if args.json:
        save_json(args.json, ctx, results, started, time.perf_counter() - t0)
    return 1 if any(r.passed is False for r in results) else 0


def add_common_arguments(parser: Any) -> None:
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller runs (noisier)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats per measurement (default 5, quick 3)")
    parser.add_argument("--data-folder", type=Path, default=None, help="Lean data folder (default $LEAN_DATA_FOLDER "
                        "or ../shared/lean-data)")
    parser.add_argument("--json", type=Path, default=None, help="also save the results here")
    parser.add_argument("--verbose", action="store_true", help="print each command line")
