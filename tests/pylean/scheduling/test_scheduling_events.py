"""ScheduleManager + EventScheduler (pylean/scheduling.py): catch-up of missed events, clock handling, ordering
of simultaneous events (Lean's BacktestingRealTimeHandler), events created mid-run, removal, callbacks."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from pylean.scheduling import EventScheduler, ScheduledEvent

START, END = datetime(2013, 11, 22), datetime(2013, 12, 3, 23, 59, 59, 999999)
MINUTES = [(9, 31), (12, 0), (12, 59), (13, 0), (14, 0), (15, 50), (15, 59), (16, 0)]


def dt(*args: int) -> datetime:
    return datetime(*args)


def test_every_calendar_day_catches_up_at_the_next_slice(harness_factory, hours) -> None:  # type: ignore[no-untyped-def]
    h = harness_factory(START, END)
    h.schedule.on(h.schedule.date_rules.every_day(), h.schedule.time_rules.at(15, 59), h.recorder("eod"))
    h.schedule.setup(START)
    h.run_days(START.date(), END.date(), MINUTES, hours)
    fired = {when: (clock, at_slice) for _, when, clock, at_slice in h.log}
    assert len(h.log) == 12 and [when for _, when, _, _ in h.log] == sorted(fired)  # one per calendar day, in order
    assert all(clock == when for _, when, clock, _ in h.log)                         # clock = the event's own time
    assert fired[dt(2013, 11, 22, 15, 59)][1] == dt(2013, 11, 22, 15, 59)           # on time (step 9)
    for missed in (dt(2013, 11, 23, 15, 59), dt(2013, 11, 24, 15, 59)):               # weekend -> Monday's first slice
        assert fired[missed][1] == dt(2013, 11, 25, 9, 31)
    assert fired[dt(2013, 11, 28, 15, 59)][1] == dt(2013, 11, 29, 9, 31)             # Thanksgiving
    for missed in (dt(2013, 11, 29, 15, 59), dt(2013, 11, 30, 15, 59), dt(2013, 12, 1, 15, 59)):
        assert fired[missed][1] == dt(2013, 12, 2, 9, 31)                            # after the 13:00 early close
    assert fired[dt(2013, 12, 3, 15, 59)][1] == dt(2013, 12, 3, 15, 59)
    assert h.time == dt(2013, 12, 3, 16)                                             # clock restored to the slice


def test_missed_events_interleave_by_time(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h = harness_factory(START, END)
    rules = h.schedule.date_rules, h.schedule.time_rules
    h.schedule.on(rules[0].every_day(), rules[1].at(15, 59), h.recorder("late"))
    h.schedule.on(rules[0].every_day(), rules[1].at(14, 0), h.recorder("early"))
    h.schedule.setup(START)
    h.step(dt(2013, 11, 25, 9, 31))  # first slice on Monday: Fri, Sat, Sun events all missed
    assert [(label, when) for label, when, _, _ in h.log] == [
        (label, dt(2013, 11, d, hh, mm)) for d in (22, 23, 24) for label, hh, mm in (("early", 14, 0), ("late", 15, 59))]


def test_events_created_mid_run_skip_the_past(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h = harness_factory(START, END)
    h.schedule.setup(START)
    h.step(dt(2013, 11, 25, 10, 0))
    rules = h.schedule.date_rules, h.schedule.time_rules
    h.schedule.on(rules[0].every_day(), rules[1].at(9, 0), h.recorder("nine"))       # today's 09:00 is past
    h.schedule.on(rules[0].today, rules[1].at(10, 0), h.recorder("ten"))             # == now: kept
    h.schedule.on(rules[0].today, rules[1].now, h.recorder("now"))
    h.schedule.on(rules[0].on(2013, 11, 22), rules[1].midnight, h.recorder("past"))
    h.step(dt(2013, 11, 25, 10, 1))
    assert [(label, when, clock) for label, when, clock, _ in h.log] == [
        ("ten", dt(2013, 11, 25, 10), dt(2013, 11, 25, 10)), ("now", dt(2013, 11, 25, 10), dt(2013, 11, 25, 10))]
    h.step(dt(2013, 11, 26, 9, 31))
    assert [label for label, *_ in h.log][2:] == ["nine"] and h.log[2][1] == dt(2013, 11, 26, 9)


def test_initialize_events_start_at_the_run_start_and_read_the_end_lazily(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h = harness_factory(START, END)
    h.period = None  # initialize has not set the end date yet: nothing may be generated now
    rules = h.schedule.date_rules, h.schedule.time_rules
    event = h.schedule.on(rules[0].every_day(), rules[1].midnight, h.recorder("midnight"))
    h.schedule.on(rules[0].today, rules[1].at(12, 0), h.recorder("today"))
    assert h.scheduler.next_time is None and not h.schedule.is_set_up
    h.period = (START, dt(2013, 11, 23, 23, 59, 59))
    h.time = dt(2013, 11, 26)  # the clock is ignored at setup: the run start rules
    h.schedule.setup(dt(2013, 11, 21, 12))  # e.g. a warm-up start
    assert event.next_time == dt(2013, 11, 22) and h.scheduler.next_time == dt(2013, 11, 21, 12)
    h.step(dt(2013, 11, 25, 9, 31))
    assert [(label, when) for label, when, _, _ in h.log] == [
        ("today", dt(2013, 11, 21, 12)), ("midnight", dt(2013, 11, 22)), ("midnight", dt(2013, 11, 23))]
    assert h.scheduler.next_time is None  # bounded by the end date


def test_simultaneous_events_fire_in_creation_order(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h = harness_factory(START, END)
    rules = h.schedule.date_rules, h.schedule.time_rules
    for label in "AB":
        h.schedule.on(rules[0].every_day(), rules[1].at(10, 0), h.recorder(label))
    h.schedule.setup(START)
    h.schedule.on("Daily Sampling", rules[0].every_day(), rules[1].midnight, h.recorder("M"))
    for d in (22, 25, 26):
        h.step(dt(2013, 11, d, 10, 0))
    # Friday: midnight (step 1) then A, B; Monday's first slice catches up Sat and Sun before Monday's own
    assert "".join(label for label, *_ in h.log) == "MAB" + "MABMABMAB" + "MAB"


def test_lean_reinsertion_quirk_for_three_simultaneous_events() -> None:
    """SortFirstElement re-inserts after the first equal time its binary search meets, and keeps the head
    in front when its next time merely equals the runner-up's: day 2 fires A, C, B."""
    clock: list[datetime] = []
    scheduler = EventScheduler(clock.append)
    log: list[str] = []
    days = [dt(2013, 11, 25) + timedelta(days=i) for i in range(3)]
    for label in "ABC":
        scheduler.add(ScheduledEvent(label, [d + timedelta(hours=15, minutes=50) for d in days],
                                     lambda name, when: log.append(name)))
    scheduler.add(ScheduledEvent("M", [d + timedelta(days=1) for d in days], lambda name, when: log.append(name)))
    for d in days:
        scheduler.fire_before(d + timedelta(hours=16), inclusive=True)
        log.append("|")
    assert "".join(log) == "ABC|MACB|MABC|"
    two: list[str] = []  # two same-time events with nothing in between alternate
    scheduler = EventScheduler(clock.append)
    for label in "AB":
        scheduler.add(ScheduledEvent(label, [d + timedelta(hours=10) for d in days], lambda n, w: two.append(n)))
    for d in days:
        scheduler.fire_before(d + timedelta(hours=11), inclusive=True)
    assert "".join(two) == "ABBAAB"


