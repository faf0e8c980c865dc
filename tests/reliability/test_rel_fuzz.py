"""Property tests (hypothesis, 2,000 examples each): the Lean data readers, the data cache, the scenario
parser and the baseline diff never crash on bad input, never accept what they should refuse, and round-trip
what is valid."""
from __future__ import annotations

import copy
import datetime as dt
import io
import os
import struct
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pylean.data import cache as data_cache
from pylean.data import lean_format as lf
from pylean.data.errors import LeanDataError

from zacperf import golden
from zacperf.errors import ZacperfError
from zacperf.scenarios import parse_scenario

# CI draws the same 2,000 examples each run (no flaky merges); REL_FUZZ_RANDOM=1 explores new ones.
FUZZ = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=os.environ.get("REL_FUZZ_RANDOM") != "1", database=None)
PATH = Path("/data/equity/usa/minute/abc/20131007_trade.zip")


def zipped(text: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("20131007_abc_minute_trade.csv", text)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- readers

price = st.integers(1, 10**12)
bar = st.tuples(price, price, price, price, st.integers(0, 10**12))


@st.composite
def trade_rows(draw: Any) -> list[tuple[int, ...]]:
    gaps = draw(st.lists(st.integers(1, 10**6), min_size=0, max_size=40))
    times = np.cumsum([draw(st.integers(0, 10**6))] + gaps[:-1]).tolist() if gaps else []
    return [(t, *draw(bar)) for t in times]


@FUZZ
@given(trade_rows(), st.sampled_from([b"\n", b"\r\n"]))
def test_valid_trade_files_round_trip(rows: list[tuple[int, ...]], newline: bytes) -> None:
    text = newline.join(b",".join(str(v).encode() for v in row) for row in rows) + (newline if rows else b"")
    columns = lf.parse_intraday(zipped(text), PATH, "trade")
    assert [tuple(int(columns[f][i]) for f in lf.TRADE_FIELDS) for i in range(len(rows))] == rows


cell = st.one_of(st.integers(-10**13, 10**13).map(str), st.sampled_from(["", " ", "abc", "1.5", "0x1F", "--1", "1e3",
                                                                          "9" * 25, "\x00", "é"]))


@FUZZ
@given(st.lists(st.lists(cell, min_size=0, max_size=8).map(",".join), max_size=12), st.sampled_from(["trade", "quote"]))
def test_any_csv_is_read_validly_or_refused_with_a_one_line_error(lines: list[str], kind: str) -> None:
    data = zipped("\n".join(lines).encode("utf-8"))
    try:
        columns = lf.parse_intraday(data, PATH, kind)
    except LeanDataError as exc:
        assert "\n" not in str(exc) and str(PATH) in str(exc)
        return
    ms = columns["ms"]
    assert np.all(ms[1:] > ms[:-1])                      # strictly increasing times
    prices = [columns[f] for f in lf.fields_for(kind)[1:]]
    if kind == "trade":
        assert all(np.all(p > 0) for p in prices[:4]) and np.all(prices[4] >= 0)
    else:
        assert all(np.all(p >= 0) for p in prices)


@FUZZ
@given(st.binary(max_size=300), st.integers(0, 400))
def test_any_bytes_are_a_zip_or_a_one_line_error(noise: bytes, cut: int) -> None:
    good = zipped(b"34200000,100000,105000,95000,100000,100\n")
    for data in (noise, good[:cut] + noise[:10], b"PK\x03\x04" + noise):
        for parse in (lambda b: lf.parse_intraday(b, PATH, "trade"), lambda b: lf.parse_daily_or_hour(b, PATH)):
            try:
                parse(data)
            except LeanDataError as exc:
                assert "\n" not in str(exc) and str(PATH) in str(exc)


# ----------------------------------------------------------------------------- cache

@FUZZ
@given(trade_rows(), st.data())
def test_cache_entries_round_trip_and_damaged_entries_are_refused(rows: list[tuple[int, ...]], data: Any) -> None:
    block = np.array(rows, np.int64).reshape(-1, 6).T
    columns = dict(zip(lf.TRADE_FIELDS, block))
    raw = b"".join(bytes(c) for c in data_cache._encode("trade", columns))
    decoded = data_cache._decode(np.frombuffer(raw, np.uint8), "trade")
    assert all(np.array_equal(decoded[f], columns[f]) for f in lf.TRADE_FIELDS)
    cut = data.draw(st.integers(0, len(raw) - 1))
    schema = data.draw(st.integers(0, 2**32 - 1).filter(lambda t: t != data_cache._SCHEMA_TAGS["trade"]))
    damaged = {"truncated": raw[:cut],
               "another pylean version": raw[:24] + (data_cache.ENGINE_TAG ^ 1).to_bytes(4, "little") + raw[28:],
               "another schema": raw[:12] + schema.to_bytes(4, "little") + raw[16:],
               "trailing bytes": raw + b"\0" * data.draw(st.integers(1, 64))}
    for why, bad in damaged.items():
        try:
            data_cache._decode(np.frombuffer(bad, np.uint8), "trade")
        except (ValueError, struct.error):
            continue  # DataCache._read_entry turns this into a rebuild
        raise AssertionError(f"a damaged entry ({why}) was read as data")


# ----------------------------------------------------------------------------- scenario parser

VALID = {
    "name": "fuzz", "algorithm": {"project": "tests/zacperf/algorithms/standin", "parameters": {"x": 1}},
    "run": {"symbols": ["AAPL", "NVDA"], "start": dt.date(2025, 10, 1), "end": dt.date(2025, 10, 2),
            "resolution": "minute", "cash": 100000},
    "data": {"source": "synthetic", "seed": 7, "history_days": 5},
    "measure": {"repeats": 1, "timeout_s": 120}, "thresholds": {"min_orders": 2, "max_slowdown_pct": 400},
}
toml_value = st.recursive(
    st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.booleans(), st.text(max_size=8),
              st.dates(), st.datetimes(), st.times()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6)
KEYS = [(table, key) for table, body in VALID.items() if isinstance(body, dict) for key in body] + \
       [("run", "days"), ("matrix", "symbols"), ("matrix", "days"), ("data", "fingerprint"), ("expect", "data_points"),
        ("data", "folder"), ("data", "quotes"), ("algorithm", "flag"), ("backends", "lean"), ("", "colour")]


DELETE = object()


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(KEYS), st.one_of(st.just(DELETE), toml_value)), min_size=1, max_size=4))
def test_any_scenario_is_parsed_or_refused_with_a_one_line_error(changes: list[tuple[tuple[str, str], Any]]) -> None:
    raw = copy.deepcopy(VALID)
    for (table, key), value in changes:
        target = raw if not table else raw.setdefault(table, {})
        if not isinstance(target, dict):
            continue
        if value is DELETE:
            target.pop(key, None)
        else:
            target[key] = value
    try:
        scenario = parse_scenario(raw, Path("fuzz.toml"))
    except ZacperfError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz.toml: ")
        return
    assert scenario.start <= scenario.end and scenario.symbols and scenario.cash > 0 and scenario.repeats >= 1


