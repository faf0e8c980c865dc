"""Trend charts of the nightly history: one PNG per scenario and one static HTML page.

Panels per scenario: the time-loop floor and the engine-process floor (the gated times), data points/s,
OnData p95, step p95, warm-up, peak RSS (gated) and engine CPU time / calibration, one point per nightly
run (this machine's fingerprint first, other machines in grey). A regression flagged by the gate is a
red triangle on its panel and a red line across all panels; a parity failure is a black cross; a busy
night (time not judged) an open orange circle. Gated panels also show the baseline median (dashed) and
the factor limit (dotted). Built from history.jsonl only (never re-runs anything).
"""
from __future__ import annotations

import html
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from zacperf.env import utc_iso, write_text_atomic
from zacperf.nightly.baselines import scenario_slug

PANELS = (("loop_floor", "time-loop floor / calibration floor", 1.0),
          ("process_floor", "engine-process floor / calibration floor", 1.0),
          ("data_points_per_s", "data points/s (k)", 1e-3),
          ("on_data_p95_us", "OnData p95 (µs)", 1.0),
          ("step_p95_us", "step p95 (µs)", 1.0),
          ("warmup_s", "warm-up (s)", 1.0),
          ("peak_rss_bytes", "peak RSS (MiB)", 1 / 2 ** 20),
          ("cpu_norm", "engine CPU time / calibration", 1.0))
GATED = {"loop_floor": "loop_floor", "process_floor": "process_floor", "peak_rss_bytes": "peak_rss_bytes"}


