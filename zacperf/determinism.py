"""Determinism check: the same scenario run N times gives byte-identical normalized order events and statistics,
across cold and warm data caches and different PYTHONHASHSEED values.

Run i uses hash seed i % 2 and a data cache that is fresh (cold) for runs 0 and 3 and warm otherwise, so five
runs cover: cold/warm, warm/warm, seed 0/seed 1. Each run is a fresh `python -m pylean backtest` process.
What is compared: golden.sections_of()'s "order-events" and "statistics" (volatile ids and wall-clock
fields normalized away), serialized canonically and hashed.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from zacperf import datasource, golden
from zacperf.backends import RunRequest
from zacperf.backends.pylean import PyleanBackend
from zacperf.errors import ZacperfError
from zacperf.exit_codes import ExitCode
from zacperf.leanout import parse_folder
from zacperf.parameters import full_parameters
from zacperf.scenarios import load_scenario

COMPARED = ("order-events", "statistics")


@dataclass
class DeterminismRun:
    index: int
    hash_seed: int
    cache: str          # "cold" or "warm"
    digest: str
    order_events: int


@dataclass
class DeterminismReport:
    scenario: str
    runs: list[DeterminismRun] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return len({r.digest for r in self.runs}) == 1 and not self.differences

    def lines(self) -> list[str]:
        out = [f"run {r.index + 1}: PYTHONHASHSEED={r.hash_seed} cache={r.cache} order_events={r.order_events} "
               f"sha256={r.digest[:16]}" for r in self.runs]
        verdict = "IDENTICAL" if self.identical else "NONDETERMINISTIC"
        out.append(f"{verdict}: {len(self.runs)} runs of {self.scenario}, normalized order events and statistics")
        return out + [f"  {d}" for d in self.differences]


def canonical(sections: dict[str, Any]) -> bytes:
    return json.dumps({k: sections[k] for k in COMPARED}, sort_keys=True, separators=(",", ":")).encode()


def check(scenario_name: str, runs: int = 5, work_dir: Path | None = None,
          progress: Callable[[str], None] | None = None) -> DeterminismReport:
    if runs < 2:
        raise ZacperfError("--runs must be >= 2")
    scenario = load_scenario(scenario_name)
    params = full_parameters(scenario)
    data = datasource.resolve(scenario)
    backend = PyleanBackend()
    report = DeterminismReport(scenario.name)
    root = Path(tempfile.mkdtemp(prefix="zacperf-determinism-", dir=work_dir))
    first: dict[str, Any] | None = None
    try:
        for index in range(runs):
            cache = root / f"cache-{index // 3}"               # runs 0-2 share one cache, 3-4 another
            cold = not cache.exists()
            seed = index % 2
            run_dir = root / f"run{index}"
            request = RunRequest(project=scenario.project, data_folder=data.folder, parameters=params,
                                 run_dir=run_dir, label=f"run{index}", algorithm_id="determinism",
                                 timeout_s=scenario.timeout_s)
            outcome = backend.run_with_env(request, {"PYTHONHASHSEED": str(seed), "PYLEAN_CACHE_DIR": str(cache)})
            if outcome.problems:
                raise ZacperfError(f"determinism run {index + 1} failed: {outcome.problems[0]}",
                                   exit_code=outcome.failure_code or ExitCode.ENGINE_FAULT)
            sections = golden.sections_of(parse_folder(request.output))
            blob = canonical(sections)
            report.runs.append(DeterminismRun(index, seed, "cold" if cold else "warm",
                                              hashlib.sha256(blob).hexdigest(), len(sections["order-events"])))
            if progress is not None:
                progress(report.lines()[-2] if len(report.runs) > 1 else report.lines()[0])
            if first is None:
                first = sections
            elif blob != canonical(first):
                diff = golden.diff({k: first[k] for k in COMPARED}, {k: sections[k] for k in COMPARED})
                report.differences += [f"run {index + 1} vs run 1:"] + golden.format_report(diff, first)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return report
