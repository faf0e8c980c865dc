"""Fill (Common/Orders/Fills/Fill.cs): what FillModel.Fill returns, the order events of one fill."""
from __future__ import annotations

from typing import Any


class Fill(list):
    """Fill(events) or Fill(event); iterates over its order events."""

    def __init__(self, events: Any = ()) -> None:
        super().__init__([events] if hasattr(events, "order_id") else list(events))
