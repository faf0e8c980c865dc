"""QCAlgorithm members for security set-up and signal export (Algorithm/QCAlgorithm.cs: AddSecurityInitializer,
SetSecurityInitializer, SignalExport), kept out of algorithm.py so that file stays a thin facade.

Engine state lives on the run (`ctx_of(self)`, pylean/algorithm_state.py), never on the algorithm object, so
user attributes of the same names cannot disturb it.
"""
from __future__ import annotations

from typing import Any, Callable

from pylean.algorithm_clock import timed_if_user
from pylean.algorithm_state import ctx_of
from pylean.algorithm_statistics import RunStatistics, current_statistics
from pylean.security_seeding import last_known_prices
from pylean.signal_exports import SignalExportManager


def as_security_initializer(initializer: Any) -> Callable[[Any], None]:
    """A function of the security, or an object with `initialize(security)` (Lean's ISecurityInitializer)."""
    method = getattr(initializer, "initialize", None)
    if method is None and not callable(initializer):
        raise TypeError(f"a security initializer is a function of the security or has initialize(security): "
                        f"{initializer!r}")
    return timed_if_user(method if method is not None else initializer)


class SecurityExtrasMixin:
    def add_security_initializer(self, security_initializer: Any) -> None:
        """Runs after the initializers already added, for every security added from now on."""
        ctx_of(self).security_initializers.append(as_security_initializer(security_initializer))

    def get_last_known_prices(self, security: Any) -> list[Any]:
        """The last data point of each of the security's subscriptions before now (a seeder's usual source)."""
        ctx = ctx_of(self)
        if not hasattr(security, "subscriptions"):
            security = ctx.securities[security]
        return last_known_prices(ctx, security)

    def get_last_known_price(self, security: Any) -> Any:
        found = self.get_last_known_prices(security)
        return found[-1] if found else None

    @property
    def statistics(self) -> RunStatistics:
        """The run's statistics as of now (Lean recomputes them on each read)."""
        return current_statistics(ctx_of(self))

    @property
    def signal_export(self) -> SignalExportManager:
        ctx = ctx_of(self)
        manager = ctx.__dict__.get("signal_export_manager")
        if manager is None:
            debug = self.debug  # type: ignore[attr-defined]  # QCAlgorithm's
            manager = ctx.signal_export_manager = SignalExportManager(debug)
        return manager
