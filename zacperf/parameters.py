"""Algorithm parameter sets: the full set a run receives, --parameter type checks, the parameter hash.

Lean passes every parameter as a string. The Lean CLI's --parameter REPLACES config.json's set,
so zacperf always builds and passes the complete set (config.json < run shape < scenario <
--parameter), and both backends see exactly the same parameters.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zacperf.env import repo_rel
from zacperf.errors import ZacperfError

if TYPE_CHECKING:
    from zacperf.scenarios import Scenario

RUN_PARAMETERS = ("symbols", "start_date", "end_date", "starting_cash")


def parameter_text(value: Any) -> str:
    """How a typed value is passed to Lean (parameters are strings there)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def infer_type(text: str) -> type:
    """The type a Lean parameter string stands for: bool, int, float or str."""
    value = text.strip()
    if value.lower() in ("true", "false"):
        return bool
    if re.fullmatch(r"[+-]?\d+", value):
        return int
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?", value):
        return float
    return str


def check_override(name: str, value: str, default: str) -> str:
    """Validate --parameter NAME VALUE against the type of the parameter's default; return the value."""
    kind = infer_type(default)
    if kind is bool:
        lowered = value.strip().lower()
        if lowered not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
            raise ZacperfError(f"--parameter {name}: expected true or false (default {default}), got {value!r}")
        truthy = lowered in ("true", "1", "yes", "on")
        return ("True" if truthy else "False") if default.strip()[:1].isupper() else ("true" if truthy else "false")
    if kind is int and infer_type(value) is not int:
        raise ZacperfError(f"--parameter {name}: expected an integer (default {default}), got {value!r}")
    if kind is float and infer_type(value) not in (int, float):
        raise ZacperfError(f"--parameter {name}: expected a number (default {default}), got {value!r}")
    return value


def project_parameters(project: Path) -> dict[str, str]:
    """The "parameters" of the project's config.json, as Lean passes them (strings)."""
    config = project / "config.json"
    if not config.is_file():
        return {}
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ZacperfError(f"{config}: invalid JSON ({exc.msg} at line {exc.lineno})") from exc
    params = data.get("parameters", {}) if isinstance(data, dict) else {}
    if not isinstance(params, dict):
        raise ZacperfError(f"{config}: \"parameters\" must be an object")
    return {str(k): parameter_text(v) for k, v in params.items()}


def full_parameters(scenario: Scenario, overrides: list[tuple[str, str]] | None = None,
                    extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The complete parameter set a run receives: config.json < run shape < scenario < --parameter.

    The Lean CLI's --parameter REPLACES config.json's set, so both backends always get this full set.
    """
    params = project_parameters(scenario.project)
    params.update(scenario.run_parameters())
    params.update(scenario.parameters)
    for name, value in (extra or {}).items():
        params[name] = value
    for name, value in overrides or []:
        if name in RUN_PARAMETERS:
            raise ZacperfError(f"--parameter {name}: the run shape (symbols, dates, cash) comes from the scenario "
                               "file; use another scenario")
        if name not in params:
            hint = difflib.get_close_matches(name, sorted(params), n=1)
            raise ZacperfError(f"--parameter {name}: unknown parameter"
                               + (f" (did you mean {hint[0]}?)" if hint else "")
                               + f"; the scenario's parameters come from {repo_rel(scenario.project / 'config.json')}"
                               " and [algorithm.parameters]")
        params[name] = check_override(name, value, params[name])
    return params


def parameter_hash(params: Mapping[str, str]) -> str:
    """sha256 over the sorted full parameter set (keys and string values)."""
    blob = json.dumps(dict(sorted(params.items())), separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()
