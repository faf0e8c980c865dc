"""Which of the project's functions the engine's callbacks reach, and from which line each call is made.

The line profiler needs its functions named before the run, and the project decides what "its functions"
are, so they are discovered rather than listed: a discovery run of the same backtest records every call
into the project's code (a function whose file lies under the project folder) during the time loop, with a
`sys.settrace` hook that sees only function entries (no line events, and it returns at once for anyone
else's code). For each call it notes the nearest caller that is not library code:

* pylean's code (the time loop, an event, a timing wrapper) makes the callee a *callback*: depth 0;
* the project's own code makes an edge (caller function, caller line) -> callee, one level deeper.

Library frames in between (the standard library, numpy, a builtin calling a key function) are looked
through. The selection is every function within `depth` edges of a callback (breadth first, shortest
path), which works for any project and any way it wires its handlers: on_data, event handlers,
consolidator and scheduled-event handlers, custom fill or fee models.

Comprehensions and generator expressions are part of the function that holds them (as Python 3.12 inlines
them): calls from them are calls from that function's line, and they are never selected themselves.

The same edges tell the report how much of a line's time was spent in profiled functions it called (even
through the engine: `self.market_order(...)` -> pylean -> on_order_event), so lines can be ranked by their
own time. For that each project frame also reports its return (no line events), and the recorder adds up
each edge's time: a function's time is split over its call sites by these times, not by call counts (a
wrapper that times every stage costs far more around one stage than around another). A backtest is
deterministic: the discovery run makes exactly the calls the profiled run makes.
"""
from __future__ import annotations

import os
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

PROJECT, ENGINE, LIBRARY = "project", "engine", "library"
INLINE = frozenset({"<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>"})


def function_key(project: Path, code: CodeType) -> str:
    """`relative/file.py:first line:qualified name`: the same function in every process."""
    rel = os.path.relpath(os.path.realpath(code.co_filename), project.resolve()).replace(os.sep, "/")
    return f"{rel}:{code.co_firstlineno}:{code.co_qualname}"


class CallRecorder:
    """A settrace hook counting calls into the project's code by (caller key, caller line, callee key)."""

    def __init__(self, project: Path, engine_dir: Path) -> None:
        self.project = project
        self._prefixes = {PROJECT: str(project.resolve()) + os.sep, ENGINE: str(engine_dir.resolve()) + os.sep}
        self._kinds: dict[CodeType, str] = {}
        self._keys: dict[CodeType, str] = {}
        self.edges: Counter[tuple[str, int, str, bool]] = Counter()   # (caller, line, callee, through engine)
        self.edge_ns: Counter[tuple[str, int, str, bool]] = Counter()
        self.callbacks: Counter[str] = Counter()                      # callee entered from the engine
        self.entry_ns: Counter[str] = Counter()                       # each function's time, all entries
        self._open: list[tuple[tuple[str, int, str, bool] | None, str, int]] = []

    def _kind(self, code: CodeType) -> str:
        kind = self._kinds.get(code)
        if kind is None:
            path = os.path.realpath(code.co_filename)
            kind = next((k for k, prefix in self._prefixes.items() if path.startswith(prefix)), LIBRARY)
            self._kinds[code] = kind
        return kind

    def _key(self, code: CodeType) -> str:
        key = self._keys.get(code)
        if key is None:
            key = self._keys[code] = function_key(self.project, code)
        return key

    def on_call(self, frame: FrameType, event: str, arg: Any) -> Any:
        code = frame.f_code
        if self._kind(code) != PROJECT or code.co_name in INLINE:
            return None                      # no more events from this frame
        callee = self._key(code)
        edge = self._record(frame, callee)
        frame.f_trace_lines = False          # its return only
        self._open.append((edge, callee, time.perf_counter_ns()))
        return self._on_return

    def _on_return(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "return" and self._open:
            edge, callee, started = self._open.pop()
            spent = time.perf_counter_ns() - started
            self.entry_ns[callee] += spent
            if edge is not None:
                self.edge_ns[edge] += spent
        return self._on_return

    def _record(self, frame: FrameType, callee: str) -> tuple[str, int, str, bool] | None:
        caller, through_engine = frame.f_back, False
        while caller is not None:
            kind = self._kind(caller.f_code)
            if kind == PROJECT and caller.f_code.co_name not in INLINE:
                break
            if kind == ENGINE and not through_engine:
                through_engine = True
                self.callbacks[callee] += 1   # the nearest non-library caller is pylean: a callback
            caller = caller.f_back
        if caller is None:
            if not through_engine:
                self.callbacks[callee] += 1   # nothing above it at all (a thread's entry point)
            return None
        key = (self._key(caller.f_code), caller.f_lineno, callee, through_engine)
        self.edges[key] += 1
        return key

    def start(self) -> None:
        sys.settrace(self.on_call)

    def stop(self) -> None:
        sys.settrace(None)

    def as_json(self) -> dict[str, Any]:
        return {"callbacks": dict(self.callbacks), "entry_ns": dict(self.entry_ns),
                "edges": [[caller, line, callee, through, n, self.edge_ns[(caller, line, callee, through)]]
                          for (caller, line, callee, through), n in self.edges.items()]}


@dataclass
class CallGraph:
    """What a discovery run recorded: callbacks (with call counts) and call edges with their call-site lines."""

    callbacks: dict[str, int]
    edges: list[tuple[str, int, str, bool, int, int]] = field(default_factory=list)  # ..., count, ns
    entry_ns: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CallGraph:
        edges = [tuple(edge) for edge in data.get("edges", [])]
        return cls(dict(data.get("callbacks", {})), edges, dict(data.get("entry_ns", {})))  # type: ignore[arg-type]

    def depths(self) -> dict[str, int]:
        """Each reached function's shortest distance from a callback (callbacks are 0)."""
        children: dict[str, set[str]] = {}
        for caller, _line, callee, through_engine, _n, _ns in self.edges:
            if not through_engine:
                children.setdefault(caller, set()).add(callee)
        depth = {key: 0 for key in self.callbacks}
        queue = deque(sorted(self.callbacks))
        while queue:
            key = queue.popleft()
            for child in sorted(children.get(key, ())):
                if child not in depth:
                    depth[child] = depth[key] + 1
                    queue.append(child)
        return depth

    def within(self, max_depth: int) -> list[str]:
        return sorted(key for key, d in self.depths().items() if d <= max_depth)

    def call_counts(self) -> Counter[str]:
        """How often each function was entered, from anywhere."""
        counts: Counter[str] = Counter(self.callbacks)
        for _caller, _line, callee, through_engine, n, _ns in self.edges:
            if not through_engine:
                counts[callee] += n
        return counts

    def site_shares(self) -> dict[tuple[str, int], dict[str, float]]:
        """(caller, line) -> the share of each function's time spent in calls from that line (by the edges'
        times; by call counts when a function's time was not recorded)."""
        counts = self.call_counts()
        sites: dict[tuple[str, int], dict[str, float]] = {}
        for caller, line, callee, _through, n, ns in self.edges:
            whole = self.entry_ns.get(callee, 0)
            share = ns / whole if whole else (n / counts[callee] if counts.get(callee) else 0.0)
            found = sites.setdefault((caller, line), {})
            found[callee] = found.get(callee, 0.0) + share
        return sites
