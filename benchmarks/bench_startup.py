"""Process start to the first on_data, warm cache: the metrics file's
`process_start_to_first_on_data_s` (process start from /proc, so interpreter start-up and every
import count), 15 symbols of second data, one session. Target: <= 1.5 s.
Also shown: the `startup` phase alone (process start to the launcher running) and which heavy
modules (pandas, scipy, matplotlib, pyarrow) were already imported at the first on_data; an
algorithm that does not use pandas must not pay for importing it (target: pandas not loaded).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common as c

NAME = "startup"
TARGET_S = 1.5


def parameters() -> dict[str, str]:
    return {"tickers": ",".join(c.REAL_TICKERS), "start": c.REAL_FIRST, "end": c.REAL_FIRST, "resolution": "second"}


def run(ctx: c.Context) -> list[c.Result]:
    series = c.measure(ctx, "startup_algorithm.py", ctx.data_folder, parameters(), floor=False)
    first = series.median(lambda r: r.metrics["process_start_to_first_on_data_s"])
    loaded = sorted({name for r in series.runs for line in r.bench for name in line.get("heavy_modules_loaded", [])})
    return [c.at_most(NAME, "start_to_first_on_data_warm", first, "s", TARGET_S,
                      samples=series.samples(lambda r: r.metrics["process_start_to_first_on_data_s"]),
                      details=series.details()),
            c.info(NAME, "startup_phase_imports", series.median(lambda r: r.phase("startup")), "s",
                   samples=series.samples(lambda r: r.phase("startup"))),
            c.Result(NAME, "heavy_modules_at_first_on_data", float(len(loaded)), "modules", "pandas not loaded",
                     "pandas" not in loaded, details={"loaded": loaded})]


if __name__ == "__main__":
    sys.exit(c.standalone(run, __doc__))
