"""ClassicRenkoConsolidator (Common/Data/Consolidators/ClassicRenkoConsolidator.cs, BaseTimelessConsolidator.cs):
bricks of a fixed size from any input; no time-based scan."""
from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from pylean.consolidators.base import ConsolidatorBase
from pylean.data.market_data import TradeBar
from pylean.data.renko_bar import RenkoBar
from pylean.indicators.numbers import dec
from pylean.naming import lean_api

_EPSILON = Decimal("1e-28")


def _default_volume(data: Any) -> Any:
    return data.volume if isinstance(data, TradeBar) else getattr(data, "quantity", 0)


@lean_api
class ClassicRenkoConsolidator(ConsolidatorBase):
    """(bar_size[, selector[, volume_selector]][, even_bars]): with even bars the first brick opens at the
    value rounded up to a multiple of the brick; later bricks open at the previous close."""

    __slots__ = ("_brick", "_even", "_last_close", "_selector", "_volume_selector", "_current")

    def __init__(self, bar_size: Any, selector: Any = None, volume_selector: Any = None,
                 even_bars: bool = True) -> None:
        ConsolidatorBase.__init__(self)
        if isinstance(selector, bool):
            selector, even_bars = None, selector
        self._brick = dec(bar_size)
        if self._brick < _EPSILON:
            raise ValueError("RenkoConsolidator bar size must be positve and greater than 1e-28")
        self._even = bool(even_bars)
        self._last_close: Decimal | None = None
        self._selector: Callable[[Any], Any] = selector or (lambda data: data.value)
        self._volume_selector: Callable[[Any], Any] = volume_selector or _default_volume
        self._current: RenkoBar | None = None

    @property
    def input_kind(self) -> str | None:
        return None

    @property
    def output_type(self) -> type:
        return RenkoBar

    @property
    def working_data(self) -> Any:
        return self._current.clone() if self._current is not None else None

    def update(self, data: Any) -> None:
        value, volume = dec(self._selector(data)), dec(self._volume_selector(data))
        if self._current is not None:
            bar = self._current
            bar.update(data.time, value, volume)
            if bar.is_closed:
                self._last_close = bar._close
                self._current = None
                self._on_data_consolidated(bar)
        if self._current is None:
            opening = self._last_close if self._last_close is not None else value
            if self._even and self._last_close is None:
                opening = Decimal(math.ceil(opening / self._brick)) * self._brick
            self._current = RenkoBar(data.symbol, data.time, self._brick, opening, volume)

    def scan(self, current_local_time: datetime) -> None:
        pass

    def reset(self) -> None:
        ConsolidatorBase.reset(self)
        self._current, self._last_close = None, None
