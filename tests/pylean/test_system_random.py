"""System.Random(seed) (pylean/system_random.py): seeded sequences repeat, a negative seed acts as its
absolute value (as .NET's constructor does), and Next's bounds are [min, max)."""
from __future__ import annotations

import pytest

from pylean.algorithm_imports import Random


def test_a_seed_gives_one_sequence_and_negative_seeds_mirror_positive_ones() -> None:
    a, b, c = Random(387510346), Random(387510346), Random(-387510346)
    first = [a.next(0, 1000) for _ in range(50)]
    assert first == [b.next(0, 1000) for _ in range(50)] == [c.Next(0, 1000) for _ in range(50)]
    assert first != [Random(1).next(0, 1000) for _ in range(50)]


def test_next_bounds_and_doubles() -> None:
    r = Random(42)
    draws = [r.next(3, 9) for _ in range(2000)]
    assert set(draws) == set(range(3, 9))
    assert all(0 <= r.next(5) < 5 for _ in range(200))
    assert all(0 <= r.next() < 2147483647 for _ in range(200))
    doubles = [r.next_double() for _ in range(200)]
    assert all(0.0 <= x < 1.0 for x in doubles) and len(set(doubles)) == 200
    assert r.next(7, 7) == 7
    with pytest.raises(ValueError):
        r.next(5, 4)
