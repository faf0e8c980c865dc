"""The profile's report, from the files its runs wrote: profile.json, profile-report.md, line-profile.txt,
step-split.png, and the console summary (built from profile.json alone)."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from zacperf import runs
from zacperf.env import REPO_ROOT, git_revision, repo_rel, utc_iso
from zacperf.profiling import lines, split
from zacperf.profiling.calltree import sampled_times, session_times
from zacperf.profiling.target import ProfileTarget

SCHEMA_VERSION = 1
OVERHEAD_NOTE_X = 3.0
PROFILED = ("line", "tree", "sample")   # the runs whose timings the report reads (discover only finds functions)
TREE_TOP = 12


def write(run: runs.RunFolder, target: ProfileTarget, options: Any, done: dict[str, Any]) -> dict[str, Any]:
    reference = done["reference"]
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION, "kind": "zacperf-profile", "run_id": run.run_id, "created_utc": utc_iso(),
        "run_folder": repo_rel(run.path), "command": options.command_line, "git": git_revision(),
        "target": {"name": target.name, "description": target.description, "project": repo_rel(target.project),
                   "data_folder": str(target.data_folder), "parameters": target.parameters},
        "tool": options.tool, "runs": _overheads(done), "notes": []}
    found = split.step_split(reference.metrics)
    if found is not None:
        doc["split"] = found.as_dict()
        split.plot(found, run.path / "step-split.png", f"{target.name}: where the step time goes")
    if "line" in done:
        doc["lines"] = _line_section(done, target, options.top, run.path)
        doc["lines"]["depth"] = None if options.functions else options.depth
    for label in ("tree", "sample"):
        if label in done:
            doc[label] = _tree_section(done[label], label, target)
    slow = [r for r in doc["runs"] if r["label"] in PROFILED and (r.get("overhead_x") or 0) > OVERHEAD_NOTE_X]
    for r in slow:
        doc["notes"].append(f"profiling overhead above {OVERHEAD_NOTE_X:.0f}x: the {r['label']} run's time loop took "
                            f"{r['overhead_x']:.1f}x the unprofiled one; its seconds are inflated, read its shares and "
                            "rankings (or use --tool sample, or --functions / a smaller --depth)")
    runs.write_json_atomic(run.path / "profile.json", doc)
    runs.write_text_atomic(run.path / "profile-report.md", markdown(doc))
    return doc


def _overheads(done: dict[str, Any]) -> list[dict[str, Any]]:
    """Each run's cost against the unprofiled one: the profilers are attached to the time loop only, so the
    overhead is the ratio of summed step times (data loading and a cold data cache stay out of it)."""
    base = done["reference"].metrics.get("step_time_total_s") or 0.0
    rows = []
    for label in ("reference", "discover", "line", "tree", "sample"):
        child = done.get(label)
        if child is None:
            continue
        steps = child.metrics.get("step_time_total_s")
        rows.append({"label": label, "wall_s": round(child.wall_s, 3), "step_time_s": steps,
                     "algorithm_time_s": child.metrics.get("algorithm_time_total_s"),
                     "overhead_x": round(steps / base, 2) if base and isinstance(steps, (int, float)) else None,
                     "note": child.note})
    return rows


def _line_section(done: dict[str, Any], target: ProfileTarget, top: int, folder: Path) -> dict[str, Any]:
    line_run = done["line"]
    lprof = line_run.folder / "line-profile.lprof"
    stats = lines.load(lprof)
    runs.write_text_atomic(folder / "line-profile.txt", lines.text_report(stats))
    ranked = lines.rank(stats, target.project, done["graph"])
    algorithm_s = float(line_run.metrics.get("algorithm_time_total_s") or 0.0)
    share = (lambda s: s / algorithm_s) if algorithm_s else (lambda s: 0.0)
    return {"functions_chosen": len(done["chosen"]), "lprof": repo_rel(lprof), "text": "line-profile.txt",
            "algorithm_time_s": algorithm_s, "covered_share": share(sum(c.own_s for c in ranked)),
            "top": [{"file": c.file, "line": c.line, "function": c.qualname, "share": share(c.own_s),
                     "own_s": c.own_s, "total_s": c.total_s, "hits": c.hits, "own_per_hit_us": c.own_per_hit_us,
                     "code": c.code, "unprofiled_calls": list(c.unprofiled)} for c in ranked[:top]]}


def _tree_section(child: Any, label: str, target: ProfileTarget) -> dict[str, Any]:
    name = "call-tree" if label == "tree" else "sample"
    session = child.folder / f"{name}.pyisession"
    times = (session_times(session, target.project, _engine_dir()) if session.is_file() else
             sampled_times(child.folder / f"{name}.speedscope.json", target.project, _engine_dir()))
    files = [p for p in (f"{name}.html", f"{name}.speedscope.json", f"{name}.txt") if (child.folder / p).is_file()]
    by_side: dict[str, float] = {}
    for f in times:
        by_side[f.side] = by_side.get(f.side, 0.0) + f.own_s
    under = sorted((f for f in times if f.side == "algorithm"), key=lambda f: -f.total_s)
    return {"files": [f"{label}/{p}" for p in files], "note": child.note, "own_time_by_side_s": by_side,
            "top": [_function_row(f) for f in times[:TREE_TOP]],
            "algorithm_by_total": [_function_row(f) for f in under[:TREE_TOP]]}


def _function_row(f: Any) -> dict[str, Any]:
    return {"function": f.name, "file": repo_rel(f.file), "line": f.line, "side": f.side, "own_s": f.own_s,
            "total_s": f.total_s}


# ----------------------------------------------------------------------------- text

def markdown(doc: dict[str, Any]) -> str:
    target = doc["target"]
    git = doc["git"]
    out = [f"# Profile: {target['name']} ({doc['tool']})", "",
           f"- Target: {target['description']}",
           f"- Command: `{doc['command']}`",
           f"- Commit: {git['commit']}{' (dirty)' if git.get('dirty') else ''}",
           f"- Created: {doc['created_utc']}", ""]
    if doc.get("split"):
        out += _split_markdown(doc["split"])
    if doc.get("lines"):
        out += _lines_markdown(doc["lines"])
    for label, title in (("tree", "Call tree (pyinstrument)"), ("sample", "Sampling profile")):
        if doc.get(label):
            out += _tree_markdown(doc[label], title)
    out += ["## Profiled vs unprofiled", "", "| run | wall s | step time s | algorithm time s | × unprofiled step time |",
            "|---|---:|---:|---:|---:|"]
    for r in doc["runs"]:
        out.append(f"| {r['label']} | {r['wall_s']:.2f} | {_num(r['step_time_s'])} | {_num(r['algorithm_time_s'])} | "
                   f"{_num(r['overhead_x'], '.2f')} |")
    out += ["", "`reference` runs without a profiler (only the engine's phase timers); the others each add one tool, "
            "attached to the time loop only, so the overhead is the ratio of step times (wall includes start-up and "
            "data loading).",
            ""] + [f"- Note: {note}" for note in doc["notes"]]
    return "\n".join(out).rstrip() + "\n"


def _split_markdown(found: dict[str, Any]) -> list[str]:
    rebuilt = split.StepSplit(found["step_time_s"], found["steps"], tuple(found["parts_s"].items()))
    gap = abs(found["parts_sum_s"] - found["step_time_s"]) / found["step_time_s"] * 100 if found["step_time_s"] else 0.0
    return ["## Engine vs algorithm (reference run)", "",
            f"The algorithm's callbacks take {found['algorithm_share'] * 100:.1f} % of the step time; the engine takes "
            f"the rest. The parts add up to the measured step time within {gap:.2f} %.", "",
            *split.table_lines(rebuilt), "", "![step split](step-split.png)", ""]


def _lines_markdown(found: dict[str, Any]) -> list[str]:
    scope = (f"{found['functions_chosen']} functions within depth {found['depth']} of the callbacks"
             if found.get("depth") is not None else f"{found['functions_chosen']} functions named by --functions")
    out = ["## Slowest lines (line_profiler)", "",
           f"{scope}; their lines' own time covers {found['covered_share'] * 100:.1f} % of the line run's algorithm "
           f"time ({found['algorithm_time_s']:.3f} s). Own time leaves out the profiled functions a line calls; "
           f"shares are of algorithm time; a line's own time includes the functions it calls that are not "
           f"line-profiled (raise --depth to see into them). Full listing: [{found['text']}]({found['text']}), raw: `{found['lprof']}`.",
           "", "| # | % algo | own ms | hits | own µs/hit | line | function | code |",
           "|---:|---:|---:|---:|---:|---|---|---|"]
    for i, row in enumerate(found["top"], 1):
        code = row["code"].replace("|", "\\|")
        deeper = ", ".join(row.get("unprofiled_calls") or [])
        calls = f" (includes {deeper}: not line-profiled)" if deeper else ""
        out.append(f"| {i} | {row['share'] * 100:.1f} | {row['own_s'] * 1e3:.1f} | {row['hits']:,} | "
                   f"{row['own_per_hit_us']:.2f} | {row['file']}:{row['line']} | {row['function']} | `{code}`{calls} |")
    return out + [""]


def _tree_markdown(found: dict[str, Any], title: str) -> list[str]:
    sides = found["own_time_by_side_s"]
    whole = sum(sides.values()) or 1.0
    out = [f"## {title}", "", (f"{found['note']}. " if found.get("note") else "") + "Own time by side: " +
           ", ".join(f"{side} {sides[side] / whole * 100:.1f} %" for side in sorted(sides)) +
           " (by where the code lives: pylean's API that the algorithm calls is engine here, algorithm time in the split"
           "). Files: " + ", ".join(f"[{p}]({p})" for p in found["files"]), "",
           "Functions by own time (their own code, not what they call):", "",
           "| function | side | own s | total s | where |", "|---|---|---:|---:|---|"]
    for f in found["top"]:
        out.append(f"| {f['function']} | {f['side']} | {f['own_s']:.3f} | {f['total_s']:.3f} | {f['file']}:{f['line']} |")
    out += ["", "The project's functions by total time (everything under each, engine calls included):", "",
            "| function | total s | own s | where |", "|---|---:|---:|---|"]
    for f in found.get("algorithm_by_total", []):
        out.append(f"| {f['function']} | {f['total_s']:.3f} | {f['own_s']:.3f} | {f['file']}:{f['line']} |")
    return out + [""]


def console_lines(doc: dict[str, Any], top_lines: int = 10) -> list[str]:
    lines_out = [f"profile {doc['target']['name']} ({doc['tool']}) — {doc['target']['description']}",
                 f"  run folder   {doc['run_folder']} (profile-report.md)"]
    found = doc.get("split")
    if found:
        parts = ", ".join(f"{split.LABELS[k]} {v / found['step_time_s'] * 100:.1f} %" for k, v in found["parts_s"].items())
        lines_out.append(f"  step time    {found['step_time_s']:.3f} s = {parts} (sum {found['parts_sum_s']:.3f} s)")
    for i, row in enumerate((doc.get("lines") or {}).get("top", [])[:top_lines], 1):
        lines_out.append(f"  line {i:>2}      {row['share'] * 100:5.1f} %  {row['hits']:>9,} hits  "
                         f"{row['own_per_hit_us']:8.2f} µs/hit  {row['file']}:{row['line']}  {row['code'][:60]}")
    for label in ("tree", "sample"):
        if doc.get(label):
            under = ", ".join(f"{f['function']} {f['total_s']:.3f} s" for f in doc[label]["algorithm_by_total"][:3])
            lines_out.append(f"  {label:<12} project functions by total time: {under or 'none sampled'}")
    lines_out.append("  overhead     " + ", ".join(f"{r['label']} {r['wall_s']:.2f} s ({r['overhead_x']:.2f}x)"
                                                   for r in doc["runs"]))
    return lines_out + [f"  note: {note}" for note in doc["notes"]]


def _engine_dir() -> Path:
    """pylean's folder, found without importing it (the engine runs in its own processes)."""
    spec = importlib.util.find_spec("pylean")
    return Path(spec.origin).parent if spec is not None and spec.origin else REPO_ROOT / "pylean"


def _num(value: Any, fmt: str = ".3f") -> str:
    return format(value, fmt) if isinstance(value, (int, float)) else "n/a"
