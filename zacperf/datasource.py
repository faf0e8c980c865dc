"""A scenario's data: resolve the folder (Lean data folder or generated synthetic data), check it
holds what the scenario needs (R-9: market hours, symbol properties, every trade file), and
compute its content fingerprint.

The fingerprint hashes *content*, not containers: for a zip it hashes the entry's uncompressed
bytes (so zlib versions and zip timestamps do not matter), for other files the bytes. It covers
only the files the scenario reads, keyed by their path relative to the data folder.
"""
from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zacperf import calendar
from zacperf.env import data_dir, lean_data_folder, repo_path, write_text_atomic
from zacperf.errors import ZacperfError
from zacperf.scenarios import Scenario

if TYPE_CHECKING:        # synth_files (numpy) is imported only where synthetic data is used
    from zacperf.synth_files import SynthSpec

MARKET_HOURS = "market-hours/market-hours-database.json"
SYMBOL_PROPERTIES = "symbol-properties/symbol-properties-database.csv"
_OPTIONAL = ("alternative/interest-rate/usa/interest-rate.csv",)


@dataclass
class ResolvedData:
    folder: Path
    kind: str
    fingerprint: str
    files: list[str]
    missing_trade_files: list[str] = field(default_factory=list)
    generated_now: bool = False

    def describe(self) -> dict[str, object]:
        return {"source": self.kind, "folder": str(self.folder), "fingerprint": self.fingerprint,
                "files": len(self.files), "missing_trade_files": self.missing_trade_files,
                "generated_now": self.generated_now}


def synth_spec(scenario: Scenario) -> SynthSpec:
    from zacperf.synth_files import SynthSpec

    return SynthSpec(seed=scenario.data.seed, symbols=scenario.symbols, start=scenario.start, end=scenario.end,
                     resolution=scenario.resolution, history_days=scenario.data.history_days,
                     quotes=scenario.data.quotes)


def resolve(scenario: Scenario, progress=None) -> ResolvedData:  # type: ignore[no-untyped-def]
    """Find or generate the data, preflight it, fingerprint it; mismatching pinned fingerprints are errors."""
    generated = False
    if scenario.data.kind == "synthetic":
        from zacperf.synth_files import ensure_synthetic

        folder, generated = ensure_synthetic(synth_spec(scenario), progress=progress)
    else:
        folder = _lean_folder(scenario)
    files, missing = required_files(scenario, folder)
    if len(missing) > scenario.thresholds.max_missing_trade_files:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise ZacperfError(f"data folder {folder} lacks {len(missing)} trade file(s) the scenario needs "
                           f"(allowed {scenario.thresholds.max_missing_trade_files}): {shown}")
    fingerprint = fingerprint_files(folder, files)
    pinned = scenario.data.fingerprint
    if pinned and pinned != fingerprint:
        raise ZacperfError(f"data fingerprint mismatch for scenario {scenario.name}: the scenario pins {pinned[:19]}…, "
                           f"{folder} has {fingerprint[:19]}… (different data; fix the folder or re-pin the scenario)")
    return ResolvedData(folder, scenario.data.kind, fingerprint, files, missing, generated)


def _lean_folder(scenario: Scenario) -> Path:
    if scenario.data.folder:
        folder = repo_path(Path(os.path.expandvars(scenario.data.folder)).expanduser()).resolve()
    else:
        folder = lean_data_folder()
    if not folder.is_dir():
        raise ZacperfError(f"Lean data folder not found: {folder} (set LEAN_DATA_FOLDER or lean.json \"data-folder\")")
    return folder


def required_files(scenario: Scenario, folder: Path) -> tuple[list[str], list[str]]:
    """(present files the scenario reads, missing trade files). Missing databases are errors (R-9)."""
    for name in (MARKET_HOURS, SYMBOL_PROPERTIES):
        if not (folder / name).is_file():
            raise ZacperfError(f"data folder {folder} has no {name} (not a complete Lean data folder)")
    files = [MARKET_HOURS, SYMBOL_PROPERTIES] + [name for name in _OPTIONAL if (folder / name).is_file()]
    missing: list[str] = []
    for ticker in scenario.symbols:
        low = ticker.lower()
        daily = f"equity/usa/daily/{low}.zip"
        for name in (f"equity/usa/map_files/{low}.csv", f"equity/usa/factor_files/{low}.csv"):
            if (folder / name).is_file():
                files.append(name)
        if (folder / daily).is_file():
            files.append(daily)
        elif scenario.resolution == "daily":
            missing.append(daily)
        if scenario.resolution == "daily":
            continue
        for day in calendar.trading_days(scenario.start, scenario.end):
            base = f"equity/usa/{scenario.resolution}/{low}/{day:%Y%m%d}"
            trade = f"{base}_trade.zip"
            (files if (folder / trade).is_file() else missing).append(trade)
            if (folder / f"{base}_quote.zip").is_file():
                files.append(f"{base}_quote.zip")
    return sorted(files), missing


# ----------------------------------------------------------------------------- fingerprints

def content_digest(path: Path) -> str:
    """sha256 of the file's content: the uncompressed entries of a zip, the bytes of anything else."""
    digest = hashlib.sha256()
    if path.suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    if info.is_dir():
                        continue
                    digest.update(info.filename.encode() + b"\0")
                    with archive.open(info) as handle:
                        for chunk in iter(lambda: handle.read(1 << 20), b""):
                            digest.update(chunk)
            return digest.hexdigest()
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise ZacperfError(f"{path}: unreadable zip archive ({exc})") from exc
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint_files(folder: Path, files: list[str], cache_path: Path | None = None) -> str:
    """sha256 over "relative path, content digest" lines; digests cached by (path, size, mtime)."""
    cache_file = cache_path or data_dir() / "fingerprint-cache.json"
    cache = _load_cache(cache_file)
    changed = False
    lines = []
    for name in sorted(files):
        path = folder / name
        stat = path.stat()
        key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
        digest = cache.get(key)
        if digest is None:
            digest = cache[key] = content_digest(path)
            changed = True
        lines.append(f"{name}\t{digest}\n")
    if changed:
        _save_cache(cache_file, cache)
    return "sha256:" + hashlib.sha256("".join(lines).encode()).hexdigest()


def _load_cache(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_cache(path: Path, cache: dict[str, str]) -> None:
    try:
        write_text_atomic(path, json.dumps(cache))
    except OSError:
        pass   # the cache is an optimization only
