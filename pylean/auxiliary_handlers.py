"""The algorithm's auxiliary-data handlers (Engine/AlgorithmManager.cs): on_symbol_changed_events before the
step's orders are processed (open orders of a renamed symbol are cancelled), then, after the consolidators, the
splits' portfolio effects and on_splits, on_dividends and on_delistings. Each handler receives its named
collection (Splits, Dividends, ...)."""
from __future__ import annotations

from typing import Any

from pylean.data.slice import DataDictionary
from pylean.split_adjustment import apply_split


class Splits(DataDictionary):
    __slots__ = ()


class Dividends(DataDictionary):
    __slots__ = ()


class Delistings(DataDictionary):
    __slots__ = ()


class SymbolChangedEvents(DataDictionary):
    __slots__ = ()


class AuxiliaryHandlers:
    def __init__(self, engine: Any) -> None:
        self.rt = engine.rt
        self.on_symbol_changed_events = engine._handler("on_symbol_changed_events")
        self.on_splits = engine._handler("on_splits")
        self.on_dividends = engine._handler("on_dividends")
        self.on_delistings = engine._handler("on_delistings")

    def symbol_changes(self, data: Any) -> None:
        events = data.symbol_changed_events
        if not events:
            return
        if self.on_symbol_changed_events is not None:
            self.on_symbol_changed_events(SymbolChangedEvents(events))
        transactions = self.rt.transaction_manager
        for symbol in list(events.keys()):
            for ticket in transactions.get_open_order_tickets(lambda order, s=symbol: order.symbol == s):
                ticket.cancel("Open order cancelled on symbol changed event")

    def deliver(self, data: Any) -> None:
        for split in data.splits.values():  # HandleSplits, before the handlers
            apply_split(self.rt, split)
        for handler, collection, kind in ((self.on_splits, data.splits, Splits),
                                          (self.on_dividends, data.dividends, Dividends),
                                          (self.on_delistings, data.delistings, Delistings)):
            if handler is not None and collection:
                handler(kind(collection))
