"""The order tag grammar ZacQC writes and parses (entries, exits, market closes).

| tag                               | order                         |
|-----------------------------------|-------------------------------|
| Buy-<cond>-Trail-<TICKER>         | stop-market buy entry         |
| Short-<cond>-Trail-<TICKER>       | stop-market sell entry        |
| Trail-Update-<cond>-<TICKER>      | trailed long entry            |
| SL-<cond>-<TICKER>-<fill price>   | stop-loss (stop market)       |
| SL-<cond>-<TICKER>-Updated        | ratcheted stop-loss           |
| TP-<cond>-<TICKER>-<fill price>   | take-profit (limit)           |
| EOD-Close                         | 15:59 flatten (market)        |
| eod-action2-<TICKER>              | Action2 flatten (market)      |
| targetprofit                      | daily profit target (market)  |
"""
from __future__ import annotations

from config.parameters import CONDITIONS

EOD_CLOSE = "EOD-Close"
TARGET_PROFIT = "targetprofit"


def long_entry(condition: str, ticker: str) -> str:
    return f"Buy-{condition}-Trail-{ticker}"


def short_entry(condition: str, ticker: str) -> str:
    return f"Short-{condition}-Trail-{ticker}"


def trail_update(condition: str, ticker: str) -> str:
    return f"Trail-Update-{condition}-{ticker}"


def stop_loss(condition: str, ticker: str, fill_price: float) -> str:
    return f"SL-{condition}-{ticker}-{fill_price}"


def stop_loss_updated(condition: str, ticker: str) -> str:
    return f"SL-{condition}-{ticker}-Updated"


def take_profit(condition: str, ticker: str, fill_price: float) -> str:
    return f"TP-{condition}-{ticker}-{fill_price}"


def action2_close(ticker: str) -> str:
    return f"eod-action2-{ticker}"


def is_exit(tag: str) -> bool:
    """SL/TP orders, which the entry monitors leave alone."""
    return "SL-" in tag or "TP-" in tag


def is_stop_loss(tag: str) -> bool:
    return "-SL" in tag or "SL-" in tag


def is_take_profit(tag: str) -> bool:
    return "-TP" in tag or "TP-" in tag


def exit_condition(tag: str) -> str:
    """Condition of an SL-/TP- tag: its second '-' token."""
    parts = tag.split("-")
    return parts[1] if len(parts) > 1 else ""


def entry_condition(tag: str) -> str | None:
    """Condition of an entry tag (Buy-/Short-...-Trail-, Trail-Update-), else None."""
    parts = tag.split("-")
    if (tag.startswith("Buy-") or tag.startswith("Short-")) and "-Trail-" in tag:
        return parts[1] if parts[1] in CONDITIONS else None
    if tag.startswith("Trail-Update-") and len(parts) > 2:
        return parts[2] if parts[2] in CONDITIONS else None
    return None


def is_long_entry_order(tag: str, quantity: float) -> bool:
    return "Buy" in tag or quantity > 0


def is_short_entry_order(tag: str, quantity: float) -> bool:
    return "Short" in tag or quantity < 0
