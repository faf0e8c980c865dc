"""How a harness run folder records a run that did not end normally: interrupted, failed, or a zacperf fault.

The harness (zacperf/harness.py) and the sweep use these so that every ending leaves a run folder that says
what happened, with the exit code of README "Exit codes".
"""
from __future__ import annotations

from typing import Any

from zacperf.env import utc_iso
from zacperf.exit_codes import ExitCode, one_line
from zacperf.runs import RunFolder, write_json_atomic, write_text_atomic
from zacperf.verdict import Parity


def mark_interrupted(doc: dict[str, Any], signal_name: str, repeats: int) -> None:
    """An interrupted run's metrics: what finished, marked Stopped; nothing compared or recorded."""
    done = len(doc["runs"])
    parity = Parity("interrupted", f"INTERRUPTED by {signal_name} after {done} of {repeats} run(s): nothing was "
                    "compared and no baseline was written", ExitCode.INTERRUPTED)
    doc["parity"], doc["status"], doc["interrupted"] = parity.as_dict(), "Stopped", signal_name
    doc["scenario_check"] = {"ok": False, "problems": [f"interrupted by {signal_name}"]}
    doc["exit_code"] = int(ExitCode.INTERRUPTED)


def failure_line(doc: dict[str, Any]) -> str:
    """The one stderr line of a scenario whose runs failed: the verdict and the first problem."""
    headline = doc["parity"]["headline"].removeprefix("ERROR: ")
    problems = doc.get("scenario_check", {}).get("problems") or []
    if problems and problems[0] not in headline:
        headline += f" ({problems[0]})"
    return one_line(f"{doc['scenario']['name']}: {headline}")


def contain_fault(run: RunFolder, stdout: str, stderr: str, trace: str) -> None:
    """A fault inside zacperf after the run folder was made: keep the logs and a metrics.json marked failed."""
    try:
        doc = {"kind": "zacperf-metrics", "run_id": run.run_id, "created_utc": utc_iso(), "status": "RuntimeError",
               "exit_code": int(ExitCode.ENGINE_FAULT), "parity": {"verdict": "error", "headline":
                                                                   "ERROR: a fault inside zacperf (see traceback)"},
               "traceback": trace}
        write_json_atomic(run.path / "metrics.json", doc)
        write_text_atomic(run.path / "stdout.log", stdout)
        write_text_atomic(run.path / "stderr.log", stderr + trace)
    except (OSError, TypeError, ValueError):
        pass  # the fault itself is reported on stderr by the caller; nothing more can be saved
