"""A split's effect on a raw-priced position (SecurityPortfolioManager.ApplySplit, applied by AlgorithmManager's
HandleSplits when the SplitOccurred event arrives): the quantity is divided by the split factor and truncated to
whole shares, the average price multiplied by it, and the fractional share left over is paid out in cash at the
post-split price. Adjusted, split-adjusted and total-return data already carry the split in their prices."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.data.corporate_events import SplitType
from pylean.enums import DataNormalizationMode


def apply_split(rt: Any, split: Any) -> None:
    if split.type != SplitType.SPLIT_OCCURRED or rt.is_warming_up or split.symbol not in rt.securities:
        return
    security = rt.securities[split.symbol]
    if security.data_normalization_mode != DataNormalizationMode.RAW:
        return
    factor = Decimal(repr(float(split.split_factor)))
    _scale_cached_bar(rt, security, factor)
    holding = security.holdings
    if not holding._quantity:
        return
    quantity = holding._quantity / factor
    whole = Decimal(int(quantity))
    last = security.cache.trade_decimal() or Decimal(repr(float(split.reference_price))) * factor
    holding._quantity = whole
    holding._average_price = holding._average_price * factor
    rt.portfolio._cash += (quantity - whole) * last


def _scale_cached_bar(rt: Any, security: Any, factor: Decimal) -> None:
    """Security.ApplySplit: the pre-split bar the security still holds is priced after the split until the next
    bar arrives. That bar is a row carried into the current day, so only this day's copy of it changes."""
    cache, block, k = security.cache, rt.cursor.block, rt.cursor.k
    index = cache.trade_index
    if block is None or k < 0 or not 0 <= index < len(block.configs):
        return
    day = block.configs[index]
    row = int(day.last_real[k])
    if not 0 <= row < len(day.carry_factors):
        return
    day.carry_factors[row] = day.carry_factors[row] * factor
    for prices in day.rows.prices.values():
        prices[row] = prices[row] * float(factor)
    day.columns = None           # the Python-list copies are made again from the scaled row
    cache._dec_block = None      # and the step's exact prices
