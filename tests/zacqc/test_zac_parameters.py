"""TradingParameters: defaults, overrides from Lean parameter strings, clear errors."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from config.parameters import RECORDED_SYMBOLS, ParameterError, TradingParameters, hhmm

CONFIG = Path(__file__).resolve().parents[2] / "ZacQC" / "config.json"


def params_from(**overrides: str) -> TradingParameters:
    return TradingParameters.from_lookup(overrides.get)


def test_defaults_are_the_recorded_run() -> None:
    p = TradingParameters()
    assert (p.Parameter_1, p.Parameter_2, p.Parameter_3, p.Parameter_4, p.Parameter_5) == (120, 130, 300, 8, 0.85)
    assert [p.condition_enabled(f"cond{i}") for i in range(1, 6)] == [True, True, False, True, True]
    assert p.StopLoss == 125 and p.profit_take("cond4") == 20 and p.stop_loss_x("cond1") == 10
    assert p.stop_loss_y("cond5") == 50 and p.same_condition_minutes("cond3") == 30
    assert p.entry_window == (1057, 1400)
    assert p.symbols == RECORDED_SYMBOLS and p.symbols[0] == "AAPL" and p.symbols[-1] == "UBER"
    assert (p.start_date, p.end_date, p.starting_cash) == (date(2025, 10, 1), date(2025, 10, 10), 500_000)
    assert p.Max_Daily_PNL == 0.27 and p.cash_pct == 60
    assert not p.enable_perf_opt and not p.perf_instrumentation


def test_config_json_holds_the_recorded_run_and_lean_cli_keys() -> None:
    config = json.loads(CONFIG.read_text())
    assert config["algorithm-language"] == "Python" and config["description"]
    assert not any(word in key.lower() for key in config for word in ("cloud", "secret", "token", "api-key"))
    p = TradingParameters.from_lookup(config["parameters"].get)
    assert p == TradingParameters()


def test_overrides_parse_every_type() -> None:
    p = params_from(Parameter_1="90", C3="Yes", SharpMovement_Minutes="3", symbols=" mcd, v ,AAPL",
                    start_date="2025-10-02", Algo_Off_After="13:30", perf_instrumentation="ON")
    assert p.Parameter_1 == 90.0 and p.C3 is True and p.SharpMovement_Minutes == 3
    assert p.symbols == ("MCD", "V", "AAPL")
    assert p.start_date == date(2025, 10, 2) and p.entry_window == (1057, 1330) and p.perf_instrumentation


@pytest.mark.parametrize("text,expected", [("true", True), ("1", True), ("YES", True), ("On", True),
                                           ("false", False), ("0", False), ("no", False), ("OFF", False)])
def test_boolean_spellings(text: str, expected: bool) -> None:
    assert params_from(enable_perf_opt=text).enable_perf_opt is expected


@pytest.mark.parametrize("name,value,needle", [
    ("enable_perf_opt", "maybe", "boolean"), ("cash_pct", "sixty", "number"),
    ("SharpMovement_Minutes", "4.5", "integer"), ("start_date", "10/01/2025", "YYYY-MM-DD"),
    ("Algo_Off_Before", "25:00", "HH:MM"), ("symbols", " , ", "tickers"), ("end_date", "2025-09-01", "before"),
    ("starting_cash", "-1", "positive"), ("symbols", "AAPL,aapl", "duplicate")])
def test_wrong_values_name_the_parameter(name: str, value: str, needle: str) -> None:
    with pytest.raises(ParameterError) as info:
        params_from(**{name: value})
    assert repr(name) in str(info.value) and needle in str(info.value)


def test_empty_string_keeps_the_default() -> None:
    assert params_from(cash_pct="").cash_pct == 60


def test_describe_lists_every_parameter_with_a_meaning() -> None:
    rows = TradingParameters.describe()
    names = [r[0] for r in rows]
    for expected in ("Parameter_1", "C5", "ProfitTakeC3", "StopLossUpdate", "StopLossYC4", "Action2_Time",
                     "SameConditionTimeC5", "VWAP_PCT", "Rally_Time_Constraint_Threshold", "cash_pct",
                     "MaxCapitalPCT", "Max_Daily_PNL", "symbols", "start_date", "end_date", "starting_cash",
                     "enable_perf_opt", "perf_instrumentation"):
        assert expected in names
    assert all(meaning for _, _, _, meaning in rows)


def test_hhmm() -> None:
    assert hhmm("10:57") == 1057 and hhmm("9:05") == 905
    with pytest.raises(ParameterError):
        hhmm("10h57", "Algo_Off_Before")
