"""Human output built from a metrics document: console summary, test-report.md and PNG plots.

Reads only the metrics dict and the run folder's Lean files (asv's rule: reports never re-run).
matplotlib is imported lazily, with the Agg backend.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from pathlib import Path
from typing import Any


def _num(value: Any, fmt: str = ",.0f", unit: str = "") -> str:
    if not isinstance(value, (int, float)):
        return "n/a"
    return f"{format(value, fmt)}{unit}"


def _us(value: Any) -> str:
    if not isinstance(value, (int, float)):
        return "n/a"
    return f"{value / 1000:.2f} ms" if value >= 1000 else f"{value:.1f} µs"


def _mib(value: Any) -> str:
    return f"{value / 2 ** 20:,.1f} MiB" if isinstance(value, (int, float)) else "n/a"


def percentiles(summary: Mapping[str, Any] | None) -> str:
    if not summary or not summary.get("count"):
        return "n/a"
    return f"p50 {_us(summary.get('p50_us'))}  p95 {_us(summary.get('p95_us'))}  p99 {_us(summary.get('p99_us'))}"


def latency_line(summary: Mapping[str, Any] | None, unit: str = "calls") -> str:
    if not summary or not summary.get("count"):
        return "n/a (no samples from the engine)"
    return f"{percentiles(summary)}  max {_us(summary.get('max_us'))}  ({summary['count']:,} {unit})"


def algorithm_time_line(head: Mapping[str, Any]) -> str:
    """Per-step percentiles of the time spent in the project's own code, and its share of all step time."""
    summary = head.get("algorithm_time")
    total, steps = head.get("algorithm_time_total_s"), head.get("step_time_total_s")
    if not summary or not summary.get("count") or not isinstance(total, (int, float)):
        return "n/a (no samples from the engine)"
    share = f" ({total / steps * 100:.1f} % of step time)" if isinstance(steps, (int, float)) and steps > 0 else ""
    return f"{percentiles(summary)}  total {total:.3f} s{share}"


def ratio_text(speed: Mapping[str, Any] | None) -> str:
    """A paired off/on ratio with its range and rank-test p-value."""
    if not speed or speed.get("median_speedup") is None:
        return "n/a (no pairs with this figure)"
    p_value = speed.get("p_value")
    p_text = f"Mann-Whitney p {p_value:.3f}" if p_value is not None else "p n/a with < 3 pairs"
    return (f"{speed['median_speedup']:.3f}x over {speed['pairs']} pair(s)  "
            f"(min {speed['min']:.3f}x, max {speed['max']:.3f}x, {p_text})")


def flag_lines(doc: Mapping[str, Any]) -> list[str]:
    """--compare-flag: the paired off/on ratios, then step and algorithm time of both settings side by side."""
    flag = doc["flag"]
    off, on = doc["summary"]["headline"], (doc.get("summary_on") or {}).get("headline") or {}
    lines = [f"  {flag['name']}    off -> on median paired speedup (off/on, > 1 = faster with the flag); "
             f"parity {'IDENTICAL' if flag['parity_identical'] else 'DIVERGENT'}",
             f"    algorithm time   {ratio_text(flag.get('algorithm_time'))}",
             f"    wall clock       {ratio_text(flag.get('wall_clock'))}"]
    for key, label in (("time_step", "time step"), ("algorithm_time", "algorithm time")):
        lines.append(f"    {label:<16} off {percentiles(off.get(key))}  |  on {percentiles(on.get(key))}")
    return lines


def warmup_line(run: Mapping[str, Any]) -> str:
    warm = run.get("warmup") or {}
    parts = warm.get("parts") or {}
    if warm.get("total_s") is None:
        return "n/a"
    names = (("startup", "start-up"), ("initialize", "initialize"), ("warmup", "warm-up"), ("first_slice", "first slice"))
    inner = " + ".join(f"{label} {parts[key]:.3f}" for key, label in names if isinstance(parts.get(key), (int, float)))
    return f"{warm['total_s']:.3f} s  ({inner})"


