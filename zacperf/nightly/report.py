"""The nightly run folder's report: nightly-report.md (read this) and nightly.json (the same, as data)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from zacperf import runs
from zacperf.exit_codes import ExitCode

VERDICTS = {ExitCode.OK: "OK", ExitCode.DIVERGENT: "DIVERGENT", ExitCode.BAD_INPUT: "BAD INPUT",
            ExitCode.ALGORITHM_ERROR: "ALGORITHM ERROR", ExitCode.PERF_REGRESSION: "PERF REGRESSION",
            ExitCode.ENGINE_FAULT: "ENGINE FAULT"}


def _fmt(value: float | None, spec: str) -> str:
    return format(value, spec) if isinstance(value, (int, float)) else "n/a"


def _busy_line(options: Any, calibrations: list[dict[str, float]]) -> str:
    from zacperf.nightly.samples import machine_speed

    if not calibrations:
        return "- machine: no calibration"
    busy = machine_speed(calibrations)["busy"]
    if busy > options.busy_limit:
        return (f"- machine BUSY: calibration wall median / fastest CPU piece {busy:.2f} > {options.busy_limit:.2f}: time is "
                "not judged tonight and no perf baseline is recorded; run again when the machine is quiet")
    return f"- machine quiet enough: calibration wall median / fastest CPU piece {busy:.2f} (limit {options.busy_limit:.2f})"


def write_report(folder: runs.RunFolder, options: Any, outcomes: list[tuple[Any, int, list[Any]]],
                 calibrations: list[dict[str, float]], fingerprint: str, git: dict[str, Any], exit_code: int, page: Path,
                 entries: list[dict[str, Any]]) -> Path:
    mode = "perf baseline refresh" if options.record_baseline else "nightly check"
    lines = [f"# zacperf {mode} — {VERDICTS.get(exit_code, exit_code)} (exit {exit_code})", "",
             f"- commit {git.get('commit', 'unknown')[:12]}{' (dirty)' if git.get('dirty') else ''}, "
             f"machine {fingerprint}",
             f"- rule: regression when the ratio passes its factor AND its test gives p < {options.alpha:g}: "
             f"time-loop floor > {options.factor:.2f}, engine-process floor > {options.process_factor:.2f} "
             f"(permutation test over rounds), median peak RSS > {options.rss_factor:.2f} (Mann-Whitney); "
             f"{options.repeats} rounds, each a calibration then every scenario once",
             _busy_line(options, calibrations),
             "- calibration CPU s (median piece): " + ", ".join(f"{c['cpu_seconds']:.4f}" for c in calibrations)
             + "; fastest piece: " + ", ".join(f"{c.get('cpu_seconds_min', 0):.4f}" for c in calibrations)
             + "; wall s: " + ", ".join(f"{c['seconds']:.4f}" for c in calibrations), "",
             "| scenario | runs | parity | metric | ratio | p-value | verdict | baseline commit → commit |",
             "|---|---:|---|---|---:|---:|---|---|"]
    for (target, code, gates), entry in zip(outcomes, entries):
        base_commit = str(entry.get("baseline_commit") or "—")[:10]
        head = f"| {target.scenario.name} | {len(target.samples)} | {entry['parity']} "
        if not gates:
            note = "not judged"
            if options.record_baseline:
                note = "recorded as perf baseline" if code == ExitCode.OK else "not recorded"
            lines.append(head + f"| — | — | — | {VERDICTS.get(code, code)}: {note} | — |")
        for gate in gates:
            lines.append(head + f"| {gate.metric} | {_fmt(gate.ratio, '.3f')} | {_fmt(gate.p_value, '.4f')} | "
                         f"{gate.verdict} | {base_commit} → {str(git.get('commit'))[:10]} |")
    lines += ["", "Medians per scenario:", "",
              "| scenario | loop floor | process floor | CPU/calib | wall/calib | CPU s | engine s | data points/s | OnData p95 µs | step p95 µs | warm-up s | peak RSS MiB |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for entry in entries:
        m = entry["medians"]
        rss = m.get("peak_rss_bytes")
        lines.append(f"| {entry['scenario']} | {_fmt(m.get('loop_floor'), '.3f')} | "
                     f"{_fmt(m.get('process_floor'), '.3f')} | {_fmt(m.get('cpu_norm'), '.3f')} | {_fmt(m.get('time_norm'), '.3f')} | "
                     f"{_fmt(m.get('cpu_s'), '.3f')} | {_fmt(m.get('engine_s'), '.3f')} | "
                     f"{_fmt(m.get('data_points_per_s'), ',.0f')} | {_fmt(m.get('on_data_p95_us'), '.1f')} | "
                     f"{_fmt(m.get('step_p95_us'), '.1f')} | {_fmt(m.get('warmup_s'), '.3f')} | "
                     f"{_fmt(rss / 2 ** 20 if rss else None, '.1f')} |")
    lines += ["", f"Trend page: {page}", "Scenario runs (harness run folders): runs/", ""]
    path = folder.path / "nightly-report.md"
    runs.write_text_atomic(path, "\n".join(lines))
    runs.write_json_atomic(folder.path / "nightly.json", {
        "kind": "zacperf-nightly-run", "exit_code": exit_code, "mode": mode, "machine": fingerprint, "git": git,
        "calibration_s": calibrations, "factor": options.factor, "process_factor": options.process_factor, "rss_factor": options.rss_factor,
        "alpha": options.alpha, "entries": entries,
        "samples": {t.scenario.name: t.samples for t, _, _ in outcomes}})
    return path
