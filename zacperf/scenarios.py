"""Scenario files (tools/scenarios/*.toml) -> frozen, validated Scenario objects.

A scenario pins everything a measurement depends on (R-8): the algorithm project, symbols,
dates, resolution, cash, parameters, the data source (a Lean data folder with a content
fingerprint, or synthetic data with a seed), repeats and thresholds. Bad input raises
ZacperfError with one line naming the file and the key.

The run shape reaches the algorithm as parameters (the ZacQC contract): `symbols`
(comma-separated), `start_date`, `end_date` (YYYY-MM-DD) and `starting_cash`.
"""
from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from zacperf import calendar
from zacperf.env import REPO_ROOT, repo_path, repo_rel
from zacperf.errors import ZacperfError
from zacperf.parameters import RUN_PARAMETERS, parameter_text

SCENARIO_DIR = REPO_ROOT / "tools" / "scenarios"
RESOLUTIONS = ("second", "minute", "daily")
DEFAULT_LEAN_IMAGE = "quantconnect/lean:17748"     # pinned engine image of the lean backend
FIRST_DATE, LAST_DATE = date(1990, 1, 1), date(2100, 12, 31)   # what a scenario may span (Lean data starts 1998)
MAX_DAYS = 10_000                                               # run.days and matrix.days (about 40 years)
_TICKER = re.compile(r"^[A-Z][A-Z0-9.]{0,9}$")

_SCHEMA: dict[str, set[str]] = {
    "": {"name", "description", "algorithm", "run", "data", "measure", "thresholds", "expect", "matrix", "backends"},
    "algorithm": {"project", "parameters", "flag"},
    "run": {"symbols", "start", "end", "days", "resolution", "cash"},
    "data": {"source", "seed", "folder", "fingerprint", "history_days", "quotes"},
    "measure": {"repeats", "timeout_s"},
    "thresholds": {"max_slowdown_pct", "min_orders", "max_missing_trade_files", "on_data_p95_us"},
    "expect": {"data_points"},
    "matrix": {"symbols", "days"},
    "backends": {"lean"},
    "backends.lean": {"image"},
}


@dataclass(frozen=True)
class DataSource:
    kind: str                       # "synthetic" or "lean"
    seed: int = 0                   # synthetic only
    folder: str = ""                # lean only: "" -> $LEAN_DATA_FOLDER, then lean.json
    fingerprint: str = ""           # pinned content fingerprint ("" = not pinned)
    history_days: int = 60          # synthetic: daily bars before the start (ZacQC loads 50)
    quotes: bool = False            # synthetic: also write quote files


@dataclass(frozen=True)
class Thresholds:
    max_slowdown_pct: float = 10.0
    min_orders: int = 0
    max_missing_trade_files: int = 0
    on_data_p95_us: float | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    file: Path
    project: Path
    symbols: tuple[str, ...]
    start: date
    end: date
    resolution: str
    cash: float
    data: DataSource
    parameters: Mapping[str, str] = field(default_factory=dict)   # the scenario's own [algorithm.parameters]
    flag: str = "enable_perf_opt"
    repeats: int = 1
    timeout_s: float = 3600.0
    thresholds: Thresholds = Thresholds()
    expect_data_points: int | None = None
    lean_image: str = DEFAULT_LEAN_IMAGE
    variants: tuple[Scenario, ...] = ()

    @property
    def trading_days(self) -> list[date]:
        return calendar.trading_days(self.start, self.end)

    def run_parameters(self) -> dict[str, str]:
        cash = int(self.cash) if float(self.cash).is_integer() else self.cash
        return {"symbols": ",".join(self.symbols), "start_date": self.start.isoformat(),
                "end_date": self.end.isoformat(), "starting_cash": str(cash)}


# ----------------------------------------------------------------------------- loading