def by_scenario(entries: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for entry in entries:
        if entry.get("scenario"):
            groups[str(entry["scenario"])].append(entry)
    return {k: sorted(v, key=lambda e: str(e.get("created_utc"))) for k, v in sorted(groups.items())}


def _flagged(entry: Mapping[str, Any], metric: str) -> bool:
    return any(g.get("metric") == metric and g.get("verdict") == "regression" for g in entry.get("gate") or [])


def _busy(entry: Mapping[str, Any]) -> bool:
    return any(g.get("verdict") == "busy" for g in entry.get("gate") or [])


def plot_scenario(name: str, entries: Sequence[Mapping[str, Any]], path: Path, fingerprint: str | None) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(4, 2, figsize=(11, 11), sharex=True)
    xs = list(range(len(entries)))
    labels = [str(e.get("created_utc", ""))[5:16].replace("T", " ") for e in entries]
    any_regression = [i for i, e in enumerate(entries) if any(g.get("verdict") == "regression"
                                                             for g in e.get("gate") or [])]
    broken = [i for i, e in enumerate(entries) if (e.get("parity") or "identical") != "identical"]
    for ax, (key, title, scale) in zip(axes.flat, PANELS):
        values = [(e.get("medians") or {}).get(key) for e in entries]
        mine = [(x, v * scale) for x, v, e in zip(xs, values, entries)
                if v is not None and (fingerprint is None or e.get("machine") == fingerprint)]
        busy = [(x, v * scale) for x, v, e in zip(xs, values, entries) if v is not None and _busy(e)]
        other = [(x, v * scale) for x, v, e in zip(xs, values, entries)
                 if v is not None and fingerprint is not None and e.get("machine") != fingerprint]
        if mine:
            ax.plot(*zip(*mine), "o-", color="tab:blue", markersize=4, label="this machine")
        if other:
            ax.plot(*zip(*other), "o", color="0.6", markersize=3, label="other machines")
        if busy:
            ax.plot(*zip(*busy), "o", markerfacecolor="white", markeredgecolor="tab:orange", markersize=7,
                    label="busy night (time not judged)")
        for i in any_regression:
            ax.axvline(i, color="tab:red", alpha=0.25, linewidth=3)
        if key in GATED:
            limits = [(x, g["baseline_median"] * scale, g["baseline_median"] * g["factor"] * scale)
                      for x, e in zip(xs, entries) for g in e.get("gate") or []
                      if g.get("metric") == key and g.get("baseline_median") is not None
                      and (fingerprint is None or e.get("machine") == fingerprint)]
            if limits:
                ax.step([x for x, _, _ in limits], [b for _, b, _ in limits], where="mid", color="0.4",
                        linestyle="--", linewidth=1, marker="_", markersize=14, label="baseline median")
                ax.step([x for x, _, _ in limits], [f for _, _, f in limits], where="mid", color="tab:red",
                        linestyle=":", linewidth=1, marker="_", markersize=14, label="factor limit")
            marks = [(x, v * scale) for x, v, e in zip(xs, values, entries) if v is not None and _flagged(e, key)]
            if marks:
                ax.plot(*zip(*marks), "^", color="tab:red", markersize=10, label="regression")
        for i in broken:
            if values[i] is not None:
                ax.plot(i, values[i] * scale, "x", color="black", markersize=10)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    every = max(1, len(xs) // 20)                      # at most ~20 date labels, however long the history
    for ax in axes[-1]:
        ax.set_xticks(xs[::every])
        ax.set_xticklabels(labels[::every], rotation=60, fontsize=7, ha="right")
    axes[0][0].legend(fontsize=7)
    fig.suptitle(f"nightly trend — {name} (UTC dates)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}.png")
    fig.savefig(tmp, dpi=90)
    plt.close(fig)
    os.replace(tmp, path)
    return path


def _gate_cell(entry: Mapping[str, Any], metric: str) -> str:
    for g in entry.get("gate") or []:
        if g.get("metric") == metric and g.get("ratio") is not None:
            cls = "bad" if g.get("verdict") == "regression" else ("good" if g.get("verdict") == "improvement" else "")
            return f'<td class="{cls}">{g["ratio"]:.3f} (p={g["p_value"]:.3f}) {html.escape(g["verdict"])}</td>'
    return "<td>n/a</td>"


def render(entries: Sequence[Mapping[str, Any]], folder: Path, fingerprint: str | None = None) -> Path:
    """Write folder/<scenario>.png for every scenario and folder/index.html; returns the page."""
    groups = by_scenario(entries)
    rows, images = [], []
    for name, group in groups.items():
        png = plot_scenario(name, group, folder / f"{scenario_slug(name)}.png", fingerprint)
        last = group[-1]
        rows.append(f"<tr><td>{html.escape(name)}</td><td>{html.escape(str(last.get('created_utc')))}</td>"
                    f"<td>{html.escape(str(last.get('commit', ''))[:10])}</td>"
                    f"<td>{html.escape(str(last.get('baseline_commit', ''))[:10])}</td>"
                    f"<td>{html.escape(str(last.get('parity')))}</td>"
                    f"{_gate_cell(last, 'loop_floor')}{_gate_cell(last, 'process_floor')}"
                    f"{_gate_cell(last, 'peak_rss_bytes')}"
                    f"<td>{len(group)}</td></tr>")
        images.append(f'<h2>{html.escape(name)}</h2><img src="{html.escape(png.name)}" alt="trend of '
                      f'{html.escape(name)}">')
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zacperf nightly trend</title>
<style>body{{font-family:sans-serif;margin:1.5em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:3px 8px;font-size:13px}}.bad{{background:#fdd}}.good{{background:#dfd}}
img{{max-width:100%}}</style></head><body>
<h1>zacperf nightly trend</h1>
<p>Generated {utc_iso()} from {len(entries)} history entries; machine {html.escape(fingerprint or 'any')}.
A regression needs the ratio beyond its factor <em>and</em> a p-value below alpha: the time floors (per chunk of
time steps, the fastest round) with a permutation test over rounds, peak RSS medians with Mann-Whitney.</p>
<table><tr><th>scenario</th><th>last run (UTC)</th><th>commit</th><th>baseline commit</th><th>parity</th>
<th>loop floor ratio</th><th>process floor ratio</th><th>peak RSS ratio</th><th>runs</th></tr>
{''.join(rows) or '<tr><td colspan="9">no nightly runs yet</td></tr>'}
</table>
{''.join(images)}
</body></html>
"""
    index = folder / "index.html"
    write_text_atomic(index, page)
    return index
