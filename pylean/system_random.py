"""System.Random with a seed, as .NET's seeded constructor generates (the legacy subtractive generator that
`new Random(seed)` keeps for compatibility): algorithms that seed it expect Lean's exact sequence."""
from __future__ import annotations

from pylean.naming import lean_api

_MBIG = 2147483647
_MSEED = 161803398


@lean_api
class Random:
    __slots__ = ("_seed_array", "_inext", "_inextp")

    def __init__(self, seed: int = 0) -> None:
        seed = int(seed)
        subtraction = _MBIG if seed == -2147483648 else abs(seed)
        mj = _MSEED - subtraction
        seeds = [0] * 56
        seeds[55] = mj
        mk = 1
        for i in range(1, 55):
            ii = (21 * i) % 55
            seeds[ii] = mk
            mk = mj - mk
            if mk < 0:
                mk += _MBIG
            mj = seeds[ii]
        for _ in range(4):
            for i in range(1, 56):
                seeds[i] -= seeds[1 + (i + 30) % 55]
                if seeds[i] < 0:
                    seeds[i] += _MBIG
        self._seed_array, self._inext, self._inextp = seeds, 0, 21

    def _internal_sample(self) -> int:
        inext = self._inext + 1 if self._inext + 1 < 56 else 1
        inextp = self._inextp + 1 if self._inextp + 1 < 56 else 1
        seeds = self._seed_array
        value = seeds[inext] - seeds[inextp]
        if value == _MBIG:
            value -= 1
        if value < 0:
            value += _MBIG
        seeds[inext] = value
        self._inext, self._inextp = inext, inextp
        return value

    def _sample(self) -> float:
        return self._internal_sample() * (1.0 / _MBIG)

    def next(self, min_value: int | None = None, max_value: int | None = None) -> int:
        """Next(), Next(max) or Next(min, max): an int in [min, max)."""
        if min_value is None:
            return self._internal_sample()
        if max_value is None:
            min_value, max_value = 0, min_value
        if min_value > max_value:
            raise ValueError("'minValue' cannot be greater than maxValue.")
        span = int(max_value) - int(min_value)
        if span <= _MBIG:
            return int(self._sample() * span) + int(min_value)
        return int(self._large_range_sample() * span) + int(min_value)

    def _large_range_sample(self) -> float:
        result = self._internal_sample()
        if self._internal_sample() % 2 == 0:
            result = -result
        return (result + (_MBIG - 1.0)) / (2.0 * _MBIG - 1.0)

    def next_double(self) -> float:
        return self._sample()
