"""`run_all.py --against REV`: today's pylean against REV's, interleaved in one run (asv's `continuous`).

REV's tree is checked out into a temporary worktree (zacperf/revision.py). Only pylean comes from it:
every engine process of the REV side runs with the worktree first on its path (and as its working
folder), and the runner checks that the process imported the worktree's pylean/__init__.py (and
today's side today's); the benchmark algorithms, their data, zacperf and ZacQC are today's. Each round
runs every selected benchmark once per side, today first in even rounds and REV first in odd ones;
every figure gets `repeat` samples per side. No floors and no targets: the figure is the speed-up,
  speed-up = today / REV for rates (/s) and REV / today for seconds, so > 1 always means today is faster.
A figure REV's pylean cannot produce (a missing metric, an option it lacks, an algorithm it cannot run)
is n/a, not a failure.
"""
from __future__ import annotations

import dataclasses
import importlib
import json
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from benchmarks import common as c
from zacperf import revision

# the benchmarks that compare: engine processes only (data_cache runs in-process, the others gate shapes)
BENCHMARKS = ("empty", "read_bars", "consolidators", "orders", "set_holdings", "result_writing", "zacqc")
SIDES = ("today", "rev")


@dataclass
class Figure:
    """One compared figure: its samples on each side, in round order (None: the side could not produce it)."""

    benchmark: str
    name: str
    unit: str
    samples: dict[str, list[float | None]] = field(default_factory=lambda: {side: [] for side in SIDES})

    def median(self, side: str) -> float | None:
        values = self.samples[side]
        if not values or any(v is None for v in values):
            return None
        return statistics.median(v for v in values if v is not None)

    @property
    def higher_is_better(self) -> bool:
        return self.unit.endswith("/s")

    @property
    def speedup(self) -> float | None:
        return speedup(self.unit, self.median("today"), self.median("rev"))


def speedup(unit: str, today: float | None, rev: float | None) -> float | None:
    """> 1 when today is faster: today/REV for rates (unit ending in /s), REV/today for durations."""
    if today is None or rev is None or today <= 0 or rev <= 0:
        return None
    return today / rev if unit.endswith("/s") else rev / today


def comparable(result: c.Result) -> bool:
    """Rows that measure speed (rates and seconds); shares of floors, counts and checks are left out."""
    return result.unit.endswith("/s") or result.unit == "s"


@dataclass
class Comparison:
    """Everything one --against run measured."""

    tree: revision.Tree
    repeat: int
    figures: dict[tuple[str, str], Figure] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    pylean_files: dict[str, str] = field(default_factory=dict)

    def add(self, side: str, benchmark: str, results: list[c.Result]) -> None:
        for r in results:
            if comparable(r):
                key = (benchmark, r.name)
                figure = self.figures.setdefault(key, Figure(benchmark, r.name, r.unit))
                figure.samples[side].append(r.value)

    def missing(self, side: str, benchmark: str, round_no: int) -> None:
        """A failed run: every figure of the benchmark gets a None sample on that side."""
        for figure in self.figures.values():
            if figure.benchmark == benchmark and len(figure.samples[side]) <= round_no:
                figure.samples[side].append(None)


# ----------------------------------------------------------------------------- running

def side_contexts(base: c.Context, tree: revision.Tree) -> dict[str, c.Context]:
    """Two contexts sharing the mode and data, each with its own pylean, scratch folder and warm cache."""
    sides = {}
    for side, root in (("today", c.REPO_ROOT), ("rev", tree.path)):
        work = base.work / side
        work.mkdir(parents=True, exist_ok=True)
        sides[side] = dataclasses.replace(base, work=work, pylean_root=root, floors=False, repeat=1,
                                          _primed=set(), _series={})
    return sides


def preflight(ctx: c.Context) -> str:
    """`backtest --help` through the engine entry: the pylean it imports, and its options (a one-line note
    when --metrics-json is missing). common.WrongPylean when the import resolves elsewhere."""
    proc = subprocess.run([ctx.python, str(c.BENCH_DIR / "engine_entry.py"), "backtest", "--help"],
                          cwd=ctx.pylean_root, env=_env(ctx), capture_output=True, text=True, check=False)
    pylean_file, _ = c.entry_lines(proc.stderr)
    c.check_pylean(pylean_file, ctx.pylean_root)
    if proc.returncode != 0:
        raise c.BenchmarkError(f"pylean in {ctx.pylean_root} does not start: "
                               + ((proc.stderr.strip().splitlines() or ['no output'])[-1]))
    if "--metrics-json" not in proc.stdout:
        ctx.log(f"note: the pylean in {ctx.pylean_root} has no --metrics-json; its figures are n/a")
    return pylean_file


def _env(ctx: c.Context) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ctx.pylean_root), env.get("PYTHONPATH", "")) if p)
    return env


def run_rounds(names: list[str], sides: dict[str, c.Context], comparison: Comparison) -> None:
    """`repeat` rounds; in each, every benchmark once per side, alternating which side goes first."""
    modules = {name: importlib.import_module(f"benchmarks.bench_{name}") for name in names}
    for round_no in range(comparison.repeat):
        order = SIDES if round_no % 2 == 0 else SIDES[::-1]
        for ctx in sides.values():
            ctx._series.clear()  # every round measures afresh; within a round, modules sharing a run share it
        for name in names:
            for side in order:
                ctx = sides[side]
                label = "today" if side == "today" else comparison.tree.short
                ctx.log(f"round {round_no + 1}/{comparison.repeat}: {name} on {label}'s pylean")
                try:
                    known = set(ctx._series)
                    results = modules[name].run(ctx)
                    has_cpu = any(r.name.endswith("_cpu") for r in results)  # zacqc has its own
                    comparison.add(side, name, results + ([] if has_cpu else process_cpu(name, ctx, known)))
                except c.WrongPylean:
                    raise
                except Exception as exc:  # noqa: BLE001 - a benchmark REV cannot run is n/a, not the end
                    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                    ctx.log(f"{name} on {label}: did not run ({first})")
                    if ctx.verbose:
                        traceback.print_exc()
                    comparison.errors.append({"round": round_no + 1, "benchmark": name, "side": side,
                                              "error": f"{type(exc).__name__}: {str(exc)[-1500:]}"})
                    comparison.missing(side, name, round_no)


