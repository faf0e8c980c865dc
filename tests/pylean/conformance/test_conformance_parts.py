"""pylean.conformance's parts on hand-written inputs: the C# expected-statistics parser, Lean's comparison
rules, the class table and causes, the launcher configuration reader, the framework import hint."""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

from pylean.conformance.checkout import CheckoutError, LeanCheckout, load_classes, strip_json_comments
from pylean.conformance.compare import DIFFERS, ERROR, MATCH, Observed, classify, differences
from pylean.conformance.expectations import Expectation, ExpectationError, parse_expectation, read_expectation
from pylean.conformance.report import class_rows, commonest_causes, commonest_differences, format_table
from pylean.conformance.runner import AlgorithmResult, cause_group, one_line
from pylean.lean_framework import framework_imports, missing_framework_message

TWIN = '''
namespace QuantConnect.Algorithm.CSharp
{
    // a comment with a brace { and "a string"
    public class TinyAlgorithm : QCAlgorithm, IRegressionAlgorithmDefinition
    {
        /* public long DataPoints => 1; (commented out) */
        public long DataPoints => 3943;
        public int AlgorithmHistoryDataPoints => -1;
        public AlgorithmStatus AlgorithmStatus => AlgorithmStatus.Completed;
        public Dictionary<string, string> ExpectedStatistics => new Dictionary<string, string>
        {
            {"Total Orders", "1"},
            {"Net Profit", "-0%"},
            {"Lowest Capacity Asset", "SPY R735QTJ8XC9X"},
            {"Quoted \\"tag\\"", @"C:\\path ""x"""},
            {"OrderListHash", "d41d8cd98f00b204e9800998ecf8427e"}
        };
    }
}
'''


def expectation(**overrides: object) -> Expectation:
    values: dict[str, object] = {"name": "Tiny", "statistics": {"Total Orders": "1", "Net Profit": "-0%"},
                                 "data_points": 10, "history_data_points": -1, "status": "Completed"}
    values.update(overrides)
    return Expectation(**values)  # type: ignore[arg-type]


def result(name: str, klass: str, outcome: str, cause: str = "", diffs: list[str] | None = None) -> AlgorithmResult:
    return AlgorithmResult(name, klass, outcome, cause=cause, differences=diffs or [])


# ------------------------------------------------------------------ the C# twin
def test_parser_reads_every_member_in_source_order() -> None:
    parsed = parse_expectation("Tiny", TWIN)
    assert list(parsed.statistics) == ["Total Orders", "Net Profit", "Lowest Capacity Asset", 'Quoted "tag"',
                                       "OrderListHash"]
    assert parsed.statistics['Quoted "tag"'] == 'C:\\path "x"'
    assert parsed.statistics["Lowest Capacity Asset"] == "SPY R735QTJ8XC9X"
    assert (parsed.data_points, parsed.history_data_points, parsed.status) == (3943, -1, "Completed")
    assert parsed.custom_configurations == {}


def test_parser_reads_initializer_properties_target_typed_new_and_custom_configuration() -> None:
    source = '''
        public long DataPoints { get; } = 12L;
        public int AlgorithmHistoryDataPoints { get; } = 0;
        public AlgorithmStatus AlgorithmStatus => AlgorithmStatus.RuntimeError;
        public Dictionary<string, string> CustomConfigurations => new() { { "symbol-minute-limit", "100" } };
        public Dictionary<string, string> ExpectedStatistics => new() { {"Total Orders", "0"} };
    '''
    parsed = parse_expectation("Other", source)
    assert (parsed.data_points, parsed.history_data_points, parsed.status) == (12, 0, "RuntimeError")
    assert parsed.custom_configurations == {"symbol-minute-limit": "100"}
    assert parsed.statistics == {"Total Orders": "0"}


@pytest.mark.parametrize("missing", ["DataPoints", "AlgorithmHistoryDataPoints", "AlgorithmStatus",
                                     "ExpectedStatistics"])
def test_a_missing_member_is_named(missing: str) -> None:
    source = re.sub(rf"\b{missing}(?=\s*=>)", "Renamed", TWIN)
    with pytest.raises(ExpectationError, match=missing):
        parse_expectation("Tiny", source)


def test_read_expectation_names_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ExpectationError, match="cannot read"):
        read_expectation(tmp_path / "Nope.cs")


