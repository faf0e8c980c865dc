"""Every attribute name pylean's own QCAlgorithm and FillModel code uses, set by a user's subclass, leaves the
engine's behaviour unchanged (issue 12).

In Lean the engine's members are C# privates Python never sees, so a Lean project may assign any name
outside Lean's public API (`self._symbol`, `self._ctx`, `self._order_request`, ...). The names are found in
pylean's source (attributes read through `self`/`algorithm`/`model`, functions and class members) and
Lean's public API is taken from quantconnect-stubs, so a helper added later is covered without editing
this file.
"""
from __future__ import annotations

import ast
import importlib.util
import inspect
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from orders_support import DAY1, OrderTestAlgorithm, algo, fills, run

from pylean import algorithm_state
from pylean.algorithm import QCAlgorithm
from pylean.algorithm_state import AlgorithmState
from pylean.naming import to_pascal
from pylean.orders import fill_model, fills as fills_module
from pylean.orders.fills import EquityFillModel, FillModel

# quantconnect-stubs, the authority for Lean's public names (located, not imported: its package needs clr)
_STUBS_SPEC = importlib.util.find_spec("QuantConnect")
assert _STUBS_SPEC is not None and _STUBS_SPEC.submodule_search_locations, "quantconnect-stubs is a dev dependency"
STUBS = Path(list(_STUBS_SPEC.submodule_search_locations)[0])
OWNERS = {"self", "algorithm", "model"}
# where pylean kept its state and helpers on the objects themselves, before they moved out
FORMER_ALGORITHM_NAMES = {
    "_ctx", "_start_date", "_end_date", "_warm_up", "_initial_cash", "_name", "_pylean_object_store",
    "_pylean_insights", "_by_margin_impact", "_count_warm_up_quotes", "_create_consolidator", "_history_bars",
    "_indicator_name", "_initialize_indicator", "_no_good_til_date", "_order_request", "_push", "_register",
    "_security_for", "_set_holding", "_set_holdings_targets", "_stamp", "_subscription", "_target_delta",
    "_to_symbol", "_transactions", "_warm_up_consolidated", "_warn_once",
    "_symbol", "_request"}  # and two names Lean's own regression algorithms assign
FORMER_FILL_MODEL_NAMES = {"_fillable", "_fresh_prices", "_last_quote", "_open", "_prices", "_security_prices",
                           "_session_fill", "_best_effort", "_fresh_trade_bar", "_quote_data_warning"}