def scenario_path(name_or_path: str, directory: Path = SCENARIO_DIR) -> Path:
    """A scenario name (tools/scenarios/<name>.toml) or a path to a .toml file."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml":
        if not candidate.is_file():
            raise ZacperfError(f"scenario file not found: {candidate}")
        return candidate.resolve()
    path = directory / f"{name_or_path}.toml"
    if not path.is_file():
        known = list_scenarios(directory)
        hint = difflib.get_close_matches(name_or_path, known, n=1)
        raise ZacperfError(f"unknown scenario {name_or_path!r}"
                           + (f" (did you mean {hint[0]!r}?)" if hint else "")
                           + f"; known: {', '.join(known) or 'none'}")
    return path


def list_scenarios(directory: Path = SCENARIO_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.toml"))


def describe_scenarios(directory: Path = SCENARIO_DIR) -> list[str]:
    """One line per scenario file (an invalid file is listed with its error, not skipped)."""
    lines = []
    for name in list_scenarios(directory):
        try:
            s = load_scenario(name, directory)
        except ZacperfError as exc:
            lines.append(f"{name:<16} INVALID: {exc}")
            continue
        shape = (f"{len(s.variants)} variants" if s.variants else
                 f"{len(s.symbols)} symbol(s), {s.start}..{s.end} ({len(s.trading_days)} trading day(s))")
        data = f"synthetic seed {s.data.seed}" if s.data.kind == "synthetic" else "Lean data folder"
        lines.append(f"{name:<16} {shape}, {s.resolution}, {data}, project {repo_rel(s.project)} — {s.description}")
    return lines


def load_scenario(name_or_path: str, directory: Path = SCENARIO_DIR) -> Scenario:
    """Load by name or path; "scale/s4-d5" selects one variant of a matrix scenario."""
    base, _, variant = name_or_path.partition("/") if not name_or_path.endswith(".toml") else (name_or_path, "", "")
    path = scenario_path(base, directory)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ZacperfError(f"{repo_rel(path)}: malformed TOML: {exc}") from exc
    except OSError as exc:
        raise ZacperfError(f"cannot read {repo_rel(path)}: {exc.strerror}") from exc
    scenario = parse_scenario(raw, path)
    if variant:
        chosen = [v for v in scenario.variants if v.name == f"{scenario.name}/{variant}"]
        if not chosen:
            names = ", ".join(v.name for v in scenario.variants) or "none (not a matrix scenario)"
            raise ZacperfError(f"scenario {scenario.name!r} has no variant {variant!r}; variants: {names}")
        return chosen[0]
    return scenario


def parse_scenario(raw: dict[str, Any], path: Path) -> Scenario:
    where = repo_rel(path)
    _check_keys(raw, "", where)
    algorithm = _table(raw, "algorithm", where)
    run = _table(raw, "run", where, required=True)
    data = _table(raw, "data", where, required=True)
    measure, thresholds = _table(raw, "measure", where), _table(raw, "thresholds", where)
    expect, matrix = _table(raw, "expect", where), _table(raw, "matrix", where)
    backends = _table(raw, "backends", where)
    lean_backend = _table(backends, "lean", where, prefix="backends.")

    name = _get(raw, "name", str, where, default=path.stem)
    project_text = _get(algorithm, "project", str, where, default="ZacQC", key="algorithm.project")
    project = repo_path(project_text)
    parameters = _parameters(_table(algorithm, "parameters", where, prefix="algorithm."), where)
    clash = sorted(set(parameters) & set(RUN_PARAMETERS))
    if clash:
        raise ZacperfError(f"{where}: [algorithm.parameters] may not set {', '.join(clash)}; use the [run] table")

    symbols = tuple(_get(run, "symbols", list, where, key="run.symbols"))
    for ticker in symbols:
        if not isinstance(ticker, str) or not _TICKER.match(ticker):
            raise ZacperfError(f"{where}: run.symbols: {ticker!r} is not a ticker (upper case, e.g. \"AAPL\")")
    if not symbols or len(set(symbols)) != len(symbols):
        raise ZacperfError(f"{where}: run.symbols must be a non-empty list without duplicates")
    start = _date_in_range(run, "start", where)
    if "end" in run and "days" in run:
        raise ZacperfError(f"{where}: give run.end or run.days, not both")
    if "days" in run:
        days = _get(run, "days", int, where, key="run.days")
        if not 1 <= days <= MAX_DAYS:
            raise ZacperfError(f"{where}: run.days must be between 1 and {MAX_DAYS}, got {days}")
        end = calendar.add_trading_days(start, days)
    else:
        end = _date_in_range(run, "end", where)
    if end < start or not calendar.trading_days(start, end):
        raise ZacperfError(f"{where}: run.start..run.end ({start}..{end}) holds no trading day")
    resolution = _get(run, "resolution", str, where, default="second", key="run.resolution")
    if resolution not in RESOLUTIONS:
        raise ZacperfError(f"{where}: run.resolution must be one of {', '.join(RESOLUTIONS)}, got {resolution!r}")
    cash = float(_get(run, "cash", (int, float), where, key="run.cash"))
    if cash <= 0:
        raise ZacperfError(f"{where}: run.cash must be positive")

    source = _data_source(data, where)
    limits = Thresholds(
        max_slowdown_pct=float(_get(thresholds, "max_slowdown_pct", (int, float), where, default=10.0,
                                    key="thresholds.max_slowdown_pct")),
        min_orders=_get(thresholds, "min_orders", int, where, default=0, key="thresholds.min_orders"),
        max_missing_trade_files=_get(thresholds, "max_missing_trade_files", int, where, default=0,
                                     key="thresholds.max_missing_trade_files"),
        on_data_p95_us=_opt_float(thresholds, "on_data_p95_us", where))
    repeats = _get(measure, "repeats", int, where, default=1, key="measure.repeats")
    if repeats < 1:
        raise ZacperfError(f"{where}: measure.repeats must be >= 1")
    scenario = Scenario(
        name=name, description=_get(raw, "description", str, where, default=""), file=path, project=project,
        symbols=symbols, start=start, end=end, resolution=resolution, cash=cash, data=source,
        parameters=parameters, flag=_get(algorithm, "flag", str, where, default="enable_perf_opt", key="algorithm.flag"),
        repeats=repeats, timeout_s=float(_get(measure, "timeout_s", (int, float), where, default=3600.0,
                                              key="measure.timeout_s")),
        thresholds=limits,
        expect_data_points=_get(expect, "data_points", int, where, default=None, key="expect.data_points"),
        lean_image=_get(lean_backend, "image", str, where, default=DEFAULT_LEAN_IMAGE, key="backends.lean.image"))
    if matrix:
        scenario = replace(scenario, variants=_expand_matrix(scenario, matrix, where))
    return scenario


def _expand_matrix(base: Scenario, matrix: dict[str, Any], where: str) -> tuple[Scenario, ...]:
    counts = _get(matrix, "symbols", list, where, key="matrix.symbols")
    days = _get(matrix, "days", list, where, key="matrix.days")
    if not counts or not days or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_DAYS
                                         for n in counts + days):
        raise ZacperfError(f"{where}: matrix.symbols and matrix.days must be non-empty lists of integers "
                           f"between 1 and {MAX_DAYS}")
    if max(counts) > len(base.symbols):
        raise ZacperfError(f"{where}: matrix.symbols asks for {max(counts)} symbols but run.symbols lists "
                           f"{len(base.symbols)}")
    variants = []
    for n in counts:
        for d in days:
            variants.append(replace(base, name=f"{base.name}/s{n}-d{d}", symbols=base.symbols[:n],
                                    end=calendar.add_trading_days(base.start, d), expect_data_points=None))
    return tuple(variants)


def _data_source(data: dict[str, Any], where: str) -> DataSource:
    kind = _get(data, "source", str, where, key="data.source")
    if kind not in ("synthetic", "lean"):
        raise ZacperfError(f"{where}: data.source must be \"synthetic\" or \"lean\", got {kind!r}")
    if kind == "synthetic" and "seed" not in data:
        raise ZacperfError(f"{where}: synthetic data needs data.seed (an integer)")
    if kind == "lean" and ("seed" in data or "quotes" in data or "history_days" in data):
        raise ZacperfError(f"{where}: data.seed/quotes/history_days apply to synthetic data only")
    fingerprint = _get(data, "fingerprint", str, where, default="", key="data.fingerprint")
    if fingerprint and not re.fullmatch(r"sha256:[0-9a-f]{64}", fingerprint):
        raise ZacperfError(f"{where}: data.fingerprint must look like \"sha256:<64 hex digits>\"")
    seed = _get(data, "seed", int, where, default=0, key="data.seed")
    if not 0 <= seed < 2 ** 63:
        raise ZacperfError(f"{where}: data.seed must be a non-negative 63-bit integer")
    history = _get(data, "history_days", int, where, default=60, key="data.history_days")
    if history < 0:
        raise ZacperfError(f"{where}: data.history_days must be >= 0")
    return DataSource(kind=kind, seed=seed, folder=_get(data, "folder", str, where, default="", key="data.folder"),
                      fingerprint=fingerprint, history_days=history,
                      quotes=_get(data, "quotes", bool, where, default=False, key="data.quotes"))


def _parameters(table: dict[str, Any], where: str) -> dict[str, str]:
    out = {}
    for name, value in table.items():
        if isinstance(value, (dict, list)) or value is None:
            raise ZacperfError(f"{where}: algorithm.parameters.{_shown(name)} must be a string, number or boolean")
        out[name] = parameter_text(value)
    return out


# ----------------------------------------------------------------------------- small validators

def _check_keys(table: dict[str, Any], prefix: str, where: str) -> None:
    allowed = _SCHEMA[prefix.rstrip(".")]
    for key in table:
        if key not in allowed:
            hint = difflib.get_close_matches(key, sorted(allowed), n=1)
            raise ZacperfError(f"{where}: unknown key {prefix}{_shown(key)}"
                               + (f" (did you mean {prefix}{hint[0]}?)" if hint else ""))


def _shown(key: str) -> str:
    """A key as written in the file; quoted when it is not a bare key (so the message stays on one line)."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else repr(key)