# ------------------------------------------------------------------ the comparison rules
def test_every_check_passing_is_a_match_and_minus_zero_equals_zero() -> None:
    observed = Observed("Completed", {"Total Orders": "1", "Net Profit": "0%", "Extra": "x"}, 10, 7)
    assert differences(expectation(statistics={"Total Orders": "1", "Net Profit": "0%"}), observed) == []
    assert classify(expectation(statistics={"Net Profit": "-0"}),
                    Observed("Completed", {"Net Profit": "0"}, 10, 0))[0] == MATCH


def test_minus_one_data_points_are_not_checked_but_other_values_are() -> None:
    observed = Observed("Completed", {"Total Orders": "1", "Net Profit": "-0%"}, 99, 5)
    assert differences(expectation(data_points=-1, history_data_points=-1), observed) == []
    found = differences(expectation(data_points=10, history_data_points=0), observed)
    assert found == ["DataPoints: got 99, expected 10", "AlgorithmHistoryDataPoints: got 5, expected 0"]


def test_status_missing_and_different_statistics_are_differences() -> None:
    observed = Observed("Running", {"Total Orders": "2"}, 10, 0)
    outcome, found, cause = classify(expectation(), observed)
    assert outcome == DIFFERS and cause == ""
    assert found == ["status: got Running, expected Completed", "Total Orders: got '2', expected '1'",
                     "Net Profit: missing, expected '-0%'"]


def test_an_unexpected_runtime_error_is_an_error_with_its_exception_as_cause() -> None:
    observed = Observed("RuntimeError", {}, 0, 0, error="NameError: name 'Random' is not defined")
    outcome, _, cause = classify(expectation(), observed)
    assert (outcome, cause) == (ERROR, "NameError: name 'Random' is not defined")
    expected_error = expectation(status="RuntimeError", statistics={}, data_points=-1, history_data_points=0)
    assert classify(expected_error, Observed("RuntimeError", {}, 0, None))[0] == DIFFERS  # history points differ
    assert classify(expectation(status="RuntimeError", statistics={}, data_points=-1, history_data_points=-1),
                    Observed("RuntimeError", {}, 0, None))[0] == MATCH


def test_one_line_keeps_the_last_line_and_bounds_its_width() -> None:
    assert one_line("Traceback\n  File x\nKeyError: 'a'\n") == "KeyError: 'a'"
    assert len(one_line("x" * 500)) == 200 and one_line("x" * 500).endswith("...")


def test_cause_groups_generalize_the_algorithms_own_class_only() -> None:
    own = "AttributeError: 'BasicTemplateFrameworkAlgorithm' object has no attribute 'universe_settings'"
    assert cause_group(own, "BasicTemplateFrameworkAlgorithm") == \
        "AttributeError: '<algorithm>' object has no attribute 'universe_settings'"
    cut = "AttributeError: 'AutoRegressiveIntegratedMovingAverageRegressionAlg' object has no attribute 'arima'"
    assert cause_group(cut, "AutoRegressiveIntegratedMovingAverageRegressionAlgorithm").startswith(
        "AttributeError: '<algorithm>' object")
    other = "AttributeError: 'Symbol' object has no attribute 'cusip'"
    assert cause_group(other, "IndustryStandardSecurityIdentifiersRegressionAlgorithm") == other
    assert cause_group("NameError: name 'RenkoBar' is not defined", "X") == "NameError: name 'RenkoBar' is not defined"


# ------------------------------------------------------------------ the report
def test_class_rows_count_outcomes_per_class_and_add_an_all_row() -> None:
    results = [result("A", "us-equity", "match"), result("B", "us-equity", "differs", diffs=["Beta: got"]),
               result("C", "us-equity", "error", "KeyError: 'x'"), result("D", "universe", "timeout", "timeout"),
               result("E", "universe", "match")]
    rows = class_rows(results)
    assert [(r["class"], r["algorithms"], r["matches"], r["statistic differences"], r["errors"], r["timeouts"])
            for r in rows] == [("us-equity", 3, 1, 1, 1, 0), ("universe", 2, 1, 0, 0, 1), ("all", 5, 2, 1, 1, 1)]
    assert rows[1]["match rate"] == 0.5
    table = format_table(rows).splitlines()
    assert table[0].split() == ["class", "algorithms", "matches", "statistic", "differences", "errors", "timeouts",
                                "match", "rate"]
    assert table[2].split() == ["us-equity", "3", "1", "1", "1", "0", "33.3%"]
    assert table[-1].split() == ["all", "5", "2", "1", "1", "1", "40.0%"]