def _stub_members(pyi: Path, class_name: str) -> set[str]:
    """The members Lean's stubs declare on a class (its public API), in both spellings."""
    tree = ast.parse(pyi.read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    names: set[str] = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names | {to_pascal(n) for n in names}


def _normal(name: str) -> str:
    """Lean's PascalCase `ATR` and snake_case `atr` are one public member."""
    return name.lower().replace("_", "")


def _not_public(names: set[str], public: set[str]) -> set[str]:
    public_normal = {_normal(n) for n in public}
    return {n for n in names
            if n not in dir(object) and (n.startswith("_") or _normal(n) not in public_normal)}


def _names_in_source(modules: list[ModuleType], classes: list[type]) -> set[str]:
    """Attributes pylean reads or writes through its own objects, its functions and its classes' members."""
    names: set[str] = set()
    for module in modules:
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in OWNERS:
                names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
    for cls in classes:
        for klass in cls.__mro__[:-1]:
            names.update(vars(klass))
    return {n for n in names if not (n.startswith("__") and n.endswith("__"))}


def algorithm_engine_names() -> set[str]:
    public = _stub_members(STUBS / "Algorithm" / "__init__.pyi", "QCAlgorithm")
    # every module that defines a part of QCAlgorithm (a mixin added later included), and the state table
    modules = {sys.modules[klass.__module__] for klass in QCAlgorithm.__mro__[:-1]} | {algorithm_state}
    used = _names_in_source(sorted(modules, key=lambda m: m.__name__), [QCAlgorithm])
    # where pylean kept its state before it moved out of the object, and the state's own field names
    used |= set(AlgorithmState.__slots__) | {"_" + n for n in AlgorithmState.__slots__}
    used |= FORMER_ALGORITHM_NAMES
    return _not_public(used, public)


def fill_model_engine_names() -> set[str]:
    public = _stub_members(STUBS / "Orders" / "Fills" / "__init__.pyi", "FillModel")
    public |= _stub_members(STUBS / "Orders" / "Fills" / "__init__.pyi", "EquityFillModel")
    used = _names_in_source([fill_model, fills_module], [EquityFillModel]) | FORMER_FILL_MODEL_NAMES
    return _not_public(used, public)


class Marker:
    """What the user assigns: any use of it as the engine's own value fails loudly."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<user's {self.name}>"


class Trader(OrderTestAlgorithm):
    """Orders of every family, SetHoldings, Liquidate, an indicator fed by a consolidator, history,
    a scheduled event, a warm-up and the object store: the engine paths a user's names could reach."""

    SHADOW: set[str] = set()

    def setup(self) -> None:
        for name in sorted(self.SHADOW):
            setattr(self, name, Marker(name))
        self.set_warm_up(5)
        self.sma_fast = self.sma(self.test, 5)
        self.five = self.consolidate("TEST", timedelta(minutes=5), self.on_five)
        self.fives = 0
        self.schedule.on(self.date_rules.every_day(), self.time_rules.at(10, 0), self.at_ten)
        self.history_rows = len(self.history(self.test, 3))
        self.object_store.save("note", "kept")
        self.log_line = "start"

    def on_five(self, bar: Any) -> None:
        self.fives += 1

    def at_ten(self) -> None:
        self.debug(f"ten o'clock, sma {self.sma_fast.current.value:.2f}")

    def on_data(self, data: Any) -> None:
        if self.is_warming_up:
            return
        if self.at("09:40"):
            self.market_order("TEST", 10)                      # a ticker string, as Lean converts implicitly
            self.limit_order(self.test, -5, 101.0)
            self.stop_market_order(self.test, -5, 95.0)
        if self.at("10:30"):
            self.set_holdings(self.test, 0.5)
        if self.at("11:00"):
            self.market_order(self.test, self.calculate_order_quantity("TEST", 0.2))
        if self.at("15:00"):
            self.liquidate()


def _day(data: Any) -> None:
    bars = data.day(DAY1)
    for minute in range(0, 390, 7):
        hh, mm = divmod(570 + minute, 60)
        price = 100 + (minute % 13) * 0.1
        bars.set(f"{hh:02d}:{mm:02d}", price, price + 0.2, price - 0.2, price + 0.1)
    data.write(bars)


def _summary(out: Any) -> tuple[Any, ...]:
    a = algo(out)
    return (fills(out), a.fives, a.history_rows, round(a.sma_fast.current.value, 6),
            a.portfolio.total_portfolio_value, out.record.statistics if hasattr(out.record, "statistics") else None)


def test_the_name_lists_are_found_and_cover_the_old_private_state() -> None:
    names = algorithm_engine_names()
    assert {"_ctx", "_start_date", "_initial_cash", "_to_symbol", "_order_request", "symbol_for"} <= names
    assert "market_order" not in names and "SetHoldings" not in names and "time" not in names
    assert {"_fillable", "_prices", "can_fill_now"} <= fill_model_engine_names()


def test_a_user_subclass_setting_every_engine_name_trades_exactly_as_one_that_does_not(data) -> None:
    _day(data)
    control = run(data, Trader)

    class Shadowing(Trader):
        SHADOW = algorithm_engine_names()

    data.root.parent.joinpath("out").rename(data.root.parent / "out-control")
    shadowed = run(data, Shadowing)
    assert fills(control), "the control run must trade for the comparison to mean anything"
    assert _summary(shadowed) == _summary(control)
    user = algo(shadowed)
    for name in Shadowing.SHADOW:  # the user's own values are untouched by the engine
        value = getattr(user, name)  # a PascalCase alias shares its snake_case twin's value: either was set last
        assert isinstance(value, Marker) and _normal(value.name) == _normal(name), name


class ShadowingFillModel(EquityFillModel):
    """A user's fill model that assigns every name pylean's fill models use, then leaves the fills to Lean's rules."""

    def __init__(self) -> None:
        super().__init__()
        for name in sorted(fill_model_engine_names()):
            setattr(self, name, Marker(name))


class PlainFillModel(FillModel):
    pass


@pytest.mark.parametrize("model", [PlainFillModel, ShadowingFillModel])
def test_a_fill_model_subclass_setting_every_engine_name_fills_as_lean_does(data, model: type) -> None:
    _day(data)

    class WithModel(Trader):
        def setup(self) -> None:
            self.securities[self.test].set_fill_model(model())
            super().setup()

    control = run(data, Trader)
    data.root.parent.joinpath("out").rename(data.root.parent / "out-control")
    assert _summary(run(data, WithModel)) == _summary(control)
