"""A Lean project written with .NET-namespace imports runs unmodified: clr, System, System.Collections.Generic,
QuantConnect.* and the Python names Lean's AlgorithmImports brings into scope (sys, typing's List, TimeSpan)."""
from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from support.lean_data import at, new_data_folder, write_intraday

from pylean.dotnet import dotnet_imports
from pylean.dotnet.collections_generic import Dictionary, KeyValuePair, List
from pylean.launcher import BacktestOptions, run_backtest

DOTNET_PROJECT = '''
import sys
from datetime import timedelta
import clr
clr.AddReference("System")
clr.AddReference("QuantConnect.Algorithm")
from System import *
from System.Collections.Generic import List, Dictionary
from QuantConnect import *
from QuantConnect.Algorithm import QCAlgorithm
from QuantConnect.Orders.Fills import FillModel
from QuantConnect.Data.Market import TradeBar
from QuantConnect.Algorithm.Framework.Alphas import InsightDirection
import QuantConnect.Orders.Fees as fees


from helpers import TICKER


class HalfFill(FillModel):
    def MarketFill(self, asset, order):
        fill = super().MarketFill(asset, order)
        self.seen = True
        return fill


class DotNetProject(QCAlgorithm):
    def Initialize(self):
        self.SetStartDate(2013, 10, 7)
        self.SetEndDate(2013, 10, 7)
        self.symbols = List[Symbol]()
        self.symbols.Add(self.AddEquity(TICKER, Resolution.MINUTE).Symbol)
        self.fill_model = HalfFill()
        self.Securities["ABC"].SetFillModel(self.fill_model)
        self.names = Dictionary[str, str]()
        self.names.Add("ticker", "ABC")
        self.period = TimeSpan.from_minutes(20)
        self.platform = sys.platform
        self.fee_model_type = fees.ConstantFeeModel
        self.direction = InsightDirection.UP

    def OnData(self, data):
        bars = [kvp.key for kvp in data.Bars]
        assert [kvp.key for kvp in data] == bars and [kvp.Value for kvp in data] == list(data.Bars.values())
        if not self.Portfolio.Invested and bars == list(self.symbols) and isinstance(data.Bars["ABC"], TradeBar):
            self.SetHoldings(self.symbols[0], 0.5)

    def OnEndOfAlgorithm(self):
        ran = getattr(self.fill_model, "seen", False) and self.symbols.Count == 1
        if not ran or self.period != timedelta(minutes=20):
            raise ValueError("the .NET-style project did not run as written")
        self.Debug("dotnet project ok " + self.names["ticker"])
'''


def test_a_project_with_dotnet_imports_runs_unmodified(tmp_path: Path, lean_data: Path) -> None:
    data = new_data_folder(tmp_path / "data", lean_data)
    write_intraday(data, "minute", "ABC", date(2013, 10, 7), [(at(9, 30), 10, 10, 10, 10, 100),
                                                              (at(9, 31), 10, 11, 10, 11, 100)])
    project = tmp_path / "DotNetProject"
    project.mkdir()
    (project / "main.py").write_text(DOTNET_PROJECT)
    (project / "helpers.py").write_text('TICKER = "ABC"\n')  # a helper module beside main.py
    outcome = run_backtest(BacktestOptions(project / "main.py", data, tmp_path / "out"))
    assert outcome.failure is None, outcome.failure
    assert outcome.record is not None and outcome.record.statistics["Total Orders"] == "1"
    assert any("dotnet project ok ABC" in line for line in outcome.record.runtime.results.log_lines)


def test_namespaces_exist_only_during_a_run_and_win_over_the_stubs() -> None:
    before = sys.modules.get("QuantConnect")
    with dotnet_imports():
        from QuantConnect.Orders.Fills import FillModel
        from System.Collections.Generic import List as DotNetList
        import clr

        from pylean.orders.fills import FillModel as PyleanFillModel
        assert FillModel is PyleanFillModel and DotNetList is List
        assert clr.GetClrType(FillModel) is FillModel and clr.AddReference("QuantConnect.Common") is None
        ns = {}
        exec("from QuantConnect import *", ns)
        assert "QCAlgorithm" in ns and "np" not in ns and "datetime" not in ns  # Lean types, not Python modules
        exec("from System import *", ns)
        assert "TimeSpan" in ns and "Exception" not in ns  # Python's Exception is not shadowed
        from Orders.Slippage.VolumeShareSlippageModel import QCAlgorithm as Found  # Lean's Common/*.py paths

        from pylean.algorithm import QCAlgorithm
        assert Found is QCAlgorithm
    assert sys.modules.get("QuantConnect") is before and "Orders" not in sys.modules


def test_dotnet_collections() -> None:
    values = List[int]()
    values.Add(3)
    values.AddRange([4, 5])
    assert values.Count == 3 and values.Contains(4) and values.Remove(4) and not values.Remove(9)
    table = Dictionary[str, int]()
    table.Add("a", 1)
    assert table.ContainsKey("a") and table.Count == 1 and table.Keys == ["a"]
    try:
        table.Add("a", 2)
    except ValueError:
        pass
    else:
        raise AssertionError("Dictionary.Add of an existing key must raise, as .NET's does")
    pair = KeyValuePair("k", 2)
    key, value = pair
    assert (pair.Key, pair.Value, key, value) == ("k", 2, "k", 2)
