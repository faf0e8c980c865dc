"""ZacQC/config.json carries the full parameter set with TradingParameters' defaults.

The Lean CLI's --parameter replaces config.json's set, and the harness checks names against it,
so every parameter must be listed there, with the same default the code uses.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from config.parameters import TradingParameters

CONFIG = Path(__file__).resolve().parents[2] / "ZacQC" / "config.json"


def _as_lean_string(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_config_json_lists_every_parameter_with_its_default() -> None:
    listed = json.loads(CONFIG.read_text())["parameters"]
    expected = {name: _as_lean_string(default) for name, default, _, _ in TradingParameters.describe()}
    assert listed == expected


def test_config_json_values_parse_back_to_the_defaults() -> None:
    listed = json.loads(CONFIG.read_text())["parameters"]
    assert TradingParameters.from_lookup(listed.get) == TradingParameters()
