"""ZacQC with enable_perf_opt off on the harness's `reference` scenario: the real algorithm's cost.

Project, data and parameters are the ones `tools/perf_harness.py --scenario reference` uses: the ZacQC
project folder, the scenario's synthetic data (generated on first use under $ZACPERF_DATA_DIR), the full
parameter set (config.json < run shape < the scenario's parameters) with enable_perf_opt = false, and the
harness's engine environment (PYTHONHASHSEED=0, single-threaded BLAS). --quick runs the first 2 of the
8 sessions. Warm cache: primed with the empty algorithm over the same symbols and days.
Figures (informational): loop seconds (warmup + data_load + stream, as everywhere here), the
algorithm time of the metrics file (the time spent in ZacQC's own code; n/a for a pylean that does not
record it) and the engine process's CPU seconds (user + system, whole process).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common as c

NAME = "zacqc"
SCENARIO = "reference"
QUICK_END = "2025-10-02"
ENGINE_ENV = {"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def setup(ctx: c.Context) -> tuple[Path, Path, dict[str, str], dict[str, str]]:
    """(project, data folder, parameters, empty-algorithm priming parameters) of the reference scenario."""
    from zacperf import datasource
    from zacperf.parameters import full_parameters
    from zacperf.scenarios import load_scenario

    scenario = load_scenario(SCENARIO)
    data = datasource.resolve(scenario, progress=ctx.log)
    params = full_parameters(scenario)
    params[scenario.flag] = "false"
    if ctx.quick:
        params["end_date"] = QUICK_END
    prime = {"tickers": ",".join(scenario.symbols), "start": params["start_date"].replace("-", ""),
             "end": params["end_date"].replace("-", ""), "resolution": scenario.resolution}
    return scenario.project, data.folder, params, prime


def run(ctx: c.Context) -> list[c.Result]:
    project, folder, params, prime = setup(ctx)
    series = c.measure(ctx, project, folder, params, floor=False, env=ENGINE_ENV, prime_with=prime)
    details = series.details()
    details["fills"] = series.runs[0].metrics.get("fills")

    def algorithm_s(r: c.Run) -> float:
        return float(r.metrics["algorithm_time_total_s"])

    has_algorithm = all("algorithm_time_total_s" in r.metrics for r in series.runs)
    days = "2d" if ctx.quick else "8d"
    return [c.info(NAME, f"zacqc_reference_off_{days}_loop", series.median(lambda r: r.loop_s), "s",
                   samples=series.samples(lambda r: r.loop_s), details=details),
            c.info(NAME, f"zacqc_reference_off_{days}_algorithm",
                   series.median(algorithm_s) if has_algorithm else None, "s",
                   samples=series.samples(algorithm_s) if has_algorithm else []),
            c.info(NAME, f"zacqc_reference_off_{days}_cpu", series.median(lambda r: r.cpu_s or 0.0), "s",
                   samples=series.samples(lambda r: r.cpu_s or 0.0))]


if __name__ == "__main__":
    sys.exit(c.standalone(run, __doc__))
