"""The synthetic golden baselines exercise ZacQC's trading: fills of every exit kind (reads the recorded files).

A fill's kind comes from its order's tag (ZacQC/trading/tags.py) and, for Action1's break-even, from the
order having been updated (Action1 moves the stop or limit to the entry price with an order update, which
shows as an `updateSubmitted` event); the ratchet's stop is a new order tagged `SL-<cond>-<TICKER>-Updated`.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

BASELINES = Path(__file__).resolve().parents[2] / "baselines"
EXIT_KINDS = ("stop_loss", "take_profit", "ratchet_stop", "break_even", "time_exit", "end_of_day", "profit_target")
REQUIRED_EXITS = ("stop_loss", "take_profit", "break_even", "time_exit", "end_of_day")
SCALE_CELLS = [f"s{s}-d{d}" for s in (1, 4, 16) for d in (1, 5, 20)]


def fill_kind(tag: str, updated: bool) -> str:
    if tag.startswith(("Buy-", "Short-", "Trail-Update-")):
        return "entry"
    if tag.startswith(("SL-", "TP-")):
        if updated:
            return "break_even"
        if tag.startswith("SL-"):
            return "ratchet_stop" if tag.endswith("-Updated") else "stop_loss"
        return "take_profit"
    if tag.startswith("eod-action2-"):
        return "time_exit"
    return {"EOD-Close": "end_of_day", "targetprofit": "profit_target"}.get(tag, f"unknown:{tag}")


def fill_kinds(scenario: str) -> Counter[str]:
    """Filled quantity events per kind in `baselines/<scenario>/`."""
    folder = BASELINES / scenario
    orders = {o["id"]: o for o in json.loads((folder / "orders.json").read_text())}
    events = json.loads((folder / "order-events.json").read_text())
    updated = {e["orderId"] for e in events if e["status"] == "updateSubmitted"}
    return Counter(fill_kind(orders[e["orderId"]]["tag"], e["orderId"] in updated)
                   for e in events if e["status"] == "filled")


def test_smoke_fills_entries_break_even_time_exit_and_the_flatten():
    kinds = fill_kinds("smoke")
    assert sum(kinds.values()) >= 5
    assert {"entry", "break_even", "time_exit", "end_of_day"} <= set(kinds)


def test_reference_fills_every_exit_kind():
    kinds = fill_kinds("reference")
    assert sum(kinds.values()) >= 40
    assert kinds["entry"] >= 20
    assert all(kinds[kind] >= 1 for kind in REQUIRED_EXITS), kinds
    assert set(kinds) <= {"entry", *EXIT_KINDS}, kinds


@pytest.mark.parametrize("cell", SCALE_CELLS)
def test_every_scale_cell_trades(cell: str):
    kinds = fill_kinds(f"scale/{cell}")
    assert kinds["entry"] >= 1 and sum(kinds.values()) - kinds["entry"] >= 1, kinds
    assert set(kinds) <= {"entry", *EXIT_KINDS}, kinds


def test_the_largest_scale_cell_fills_every_exit_kind():
    kinds = fill_kinds("scale/s16-d20")
    assert all(kinds[kind] >= 1 for kind in REQUIRED_EXITS), kinds


@pytest.mark.parametrize("scenario", ["smoke", "reference", *(f"scale/{c}" for c in SCALE_CELLS)])
def test_break_even_fills_at_the_entry_price(scenario: str):
    """Action1's update moves an SL/TP to the entry price (2 dp); the break-even fill happens there."""
    folder = BASELINES / scenario
    tags = {o["id"]: o["tag"] for o in json.loads((folder / "orders.json").read_text())}
    events = json.loads((folder / "order-events.json").read_text())
    moved = {e["orderId"]: e.get("stopPrice", e.get("limitPrice")) for e in events if e["status"] == "updateSubmitted"}
    fills = {e["orderId"]: e["fillPrice"] for e in events if e["status"] == "filled" and e["orderId"] in moved}
    for order_id, price in fills.items():
        assert price == moved[order_id], (order_id, tags[order_id], price)
        entry = tags[order_id].rsplit("-", 1)[1]         # SL-/TP-<cond>-<TICKER>-<entry fill> (ratchet: -Updated)
        if entry != "Updated":
            assert price == round(float(entry), 2), (order_id, tags[order_id], price)
