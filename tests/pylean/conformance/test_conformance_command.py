"""`python -m pylean.conformance` end to end on a tiny fake Lean checkout made here: our own small algorithms,
their hand-written C# twins, a Launcher/config.json and a framework module; data from the shared Lean folder."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pylean.conformance import cli
from pylean.conformance.cli import below_thresholds, main

ALGORITHM = '''from AlgorithmImports import *
from Alphas.TinyAlphaModel import TINY


class {name}(QCAlgorithm):
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.set_cash(100000)
        self.add_equity("SPY", Resolution.MINUTE)
        if self.get_parameter("ema-fast") != "10":
            raise ValueError("Launcher/config.json's parameters were not passed")
        if TINY != "tiny":
            raise ValueError("the framework module was not imported from the checkout")
        {extra}
'''

TWIN = '''namespace QuantConnect.Algorithm.CSharp
{{
    public class {name} : QCAlgorithm, IRegressionAlgorithmDefinition
    {{
        public long DataPoints => -1;
        public int AlgorithmHistoryDataPoints => -1;
        public AlgorithmStatus AlgorithmStatus => AlgorithmStatus.Completed;
        public Dictionary<string, string> ExpectedStatistics => new Dictionary<string, string>
        {{
            {{"Total Orders", "{orders}"}},
            {{"OrderListHash", "{order_list_hash}"}}
        }};
    }}
}}
'''

NO_ORDERS_HASH = hashlib.md5(b"").hexdigest()  # Lean's OrderListHash of an empty order list
EQUITY = ["TinyMatchAlgorithm", "TinyDifferAlgorithm", "TinyErrorAlgorithm"]
UNIVERSE = ["TinySlowAlgorithm"]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lean")
    for folder in ("Algorithm.Python", "Algorithm.CSharp", "Launcher", "Algorithm.Framework/Alphas"):
        (root / folder).mkdir(parents=True)
    (root / "Launcher" / "config.json").write_text(
        '{\n  // as in Lean\'s own\n  "parameters": {\n    "ema-fast": 10,\n    "ema-slow": 20\n  }\n}\n')
    (root / "Algorithm.Framework" / "Alphas" / "TinyAlphaModel.py").write_text('TINY = "tiny"\n')
    algorithms = {
        "TinyMatchAlgorithm": ("", "0"),
        "TinyDifferAlgorithm": ("", "1"),
        "TinyErrorAlgorithm": ('raise ValueError("tiny failure")', "0"),
        "TinySlowAlgorithm": ("import time; time.sleep(120)", "0"),
    }
    for name, (extra, orders) in algorithms.items():
        (root / "Algorithm.Python" / f"{name}.py").write_text(ALGORITHM.format(name=name, extra=extra))
        (root / "Algorithm.CSharp" / f"{name}.cs").write_text(
            TWIN.format(name=name, orders=orders, order_list_hash=NO_ORDERS_HASH))
    (root / "classes.json").write_text(json.dumps({"classes": {"us-equity": EQUITY,
                                                               "us-equity-universe-or-framework": UNIVERSE}}))
    return root


def arguments(checkout: Path, lean_data: Path, *more: str) -> list[str]:
    return ["--lean-root", str(checkout), "--data-folder", str(lean_data), "--classes",
            str(checkout / "classes.json"), *more]


@pytest.fixture(scope="module")
def equity_run(checkout: Path, lean_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict]:
    report = tmp_path_factory.mktemp("report") / "conformance.json"
    code = main(arguments(checkout, lean_data, "--class", "us-equity", "--jobs", "2", "--timeout", "120",
                          "--json", str(report), "--min-equity", "0.5"))
    return code, json.loads(report.read_text())


def test_each_algorithm_is_judged_as_lean_judges_it(equity_run: tuple[int, dict]) -> None:
    _, report = equity_run
    by_name = {a["name"]: a for a in report["algorithms"]}
    assert [a["name"] for a in report["algorithms"]] == EQUITY
    assert by_name["TinyMatchAlgorithm"]["outcome"] == "match", by_name["TinyMatchAlgorithm"]
    assert by_name["TinyMatchAlgorithm"]["order_list_hash"] == NO_ORDERS_HASH
    assert by_name["TinyDifferAlgorithm"]["outcome"] == "differs"
    assert by_name["TinyDifferAlgorithm"]["differences"] == ["Total Orders: got '0', expected '1'"]
    assert by_name["TinyErrorAlgorithm"]["outcome"] == "error"
    assert by_name["TinyErrorAlgorithm"]["cause"] == "ValueError: tiny failure"


def test_the_report_has_one_row_per_class_and_the_launcher_parameters(equity_run: tuple[int, dict]) -> None:
    _, report = equity_run
    assert report["classes"] == [{"class": "us-equity", "algorithms": 3, "matches": 1, "statistic differences": 1,
                                  "errors": 1, "timeouts": 0, "match rate": 1 / 3}]
    assert report["commonest_error_causes"] == [{"cause": "ValueError: tiny failure", "count": 1}]
    assert report["parameters"] == {"ema-fast": "10", "ema-slow": "20"}


def test_below_the_minimum_fraction_exits_1(equity_run: tuple[int, dict]) -> None:
    assert equity_run[0] == 1


def test_a_timeout_is_counted_and_at_the_minimum_exits_0(checkout: Path, lean_data: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "slow.json"
    code = main(arguments(checkout, lean_data, "--class", "universe", "--timeout", "3", "--json", str(report),
                          "--min-universe", "0"))
    assert code == 0
    (slow,) = json.loads(report.read_text())["algorithms"]
    assert (slow["outcome"], slow["cause"]) == ("timeout", "timeout after 3 s")
    printed = capsys.readouterr().out.splitlines()
    assert printed[2].split() == ["universe", "1", "0", "0", "0", "1", "0.0%"]
    assert "timeout after 3 s" in printed[-1]


@pytest.mark.parametrize(("more", "message"), [
    (["--jobs", "0"], "--jobs must be at least 1"),
    (["--min-equity", "1.5"], "--min-equity must be a fraction"),
    (["--only", "NotThere"], "not in the all selection: NotThere"),
])
def test_bad_options_exit_2(checkout: Path, lean_data: Path, more: list[str], message: str,
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(arguments(checkout, lean_data, *more)) == 2
    assert message in capsys.readouterr().err


def test_no_lean_checkout_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("LEAN_ROOT", raising=False)
    assert main([]) == 2
    assert "pass --lean-root DIR or set LEAN_ROOT" in capsys.readouterr().err
    assert main(["--lean-root", str(tmp_path)]) == 2
    assert "not a Lean checkout" in capsys.readouterr().err


def test_a_data_folder_without_market_hours_exits_2(checkout: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lean-root", str(checkout), "--data-folder", str(tmp_path)]) == 2
    assert "not a Lean data folder" in capsys.readouterr().err


def test_missing_class_lists_exit_2(checkout: Path, lean_data: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lean-root", str(checkout), "--data-folder", str(lean_data), "--classes",
                 str(tmp_path / "none.json")]) == 2
    assert "cannot read the class lists" in capsys.readouterr().err


def test_thresholds_apply_to_their_own_class_only() -> None:
    rows = [{"class": "us-equity", "match rate": 0.4}, {"class": "universe", "match rate": 0.9},
            {"class": "all", "match rate": 0.5}]
    assert below_thresholds(rows, {"us-equity": 0.5, "universe": 0.5}) == ["us-equity: 40.0% < 50.0%"]
    assert below_thresholds(rows, {"us-equity": 0.4, "universe": 0.95}) == ["universe: 90.0% < 95.0%"]
    assert below_thresholds(rows, {}) == []


def test_the_default_class_lists_are_the_shared_file(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZACPERF_SHARED_DIR", str(shared))
    assert cli._classes_file(None) == (shared / "conformance" / "lean-24863901-classes.json").resolve()
