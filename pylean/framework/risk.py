"""Risk management bases (Algorithm/Risk/): RiskManagementModel, NullRiskManagementModel,
CompositeRiskManagementModel. A risk model returns target overrides for the targets it is given."""
from __future__ import annotations

from typing import Any

from pylean.naming import lean_api, user_method


def distinct_by_symbol(*target_lists: Any) -> list[Any]:
    """Lean's Concat(...).DistinctBy(t => t.Symbol): the first target of each symbol, in order."""
    seen: set[Any] = set()
    result = []
    for targets in target_lists:
        for target in targets:
            if target.symbol not in seen:
                seen.add(target.symbol)
                result.append(target)
    return result


@lean_api
class RiskManagementModel:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def manage_risk(self, algorithm: Any, targets: Any) -> list[Any]:
        raise NotImplementedError("Types deriving from 'RiskManagementModel' must implement the "
                                  "'IEnumerable<IPortfolioTarget> ManageRisk(QCAlgorithm, IPortfolioTarget[]) method.")

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        pass


IRiskManagementModel = RiskManagementModel


@lean_api
class NullRiskManagementModel(RiskManagementModel):
    def manage_risk(self, algorithm: Any, targets: Any) -> list[Any]:
        return []


@lean_api
class CompositeRiskManagementModel(RiskManagementModel):
    """Each model sees the targets as adjusted by the models before it; newer targets win per symbol."""

    def __init__(self, *risk_management_models: Any) -> None:
        super().__init__()
        if len(risk_management_models) == 1 and isinstance(risk_management_models[0], (list, tuple)):
            risk_management_models = tuple(risk_management_models[0])
        if not risk_management_models:
            raise ValueError("Must specify at least 1 risk management model for the CompositeRiskManagementModel")
        self.__dict__["_pylean_risk_models"] = list(risk_management_models)

    def manage_risk(self, algorithm: Any, targets: Any) -> list[Any]:
        targets = list(targets)
        for model in self.__dict__["_pylean_risk_models"]:
            adjusted = user_method(model, "manage_risk")(algorithm, targets) or []
            targets = distinct_by_symbol(adjusted, targets)
        return targets

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        for model in self.__dict__["_pylean_risk_models"]:
            user_method(model, "on_securities_changed")(algorithm, changes)

    def add_risk_management(self, risk_management_model: Any) -> None:
        self.__dict__["_pylean_risk_models"].append(risk_management_model)
