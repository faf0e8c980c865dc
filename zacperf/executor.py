"""Run many independent tasks (each one engine process) locally in a bounded pool or on a Dask cluster.

Locally, `jobs` is capped at the cores this process may use (`os.sched_getaffinity`), so a batch
never runs more engine processes than cores; `jobs=1` runs serially, in order, which is what
timing measurements need. With `dask_scheduler="tcp://HOST:PORT"` the tasks go to an existing
dask.distributed cluster (start its workers with `--nthreads 1`, one per core, so each worker runs
one engine process at a time). A task is a module-level function of a JSON-able payload that
returns a JSON-able dict; everything it reads (repository, data folder, caches) is shared by path,
so the workers need the same paths (a shared file system or identical machines).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from zacperf.errors import ZacperfError

Task = Callable[[dict[str, Any]], dict[str, Any]]


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:            # macOS, Windows
        return os.cpu_count() or 1


def bounded_jobs(jobs: int) -> int:
    if jobs < 1:
        raise ZacperfError(f"--jobs must be >= 1 (got {jobs})")
    return min(jobs, available_cores())


def _bar(total: int, label: str, enabled: bool) -> Any:
    from tqdm import tqdm
    return tqdm(total=total, desc=label, unit="run", file=sys.stderr, disable=not enabled or total < 2,
                dynamic_ncols=True)


def run_tasks(task: Task, payloads: Sequence[dict[str, Any]], jobs: int = 1, dask_scheduler: str | None = None,
              label: str = "runs", progress: bool = True) -> list[dict[str, Any]]:
    """The task's result for every payload, in the payloads' order."""
    if dask_scheduler:
        return _run_dask(task, payloads, dask_scheduler, label, progress)
    workers = bounded_jobs(jobs)
    results: list[dict[str, Any] | None] = [None] * len(payloads)
    with _bar(len(payloads), label, progress) as bar:
        if workers == 1:
            for i, payload in enumerate(payloads):
                results[i] = task(payload)
                bar.update(1)
        else:
            # threads only wait on the engine subprocesses; the pool size bounds those processes
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zacperf-job") as pool:
                futures = {pool.submit(task, payload): i for i, payload in enumerate(payloads)}
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
                    bar.update(1)
    return [r for r in results if r is not None]


def _run_dask(task: Task, payloads: Sequence[dict[str, Any]], address: str, label: str,
              progress: bool) -> list[dict[str, Any]]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:
        raise ZacperfError('--dask-scheduler needs dask.distributed: pip install -e ".[dask]"') from exc
    if not address.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise ZacperfError(f"--dask-scheduler wants an address like tcp://HOST:PORT, got {address!r}")
    try:
        client = Client(address, timeout="15s")
    except (OSError, TimeoutError) as exc:
        raise ZacperfError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        futures = client.map(task, list(payloads), pure=False)
        with _bar(len(futures), label, progress) as bar:
            for _ in dask_completed(futures):
                bar.update(1)
        return list(client.gather(futures))
    finally:
        client.close()
