"""Portfolio construction bases (Algorithm/Portfolio/): PortfolioConstructionModel, NullPortfolioConstructionModel.

A portfolio construction model turns the algorithm's active insights into portfolio targets when a rebalance is
due: on its rebalancing schedule, on security changes, or on new or expired insights. Subclasses decide the
target percent of each insight (`determine_target_percent`); either spelling of every protected helper may be
overridden. The base's own state lives under `_pylean_` names so subclasses may use any public name."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pylean.framework.rebalancing import rebalancing_func
from pylean.naming import lean_api, user_method


def insight_manager(algorithm: Any) -> Any:
    """The algorithm's InsightManager, read past a user attribute of the same name (`algorithm.insights`)."""
    from pylean.algorithm_framework import framework_in_use

    state = framework_in_use(algorithm)
    return state.insights if state is not None else algorithm.insights


@lean_api
class PortfolioConstructionModel:
    def __init__(self, rebalance: Any = None, *args: Any, **kwargs: Any) -> None:
        self.__dict__["_pylean_rebalancing_func"] = rebalancing_func(rebalance)

    # ------------------------------------------------------------ state (kept out of the public names)
    def _pylean_state(self, name: str, default: Any = None) -> Any:
        return self.__dict__.get("_pylean_" + name, default)

    def _pylean_set_state(self, name: str, value: Any) -> None:
        self.__dict__["_pylean_" + name] = value

    @property
    def algorithm(self) -> Any:
        """The algorithm of the last create_targets / on_securities_changed call (Lean's protected Algorithm)."""
        return self._pylean_state("algorithm")

    @algorithm.setter
    def algorithm(self, value: Any) -> None:
        self._pylean_set_state("algorithm", value)

    @property
    def rebalance_on_security_changes(self) -> bool:
        return self._pylean_state("rebalance_on_security_changes", True)

    @rebalance_on_security_changes.setter
    def rebalance_on_security_changes(self, value: bool) -> None:
        self._pylean_set_state("rebalance_on_security_changes", bool(value))

    @property
    def rebalance_on_insight_changes(self) -> bool:
        return self._pylean_state("rebalance_on_insight_changes", True)

    @rebalance_on_insight_changes.setter
    def rebalance_on_insight_changes(self, value: bool) -> None:
        self._pylean_set_state("rebalance_on_insight_changes", bool(value))

    # ------------------------------------------------------------ the model
    def create_targets(self, algorithm: Any, insights: Any) -> list[Any]:
        from pylean.framework.portfolio_target import percent_target, PortfolioTarget

        self._pylean_set_state("algorithm", algorithm)
        insights = list(insights)
        utc = algorithm.utc_time
        if not user_method(self, "is_rebalance_due")(insights, utc):
            return []
        targets = []
        active = user_method(self, "get_target_insights")()
        error_symbols = set()
        percents = user_method(self, "determine_target_percent")(active)
        for insight in active:
            if insight not in percents:
                continue
            target = percent_target(algorithm, insight.symbol, percents[insight])
            if target is not None:
                targets.append(target)
            else:
                error_symbols.add(insight.symbol)
        manager = insight_manager(algorithm)
        expired = manager.remove_expired_insights(utc)
        flattened = []
        for insight in expired:
            symbol = insight.symbol
            if symbol in flattened or symbol in error_symbols or manager.has_active_insights(symbol, utc):
                continue
            flattened.append(symbol)
        targets.extend(PortfolioTarget(symbol, 0) for symbol in flattened)
        return targets

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        if self._pylean_state("algorithm") is None:
            self._pylean_set_state("algorithm", algorithm)
        self._pylean_set_state("security_changes", bool(changes.added_securities or changes.removed_securities))
        if algorithm is not None:
            insight_manager(algorithm).expire([security.symbol for security in changes.removed_securities])

    def get_target_insights(self) -> list[Any]:
        """The last generated active insight of each symbol among those a target should be made for."""
        algorithm = self._pylean_state("algorithm")
        should_create = user_method(self, "should_create_target_for_insight")
        latest: dict[Any, Any] = {}
        for insight in insight_manager(algorithm).get_active_insights(algorithm.utc_time):
            if not should_create(insight):
                continue
            found = latest.get(insight.symbol)
            if found is None or insight.generated_time_utc >= found.generated_time_utc:
                latest[insight.symbol] = insight
        return list(latest.values())

    def should_create_target_for_insight(self, insight: Any) -> bool:
        return True

    def determine_target_percent(self, active_insights: Any) -> dict[Any, float]:
        raise NotImplementedError("Types deriving from 'PortfolioConstructionModel' must implement the "
                                  "'Dictionary<Insight, double> DetermineTargetPercent(ICollection<Insight>)' method.")

    def set_rebalancing_func(self, rebalance: Any) -> None:
        self._pylean_set_state("rebalancing_func", rebalancing_func(rebalance))

    def is_rebalance_due(self, insights: Any, algorithm_utc: datetime) -> bool:
        func = self._pylean_state("rebalancing_func")
        if func is None:
            self.refresh_rebalance(algorithm_utc)
            return True
        next_expiry = insight_manager(self._pylean_state("algorithm")).get_next_expiry_time()
        rebalancing_time = self._pylean_state("rebalancing_time")
        if rebalancing_time is None:
            rebalancing_time = func(algorithm_utc)
            self._pylean_set_state("rebalancing_time", rebalancing_time)
            if rebalancing_time is not None and rebalancing_time <= algorithm_utc:
                # due now: ask for the next time on the next call, not twice in one step
                self._pylean_set_state("rebalancing_time", None)
                self._pylean_set_state("security_changes", False)
                return True
        if ((rebalancing_time is not None and rebalancing_time <= algorithm_utc)
                or (self.rebalance_on_security_changes and self._pylean_state("security_changes", False))
                or (self.rebalance_on_insight_changes
                    and (len(insights) != 0 or (next_expiry is not None and next_expiry < algorithm_utc)))):
            self.refresh_rebalance(algorithm_utc)
            return True
        return False

    def refresh_rebalance(self, algorithm_utc: datetime) -> None:
        func = self._pylean_state("rebalancing_func")
        if func is not None:
            self._pylean_set_state("rebalancing_time", func(algorithm_utc))
        self._pylean_set_state("security_changes", False)

    @staticmethod
    def filter_invalid_insight_magnitude(algorithm: Any, insights: Any) -> list[Any]:
        """Insights whose magnitude (when set and non-zero) is within the settings' target percent bounds."""
        settings = algorithm.settings
        kept = []
        for insight in insights:
            magnitude = insight.magnitude
            if magnitude is None or magnitude == 0:
                kept.append(insight)
                continue
            if (abs(magnitude) > settings.max_absolute_portfolio_target_percentage
                    or abs(magnitude) < settings.min_absolute_portfolio_target_percentage):
                algorithm.error("PortfolioConstructionModel.FilterInvalidInsightMagnitude():"
                                f"The insight target Magnitude: {magnitude}, will not comply with the current "
                                "'Algorithm.Settings' 'MaxAbsolutePortfolioTargetPercentage': "
                                f"{settings.max_absolute_portfolio_target_percentage} or "
                                "'MinAbsolutePortfolioTargetPercentage': "
                                f"{settings.min_absolute_portfolio_target_percentage}. Skipping insight.")
                continue
            kept.append(insight)
        return kept


IPortfolioConstructionModel = PortfolioConstructionModel


@lean_api
class NullPortfolioConstructionModel(PortfolioConstructionModel):
    def create_targets(self, algorithm: Any, insights: Any) -> list[Any]:
        return []