def summary_lines(doc: Mapping[str, Any]) -> list[str]:
    """The console block for one scenario (the last line is the verdict)."""
    scenario, head = doc["scenario"], doc["summary"]["headline"]
    runs = doc["runs"]
    first = runs[0] if runs else {}
    spread = doc["summary"]["spread"].get("wall_s") or {}
    phases = first.get("phases_s") or {}
    phase_text = ", ".join(f"{k} {v:.3f}" for k, v in phases.items() if isinstance(v, (int, float)))
    lines = [(f"zacperf {scenario['name']} — {doc['backend']['name']} {doc['backend'].get('engine_version') or ''}, "
             f"{len(runs)} run(s), {scenario['data']['source']} data {scenario['data']['fingerprint'][:19]}…"),
             f"  run folder         {doc['run_folder']}",
             f"  wall time          {_num(head.get('wall_s'), '.3f', ' s')}"
             + (f"  (spread {spread.get('spread_pct'):.1f} % over {spread['n']} runs)"
                if spread.get("n", 0) > 1 and spread.get("spread_pct") is not None else ""),
             f"  phases (run 1)     {phase_text or 'n/a'}",
             (f"  data points        {_num(head.get('data_points'))} at {_num(head.get('data_points_per_s'))} "
             "data points/s"),
             f"  OnData latency     {latency_line(head.get('on_data'))}",
             f"  time step          {latency_line(head.get('time_step'), 'steps')}",
             f"  algorithm time     {algorithm_time_line(head)}",
             f"  warm-up time       {warmup_line(first)}"]
    history = first.get("history") or {}
    if history.get("requests") is not None:
        lines.append(f"  history            {history['requests']} request(s), {_num(history.get('seconds'), '.3f', ' s')}"
                     f", {_num(history.get('data_points'))} data points")
    memory = first.get("memory") or {}
    lines.append(f"  peak RSS           {_mib(head.get('peak_rss_bytes'))}  ({memory.get('source', 'n/a')})")
    lines.append(f"  orders / fills     {_num(head.get('orders'))} / {_num(head.get('fills'))}")
    stages = first.get("stages")
    if stages and stages.get("aggregate"):
        top = sorted(stages["aggregate"].items(), key=lambda kv: -(kv[1].get("total_us") or 0))[:4]
        lines.append(f"  stages ({stages['source']})  " + ", ".join(
            f"{name} {_us(s.get('p95_us') or s.get('mean_us'))}{' p95' if s.get('p95_us') is not None else ' avg'}"
            for name, s in top))
    if doc.get("flag"):
        lines.extend(flag_lines(doc))
    lines.extend(warnings(doc))
    for problem in doc["scenario_check"]["problems"]:
        lines.append(f"  CHECK FAILED: {problem}")
    regression = doc.get("regression")
    if regression:
        lines.append(f"  {regression['message']}")
    lines.extend(doc["parity"].get("details") or [])
    lines.append(doc["parity"]["headline"])
    return lines


def warnings(doc: Mapping[str, Any]) -> list[str]:
    """Reported, not gated: the OnData SLO, and data files the engine looked for and did not find (R-12)."""
    out = []
    slo = (doc["scenario"].get("thresholds") or {}).get("on_data_p95_us")
    p95 = (doc["summary"]["headline"].get("on_data") or {}).get("p95_us")
    if isinstance(slo, (int, float)) and isinstance(p95, (int, float)) and p95 > slo:
        out.append(f"  SLO: OnData p95 {_us(p95)} exceeds {_us(slo)} (reported, not gated)")
    first = doc["runs"][0] if doc["runs"] else {}
    missing = (first.get("lean_log") or {}).get("missing_data") or []
    if missing:
        kinds = {"quote": sum("_quote" in m for m in missing), "trade": sum("_trade" in m for m in missing)}
        kinds["other"] = len(missing) - kinds["quote"] - kinds["trade"]
        days = first.get("missing_days") or []
        on_days = f" on {len(days)} day(s): {', '.join(days[:5])}{' ...' if len(days) > 5 else ''}" if days else ""
        out.append(f"  missing data files  {len(missing)} ("
                   + ", ".join(f"{n} {k}" for k, n in kinds.items() if n) + f"){on_days}; listed in the engine log")
    return out


def test_report(doc: Mapping[str, Any], command: str) -> str:
    head = doc["summary"]["headline"]
    scenario = doc["scenario"]
    out = [f"# Test report — {scenario['name']} ({doc['run_id']})", "",
           f"- Created (UTC): {doc['created_utc']}", f"- Command: `{command}`",
           f"- Backend: {doc['backend']['name']} {doc['backend'].get('engine_version') or ''}",
           (f"- Scenario: {len(scenario['symbols'])} symbol(s) {', '.join(scenario['symbols'][:15])}; "
           f"{scenario['start']}..{scenario['end']}; {scenario['resolution']}; cash {scenario['cash']:,.0f}"),
           f"- Data: {scenario['data']['source']} `{scenario['data']['fingerprint']}`",
           f"- Parameters: `{scenario['parameter_hash']}`"
           + (f" (overrides: {', '.join(f'{k}={v}' for k, v in scenario['overrides'])})" if scenario["overrides"] else ""),
           f"- Git: {doc['provenance']['git']['commit']}{' (dirty)' if doc['provenance']['git'].get('dirty') else ''}",
           f"- Exit code: {doc['exit_code']}", "", "## Verdict", "", f"**{doc['parity']['headline']}**", ""]
    out += [f"    {line.strip()}" for line in doc["parity"].get("details") or []]
    out += ["", "## Headline (median over runs)", "", "| metric | value |", "|---|---|",
            f"| wall time | {_num(head.get('wall_s'), '.3f', ' s')} |",
            f"| engine time | {_num(head.get('engine_s'), '.3f', ' s')} |",
            f"| data points | {_num(head.get('data_points'))} |",
            f"| data points/s | {_num(head.get('data_points_per_s'))} |",
            f"| OnData | {latency_line(head.get('on_data'))} |",
            f"| time step | {latency_line(head.get('time_step'), 'steps')} |",
            f"| algorithm time | {algorithm_time_line(head)} |",
            f"| warm-up time | {warmup_line(doc['runs'][0]) if doc['runs'] else 'n/a'} |",
            f"| peak RSS | {_mib(head.get('peak_rss_bytes'))} |",
            f"| orders / fills | {_num(head.get('orders'))} / {_num(head.get('fills'))} |", "",
            "## Runs", "",
            "| run | exit | status | wall s | engine s | algorithm s | data points/s | OnData p95 | peak RSS |",
            "|---|---|---|---|---|---|---|---|---|"]
    for run in doc["runs"]:
        out.append(f"| {run['label']} | {run['exit_code']} | {run.get('status')} | {_num(run.get('wall_s'), '.3f')} | "
                   f"{_num(run.get('engine_s'), '.3f')} | {_num(run.get('algorithm_time_total_s'), '.3f')} | "
                   f"{_num(run.get('data_points_per_s'))} | "
                   f"{_us((run.get('on_data') or {}).get('p95_us'))} | "
                   f"{_mib((run.get('memory') or {}).get('peak_rss_bytes'))} |")
    if doc.get("flag"):
        out += ["", f"## Flag comparison ({doc['flag']['name']} off -> on)", ""]
        out += [f"  {line}" for line in flag_lines(doc)]  # an indented block: the columns line up
    out += ["", "## Scenario check", ""]
    problems = doc["scenario_check"]["problems"]
    out += [f"- {p}" for p in problems] or ["- ran what the scenario file says (symbols, dates, data points)"]
    if doc.get("regression"):
        out += ["", "## Performance regression", "", f"- {doc['regression']['message']}"]
    out += ["", "## Files", "", "- `metrics.json`, `stdout.log`, `stderr.log`, `command.txt`",
            "- `<run>/output/`: Lean result files; `<run>/engine-*.log`",
            "- plots: `ondata-latency.png`, `stage-breakdown.png`, `equity-curve.png`", ""]
    return "\n".join(out)


