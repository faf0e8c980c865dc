"""InsightManager (Common/Algorithm/Framework/Alphas/Analysis/InsightManager.cs): the algorithm's `insights`, an
InsightCollection that can expire insights at the algorithm's time and run a user scoring function each step."""
from __future__ import annotations

import weakref
from typing import Any, Iterable

from pylean.framework.insight import Insight, InsightCollection
from pylean.naming import lean_api, user_method


@lean_api
class InsightManager(InsightCollection):
    def __init__(self, algorithm: Any) -> None:
        super().__init__()
        self._algorithm = weakref.ref(algorithm)  # the algorithm owns its manager: no reference cycle
        self._score_function: Any = None

    def step(self, utc_now: Any) -> None:
        if self._score_function is not None:
            self._score_function(self, utc_now)

    def set_insight_score_function(self, insight_score_function: Any) -> None:
        """An object with `score(insight_manager, utc_time)` (either spelling)."""
        self._score_function = user_method(insight_score_function, "score")

    def expire(self, items: Iterable[Any] | None) -> None:
        """Expire insights, or every open insight of the given symbols, at the algorithm's time."""
        if items is None:
            return
        algorithm = self._algorithm()
        if algorithm is None:
            return
        utc = algorithm.utc_time
        for item in list(items):
            insights = [item] if isinstance(item, Insight) else list(self._open.get(item, ()))
            for insight in insights:
                insight.expire(utc)

    cancel = expire
