"""The sweep's outputs: results.csv, results.json, sweep-report.md (the ranked table) and heatmap.png."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

from zacperf import runs
from zacperf.env import utc_iso

CSV_STATS = ("End Equity", "Net Profit", "Sharpe Ratio", "Drawdown", "Total Orders", "Win Rate", "Compounding Annual Return")


def table_lines(results: list[dict[str, Any]], target: str, minimize: bool, top: int = 20) -> list[str]:
    names = list(results[0]["point"]) if results else []
    flag = any(r.get("flag_parity") is not None for r in results)
    lines = ["| # | " + " | ".join(names) + f" | {target} | feasible | orders | fills | wall s"
             + (" | flag parity" if flag else "") + " |",
             "|---:|" + "---|" * len(names) + "---:|---|---:|---:|---:|" + ("---|" if flag else "")]
    ordered = sorted(results, key=lambda r: (not r.get("feasible"), r.get("target") is None,
                                             (r.get("target") or 0) * (1 if minimize else -1), r["index"]))
    for r in ordered[:top]:
        value = "n/a" if r.get("target") is None else f"{r['target']:g}"
        parity = {True: "IDENTICAL", False: "DIVERGENT", None: "n/a"}[r.get("flag_parity")]
        lines.append(f"| {r['index']} | " + " | ".join(str(r["point"][n]) for n in names)
                     + f" | {value} | {'yes' if r.get('feasible') else 'no'} | {r.get('orders')} | {r.get('fills')} | "
                     f"{r.get('wall_s')}" + (f" | {parity}" if flag else "") + " |")
    return lines


def csv_text(results: list[dict[str, Any]]) -> str:
    names = list(results[0]["point"]) if results else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["index", *names, "target", "feasible", "orders", "fills", "wall_s", "flag_parity", "digest",
                     *CSV_STATS, "problems"])
    for r in sorted(results, key=lambda r: r["index"]):
        stats = r.get("statistics") or {}
        writer.writerow([r["index"], *(r["point"][n] for n in names), r.get("target"), r.get("feasible"),
                         r.get("orders"), r.get("fills"), r.get("wall_s"), r.get("flag_parity"), r.get("digest"),
                         *(stats.get(s, "") for s in CSV_STATS), "; ".join(r.get("problems") or [])])
    return out.getvalue()


def heatmap(results: list[dict[str, Any]], target: str, minimize: bool, path: Path) -> Path | None:
    """Target over the first two swept parameters (best over the others); one parameter: a single row."""
    names = list(results[0]["point"]) if results else []
    if not names or all(r.get("target") is None for r in results):
        return None
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    xs = list(dict.fromkeys(r["point"][names[0]] for r in results))
    ys = list(dict.fromkeys(r["point"][names[1]] for r in results)) if len(names) > 1 else [""]
    grid = np.full((len(ys), len(xs)), np.nan)
    pick = min if minimize else max
    for r in results:
        if r.get("target") is None:
            continue
        j, i = xs.index(r["point"][names[0]]), ys.index(r["point"][names[1]]) if len(names) > 1 else 0
        grid[i, j] = r["target"] if np.isnan(grid[i, j]) else pick(grid[i, j], r["target"])
    fig, ax = plt.subplots(figsize=(1.2 + 0.9 * len(xs), 1.5 + 0.6 * len(ys)))
    image = ax.imshow(grid, cmap="viridis_r" if minimize else "viridis", aspect="auto", origin="lower")
    for (i, j), value in np.ndenumerate(grid):
        if not np.isnan(value):
            ax.text(j, i, f"{value:.3g}", ha="center", va="center", color="white", fontsize=8)
    ax.set_xticks(range(len(xs)), xs)
    ax.set_yticks(range(len(ys)), ys)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1] if len(names) > 1 else "")
    ax.set_title(f"{target}" + (f" (best over {', '.join(names[2:])})" if len(names) > 2 else ""))
    fig.colorbar(image, ax=ax)
    fig.tight_layout()
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}.png")
    fig.savefig(tmp, dpi=90)
    plt.close(fig)
    os.replace(tmp, path)
    return path


def write_outputs(folder: Path, options: Any, results: list[dict[str, Any]], best: dict[str, Any] | None,
                  constraints: list[Any]) -> None:
    runs.write_text_atomic(folder / "results.csv", csv_text(results))
    runs.write_json_atomic(folder / "results.json", {"kind": "zacperf-sweep", "created_utc": utc_iso(),
                                                     "target": options.target, "minimize": options.minimize,
                                                     "constraints": [str(c) for c in constraints],
                                                     "best": best, "points": results})
    png = heatmap(results, options.target, options.minimize, folder / "heatmap.png") if options.plots else None
    where = "local" if not options.dask_scheduler else f"Dask {options.dask_scheduler}"
    lines = [f"# Sweep — {len(results)} point(s), {options.strategy}, {where}, jobs {options.jobs}", "",
             f"- target: {'minimize' if options.minimize else 'maximize'} {options.target}",
             f"- constraints: {', '.join(str(c) for c in constraints) or 'none'}",
             "- best: " + (", ".join(f"{k}={v}" for k, v in best["point"].items()) + f" -> {best['target']:g}"
                           if best else "no point satisfies the constraints"), ""]
    lines += table_lines(results, options.target, options.minimize)
    lines += ["", "Files: results.csv, results.json" + (", heatmap.png" if png else "") + ", points/<index>/", ""]
    runs.write_text_atomic(folder / "sweep-report.md", "\n".join(lines))