def _table(parent: dict[str, Any], key: str, where: str, required: bool = False, prefix: str = "") -> dict[str, Any]:
    if key not in parent:
        if required:
            raise ZacperfError(f"{where}: missing table [{prefix}{key}]")
        return {}
    value = parent[key]
    if not isinstance(value, dict):
        raise ZacperfError(f"{where}: {prefix}{key} must be a table")
    if f"{prefix}{key}" in _SCHEMA:
        _check_keys(value, f"{prefix}{key}.", where)
    return value


_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", bool: "true or false", date: "a date (YYYY-MM-DD)"}


def _get(table: dict[str, Any], name: str, kind: Any, where: str, default: Any = ..., key: str | None = None) -> Any:
    if name not in table:
        if default is ...:
            raise ZacperfError(f"{where}: missing {key or name}")
        return default
    value = table[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
    if kind is date and hasattr(value, "hour"):
        ok = False   # a datetime is not a date here
    if not ok:
        expected = " or ".join(_TYPE_NAMES.get(k, "a number") for k in kinds)
        raise ZacperfError(f"{where}: {key or name} must be {expected}, got {value!r}")
    return value


def _date_in_range(run: dict[str, Any], name: str, where: str) -> date:
    value: date = _get(run, name, date, where, key=f"run.{name}")
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ZacperfError(f"{where}: run.{name} must be between {FIRST_DATE} and {LAST_DATE}, got {value}")
    return value


def _opt_float(table: dict[str, Any], name: str, where: str) -> float | None:
    value = _get(table, name, (int, float), where, default=None, key=f"thresholds.{name}")
    return None if value is None else float(value)
