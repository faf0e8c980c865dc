"""User subclasses of the framework's bases may use any attribute name: the engine's state is kept apart.
The same for an algorithm storing its own values under Lean's framework property names."""
from __future__ import annotations

from pathlib import Path

from test_framework_pipeline import CONSTANT, HEADER, _run, data  # noqa: F401  (the fixture)

# names the bases' implementations (pylean's and Lean's own Python versions) use for their state
NAMES = ["securities", "_securities", "insights_time_by_symbol", "_insights_time_by_symbol", "targets_collection",
         "_targets_collection", "_targets", "asynchronous", "_asynchronous", "portfolio_bias", "_portfolio_bias",
         "_rebalancing_func", "_rebalancing_time", "_security_changes", "_state", "_set_state", "_symbols",
         "_universe_settings", "_alpha_models", "_risk_management_models", "type", "direction", "period",
         "magnitude", "confidence", "weight", "_algorithm", "_insights", "_ctx"]

SUBCLASSED = """
        self.set_alpha(MyAlpha(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=30)))
        self.set_portfolio_construction(MyPortfolio())
        self.set_execution(MyExecution())
        self.add_risk_management(MyRisk())
        self.insights_generated += lambda algorithm, batch: self.generated.append((self.time, len(batch.insights)))
        for name in ("alpha", "execution", "portfolio_construction", "risk_management", "universe_selection",
                     "insights", "Alpha", "Execution", "_pylean_framework", "_framework", "_states"):
            setattr(self, name, "mine")
"""

SUBCLASSES = f"""

NAMES = {NAMES!r}


def clobber(model):
    for name in NAMES:
        setattr(model, name, "mine")


class MyAlpha(ConstantAlphaModel):
    def __init__(self, *args):
        super().__init__(*args)
        clobber(self)


class MyPortfolio(EqualWeightingPortfolioConstructionModel):
    def __init__(self):
        super().__init__()
        clobber(self)


class MyExecution(ImmediateExecutionModel):
    def __init__(self):
        super().__init__()
        clobber(self)


class MyRisk(RiskManagementModel):
    def __init__(self):
        clobber(self)

    def manage_risk(self, algorithm, targets):
        return []
"""


def test_subclasses_setting_the_bases_names_trade_as_the_bases(tmp_path: Path, data: Path) -> None:  # noqa: F811
    plain = _run(tmp_path / "plain", data, HEADER.format(models=CONSTANT))
    mine = _run(tmp_path / "mine", data, HEADER.format(models=SUBCLASSED), SUBCLASSES)
    assert mine.fills == plain.fills and mine.generated == plain.generated
    assert mine.alpha == "mine" and mine.insights == "mine"  # the user's own values stay theirs
