"""Split events from a factor file (SplitEventProvider.cs): a Warning at midnight of the factor row's date
(the last trading day before the split) and SplitOccurred at midnight of the next trading day, each a data
point in slice.splits; a slice with only a split answers slice[symbol] with None."""
from __future__ import annotations

from orders_support import DAY1, DAY2, OrderTestAlgorithm, algo, run

from pylean.algorithm_imports import SplitType


def test_split_warning_then_split_occurred(data) -> None:
    class Splits(OrderTestAlgorithm):
        END = DAY2

        def setup(self) -> None:
            self.seen: list[tuple[str, object, float, bool]] = []

        def on_data(self, data) -> None:
            for symbol, split in data.splits.items():
                self.seen.append((f"{self.time:%m-%d %H:%M}", split.type, split.split_factor, data[symbol] is None))

        def on_dividends(self, dividends) -> None:
            raise AssertionError("a split is not a dividend")

    data.write(data.day(DAY1), data.day(DAY2))
    folder = data.root / "equity" / "usa" / "factor_files"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "test.csv").write_text("20131007,1,0.5,100\n20501231,1,1,0\n")
    out = run(data, Splits)
    assert algo(out).seen == [("10-07 00:00", SplitType.WARNING, 0.5, True),
                              ("10-08 00:00", SplitType.SPLIT_OCCURRED, 0.5, True)]
    (folder / "test.csv").unlink()
    plain = run(data, Splits)
    assert algo(plain).seen == [] and _points(out) == _points(plain) + 2


def _points(outcome) -> int:
    return outcome.record.data_points
