"""ConsolidatorBase and IdentityDataConsolidator (Common/Data/Consolidators/ConsolidatorBase.cs,
IdentityDataConsolidator.cs): the rolling window of outputs and the DataConsolidated event."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pylean.data.market_data import QuoteBar, TradeBar
from pylean.indicators.base import IndicatorDataPoint, data_value
from pylean.indicators.numbers import float_decimal
from pylean.indicators.window import Event, WindowBase
from pylean.naming import alias_attributes, lean_api

TRADE, QUOTE = "trade", "quote"
_TYPES = {TRADE: TradeBar, QUOTE: QuoteBar}
_new_object = object.__new__


def kind_of(data_type: Any) -> str | None:
    """"trade"/"quote" from a data type given as a class, a kind string or a TickType."""
    if data_type is None:
        return None
    if isinstance(data_type, str):
        return data_type if data_type in _TYPES else None
    if isinstance(data_type, type):
        if issubclass(data_type, TradeBar):
            return TRADE
        return QUOTE if issubclass(data_type, QuoteBar) else None
    try:
        return {0: TRADE, 1: QUOTE}.get(int(data_type))  # TickType.TRADE / TickType.QUOTE
    except (TypeError, ValueError):
        return None


@lean_api
class ConsolidatorBase(WindowBase):
    """Keeps the last outputs (`window`, `current`, `previous`, `[i]`) and raises `data_consolidated`.

    `_base_event` is Lean's IDataConsolidator.DataConsolidated, which the engine and the algorithm helpers
    subscribe to; `data_consolidated` is what Python code sees (the typed event on period consolidators).
    """

    __slots__ = ("consolidated", "_base_event", "data_consolidated", "__weakref__")
    INPUT_KIND: str | None = None

    def __init__(self) -> None:
        WindowBase.__init__(self)
        self.consolidated: Any = None
        self._base_event = Event()
        self.data_consolidated = self._base_event

    # ------------------------------------------------------------ the IDataConsolidator surface
    @property
    def input_kind(self) -> str | None:
        return self.INPUT_KIND

    @property
    def input_type(self) -> type:
        return _TYPES.get(self.input_kind or "", object)  # type: ignore[return-value]

    @property
    def output_type(self) -> type:
        return self.input_type

    @property
    def working_data(self) -> Any:
        return None

    def _working_peek(self) -> Any:
        """The working bar as the subscription manager's schedule reads it (pylean's own bulk-fed classes
        answer without merging what they deferred)."""
        return self.working_data

    def update(self, data: Any) -> None:
        raise NotImplementedError

    def scan(self, current_local_time: datetime) -> None:
        raise NotImplementedError

    def _on_data_consolidated(self, consolidated: Any) -> None:
        # the window first, so that inside a handler consolidator[0] is the bar just produced
        if consolidated is not None:
            self.window.add(consolidated)
        event = self._base_event
        if event._handlers:
            event.fire(self, consolidated)
        # set after the handlers: they can compare the new bar with the previous `consolidated`
        self.consolidated = consolidated

    def dispose(self) -> None:
        self._base_event.clear()

    def reset(self) -> None:
        self.consolidated = None
        self._reset_window()


alias_attributes(ConsolidatorBase, ["consolidated", "data_consolidated"])


@lean_api
class IdentityDataConsolidator(ConsolidatorBase):
    """Emits every input unchanged, skipping repeats of the same end time."""

    __slots__ = ("_kind", "_last", "_last_time", "_point_plan")

    def __init__(self, data_type: Any = None) -> None:
        ConsolidatorBase.__init__(self)
        self._kind = kind_of(data_type)
        self._last: Any = None
        self._last_time: datetime | None = None
        # (handlers, their indicator updates when every handler is one of `_register`'s point updates, else None)
        self._point_plan: tuple[tuple[Any, ...], tuple[Any, ...] | None] = ((), None)

    @property
    def input_kind(self) -> str | None:
        return self._kind

    @property
    def working_data(self) -> Any:
        return self._last

    def update(self, data: Any) -> None:
        end_time = data.end_time
        if self._last is None or end_time != self._last_time:
            self._on_data_consolidated(data)
            self._last = data
            self._last_time = end_time

    def scan(self, current_local_time: datetime) -> None:
        pass

    def _feed(self, data: Any, now: datetime) -> None:
        # update(data) with _on_data_consolidated written out: every bar of a subscription passes here
        # (its scan does nothing); the manager calls `_feed` on this exact class only
        end_time = data.end_time
        if self._last is not None and end_time == self._last_time:
            return
        window = self._window if self._window is not None else self.window
        items = window._items  # window.add(data) written out
        window._samples += 1
        if len(items) != window._size:
            items.appendleft(data)
        elif window._size:
            window._removed = items[-1]
            items.appendleft(data)
        handlers = self._base_event._handlers  # Event.fire: the tuple is the snapshot
        plan = self._point_plan
        if plan[0] is not handlers:
            plan = self._point_plan = (handlers, _point_updates(handlers))
        updates = plan[1]
        if updates is None:
            for handler in handlers:
                handler(self, data)
        else:  # each handler's own work (algorithm_indicators._register) written out: one point each
            close = data.close if type(data) is TradeBar else None
            value = float_decimal(close) if type(close) is float else data_value(data)  # once per bar
            symbol = data.symbol
            for update in updates:
                point = _new_object(IndicatorDataPoint)
                point.symbol = symbol
                point.time = end_time
                point._value = value
                point._float = None
                update(point)
        self.consolidated = data
        self._last = data
        self._last_time = end_time

    def reset(self) -> None:
        ConsolidatorBase.reset(self)
        self._last = None


def _point_updates(handlers: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The indicator updates behind `handlers` when each is a point update of `_register`, else None."""
    updates = tuple(getattr(handler, "point_update", None) for handler in handlers)
    return updates if updates and None not in updates else None
