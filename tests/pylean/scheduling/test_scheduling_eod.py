"""Engine-made end-of-day events (pylean/scheduling_eod.py): per-security on_end_of_day(symbol) at close - 10 min
and the deprecated algorithm-level on_end_of_day() at 23:58 (Lean: ScheduledEventFactory)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

START, END = datetime(2013, 11, 22), datetime(2013, 12, 3, 23, 59, 59, 999999)


@dataclass(frozen=True)
class Sym:
    value: str


def security(ticker: str, hours: Any, extended: bool = False) -> SimpleNamespace:
    return SimpleNamespace(symbol=Sym(ticker), exchange=SimpleNamespace(hours=hours),
                           subscriptions=[SimpleNamespace(extended_hours=extended)])


def test_security_end_of_day_times_and_order(harness_factory, hours) -> None:  # type: ignore[no-untyped-def]
    h = harness_factory(START, END)
    held = [security("SPY", hours), security("AAPL", hours), security("IBM", hours, extended=True)]
    calls: list[tuple[str, datetime]] = []
    eod = h.schedule.every_security_end_of_day(lambda: held, lambda symbol: calls.append((symbol.value, h.time)))
    h.schedule.setup(START)
    first = datetime(2013, 11, 27, 9, 31)
    h.step(first)
    assert eod.refresh(first) and not eod.refresh(first)  # step 4 of the first slice; nothing new afterwards
    assert list(eod.events) == [s.symbol for s in sorted(held, key=lambda s: s.symbol.value)]  # ticker order
    assert eod.events[held[0].symbol].name == "SPY.EndOfDay"
    h.run_days(datetime(2013, 11, 27).date(), datetime(2013, 12, 2).date(),
               [(12, 50), (12, 59), (13, 0), (15, 50), (16, 0)], hours)
    assert calls[:2] == [("AAPL", datetime(2013, 11, 27, 15, 50)), ("SPY", datetime(2013, 11, 27, 15, 50))]
    # IBM's extended-hours close (20:00) gives 19:50: it runs at the next slice, with the clock set back to 19:50;
    # on the early-close day its 12:50 equals the runner-up's, so Lean's re-sort leaves IBM in front
    assert calls[2:6] == [("IBM", datetime(2013, 11, 27, 19, 50)), ("IBM", datetime(2013, 11, 29, 12, 50)),
                          ("AAPL", datetime(2013, 11, 29, 12, 50)), ("SPY", datetime(2013, 11, 29, 12, 50))]
    # ...and the re-insertions of that round put SPY before AAPL on the next day (not ticker order any more)
    assert calls[6:] == [("SPY", datetime(2013, 12, 2, 15, 50)), ("AAPL", datetime(2013, 12, 2, 15, 50))]

def test_security_end_of_day_added_late_and_removed(harness_factory, hours) -> None:  # type: ignore[no-untyped-def]
    h = harness_factory(START, END)
    held = [security("SPY", hours)]
    calls: list[str] = []
    eod = h.schedule.every_security_end_of_day(lambda: held, lambda symbol: calls.append(symbol.value))
    h.schedule.setup(START)
    at_close = datetime(2013, 11, 22, 15, 50)
    h.step(at_close)
    eod.refresh(at_close)  # times strictly after now: today's 15:50 is gone
    assert eod.events[held[0].symbol].next_time == datetime(2013, 11, 25, 15, 50)
    held.append(security("AAPL", hours))
    eod.refresh(at_close)
    removed = held.pop(0)
    eod.refresh(at_close)
    assert removed.symbol not in eod.events and removed.symbol not in [e for e in eod.events]
    h.step(datetime(2013, 11, 25, 15, 50))
    assert calls == ["AAPL"]


def test_algorithm_end_of_day_runs_at_the_next_slice(harness_factory, hours) -> None:  # type: ignore[no-untyped-def]
    h = harness_factory(START, END)
    calls: list[datetime] = []
    eod = h.schedule.every_algorithm_end_of_day(lambda: [security("SPY", hours)], lambda: calls.append(h.time))
    h.schedule.setup(START)
    eod.refresh(START, first_day=START.date())
    first = eod.event
    eod.refresh(datetime(2013, 11, 22, 9, 31))  # a security change re-creates it
    assert first not in h.scheduler and eod.event in h.scheduler and eod.event.name == "Algorithm.EndOfDay"
    h.run_days(START.date(), datetime(2013, 12, 2).date(), [(9, 31)], hours)
    assert calls == [datetime(2013, 11, d, 23, 58) for d in (22, 25, 26, 27, 29)]  # no 11-28 (holiday)


def test_daily_end_of_day_order_matches_the_recorded_lean_run(harness_factory, hours, shared) -> None:  # type: ignore[no-untyped-def]
    """The recorded ZacQC run (real Lean, 15 symbols): two daily events made in initialize, then Daily Sampling,
    then the per-security events at the first slice. Lean's re-sorting permutes the 15:50 order from day two
    on; the log's "End of Day <ticker>" lines give that order, and the scheduler must reproduce it."""
    log = shared / "fixtures" / "lean-output" / "zacqc-15sym-2025-10-algorithm-log.txt"
    expected: dict[str, list[str]] = {}
    with open(log, encoding="utf-8") as handle:
        for line in handle:
            if " End of Day " in line:
                expected.setdefault(line[:10], []).append(line.split(" End of Day ")[1].split(" ")[0])
    start, end = datetime(2025, 10, 1), datetime(2025, 10, 10, 23, 59, 59, 999999)
    h = harness_factory(start, end)
    rules = h.schedule.date_rules, h.schedule.time_rules
    h.schedule.on(rules[0].every_day(), rules[1].at(15, 59), lambda: None)
    h.schedule.on(rules[0].every_day(), rules[1].at(14, 0), lambda: None)
    h.schedule.setup(start)
    h.schedule.on("Daily Sampling", rules[0].every_day(), rules[1].midnight, lambda: None)
    held = [security(t, hours) for t in expected["2025-10-01"]]
    calls: dict[str, list[str]] = {}
    eod = h.schedule.every_security_end_of_day(lambda: held, lambda s: calls.setdefault(str(h.time.date()),
                                                                                         []).append(s.value))
    for d in hours.trading_days(start.date(), end.date()):
        for hh, mm, ss in ((9, 30, 1), (14, 0, 0), (15, 50, 0), (15, 59, 0), (16, 0, 0)):
            t = datetime(d.year, d.month, d.day, hh, mm, ss)
            h.step(t)
            if not eod.events:
                eod.refresh(t)  # Lean: step 4 of the first slice (after the clock, before step 9)
    assert len(expected) == 8 and calls == expected
