"""A user's own `self._symbol` / `self._request` must not hide pylean's helpers: Lean's C# privates
are invisible to Python, and Lean's regression algorithms assign both names."""
from __future__ import annotations

from orders_support import DAY1, OrderTestAlgorithm, algo, fills, run


def test_user_attributes_named_like_private_helpers_do_not_break_orders(data) -> None:
    class Shadowing(OrderTestAlgorithm):
        def setup(self) -> None:
            self._symbol = self.test
            self._request = "user value"

        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.market_order(self._symbol, 10)
                self.limit_order("TEST", -10, 100.5)
                self.removed = self.remove_security(self._symbol)

    data.write(data.day(DAY1).set("09:33", 100, 101, 100, 100.8))
    out = run(data, Shadowing)
    a = algo(out)
    assert a._request == "user value" and a._symbol == a.test
    assert [(t, i, q) for t, i, _, q in fills(out)][:1] == [("09:31", 1, 10.0)]
    assert a.removed