def process_cpu(name: str, ctx: c.Context, known: set[Any]) -> list[c.Result]:
    """The engine processes' CPU seconds (user + system, start-up to exit) of the runs a benchmark made
    itself (not those it shared): waiting for a core or being paused does not count, unlike in the
    loop-time figures, so on a busy machine this is the steadier, if diluted, figure."""
    fresh = [series for key, series in ctx._series.items() if key not in known]
    return [c.info(name, f"{name}_process_cpu" + (f"_{i + 1}" if len(fresh) > 1 else ""),
                   series.median(lambda r: r.cpu_s or 0.0), "s")
            for i, series in enumerate(fresh) if all(r.cpu_s for r in series.runs)]


def run(rev: str, names: list[str], base: c.Context, out: TextIO | None = None,
        json_path: Path | None = None) -> int:
    """The whole --against run; returns the exit status (0 done, 1 today's side failed a benchmark)."""
    out = out or sys.stdout
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    today = c.git_info()
    try:
        with revision.checkout(rev) as tree:
            print(f"pylean today ({today['commit'][:12] or '?'}) against {rev} ({tree.commit[:12]}): "
                  f"{'quick' if base.quick else 'full'} mode, median of {base.repeat} interleaved rounds, "
                  f"data {base.data_folder}", file=out, flush=True)
            sides = side_contexts(base, tree)
            comparison = Comparison(tree, base.repeat)
            for side, ctx in sides.items():
                comparison.pylean_files[side] = preflight(ctx)
            run_rounds(names, sides, comparison)
    finally:
        shutil.rmtree(base.work, ignore_errors=True)
    seconds = time.perf_counter() - t0
    print(file=out)
    print_table(comparison, out)
    failed_today = sorted({e["benchmark"] for e in comparison.errors if e["side"] == "today"})
    failed_rev = sorted({e["benchmark"] for e in comparison.errors if e["side"] == "rev"})
    print(f"\n{len(comparison.figures)} figures in {seconds:.0f} s"
          + (f"; did not run on today's pylean: {', '.join(failed_today)}" if failed_today else "")
          + (f"; did not run on {tree.short}'s pylean (n/a): {', '.join(failed_rev)}" if failed_rev else "")
          + ("; --quick: fewer repeats and smaller runs, expect more noise" if base.quick else ""), file=out)
    if json_path is not None:
        save_json(json_path, comparison, base, today, started, seconds)
        print(f"results saved to {json_path}", file=out)
    return 1 if failed_today else 0


# ----------------------------------------------------------------------------- output

def _value_text(value: float | None, unit: str) -> str:
    return "n/a" if value is None else c.fmt(value, unit)


def _samples_text(values: list[float | None], unit: str) -> str:
    return " ".join(_value_text(v, unit).replace(" ", "") for v in values)


def print_table(comparison: Comparison, out: TextIO) -> None:
    """One row per figure: medians, the speed-up (> 1 = today faster) and every sample of both sides."""
    short = comparison.tree.short
    rows = [("figure", "unit", "today", short, "speed-up", f"samples today | {short}")]
    for figure in comparison.figures.values():
        ratio = figure.speedup
        rows.append((figure.name, figure.unit,
                     _value_text(figure.median("today"), figure.unit),
                     _value_text(figure.median("rev"), figure.unit),
                     "n/a" if ratio is None else f"{ratio:.2f}x",
                     f"{_samples_text(figure.samples['today'], figure.unit)} | "
                     f"{_samples_text(figure.samples['rev'], figure.unit)}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(cell.rjust(w) if i in (2, 3, 4) else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)
    print(f"speed-up: > 1 means today's pylean is faster (today/{short} for rates, {short}/today for seconds); "
          f"medians of {comparison.repeat} interleaved rounds", file=out)


def save_json(path: Path, comparison: Comparison, base: c.Context, today: dict[str, Any], started: datetime,
              seconds: float) -> None:
    tree = comparison.tree
    payload = {
        "schema": "pylean-benchmarks-against/1", "utc": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seconds": round(seconds, 1), "mode": "quick" if base.quick else "full", "repeat": comparison.repeat,
        "order": "per round and benchmark: today then rev in odd rounds (1, 3, ...), rev then today in even ones",
        "speedup": "today/rev for rates (/s), rev/today for seconds: > 1 means today is faster",
        "today": dict(today, pylean_file=comparison.pylean_files.get("today")),
        "rev": {"rev": tree.rev, "commit": tree.commit, "pylean_file": comparison.pylean_files.get("rev")},
        "machine": c.machine_info(), "data_folder": str(base.data_folder),
        "figures": [{"benchmark": f.benchmark, "name": f.name, "unit": f.unit,
                     "median_today": f.median("today"), "median_rev": f.median("rev"), "speedup": f.speedup,
                     "samples_today": f.samples["today"], "samples_rev": f.samples["rev"]}
                    for f in comparison.figures.values()],
        "errors": comparison.errors}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1))
