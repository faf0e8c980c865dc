"""MaximumSectorExposureRiskManagementModel (Algorithm.Framework/Risk/MaximumSectorExposureRiskManagementModel.cs):
securities with fundamental data are grouped by their industry template code; a group whose absolute value (at the
latest target's quantity when there is one, else at the holdings) exceeds the given share of the portfolio has every
position scaled down by the excess ratio."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.algorithm_trading import PortfolioTarget
from pylean.framework.risk import RiskManagementModel
from pylean.framework.targets import PortfolioTargetCollection
from pylean.naming import lean_api
from pylean.numbers import to_decimal


def _active_securities(algorithm: Any) -> list[Any]:
    """The universe manager's active securities (the algorithm's when it has no universe manager)."""
    manager = getattr(algorithm, "universe_manager", None)
    active = getattr(manager, "active_securities", None) if manager is not None else None
    if active is None:
        active = algorithm.active_securities
    return list(active.values())


def _sector_of(security: Any) -> Any:
    """The industry template code of a security with fundamental data, else None."""
    fundamentals = getattr(security, "fundamentals", None)
    if fundamentals is None or not getattr(fundamentals, "has_fundamental_data", False):
        return None
    return fundamentals.company_reference.industry_template_code


@lean_api
class MaximumSectorExposureRiskManagementModel(RiskManagementModel):
    def __init__(self, maximum_sector_exposure: float = 0.20) -> None:
        super().__init__()
        exposure = to_decimal(maximum_sector_exposure)
        if exposure <= 0:
            raise ValueError("MaximumSectorExposureRiskManagementModel: the maximum sector exposure cannot be a "
                             "non-positive value.")
        self.__dict__["_pylean_exposure"] = exposure
        self.__dict__["_pylean_targets"] = PortfolioTargetCollection()

    def manage_risk(self, algorithm: Any, targets: Any) -> list[PortfolioTarget]:
        collection = self.__dict__["_pylean_targets"]
        maximum_value = algorithm.portfolio.total_portfolio_value_decimal() * self.__dict__["_pylean_exposure"]
        collection.add_range(targets)
        sectors: dict[Any, list[Any]] = {}  # in first-seen order, as Lean's GroupBy
        for security in _active_securities(algorithm):
            sector = _sector_of(security)
            if sector is not None:
                sectors.setdefault(sector, []).append(security)
        adjusted = []
        for securities in sectors.values():
            sector_value = Decimal(0)
            for security in securities:
                found, target = collection.try_get_value(security.symbol)
                if found:
                    sector_value += (to_decimal(security.price) * abs(to_decimal(target.quantity))
                                     * to_decimal(security.symbol_properties.contract_multiplier))
                else:
                    sector_value += abs(security.holdings.holdings_value_decimal())
            ratio = sector_value / maximum_value if maximum_value else Decimal(0)
            if ratio <= 1:
                continue
            for security in securities:
                found, target = collection.try_get_value(security.symbol)
                quantity = to_decimal(target.quantity) if found else security.holdings._quantity
                if quantity != 0:
                    # a decimal quantity, as Lean's (PortfolioTarget keeps what it is given)
                    adjusted.append(PortfolioTarget(security.symbol, quantity / ratio))  # type: ignore[arg-type]
        return adjusted

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        if not any(_sector_of(security) is not None for security in _active_securities(algorithm)):
            raise RuntimeError("MaximumSectorExposureRiskManagementModel.OnSecuritiesChanged: Please select a "
                               "portfolio selection model that selects securities with fundamental data.")