def test_remove_enable_and_duplicates(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h = harness_factory(START, END)
    rules = h.schedule.date_rules, h.schedule.time_rules
    dropped = h.schedule.on(rules[0].every_day(), rules[1].at(11, 0), h.recorder("dropped"))
    h.schedule.remove(dropped)  # before the run
    paused = h.schedule.on(rules[0].every_day(), rules[1].at(12, 0), h.recorder("paused"))
    twice = h.schedule.on(rules[0].on(date(2013, 11, 22), date(2013, 11, 22)), rules[1].at(9, 45), h.recorder("dup"))
    later = h.schedule.on(rules[0].every_day(), rules[1].at(13, 0), h.recorder("later"))
    h.schedule.setup(START)
    paused.Enabled = False  # keeps advancing, never calls back
    h.step(dt(2013, 11, 22, 12, 30))
    h.schedule.Remove(later)
    h.step(dt(2013, 11, 22, 13, 30))
    assert [label for label, *_ in h.log] == ["dup", "dup"] and twice.next_time is None
    assert paused.next_time == dt(2013, 11, 23, 12) and later not in h.scheduler


def test_callback_signatures_and_names(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h = harness_factory(START, END)
    calls: list[tuple] = []

    class Algo:
        def no_args(self) -> None:
            calls.append(("none",))

        def name_time(self, name: str, when: datetime) -> None:
            calls.append((name, when))

    algo = Algo()
    rules = h.schedule.DateRules, h.schedule.TimeRules
    h.schedule.On(rules[0].EveryDay("SPY"), rules[1].AfterMarketOpen("SPY", 10), algo.no_args)
    event = h.schedule.on(rules[0].every_day("SPY"), rules[1].after_market_open("SPY", 10), algo.name_time)
    named = h.schedule.on("mine", rules[0].every_day(), rules[1].at(9, 40), lambda: calls.append(("lambda",)))
    h.schedule.setup(START)
    h.step(dt(2013, 11, 22, 9, 40))
    assert event.name == "SPY: EveryDay: SPY: 10 min after MarketOpen" and named.Name == "mine"
    assert calls == [("none",), (event.name, dt(2013, 11, 22, 9, 40)), ("lambda",)]
    with pytest.raises(TypeError):
        h.schedule.on(rules[0].every_day(), rules[1].midnight)
