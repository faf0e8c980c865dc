"""Sweeps: the search space, the objective, and a 12-point sweep run serially, in a pool and on a Dask
LocalCluster with the same results; harness batches of three scenarios serially and on Dask."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from zp_support import REPO, STANDIN, write_scenario

from zacperf import batch, golden
from zacperf.errors import ZacperfError
from zacperf.executor import bounded_jobs
from zacperf.leanout import parse_folder
from zacperf.exit_codes import ExitCode, worst
from zacperf.sweep import objective, space
from zacperf.sweep.run import SweepOptions, exit_code, run_sweep

GRID = ["threshold_bp=5,10,20", "trade_every=5:20:5"]          # 3 x 4 = 12 points


def test_space_grid_ranges_and_random_sample():
    assert space.parse_param("trade_every=5:20:5").values == ("5", "10", "15", "20")
    assert space.parse_param("x=0.5:1.5:0.5").values == ("0.5", "1", "1.5")
    assert space.parse_param("C3=true,false").values == ("true", "false")
    points = space.grid([space.parse_param(p) for p in GRID])
    assert len(points) == 12 and points[0] == {"threshold_bp": "5", "trade_every": "5"}
    sample = space.random_points([space.parse_param(p) for p in GRID], 5, seed=3)
    assert len(sample) == 5 and len({tuple(p.items()) for p in sample}) == 5
    assert sample == space.random_points([space.parse_param(p) for p in GRID], 5, seed=3)
    for bad in ("x", "x=", "x=1:0:1", "x=1,1", "1x=2"):
        with pytest.raises(ZacperfError):
            space.parse_param(bad)


def test_objective_reads_lean_strings_and_constraints():
    stats = {"Net Profit": "12.5%", "Total Fees": "$1,032.87", "Sharpe Ratio": "-0.4", "Drawdown": "3.2%"}
    assert objective.statistic(stats, "net_profit") == 12.5
    assert objective.statistic(stats, "Total Fees") == 1032.87
    assert objective.parse_constraint("Drawdown < 5").holds(stats)
    assert not objective.parse_constraint("Sharpe Ratio >= 0").holds(stats)
    with pytest.raises(ZacperfError, match="NAME OP NUMBER"):
        objective.parse_constraint("Drawdown is small")
    with pytest.raises(ZacperfError, match="unknown statistic 'Sharp'"):
        objective.check_names(stats, ["Sharp"])


def test_exit_code_of_a_sweep_follows_the_table():
    assert exit_code([{"problems": [], "flag_parity": True}]) == ExitCode.OK
    assert exit_code([{"problems": [], "flag_parity": False}]) == ExitCode.DIVERGENT
    assert exit_code([{"problems": [], "flag_parity": False}, {"problems": ["pylean exited 9"]}]) == ExitCode.ENGINE_FAULT
    assert exit_code([{"problems": ["algorithm error: boom"]}]) == ExitCode.ALGORITHM_ERROR
    assert bounded_jobs(64) <= (len(__import__("os").sched_getaffinity(0)))


def _essence(points: list[dict]) -> list[tuple]:
    return [(p["index"], tuple(p["point"].items()), p["digest"], p["orders"], p["fills"],
             tuple(sorted(p["statistics"].items())), p["feasible"], p["target"]) for p in points]


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield cluster.scheduler_address
    cluster.close()


def test_a_12_point_sweep_gives_the_same_results_serially_in_a_pool_and_on_dask(roots, dask_cluster):
    common = {"params": GRID, "scenario": str(STANDIN), "target": "End Equity", "constraints": ["Total Orders <= 12"],
              "progress": False}
    serial = run_sweep(SweepOptions(**common, jobs=1))
    on_dask = run_sweep(SweepOptions(**common, dask_scheduler=dask_cluster, plots=False))
    assert len(serial.points) == 12 and serial.exit_code == 0
    assert _essence(on_dask.points) == _essence(serial.points)
    assert serial.best is not None and serial.best["index"] == on_dask.best["index"]
    assert len({p["digest"] for p in serial.points}) > 1                     # the parameters do change the trades
    assert not serial.points[0]["feasible"]                                  # 15 orders > 12
    csv_lines = (serial.folder / "results.csv").read_text().splitlines()
    assert len(csv_lines) == 13 and csv_lines[0].startswith("index,threshold_bp,trade_every,target,feasible")
    assert (serial.folder / "heatmap.png").stat().st_size > 1000
    assert "| # | threshold_bp | trade_every | End Equity |" in (serial.folder / "sweep-report.md").read_text()


def test_flag_parity_at_every_point(roots):
    result = run_sweep(SweepOptions(params=["threshold_bp=5,20"], scenario=str(STANDIN), target="End Equity",
                                    compare_flag="enable_perf_opt", jobs=2, progress=False, plots=False))
    assert [p["flag_parity"] for p in result.points] == [True, True] and result.exit_code == 0
    assert all("wall_s_on" in p for p in result.points)


@pytest.mark.parametrize(("options", "message"), [
    ({"params": ["nope=1,2"]}, "unknown parameter"),
    ({"params": ["trade_every=a,b"]}, "expected an integer"),
    ({"params": ["enable_perf_opt=true,false"], "compare_flag": "enable_perf_opt"}, "do not sweep it"),
    ({"params": GRID, "project": "ZacQC"}, "one of them"),
    ({"params": GRID, "dask_scheduler": "localhost:1"}, "tcp://HOST:PORT"),
])
def test_bad_sweep_input_is_one_line(roots, options, message):
    with pytest.raises(ZacperfError, match=message):
        run_sweep(SweepOptions(**{"scenario": str(STANDIN), "progress": False, **options}))


def test_sweep_cli_exit_code_for_bad_input(roots, capsys):
    sys.path.insert(0, str(REPO / "tools"))
    import sweep
    assert sweep.main(["--scenario", str(STANDIN), "--param", "bogus"]) == ExitCode.BAD_INPUT
    assert capsys.readouterr().err.startswith("sweep: error: --param 'bogus'")


def _sections(result: dict) -> list:
    doc = result["doc"]
    return [golden.sections_of(parse_folder(Path(doc["run_folder"]) / r["output"])) for r in doc["runs"]]


def test_three_scenarios_as_a_batch_serially_and_on_dask_agree(roots, dask_cluster):
    text = STANDIN.read_text().replace('project = "tests/zacperf/algorithms/standin"',
                                       f'project = "{REPO / "tests/zacperf/algorithms/standin"}"')
    files = [str(STANDIN), str(write_scenario(roots["tmp"], text.replace('name = "standin"', 'name = "standin-b"')
                                              .replace("seed = 7", "seed = 8"), "b.toml")),
             str(write_scenario(roots["tmp"], text.replace('name = "standin"', 'name = "standin-c"')
                                .replace("end = 2025-10-02", "end = 2025-10-03"), "c.toml"))]
    argv = ["--scenario", ",".join(files), "--no-compare", "--no-plots"]
    serial = batch.run_batch(files, batch.passthrough(argv), 1, None, False, False)
    on_dask = batch.run_batch(files, batch.passthrough(argv), 1, dask_cluster, False, False)
    assert [r["exit_code"] for r in serial] == [0, 0, 0] == [r["exit_code"] for r in on_dask]
    assert [r["doc"]["scenario"]["name"] for r in on_dask] == ["standin", "standin-b", "standin-c"]
    assert [_sections(r) for r in serial] == [_sections(r) for r in on_dask]
    assert not serial[0]["throughput_run"] and on_dask[0]["throughput_run"]
    assert "(parallel runs: the timings are throughput figures" in "\n".join(batch.summary_lines(on_dask))
    with pytest.raises(ZacperfError, match="needs serial timing runs"):
        batch.run_batch(files, [], 2 if bounded_jobs(2) > 1 else 1, dask_cluster, True, False)
    assert json.dumps(serial, default=str)


def test_batch_passes_every_other_option_through_and_refuses_parallel_timing(roots, capsys):
    argv = ["--scenario=a,b", "--jobs", "2", "--dask-scheduler", "tcp://h:1", "--json", "--no-progress",
            "--parameter", "threshold_bp", "5", "--no-compare"]
    assert batch.passthrough(argv) == ["--parameter", "threshold_bp", "5", "--no-compare"]
    sys.path.insert(0, str(REPO / "tools"))
    import perf_harness
    code = perf_harness.main(["--scenario", f"{STANDIN},{STANDIN}", "--jobs", "2"])
    assert code == ExitCode.BAD_INPUT and "lists a scenario twice" in capsys.readouterr().err
    if bounded_jobs(2) > 1:
        code = perf_harness.main(["--scenario", str(STANDIN), "--jobs", "2", "--check-regression"])
        assert code == ExitCode.BAD_INPUT and "needs serial timing runs" in capsys.readouterr().err


def test_a_sweep_over_a_plain_project_folder(roots):
    from zacperf import datasource
    from zacperf.scenarios import load_scenario
    data = datasource.resolve(load_scenario(str(STANDIN))).folder
    result = run_sweep(SweepOptions(params=["threshold_bp=5,20"], project=str(REPO / "tests/zacperf/algorithms/standin"),
                                    data_folder=str(data), target="Total Orders", minimize=True, progress=False,
                                    plots=False))
    assert [p["point"] for p in result.points] == [{"threshold_bp": "5"}, {"threshold_bp": "20"}]
    assert all(p["orders"] and not p["problems"] for p in result.points) and result.exit_code == 0
    assert result.best == min(result.points, key=lambda p: (p["target"], p["index"]))
