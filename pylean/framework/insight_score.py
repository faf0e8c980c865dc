"""InsightScore (Common/Algorithm/Framework/Alphas/InsightScore.cs): direction and magnitude scores in [0, 1]."""
from __future__ import annotations

from datetime import datetime

from pylean.enums import _add_pascal_aliases, _LeanIntEnum
from pylean.naming import lean_api


class InsightScoreType(_LeanIntEnum):
    DIRECTION = 0
    MAGNITUDE = 1


_add_pascal_aliases(InsightScoreType)


@lean_api
class InsightScore:
    def __init__(self, direction: float = 0.0, magnitude: float = 0.0, updated_time_utc: datetime | None = None
                 ) -> None:
        self.direction = direction
        self.magnitude = magnitude
        self.updated_time_utc = updated_time_utc
        self.is_final_score = False

    def set_score(self, type: InsightScoreType, value: float, algorithm_utc_time: datetime) -> None:
        """Clamped to [0, 1]; a final score does not change."""
        if self.is_final_score:
            return
        self.updated_time_utc = algorithm_utc_time
        clamped = max(0.0, min(1.0, float(value)))
        if InsightScoreType(type) == InsightScoreType.DIRECTION:
            self.direction = clamped
        else:
            self.magnitude = clamped

    def finalize(self, algorithm_utc_time: datetime) -> None:
        self.is_final_score = True
        self.updated_time_utc = algorithm_utc_time

    def get_score(self, type: InsightScoreType) -> float:
        return self.direction if InsightScoreType(type) == InsightScoreType.DIRECTION else self.magnitude

    def __str__(self) -> str:
        return f"Direction: {round(self.direction, 2)} Magnitude: {round(self.magnitude, 2)}"
