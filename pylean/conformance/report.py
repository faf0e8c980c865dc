"""The conformance report: one row per class, the commonest error causes, the statistics that differ most
often, and the JSON file."""
from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pylean.conformance.compare import DIFFERS, ERROR, MATCH, TIMEOUT
from pylean.conformance.runner import AlgorithmResult

COLUMNS = ("class", "algorithms", "matches", "statistic differences", "errors", "timeouts", "match rate")


def class_rows(results: Sequence[AlgorithmResult]) -> list[dict[str, Any]]:
    """Counts per class in first-seen order, then an "all" row when there is more than one class."""
    classes = list(dict.fromkeys(r.klass for r in results))
    rows = [_row(name, [r for r in results if r.klass == name]) for name in classes]
    if len(classes) > 1:
        rows.append(_row("all", list(results)))
    return rows


def _row(name: str, results: Sequence[AlgorithmResult]) -> dict[str, Any]:
    counts = Counter(r.outcome for r in results)
    total = len(results)
    return {"class": name, "algorithms": total, "matches": counts[MATCH], "statistic differences": counts[DIFFERS],
            "errors": counts[ERROR], "timeouts": counts[TIMEOUT],
            "match rate": counts[MATCH] / total if total else 0.0}


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    cells = [list(COLUMNS)] + [[str(row[c]) if c != "match rate" else f"{row[c]:.1%}" for c in COLUMNS]
                               for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths)))
             for line in cells]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def commonest_causes(results: Sequence[AlgorithmResult], top: int = 10) -> list[tuple[str, int]]:
    """Why runs errored or timed out, commonest first (ties alphabetical)."""
    counts = Counter(r.cause_group or r.cause for r in results if r.outcome in (ERROR, TIMEOUT))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def commonest_differences(results: Sequence[AlgorithmResult], top: int = 10) -> list[tuple[str, int]]:
    """Which checks (statistic names, status, data points) fail most often in runs that completed."""
    counts = Counter(d.split(":", 1)[0] for r in results if r.outcome == DIFFERS for d in r.differences)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def format_report(results: Sequence[AlgorithmResult], top: int = 10) -> str:
    parts = [format_table(class_rows(results))]
    causes = commonest_causes(results, top)
    if causes:
        parts.append("Commonest error causes:\n" + "\n".join(f"{n:5d}  {cause}" for cause, n in causes))
    differing = commonest_differences(results, top)
    if differing:
        parts.append("Checks that differ most often (runs that completed):\n"
                     + "\n".join(f"{n:5d}  {name}" for name, n in differing))
    return "\n\n".join(parts)


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Atomically: a temporary sibling renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
