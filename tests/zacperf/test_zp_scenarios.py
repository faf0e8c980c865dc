from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from zp_support import STANDIN, write_scenario

from zacperf import parameters, scenarios
from zacperf.errors import ZacperfError
from zacperf.parameters import full_parameters, parameter_hash
from zacperf.scenarios import load_scenario

MINIMAL = """
name = "t"
[algorithm]
project = "tests/zacperf/algorithms/standin"
[run]
symbols = ["AAPL", "MSFT"]
start = 2025-10-01
end = 2025-10-03
resolution = "minute"
cash = 100000
[data]
source = "synthetic"
seed = 1
"""


def test_shipped_scenarios_parse():
    names = scenarios.list_scenarios()
    assert {"smoke", "reference", "reference-real", "scale"} <= set(names)
    ref = load_scenario("reference")
    assert ref.symbols[:4] == ("AAPL", "NVDA", "TSLA", "V") and len(ref.symbols) == 15
    assert (ref.start, ref.end, ref.resolution, ref.cash) == (date(2025, 10, 1), date(2025, 10, 10), "second", 500000)
    assert len(ref.trading_days) == 8 and ref.expect_data_points == 2_808_751
    assert ref.data.kind == "synthetic" and ref.thresholds.min_orders == 20
    real = load_scenario("reference-real")
    assert real.data.kind == "lean" and real.data.fingerprint.startswith("sha256:")
    smoke = load_scenario("smoke")
    assert len(smoke.symbols) == 2 and len(smoke.trading_days) == 1


def test_scale_matrix_expands_to_nine_variants():
    scale = load_scenario("scale")
    assert len(scale.variants) == 9
    names = {v.name for v in scale.variants}
    assert "scale/s16-d20" in names and "scale/s1-d1" in names
    big = load_scenario("scale/s16-d20")
    assert len(big.symbols) == 16 and len(big.trading_days) == 20
    one = load_scenario("scale/s4-d5")
    assert one.symbols == big.symbols[:4] and len(one.trading_days) == 5
    with pytest.raises(ZacperfError, match="no variant"):
        load_scenario("scale/s3-d3")


def test_run_parameters_follow_the_zacqc_contract(tmp_path: Path):
    s = scenarios.parse_scenario(__import__("tomllib").loads(MINIMAL), tmp_path / "t.toml")
    assert s.run_parameters() == {"symbols": "AAPL,MSFT", "start_date": "2025-10-01", "end_date": "2025-10-03",
                                  "starting_cash": "100000"}


@pytest.mark.parametrize("mutation, message", [
    (lambda t: t.replace('cash = 100000', 'cash = "lots"'), "run.cash must be"),
    (lambda t: t.replace('resolution = "minute"', 'resolution = "tick"'), "run.resolution must be one of"),
    (lambda t: t.replace('seed = 1', 'seed = 1\ncolour = 3'), "unknown key data.colour"),
    (lambda t: t.replace('[run]', '[runn]'), "unknown key runn"),
    (lambda t: t.replace('start = 2025-10-01', 'start = "2025-10-01"'), "run.start must be a date"),
    (lambda t: t.replace('end = 2025-10-03', 'end = 2025-09-01'), "holds no trading day"),
    (lambda t: t.replace('["AAPL", "MSFT"]', '["AAPL", "aapl"]'), "is not a ticker"),
    (lambda t: t.replace('source = "synthetic"', 'source = "s3"'), "data.source must be"),
    (lambda t: t.replace('seed = 1', ''), "needs data.seed"),
    (lambda t: t + '\n[algorithm.parameters]\nsymbols = "X"\n', "may not set symbols"),
    (lambda t: t.replace('end = 2025-10-03', 'end = 2025-10-03\ndays = 3'), "not both"),
])
def test_bad_scenarios_name_the_problem(tmp_path: Path, mutation, message):
    path = write_scenario(tmp_path, mutation(MINIMAL))
    with pytest.raises(ZacperfError, match=message):
        load_scenario(str(path))


def test_malformed_toml_and_unknown_names(tmp_path: Path):
    path = write_scenario(tmp_path, "name = [unclosed\n")
    with pytest.raises(ZacperfError, match="malformed TOML"):
        load_scenario(str(path))
    with pytest.raises(ZacperfError, match="did you mean 'reference'"):
        load_scenario("refrence")
    with pytest.raises(ZacperfError, match="not found"):
        load_scenario(str(tmp_path / "missing.toml"))


def test_full_parameter_set_and_override_types():
    s = load_scenario(str(STANDIN))
    params = full_parameters(s)
    assert params["perf_instrumentation"] == "true"          # scenario over config.json
    assert params["symbols"] == "AAPL,NVDA" and params["end_date"] == "2025-10-02"
    assert params["threshold_bp"] == "20"                      # from config.json
    changed = full_parameters(s, [("threshold_bp", "5"), ("enable_perf_opt", "yes")])
    assert changed["threshold_bp"] == "5" and changed["enable_perf_opt"] == "true"
    assert parameter_hash(changed) != parameter_hash(params)
    assert parameter_hash(dict(reversed(list(params.items())))) == parameter_hash(params)
    with pytest.raises(ZacperfError, match="expected an integer"):
        full_parameters(s, [("threshold_bp", "abc")])
    with pytest.raises(ZacperfError, match="expected true or false"):
        full_parameters(s, [("enable_perf_opt", "maybe")])
    with pytest.raises(ZacperfError, match="did you mean threshold_bp"):
        full_parameters(s, [("treshold_bp", "5")])
    with pytest.raises(ZacperfError, match="run shape"):
        full_parameters(s, [("symbols", "AAPL")])


@pytest.mark.parametrize("text, kind", [("120", int), ("0.85", float), ("-3", int), ("1e-3", float),
                                        ("true", bool), ("False", bool), ("10:57", str), ("AAPL,NVDA", str)])
def test_infer_type(text, kind):
    assert parameters.infer_type(text) is kind


def test_float_parameter_accepts_integers():
    assert parameters.check_override("Max_Daily_PNL", "1", "0.27") == "1"
    with pytest.raises(ZacperfError):
        parameters.check_override("Max_Daily_PNL", "1%", "0.27")


def test_describe_lists_invalid_files_too(tmp_path: Path):
    write_scenario(tmp_path, MINIMAL, "good.toml")
    write_scenario(tmp_path, "name = [", "bad.toml")
    lines = scenarios.describe_scenarios(tmp_path)
    assert any(line.startswith("bad") and "INVALID" in line for line in lines)
    assert any(line.startswith("good") and "2 symbol(s)" in line for line in lines)
