"""local_to_naive_utc (algorithm.utc_time): the naive UTC of a New York clock time, kept per clock object,
stays equal to local_to_utc's whatever order the two are asked in."""
from __future__ import annotations

from datetime import datetime, timedelta

from pylean.timeutil import local_to_naive_utc, local_to_utc


def test_naive_utc_follows_every_new_clock_object_across_a_dst_switch():
    start = datetime(2025, 3, 7, 23, 0)  # the 2025 spring switch is on March 9
    times = [start + timedelta(hours=h) for h in range(0, 60, 5)]
    for i, local in enumerate(times):
        if i % 2:
            local_to_utc(local)  # the aware conversion first, then the naive one from the same record
        naive = local_to_naive_utc(local)
        assert naive == local_to_utc(local).replace(tzinfo=None) and naive.tzinfo is None
        assert local_to_naive_utc(local) is naive  # asked again at the same step: the same object
    assert local_to_naive_utc(datetime(2025, 7, 1, 9, 30)) == datetime(2025, 7, 1, 13, 30)
    assert local_to_naive_utc(datetime(2025, 12, 1, 9, 30)) == datetime(2025, 12, 1, 14, 30)


def test_an_equal_but_new_clock_object_is_converted_again():
    first = datetime(2025, 10, 1, 9, 30)
    assert local_to_naive_utc(first) == datetime(2025, 10, 1, 13, 30)
    other = datetime(2025, 1, 2, 9, 30)
    local_to_utc(other)
    assert local_to_naive_utc(datetime(2025, 1, 2, 9, 30)) == datetime(2025, 1, 2, 14, 30)


def test_an_order_event_time_from_the_steps_utc_time_is_the_same_aware_instant():
    """orders.types.utc_aware hands back the record's aware UTC for the step's own naive utc_time; any other
    naive time (an equal copy, another step's) is stamped UTC as it is."""
    from datetime import timezone

    from pylean.orders.types import utc_aware

    for local in (datetime(2025, 3, 9, 1, 59), datetime(2025, 3, 9, 3, 0), datetime(2025, 11, 2, 1, 30)):
        naive = local_to_naive_utc(local)
        aware = utc_aware(naive)
        assert aware == naive.replace(tzinfo=timezone.utc) and aware.tzinfo is timezone.utc
        assert aware.replace(tzinfo=None) == naive
        copy = naive.replace(minute=(naive.minute + 1) % 60)
        assert utc_aware(copy) == copy.replace(tzinfo=timezone.utc)
