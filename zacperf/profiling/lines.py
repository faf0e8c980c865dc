"""Line-level timings with line_profiler: attach it to chosen functions (in the engine process), then rank
the lines by their own time (in the report, from the `.lprof` file alone).

line_profiler times a line including everything it calls, so the line that calls a slow helper looks as
slow as the helper's slow line. A line's *own* time subtracts the profiled functions it entered, each
function's time split over its call sites as the discovery run measured it (callgraph.py).
"""
from __future__ import annotations

import gc
import io
import linecache
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import FunctionType
from typing import Any, Iterable

from zacperf.profiling.callgraph import CallGraph, function_key


def attach(project: Path, keys: Iterable[str]) -> tuple[Any, list[str]]:
    """A LineProfiler holding every live function of the project whose key is in `keys`; the keys found.

    Functions are found among live objects (gc), so methods, module functions and closures built at
    initialize (wrappers a project installs on its instances) all count; a function created later, inside
    the time loop, cannot be named in advance and is not line-profiled (its time stays on its caller's line).
    """
    from line_profiler import LineProfiler

    wanted, found, profiler = set(keys), set(), LineProfiler()
    prefix, real = str(project.resolve()) + os.sep, _cached_realpath()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "a function with __wrapped__": we add exactly the code we mean
        for obj in _live_objects():
            if type(obj) is FunctionType and real(obj.__code__.co_filename).startswith(prefix):
                key = function_key(project, obj.__code__)
                if key in wanted:
                    profiler.add_function(obj)
                    found.add(key)
    return profiler, sorted(found)


def _live_objects() -> list[Any]:
    """Every object the collector tracks, those the engine froze out of it for the time loop included."""
    frozen = gc.get_freeze_count()
    if frozen:
        gc.unfreeze()
    try:
        return gc.get_objects()
    finally:
        if frozen:
            gc.freeze()  # back out of the collector's way, as the engine left them


def _cached_realpath() -> Any:
    cache: dict[str, str] = {}

    def real(path: str) -> str:
        value = cache.get(path)
        if value is None:
            value = cache[path] = os.path.realpath(path)
        return value

    return real


@dataclass(frozen=True)
class LineCost:
    function: str      # function key (file:first line:qualified name)
    file: str          # relative to the project
    line: int
    hits: int
    total_s: float     # the line and everything it called
    own_s: float       # minus the profiled functions it entered
    code: str
    unprofiled: tuple[str, ...] = ()   # the project's functions it entered that were not line-profiled

    @property
    def qualname(self) -> str:
        return self.function.split(":", 2)[2]

    @property
    def own_per_hit_us(self) -> float:
        return self.own_s / self.hits * 1e6 if self.hits else 0.0


def load(path: Path) -> Any:
    from line_profiler import load_stats

    return load_stats(str(path))


def rank(stats: Any, project: Path, graph: CallGraph) -> list[LineCost]:
    """Every profiled line with its own time, slowest first."""
    unit = float(stats.unit)
    functions: dict[str, list[tuple[int, int, int]]] = {}
    for (filename, first_line, qualname), rows in stats.timings.items():
        rel = os.path.relpath(os.path.realpath(filename), project.resolve()).replace(os.sep, "/")
        functions[f"{rel}:{first_line}:{qualname}"] = rows
    function_s = {key: sum(t for _line, _hits, t in rows) * unit for key, rows in functions.items()}
    sites = graph.site_shares()
    ranked = []
    for key, rows in functions.items():
        rel = key.split(":", 1)[0]
        for line, hits, ticks in rows:
            total = ticks * unit
            called = sites.get((key, line), {})
            inner = sum(function_s[callee] * share for callee, share in called.items() if callee in function_s)
            unprofiled = tuple(sorted(callee.split(":", 2)[2] for callee in called if callee not in function_s))
            code = linecache.getline(str(project / rel), line).strip()
            ranked.append(LineCost(key, rel, line, hits, total, max(total - inner, 0.0), code, unprofiled))
    ranked.sort(key=lambda cost: (-cost.own_s, cost.file, cost.line))
    return ranked


def text_report(stats: Any) -> str:
    """line_profiler's own listing: each function's lines with hits, time, per hit and % of the function."""
    from line_profiler.line_profiler import show_text

    stream = io.StringIO()
    show_text(stats.timings, stats.unit, output_unit=1e-6, stream=stream, stripzeros=True, summarize=True,
              config=False)
    return stream.getvalue()
