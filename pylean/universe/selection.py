"""Applying one universe's selection (Engine/DataFeeds/UniverseSelection.ApplyUniverseSelection and
PendingRemovalsManager): new symbols are added, deselected members removed once they may be.

A deselected member is removed after `minimum_time_in_universe`; while it is invested or has open orders it
stays subscribed (a pending removal, reported once) and leaves at a later selection of any universe.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pylean.universe.base import UNCHANGED, Universe
from pylean.universe.securities import add_universe_security, unsubscribe


class UniverseSelection:
    def __init__(self, rt: Any) -> None:
        self.rt = rt
        self.pending_removals: list[tuple[Universe, Any]] = []  # (universe, security) kept for holdings/orders

    def _safe_to_remove(self, security: Any) -> bool:
        if security.invested:
            return False
        symbol = security.symbol
        return not any(o.symbol == symbol for o in self.rt.transactions.open_orders())

    def _is_pending(self, security: Any) -> bool:
        return any(s is security for _, s in self.pending_removals)

    def apply(self, universe: Universe, local_time: datetime, selected: Any) -> tuple[list[Any], list[Any]]:
        """Added and removed securities of one selection (`selected`: Symbols, or UNCHANGED)."""
        state = universe.__dict__
        if selected is not UNCHANGED:
            selected = set(selected or ())
            # Universe.PerformSelection: the same selection as last time is Unchanged
            if selected == state.get("_pylean_previous"):
                selected = UNCHANGED
            else:
                state["_pylean_previous"] = state["_pylean_selected"] = selected
        chosen = state["_pylean_selected"]
        self._check_pending(universe, chosen)
        if selected is UNCHANGED:
            return [], []
        members = state["_pylean_members"]
        removed: list[Any] = []
        for symbol in sorted(members, key=lambda s: str(s.id)):
            security = members[symbol][0]
            if symbol in chosen or not universe.can_remove_member(local_time, security):
                continue
            if not security.is_delisted and not self._is_pending(security):
                removed.append(security)
            if self._safe_to_remove(security):
                self._remove(universe, security)
            elif not self._is_pending(security):
                self.pending_removals.append((universe, security))
        added: list[Any] = []
        settings = universe.universe_settings
        for symbol in chosen:
            if symbol in members:
                continue
            security = add_universe_security(self.rt, symbol, settings)
            members[symbol] = (security, local_time)
            added.append(security)
        return added, removed

    def _check_pending(self, universe: Universe, chosen: set[Any]) -> None:
        for entry in list(self.pending_removals):
            owner, security = entry
            safe = self._safe_to_remove(security)
            if safe or (owner is universe and security.symbol in chosen):
                self.pending_removals.remove(entry)
                if safe:
                    self._remove(owner, security)

    def _remove(self, universe: Universe, security: Any) -> None:
        universe.__dict__["_pylean_members"].pop(security.symbol, None)
        if not any(security.symbol in u.__dict__["_pylean_members"] for u in self._universes()):
            unsubscribe(self.rt, security)

    def _universes(self) -> list[Universe]:
        manager = getattr(self.rt, "universe_manager", None)
        return manager.universes if manager is not None else []