def test_one_class_has_no_all_row() -> None:
    assert [r["class"] for r in class_rows([result("A", "universe", "match")])] == ["universe"]


def test_commonest_causes_and_differences_are_counted_commonest_first() -> None:
    results = [result("A", "u", "error", "B cause"), result("B", "u", "error", "A cause"),
               result("C", "u", "error", "B cause"), result("D", "u", "timeout", "timeout after 5 s"),
               result("E", "u", "differs", diffs=["Beta: got '1'", "Alpha: got '2'"]),
               result("F", "u", "differs", diffs=["Beta: got '3'"])]
    assert commonest_causes(results) == [("B cause", 2), ("A cause", 1), ("timeout after 5 s", 1)]
    assert commonest_causes(results, top=1) == [("B cause", 2)]
    assert commonest_differences(results) == [("Beta", 2), ("Alpha", 1)]


# ------------------------------------------------------------------ the checkout
def test_launcher_parameters_are_read_through_comments_as_strings(tmp_path: Path) -> None:
    for folder in ("Algorithm.Python", "Algorithm.CSharp", "Launcher"):
        (tmp_path / folder).mkdir()
    (tmp_path / "Launcher" / "config.json").write_text(
        '{\n  // a comment\n  "url": "http://example.com", /* block */\n'
        '  "parameters": { "ema-fast": 10, "name": "x", "ratio": 0.5, "flag": true }\n}\n')
    checkout = LeanCheckout.open(tmp_path)
    assert checkout.launcher_parameters() == {"ema-fast": "10", "name": "x", "ratio": "0.5", "flag": "True"}
    assert json.loads(strip_json_comments('{"a": "b//c"} // tail')) == {"a": "b//c"}


def test_a_folder_without_lean_algorithms_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CheckoutError, match="not a Lean checkout"):
        LeanCheckout.open(tmp_path)


def test_a_checkout_without_the_launcher_config_is_refused(tmp_path: Path) -> None:
    """An export of only the algorithm folders would run parameterized algorithms without their
    parameters and report differences that are not pylean's."""
    for folder in ("Algorithm.Python", "Algorithm.CSharp"):
        (tmp_path / folder).mkdir()
    with pytest.raises(CheckoutError, match="no Launcher/config.json"):
        LeanCheckout.open(tmp_path)


def test_class_lists_select_equity_universe_or_both(tmp_path: Path) -> None:
    file = tmp_path / "classes.json"
    file.write_text(json.dumps({"classes": {"us-equity": ["A", "B"], "us-equity-universe-or-framework": ["C"]}}))
    assert load_classes(file, "us-equity") == [("A", "us-equity"), ("B", "us-equity")]
    assert load_classes(file, "universe") == [("C", "universe")]
    assert load_classes(file, "all") == [("A", "us-equity"), ("B", "us-equity"), ("C", "universe")]
    with pytest.raises(CheckoutError, match="cannot read"):
        load_classes(tmp_path / "missing.json", "all")


# ------------------------------------------------------------------ Lean's framework modules
def test_without_a_checkout_a_framework_import_gets_a_one_line_hint() -> None:
    with framework_imports(None):
        with pytest.raises(ModuleNotFoundError) as raised:
            __import__("Alphas.ConstantAlphaModel")
    assert str(raised.value) == missing_framework_message("Alphas")
    assert "--lean-root" in str(raised.value) and "LEAN_ROOT" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_with_a_checkout_framework_modules_are_imported_in_place(tmp_path: Path) -> None:
    package = tmp_path / "Algorithm.Framework" / "Selection"
    package.mkdir(parents=True)
    (package / "TinySelectionModel.py").write_text("WHERE = __file__\n")
    try:
        with framework_imports(tmp_path):
            module = __import__("Selection.TinySelectionModel", fromlist=["WHERE"])
        assert Path(module.WHERE) == package / "TinySelectionModel.py"
        assert str(tmp_path / "Algorithm.Framework") not in sys.path  # only for the run
    finally:
        for name in ("Selection.TinySelectionModel", "Selection"):
            sys.modules.pop(name, None)


def test_the_empty_order_list_hash_is_md5_of_nothing() -> None:
    assert parse_expectation("Tiny", TWIN).statistics["OrderListHash"] == hashlib.md5(b"").hexdigest()
