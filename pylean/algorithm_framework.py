"""QCAlgorithm's algorithm-framework members (Algorithm/QCAlgorithm.Framework.cs): the models, `insights`,
`universe_settings`, `emit_insights` and the insights-generated event.

The models live in a FrameworkState kept outside the algorithm object, in a table keyed by its identity, so no
attribute a user sets can reach it. Lean's public names (`alpha`, `execution`, ...) are properties: a user who
stores something else under one of them keeps it as a plain attribute of their own and the engine's model stays
in place."""
from __future__ import annotations

from typing import Any

from pylean.algorithm_state import ctx_of, state_of
from pylean.framework.alpha import CompositeAlphaModel, NullAlphaModel
from pylean.framework.pipeline import FrameworkState
from pylean.framework.risk import CompositeRiskManagementModel, NullRiskManagementModel
from pylean.framework.selection import CompositeUniverseSelectionModel, NullUniverseSelectionModel
from pylean.naming import lean_api

def framework_state(algorithm: Any) -> FrameworkState:
    """The algorithm's framework state, made on first use (kept with the algorithm's other engine state)."""
    state = state_of(algorithm)
    if state.framework is None:
        state.framework = FrameworkState(algorithm)
    return state.framework


def framework_in_use(algorithm: Any) -> FrameworkState | None:
    """The state when the algorithm set any framework model (the engine then runs the framework each step)."""
    found = state_of(algorithm).framework
    return found if found is not None and found.in_use else None


def add_universe_security(algorithm: Any, symbol: Any, settings: Any) -> Any:
    """A security a universe selected, subscribed with the universe's settings (kept if already added)."""
    from pylean.enums import DataNormalizationMode, Resolution

    return ctx_of(algorithm).add_equity(
        symbol.value, Resolution(settings.resolution), bool(settings.fill_forward), float(settings.leverage or 0.0),
        bool(settings.extended_market_hours), DataNormalizationMode(settings.data_normalization_mode))


def _model_property(field: str, lean_name: str) -> property:
    """Lean's model property: reads the framework's model unless the user stored something of their own."""
    own = f"_pylean_user_{field}"

    def get(self: Any) -> Any:
        if own in self.__dict__:
            return self.__dict__[own]
        return getattr(framework_state(self), field)

    def set_(self: Any, value: Any) -> None:
        self.__dict__[own] = value  # the user's own attribute: the engine keeps using its model

    return property(get, set_, doc=f"Lean's QCAlgorithm.{lean_name}")


@lean_api
class FrameworkMixin:
    universe_selection = _model_property("universe_selection", "UniverseSelection")
    alpha = _model_property("alpha", "Alpha")
    portfolio_construction = _model_property("portfolio_construction", "PortfolioConstruction")
    execution = _model_property("execution", "Execution")
    risk_management = _model_property("risk_management", "RiskManagement")

    @property
    def insights(self) -> Any:
        if "_pylean_user_insights" in self.__dict__:
            return self.__dict__["_pylean_user_insights"]
        return framework_state(self).insights

    @insights.setter
    def insights(self, value: Any) -> None:
        self.__dict__["_pylean_user_insights"] = value

    @property
    def universe_settings(self) -> Any:
        return framework_state(self).universe_settings

    @universe_settings.setter
    def universe_settings(self, value: Any) -> None:
        framework_state(self).universe_settings = value

    @property
    def insights_generated(self) -> Any:
        return framework_state(self).insights_generated

    @insights_generated.setter
    def insights_generated(self, value: Any) -> None:
        framework_state(self).insights_generated = value  # `+=` reads, adds and stores the same event back

    # ------------------------------------------------------------ models
    def set_universe_selection(self, universe_selection: Any) -> None:
        _set_model(self, "universe_selection", universe_selection)

    def add_universe_selection(self, universe_selection: Any) -> None:
        _add_model(self, "universe_selection", universe_selection, NullUniverseSelectionModel,
                   CompositeUniverseSelectionModel, "add_universe_selection")

    def set_alpha(self, alpha: Any) -> None:
        _set_model(self, "alpha", alpha)

    def add_alpha(self, alpha: Any) -> None:
        _add_model(self, "alpha", alpha, NullAlphaModel, CompositeAlphaModel, "add_alpha")

    def set_portfolio_construction(self, portfolio_construction: Any) -> None:
        _set_model(self, "portfolio_construction", portfolio_construction)

    def set_execution(self, execution: Any) -> None:
        _set_model(self, "execution", execution)

    def set_risk_management(self, risk_management: Any) -> None:
        _set_model(self, "risk_management", risk_management)

    def add_risk_management(self, risk_management: Any) -> None:
        _add_model(self, "risk_management", risk_management, NullRiskManagementModel,
                   CompositeRiskManagementModel, "add_risk_management")

    # ------------------------------------------------------------ insights
    def emit_insights(self, *insights: Any) -> list[Any]:
        """Stamp, record and (unless warming up) turn the insights into targets and orders now."""
        flat = [i for item in insights for i in (item if isinstance(item, (list, tuple)) else [item])]
        return framework_state(self).emit(self, flat)


def _set_model(algorithm: Any, field: str, model: Any) -> None:
    state = framework_state(algorithm)
    setattr(state, field, model)
    state.in_use = True


def _add_model(algorithm: Any, field: str, model: Any, null_type: type, composite_type: type, add: str) -> None:
    """Lean's Add*: the first model replaces the null one, a second makes a composite, later ones join it."""
    state = framework_state(algorithm)
    current = getattr(state, field)
    if type(current) is null_type:
        setattr(state, field, model)
    elif isinstance(current, composite_type):
        getattr(current, add)(model)
    else:
        setattr(state, field, composite_type(current, model))
    state.in_use = True
