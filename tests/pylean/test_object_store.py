"""The in-memory ObjectStore (ObjectStore.cs surface): text and bytes round trips, keys, delete."""
from __future__ import annotations

import pytest

from pylean.algorithm import QCAlgorithm
from pylean.object_store import ObjectStore


def test_text_and_bytes_round_trip() -> None:
    store = ObjectStore()
    assert not store.contains_key("a")
    assert store.save("a", "x,1\ny,2") and store.read("a") == "x,1\ny,2"
    store.SaveBytes("b", b"\x00\x01")
    assert store.read_bytes("b") == b"\x00\x01" and sorted(store.keys) == ["a", "b"] and "a" in store
    assert store.delete("a") and not store.delete("a")
    with pytest.raises(KeyError):
        store.read("a")


def test_each_algorithm_has_its_own_store() -> None:
    first, second = QCAlgorithm(), QCAlgorithm()
    first.object_store.save("k", "v")
    assert first.object_store is first.ObjectStore and not second.object_store.contains_key("k")
