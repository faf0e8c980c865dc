"""The result files' JSON made by orjson is byte for byte what json.dumps writes (pylean/results/json_text.py)."""
from __future__ import annotations

import json
import math
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from pylean.results.json_text import (CheckedDict, Written, WrittenParts, dumps_indent1, dumps_indent1_object,
                                      halve_indentation, indent1_object_parts, plain_floats)
from pylean.results.writer import _TradeListTexts, _num, _object_text, _performance_text, jsonable

# floats of every magnitude (tiny ones use an exponent), non-finite ones, huge ints, decimals, any text
_floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.floats(min_value=-1e-3, max_value=1e-3),
                    st.sampled_from([0.0, -0.0, 1e-5, 1.5e-9, 1e16, 1e22, -1e-7, 123.456, 1e-4]))
_decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None) | st.sampled_from(
    [Decimal("1.50"), Decimal("-0.00"), Decimal("1E+3"), Decimal("0.00001"), Decimal("123456789.123456789")])
_text = st.text() | st.sampled_from(["é", "😀", "\x7f", "\u2028", "a\"b\\c\n\t\x01", "1e-5", "", " "])
_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63, max_value=2**70),
                    _floats, _decimals, _text)
_values = st.recursive(_leaves, lambda children: st.one_of(
    st.lists(children, max_size=5), st.tuples(children, children),
    st.dictionaries(_text, children, max_size=5)), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_indented_text_equals_json_dumps(value):
    assert dumps_indent1(value, _num) == json.dumps(jsonable(value), indent=1)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_text, _leaves, max_size=4), max_size=4))
def test_checked_dicts_are_written_as_json_dumps_does(dicts):
    plain = [jsonable(d) for d in dicts]
    shared = [CheckedDict(d) if plain_floats(d) else d for d in plain]
    assert dumps_indent1({"a": shared, "b": [shared, shared[:1]]}, _num) == \
        json.dumps({"a": plain, "b": [plain, plain[:1]]}, indent=1)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_text, _values, max_size=4), st.sets(_text), st.sets(_text), st.integers(0, 20))
def test_an_object_with_written_members_equals_json_dumps(members, written, in_parts, cut):
    def given_text(key, value):
        text = json.dumps(jsonable(value), indent=1).replace("\n", "\n ")
        return WrittenParts([text[:cut], text[cut:]]) if key in in_parts else Written(text)

    given_members = {key: given_text(key, value) if key in written else value for key, value in members.items()}
    expected = json.dumps(jsonable(members), indent=1)
    assert dumps_indent1_object(given_members, _num) == expected
    assert "".join(indent1_object_parts(given_members, _num)) == expected


def test_what_orjson_writes_differently_is_written_as_json_dumps_does():
    value = {"nan": math.nan, "tiny": 1e-5, "huge": 2**70, "é": ["😀", "\x7f"], 1: "int key", "d": Decimal("2.50")}
    for case in ({"nan": math.nan}, {"tiny": [1e-5]}, {"huge": 2**70}, {"t": "é😀\x7f"}, {1: "x"}, value):
        assert dumps_indent1(case, _num) == json.dumps(jsonable(case), indent=1)


def test_halving_the_indentation_keeps_spaces_inside_strings():
    text = json.dumps({"a  b": [{"c": "  x  "}, []], "d": {}}, indent=2).encode()
    assert halve_indentation(text) == json.dumps({"a  b": [{"c": "  x  "}, []], "d": {}}, indent=1).encode()


def test_an_unsupported_type_still_raises_as_json_dumps_does():
    import datetime

    import pytest
    for bad in ({"when": datetime.datetime(2020, 1, 1)}, [object()]):
        with pytest.raises(TypeError):
            dumps_indent1(bad, _num)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(_text, _leaves, max_size=4), max_size=4), st.lists(st.tuples(
    _text, st.dictionaries(_text, _values, max_size=2), st.lists(st.integers(0, 3), max_size=4)), max_size=4))
def test_performance_texts_with_shared_trade_lists_equal_json_dumps(trades, windows):
    """Rolling windows and the total performance, their closed-trade lists written once per list
    (shared lists, overlapping ones, empty ones), nest into the main file as json.dumps writes it."""
    lists = [[trades[i] for i in picks if i < len(trades)] for _, _, picks in windows]
    rolling = {name: {"tradeStatistics": stats, "portfolioStatistics": {"x": Decimal("1.50")}, "closedTrades": chosen}
               for (name, stats, _), chosen in zip(windows, lists)}
    total = {"tradeStatistics": {}, "portfolioStatistics": {}, "closedTrades": lists[0] if lists else trades}
    texts = _TradeListTexts()
    main = {"rollingWindow": Written(_object_text([(name, _performance_text(window, 2, texts))
                                                   for name, window in rolling.items()], 1)),
            "totalPerformance": Written(_performance_text(total, 1, texts))}
    assert dumps_indent1_object(main, _num) == json.dumps(
        jsonable({"rollingWindow": rolling, "totalPerformance": total}), indent=1)
