"""A machine fingerprint for per-machine perf baselines, and where the nightly job keeps its files.

Timing baselines are only comparable on the same kind of machine: the fingerprint hashes what
sets the speed of interpreter-bound code (CPU model, core count, memory size rounded to GiB,
OS and architecture, Python's implementation and minor version), not the host name, so identical
CI runners share one baseline and a different runner type gets its own.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import sys
from pathlib import Path
from typing import Any

from zacperf.env import cpu_model, data_dir, machine_info


def fingerprint_facts() -> dict[str, Any]:
    info = machine_info()
    memory = info.get("memory_bytes")
    return {"cpu_model": cpu_model(), "cpu_count": os.cpu_count(),
            "memory_gib": round(memory / 2 ** 30) if isinstance(memory, int) else None,
            "system": platform.system(), "machine": platform.machine(),
            "python": f"{sys.implementation.name}-{sys.version_info.major}.{sys.version_info.minor}"}


def machine_fingerprint(facts: dict[str, Any] | None = None) -> str:
    """"<readable slug>-<12 hex>", e.g. "intel-xeon-2c-3f9a0c1d2b4e": safe as a folder name."""
    facts = facts or fingerprint_facts()
    digest = hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:12]
    words = re.findall(r"[a-z0-9]+", str(facts.get("cpu_model") or "cpu").lower())
    slug = "-".join(w for w in words if w not in {"r", "tm", "cpu", "processor", "with", "core"})[:32].strip("-")
    return f"{slug or 'cpu'}-{facts.get('cpu_count')}c-{digest}"


def nightly_home() -> Path:
    """$ZACPERF_NIGHTLY_DIR, default <$ZACPERF_DATA_DIR>/nightly (outside the repository).

    It holds perf-baselines/<fingerprint>/<scenario>.json, history.jsonl and trend/ (the charts and
    index.html). CI keeps it between runs with a cache; nothing in it is committed.
    """
    env = os.environ.get("ZACPERF_NIGHTLY_DIR")
    return Path(env).expanduser().resolve() if env else data_dir() / "nightly"