# ----------------------------------------------------------------------------- baseline diff

leaf = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=32),
                 st.text(max_size=5), st.booleans(), st.none())
tree = st.recursive(leaf, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                  st.dictionaries(st.sampled_from("abcdef"), inner, max_size=4)),
                    max_leaves=12)
small = st.sampled_from([[], {}, [{"a": 1}], {"a": [1.5, "x"]}]).map(copy.deepcopy)  # never shared


@st.composite
def sections(draw: Any) -> dict[str, Any]:
    """One section drawn in full, the others small (the diff walks each section alike)."""
    chosen = draw(st.sampled_from(golden.SECTIONS))
    return {s: draw(tree) if s == chosen else draw(small) for s in golden.SECTIONS}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, prefix + (index,))
    return out


@FUZZ
@given(sections(), st.data())
def test_the_diff_finds_every_change_and_nothing_else(base: dict[str, Any], data: Any) -> None:
    assume(all(base[s] is not None for s in golden.SECTIONS))
    assert golden.diff(base, copy.deepcopy(base)).identical
    section = data.draw(st.sampled_from(golden.SECTIONS))
    path = data.draw(st.sampled_from(_paths(base[section])))
    changed = copy.deepcopy(base)
    replacement = data.draw(leaf.filter(lambda v: v is not None))
    if not path:
        changed[section] = ["<changed>"] if base[section] == replacement else replacement
    else:
        parent = changed[section]
        for step in path[:-1]:
            parent = parent[step]
        old = parent[path[-1]]
        # JSON numbers compare by value (1 == 1.0), but a bool is never a number
        assume(old != replacement or isinstance(old, bool) != isinstance(replacement, bool))
        parent[path[-1]] = replacement
    report = golden.diff(base, changed)
    back = golden.diff(changed, base)
    assert not report.identical and not back.identical
    assert set(report.counts) == {section} and sum(report.counts.values()) >= 1
    assert all(isinstance(line, str) for line in golden.format_report(report, base))