# ----------------------------------------------------------------------------- plots

def write_plots(doc: Mapping[str, Any], folder: Path, equity: list[list[float]]) -> list[str]:
    """The three PNGs; returns the names written (a plot without data is skipped)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    written = []
    first = doc["runs"][0] if doc["runs"] else {}
    histogram = ((first.get("on_data") or {}).get("histogram") or {})
    if histogram.get("counts") and sum(histogram["counts"]):
        edges, counts = list(histogram["edges_us"]), list(histogram["counts"])
        used = [i for i, c in enumerate(counts) if c]
        lo, hi = used[0], used[-1] + 1                        # trim the empty buckets at both ends
        edges, counts = edges[lo: hi + 1], counts[lo:hi]
        if edges[0] <= 0:
            edges[0] = edges[1] / 2                          # a log axis cannot start at 0
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.stairs(counts, edges, fill=True)
        ax.set_xscale("log")
        for key, style in (("p50_us", ":"), ("p95_us", "--"), ("p99_us", "-.")):
            value = (first.get("on_data") or {}).get(key)
            if isinstance(value, (int, float)) and value > 0:
                ax.axvline(value, linestyle=style, color="black", label=f"{key[:-3]} {_us(value)}")
        ax.set_xlabel("OnData latency (µs, log scale)")
        ax.set_ylabel("calls")
        ax.set_title(f"{doc['scenario']['name']}: OnData latency")
        ax.legend()
        _save(fig, folder / "ondata-latency.png", plt)
        written.append("ondata-latency.png")
    stages = (first.get("stages") or {}).get("aggregate") or {}
    bars = {name: (s.get("total_us") or 0) / 1e6 for name, s in stages.items() if name != "total"}
    label = "algorithm stages (PERF_JSON, total s)"
    inside = (stages.get("total") or {}).get("total_us")
    stream = (first.get("phases_s") or {}).get("stream")
    if isinstance(inside, (int, float)) and isinstance(stream, (int, float)) and stream > inside / 1e6:
        bars["outside the stages (engine, dispatch)"] = stream - inside / 1e6      # R-6: the fixed floor
    if not any(bars.values()):
        bars = {k: v for k, v in (first.get("phases_s") or {}).items() if isinstance(v, (int, float))}
        label = "engine phases (s)"
    if bars:
        fig, ax = plt.subplots(figsize=(7, 4))
        names = list(bars)
        ax.barh(names, [bars[n] for n in names])
        ax.set_xlabel("seconds")
        ax.set_title(f"{doc['scenario']['name']}: {label}")
        _save(fig, folder / "stage-breakdown.png", plt)
        written.append("stage-breakdown.png")
    points = [(p[0], p[-1]) for p in equity if len(p) >= 2 and p[0] is not None]
    if points:
        from datetime import datetime
        fig, ax = plt.subplots(figsize=(7, 4))
        times = [datetime.fromtimestamp(t, tz=UTC) for t, _ in points]
        ax.plot(times, [v for _, v in points])  # type: ignore[arg-type]
        ax.set_ylabel("equity")
        ax.set_title(f"{doc['scenario']['name']}: equity curve")
        fig.autofmt_xdate()
        _save(fig, folder / "equity-curve.png", plt)
        written.append("equity-curve.png")
    return written


def _save(fig: Any, path: Path, plt: Any) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
