"""UniverseSettings (Common/Data/UniverseSelection/UniverseSettings.cs): how securities a universe adds are
subscribed. pylean honours resolution, leverage, fill-forward, extended hours and normalization."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pylean.enums import DataNormalizationMode, Resolution
from pylean.naming import lean_api


@lean_api
class UniverseSettings:
    def __init__(self, resolution: Any = Resolution.MINUTE, leverage: float = 0.0, fill_forward: bool = True,
                 extended_market_hours: bool = False, minimum_time_in_universe: timedelta = timedelta(days=1),
                 data_normalization_mode: Any = DataNormalizationMode.ADJUSTED, data_mapping_mode: Any = None,
                 contract_depth_offset: int = 0, asynchronous: bool | None = None, selection_date_rule: Any = None
                 ) -> None:
        if isinstance(resolution, UniverseSettings):  # the copy constructor
            self.__dict__.update(resolution.__dict__)
            return
        self.resolution = resolution
        self.leverage = leverage
        self.fill_forward = fill_forward
        self.extended_market_hours = extended_market_hours
        self.minimum_time_in_universe = minimum_time_in_universe
        self.data_normalization_mode = data_normalization_mode
        self.data_mapping_mode = data_mapping_mode
        self.contract_depth_offset = contract_depth_offset
        self.asynchronous = asynchronous
        self.selection_date_rule = selection_date_rule
        self.subscription_data_types: Any = None
