"""Own and total time per function from a call tree, pyinstrument's saved session or py-spy's sampled
speedscope file, each function tagged as the project's ("algorithm"), pylean's ("engine") or a library's
by where its file lives."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

_UNITS = {"seconds": 1.0, "milliseconds": 1e-3, "microseconds": 1e-6, "nanoseconds": 1e-9, "none": 1.0}


@dataclass(frozen=True)
class FunctionTime:
    name: str
    file: str
    line: int
    side: str          # "algorithm", "engine" or "library"
    own_s: float
    total_s: float


def session_times(path: Path, project: Path, engine_dir: Path) -> list[FunctionTime]:
    """From a pyinstrument session (`.pyisession`): own time is a frame's time less its real children's."""
    from pyinstrument.session import Session

    root = Session.load(str(path)).root_frame(trim_stem=False)
    times: dict[tuple[str, str], list[Any]] = {}
    for frame, outer in _walk(root, frozenset()):
        key = (f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function, frame.file_path or "")
        entry = times.setdefault(key, [frame.line_no or 0, 0.0, 0.0])
        entry[1] += frame.time - sum(child.time for child in frame.children if not child.is_synthetic)
        if key not in outer:                      # a recursive call's time is inside its outer call's already
            entry[2] += frame.time
    return _tagged(times, project, engine_dir)


def _walk(frame: Any, outer: frozenset[tuple[str, str]]) -> Iterator[tuple[Any, frozenset[tuple[str, str]]]]:
    if frame is None or frame.is_synthetic:
        return
    yield frame, outer
    key = (f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function, frame.file_path or "")
    for child in frame.children:
        yield from _walk(child, outer | {key})


def sampled_times(path: Path, project: Path, engine_dir: Path) -> list[FunctionTime]:
    """From a sampled speedscope file (py-spy): each sample's stack runs outermost -> innermost."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    frames = doc["shared"]["frames"]
    times: dict[tuple[str, str], list[Any]] = {}
    for profile in doc.get("profiles", []):
        scale = _UNITS.get(profile.get("unit", "seconds"), 1.0)
        samples = profile.get("samples", [])
        for stack, weight in zip(samples, profile.get("weights") or [1.0] * len(samples)):
            keys = [(frames[i].get("name", "?"), frames[i].get("file") or "") for i in stack]
            for depth, key in enumerate(keys):
                entry = times.setdefault(key, [frames[stack[depth]].get("line") or 0, 0.0, 0.0])
                if key not in keys[:depth]:
                    entry[2] += weight * scale
            if keys:
                times[keys[-1]][1] += weight * scale
    return _tagged(times, project, engine_dir)


def _tagged(times: dict[tuple[str, str], list[Any]], project: Path, engine_dir: Path) -> list[FunctionTime]:
    prefixes = (("algorithm", str(project.resolve()) + os.sep), ("engine", str(engine_dir.resolve()) + os.sep))
    found = []
    for (name, file), (line, own_s, total_s) in times.items():
        real = os.path.realpath(file) if file else ""
        side = next((side for side, prefix in prefixes if real.startswith(prefix)), "library")
        found.append(FunctionTime(name, file, line, side, own_s, total_s))
    return sorted(found, key=lambda f: (-f.own_s, f.name))
