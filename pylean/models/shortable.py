"""Shortable providers (Common/Data/Shortable/NullShortableProvider.cs): how many shares can be shorted and at
what fee and rebate. The null provider, the default of the default brokerage model, has no limit (None) and
zero rates. Only the provider is modelled here: the transaction handler does not yet check short quantities."""
from __future__ import annotations

from datetime import datetime

from pylean.naming import lean_api
from pylean.symbols import Symbol


@lean_api
class NullShortableProvider:
    def fee_rate(self, symbol: Symbol, local_time: datetime) -> float:
        return 0.0

    def rebate_rate(self, symbol: Symbol, local_time: datetime) -> float:
        return 0.0

    def shortable_quantity(self, symbol: Symbol, local_time: datetime) -> int | None:
        return None


NULL_SHORTABLE_PROVIDER = NullShortableProvider()
NullShortableProvider.instance = NullShortableProvider.Instance = NULL_SHORTABLE_PROVIDER  # type: ignore[attr-defined]
