"""One sweep point: a fresh pylean process with the point's full parameter set (and, with the flag
comparison, a second one with the flag on), reduced to plain data. Runs on a Dask worker as well:
everything it needs comes in the payload, by path."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from zacperf.backends.base import RunRequest
from zacperf.errors import ZacperfError


def _run(payload: dict[str, Any], parameters: dict[str, str], label: str) -> tuple[dict[str, Any], Any]:
    from zacperf.backends.pylean import PyleanBackend
    from zacperf.leanout import parse_folder

    run_dir = Path(payload["run_dir"]) / label
    request = RunRequest(project=Path(payload["project"]), data_folder=Path(payload["data_folder"]),
                         parameters=parameters, run_dir=run_dir, label=label,
                         algorithm_id=f"sweep-{payload['index']:04d}-{label}", timeout_s=payload["timeout_s"])
    outcome = PyleanBackend(payload.get("python") or "python3").run(request)
    run: dict[str, Any] = {"exit_code": outcome.process.exit_code, "wall_s": round(outcome.process.wall_s, 3),
                           "problems": list(outcome.problems)}
    try:
        result = parse_folder(outcome.output)
    except ZacperfError as exc:
        run["problems"].append(str(exc))
        return run, None
    if result.state.get("RuntimeError"):
        run["problems"].insert(0, "algorithm error: " + str(result.state["RuntimeError"]).strip().splitlines()[0])
    return run, result


def _digest(sections: dict[str, Any]) -> str:
    blob = json.dumps(sections, sort_keys=True, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()


def run_point(payload: dict[str, Any]) -> dict[str, Any]:
    """The point's statistics, orders, fills, a digest of its trades and (with a flag) flag parity."""
    from zacperf import golden
    from zacperf.verdict import repeats_agree

    flag = payload.get("flag")
    parameters = dict(payload["parameters"])
    if flag:
        parameters[flag] = "false"
    run, result = _run(payload, parameters, "off" if flag else "run")
    point: dict[str, Any] = {"index": payload["index"], "point": payload["point"], **run, "statistics": {},
                             "orders": None, "fills": None, "digest": None, "flag_parity": None, "difference": None}
    if result is None:
        return point
    sections = golden.sections_of(result)
    point.update(statistics=dict(result.statistics), orders=result.order_count, fills=result.fills,
                 digest=_digest(sections))
    if flag and not run["problems"]:
        on_run, on_result = _run(payload, {**parameters, flag: "true"}, "on")
        point["wall_s_on"] = on_run["wall_s"]
        point["problems"] += [f"flag on: {p}" for p in on_run["problems"]]
        if on_result is not None:
            report = repeats_agree([sections, golden.sections_of(on_result)])
            point["flag_parity"] = report is None
            if report is not None:
                point["difference"] = (golden.format_report(report, sections) or ["differs"])[0].strip()
    return point
