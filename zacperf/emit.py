"""--emit-metrics: a CSV row per run, or StatsD gauges over UDP (statsd://host:port)."""
from __future__ import annotations

import csv
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from zacperf.env import locked
from zacperf.errors import ZacperfError

FIELDS = ("run_id", "created_utc", "scenario", "backend", "verdict", "repeats", "wall_s", "engine_s", "data_points",
          "data_points_per_s", "on_data_p50_us", "on_data_p95_us", "on_data_p99_us", "warmup_s", "peak_rss_bytes",
          "orders", "fills", "parameter_hash", "data_fingerprint", "git_commit")


def flat_row(doc: Mapping[str, Any], verdict: str) -> dict[str, Any]:
    head = doc["summary"]["headline"]
    on_data = head.get("on_data") or {}
    return {"run_id": doc["run_id"], "created_utc": doc["created_utc"], "scenario": doc["scenario"]["name"],
            "backend": doc["backend"]["name"], "verdict": verdict, "repeats": len(doc["runs"]),
            "wall_s": head.get("wall_s"), "engine_s": head.get("engine_s"), "data_points": head.get("data_points"),
            "data_points_per_s": head.get("data_points_per_s"), "on_data_p50_us": on_data.get("p50_us"),
            "on_data_p95_us": on_data.get("p95_us"), "on_data_p99_us": on_data.get("p99_us"),
            "warmup_s": head.get("warmup_s"), "peak_rss_bytes": head.get("peak_rss_bytes"),
            "orders": head.get("orders"), "fills": head.get("fills"),
            "parameter_hash": doc["scenario"]["parameter_hash"], "data_fingerprint": doc["scenario"]["data"]["fingerprint"],
            "git_commit": doc["provenance"]["git"]["commit"]}


def parse_target(target: str) -> tuple[str, Any]:
    """"csv" | "csv:PATH" | "statsd://host:port" -> (kind, detail)."""
    if target == "csv":
        return "csv", None
    if target.startswith("csv:"):
        return "csv", Path(target[4:])
    if target.startswith("statsd://"):
        url = urlparse(target)
        if not url.hostname or not url.port:
            raise ZacperfError(f"--emit-metrics {target}: expected statsd://host:port")
        return "statsd", (url.hostname, url.port)
    raise ZacperfError(f"--emit-metrics {target!r}: expected csv, csv:PATH or statsd://host:port")


def append_csv(path: Path, row: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", newline="", encoding="utf-8") as handle, locked(handle):
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        if handle.seek(0, os.SEEK_END) == 0:   # under the lock: one header even when two runs start the file
            writer.writeheader()
        writer.writerow({k: row.get(k) for k in FIELDS})


def statsd_lines(row: Mapping[str, Any]) -> list[str]:
    scenario = str(row["scenario"]).replace("/", ".").replace(" ", "_")
    lines = []
    for key in ("wall_s", "engine_s", "data_points_per_s", "on_data_p50_us", "on_data_p95_us", "on_data_p99_us",
                "warmup_s", "peak_rss_bytes", "orders", "fills"):
        value = row.get(key)
        if isinstance(value, (int, float)):
            lines.append(f"zacperf.{scenario}.{row['backend']}.{key}:{value:g}|g")
    return lines


def send_statsd(address: tuple[str, int], lines: list[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for line in lines:
            try:
                sock.sendto(line.encode(), address)
            except OSError as exc:
                raise ZacperfError(f"cannot send metrics to statsd://{address[0]}:{address[1]}: {exc}") from exc
