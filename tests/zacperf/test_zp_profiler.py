"""scripts/profile_ondata.py through zacperf.profiling: a slow line ranked first, a heavy consolidator handler
seen under its handler, --functions limiting the line profile, a project outside the repository, the step split
adding up, and the call graph's selection and call-site shares on fixed data.

Each profile runs real engine processes on one day of Lean's SPY minute sample data (390 steps)."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from zp_support import HERE

from zacperf.profiling.callgraph import CallGraph
from zacperf.profiling.calltree import sampled_times
from zacperf.profiling.session import ProfileOptions, run_profile

TOYS = HERE / "algorithms"
SLOW_LINE = "self.ranked = sorted(self.values, reverse=True)  # the deliberately slow line"


def _profile(roots: dict[str, Path], lean_data: Path, project: Path, **options: object) -> dict:
    out, err = io.StringIO(), io.StringIO()
    code = run_profile(ProfileOptions(project=str(project), data_folder=str(lean_data), **options),  # type: ignore[arg-type]
                       out=out, err=err)
    assert code == 0, out.getvalue() + err.getvalue()
    run = max((roots["tasks"] / "perf-runs" / "runs").iterdir())
    doc = json.loads((run / "profile.json").read_text())
    doc["_folder"], doc["_stdout"] = run, out.getvalue()
    return doc


def _split_adds_up(doc: dict) -> None:
    split = doc["split"]
    assert split["parts_sum_s"] == pytest.approx(split["step_time_s"], rel=0.05)
    assert split["steps"] >= 390 and split["parts_s"]["algorithm_callbacks"] > 0


def test_a_slow_line_ranks_first_for_a_project_outside_the_repository(roots, lean_data: Path) -> None:
    project = shutil.copytree(TOYS / "slow_line", roots["tmp"] / "outside" / "slow_line")
    doc = _profile(roots, lean_data, project, tool="line")
    top = doc["lines"]["top"]
    assert top[0]["code"] == SLOW_LINE and top[0]["function"] == "SlowLineAlgorithm.update_state"
    assert top[0]["hits"] == 390 and top[0]["share"] > 0.5 and top[0]["own_per_hit_us"] > 0
    caller = next(row for row in top if row["code"] == "self.update_state(data)")  # as slow in total, not in own
    assert caller["total_s"] >= top[0]["own_s"] > 10 * caller["own_s"]
    _split_adds_up(doc)
    folder = doc["_folder"]
    for name in ("profile-report.md", "line-profile.txt", "step-split.png", "line/line-profile.lprof",
                 "discover/call-graph.json", "command.txt"):
        assert (folder / name).is_file(), name
    report = (folder / "profile-report.md").read_text()
    assert "main.py:20" in report and doc["git"]["commit"] in report and "× unprofiled step time" in report
    assert "line  1" in doc["_stdout"] and "main.py:20" in doc["_stdout"]
    assert [r["label"] for r in doc["runs"]] == ["reference", "discover", "line"]


def test_a_heavy_consolidator_handler_shows_its_time_under_the_handler(roots, lean_data: Path) -> None:
    doc = _profile(roots, lean_data, TOYS / "heavy_consolidator", tool="both")
    top = doc["lines"]["top"][0]
    assert top["function"] == "HeavyConsolidatorAlgorithm.OnFiveMinutes" and top["hits"] == 78
    by_total = doc["tree"]["algorithm_by_total"]
    assert by_total[0]["function"] == "HeavyConsolidatorAlgorithm.OnFiveMinutes"  # the time under the handler
    # the handler runs inside the engine's consolidator update, yet its time is the algorithm's
    parts = doc["split"]["parts_s"]
    assert parts["algorithm_callbacks"] > parts["consolidator_updates"] > 0
    _split_adds_up(doc)
    assert (doc["_folder"] / "tree" / "call-tree.html").is_file()


def test_functions_limit_the_line_profile(roots, lean_data: Path) -> None:
    doc = _profile(roots, lean_data, TOYS / "slow_line", tool="line", functions=["main:SlowLineAlgorithm.on_data"])
    chosen = json.loads((doc["_folder"] / "line" / "line-functions.json").read_text())
    assert [key.split(":", 2)[2] for key in chosen] == ["SlowLineAlgorithm.on_data"]
    assert {row["function"] for row in doc["lines"]["top"]} == {"SlowLineAlgorithm.on_data"}
    first = doc["lines"]["top"][0]  # the helper is not profiled: its time stays on the line that calls it
    assert first["code"] == "self.update_state(data)" and first["unprofiled_calls"] == ["SlowLineAlgorithm.update_state"]
    assert doc["lines"]["depth"] is None


def test_bad_input_is_one_line_and_exit_2(roots) -> None:
    for options in (ProfileOptions(scenario="smoke", tool="tree", functions=["main:X"]),
                    ProfileOptions(project=str(roots["tmp"]), tool="line"),
                    ProfileOptions(scenario="smoke", data_folder="/tmp")):
        err = io.StringIO()
        assert run_profile(options, out=io.StringIO(), err=err) == 2
        assert err.getvalue().startswith("profile_ondata: error: ") and err.getvalue().count("\n") == 1


def test_the_call_graph_selects_by_depth_and_splits_a_function_over_its_call_sites_by_time() -> None:
    graph = CallGraph.from_json({
        "callbacks": {"main.py:1:A.on_data": 10, "main.py:9:A.on_bar": 2},
        "entry_ns": {"w.py:1:wrap": 100, "m.py:1:deep": 90},
        "edges": [["main.py:1:A.on_data", 3, "w.py:1:wrap", False, 5, 90],     # one call site costs 90 ns ...
                  ["main.py:9:A.on_bar", 12, "w.py:1:wrap", False, 5, 10],     # ... the other 10, same count
                  ["w.py:1:wrap", 4, "m.py:1:deep", False, 10, 90],
                  ["main.py:1:A.on_data", 5, "main.py:9:A.on_bar", True, 2, 0]]})  # via the engine: a callback
    assert graph.depths() == {"main.py:1:A.on_data": 0, "main.py:9:A.on_bar": 0, "w.py:1:wrap": 1, "m.py:1:deep": 2}
    assert graph.within(1) == ["main.py:1:A.on_data", "main.py:9:A.on_bar", "w.py:1:wrap"]
    shares = graph.site_shares()
    assert shares[("main.py:1:A.on_data", 3)] == {"w.py:1:wrap": 0.9}
    assert shares[("main.py:9:A.on_bar", 12)] == {"w.py:1:wrap": 0.1}


def test_sampled_call_trees_give_own_and_total_time_by_side(tmp_path: Path) -> None:
    project, engine = tmp_path / "project", tmp_path / "pylean"
    frames = [{"name": "loop", "file": str(engine / "engine.py"), "line": 1},
              {"name": "on_data", "file": str(project / "main.py"), "line": 5},
              {"name": "sorted", "file": "", "line": 0}]
    doc = {"shared": {"frames": frames}, "profiles": [
        {"type": "sampled", "unit": "seconds", "samples": [[0, 1, 2], [0, 1], [0]], "weights": [0.5, 0.25, 0.25]}]}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    times = {t.name: t for t in sampled_times(path, project, engine)}
    assert (times["on_data"].side, times["on_data"].own_s, times["on_data"].total_s) == ("algorithm", 0.25, 0.75)
    assert (times["loop"].side, times["loop"].own_s, times["loop"].total_s) == ("engine", 0.25, 1.0)
    assert times["sorted"].side == "library"
