"""Signal export (Common/Algorithm/Framework/Portfolio/SignalExports/SignalExportManager.cs and its providers).

Lean sends portfolio targets to the providers in live mode only; in a backtest SetTargetPortfolio logs once that
targets are only sent live and succeeds. pylean runs backtests, so the providers only keep their settings and
nothing ever leaves the machine.
"""
from __future__ import annotations

from typing import Any, Callable

from pylean.naming import lean_api


@lean_api
class SignalExportManager:
    def __init__(self, debug: Callable[[str], None]) -> None:
        self._debug = debug
        self._providers: list[Any] = []
        self._warned = False

    def add_signal_export_provider(self, provider: Any) -> None:
        self._providers.append(provider)

    def add_signal_export_providers(self, *providers: Any) -> None:
        for provider in providers:
            if isinstance(provider, (list, tuple)):
                self._providers.extend(provider)
            else:
                self._providers.append(provider)

    def set_target_portfolio(self, *targets: Any) -> bool:
        if not self._warned:
            self._debug("Portfolio targets are only sent in live mode")
            self._warned = True
        return True

    def set_target_portfolio_from_portfolio(self) -> bool:
        return self.set_target_portfolio()


class _SignalExportProvider:
    """A provider as a backtest sees it: constructed with its credentials, never asked to send."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.settings = (args, kwargs)

    def send(self, parameters: Any) -> bool:
        return True

    Send = send


class VBaseSignalExport(_SignalExportProvider):
    pass


class Collective2SignalExport(_SignalExportProvider):
    pass


class CrunchDAOSignalExport(_SignalExportProvider):
    pass


class NumeraiSignalExport(_SignalExportProvider):
    pass
