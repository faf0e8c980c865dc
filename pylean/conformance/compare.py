"""Lean's regression assertions (Tests/AlgorithmRunner.cs `AssertAlgorithmState`, Tests/RegressionTests.cs),
applied to what a pylean run left behind: the final status, every expected statistic string (OrderListHash
included, "-0" read as "0"), DataPoints and AlgorithmHistoryDataPoints (a -1 is not checked)."""
from __future__ import annotations

from dataclasses import dataclass

from pylean.conformance.expectations import NOT_CHECKED, Expectation

MATCH, DIFFERS, ERROR, TIMEOUT = "match", "differs", "error", "timeout"
OUTCOMES = (MATCH, DIFFERS, ERROR, TIMEOUT)


@dataclass(frozen=True)
class Observed:
    """What one run produced (None where the run left nothing to read)."""

    status: str | None
    statistics: dict[str, str]   # the result file's statistics plus the logged OrderListHash
    data_points: int | None
    history_data_points: int | None
    error: str = ""              # the algorithm's exception, last line of its trace


def _zero(value: str) -> str:
    return "0" if value == "-0" else value


def differences(expected: Expectation, observed: Observed) -> list[str]:
    """Every check Lean's regression test makes that the run fails, as "what: got X, expected Y"."""
    found = []
    if observed.status != expected.status:
        found.append(f"status: got {observed.status}, expected {expected.status}")
    for key, value in expected.statistics.items():
        got = observed.statistics.get(key)
        if got is None:
            found.append(f"{key}: missing, expected {value!r}")
        elif _zero(got) != _zero(value):
            found.append(f"{key}: got {got!r}, expected {value!r}")
    for label, want, got in (("DataPoints", expected.data_points, observed.data_points),
                             ("AlgorithmHistoryDataPoints", expected.history_data_points,
                              observed.history_data_points)):
        if want != NOT_CHECKED and got != want:
            found.append(f"{label}: got {got}, expected {want}")
    return found


def classify(expected: Expectation, observed: Observed) -> tuple[str, list[str], str]:
    """(outcome, differences, cause): an unexpected RuntimeError is an error whose cause is the exception;
    otherwise a match when every check passes, else a statistic difference."""
    found = differences(expected, observed)
    if observed.status == "RuntimeError" and expected.status != "RuntimeError":
        return ERROR, found, observed.error or "RuntimeError (no message)"
    return (MATCH if not found else DIFFERS), found, ""
