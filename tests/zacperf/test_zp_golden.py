from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from zacperf import golden
from zacperf.errors import ZacperfError
from zacperf.leanout import parse_folder


def _sections(lean_fixtures: Path) -> dict:
    return golden.sections_of(parse_folder(lean_fixtures))


def test_normalize_drops_only_volatile_fields():
    event = {"id": "1446662437-3-2", "algorithmId": "1446662437", "orderId": 3, "orderEventId": 2, "time": 1.5,
             "fillPrice": 10.0}
    assert golden.normalize(event) == {"id": "3-2", "orderId": 3, "orderEventId": 2, "time": 1.5, "fillPrice": 10.0}
    state = {"StartTime": "x", "EndTime": "y", "Hostname": "Mac-Studio", "Status": "Completed", "OrderCount": "157"}
    assert golden.normalize(state) == {"Status": "Completed", "OrderCount": "157"}


def test_two_runs_differing_only_in_volatile_fields_are_identical(lean_fixtures: Path):
    base = _sections(lean_fixtures)
    other_events = json.loads((lean_fixtures / "zacqc-15sym-2025-10-order-events.json").read_text())
    for e in other_events:
        e["algorithmId"] = "1999999999"
        e["id"] = "1999999999" + e["id"][len("1446662437"):]
    run = copy.deepcopy(base)
    run["order-events"] = golden.normalize(other_events)
    report = golden.diff(base, run)
    assert report.identical


def test_first_divergence_is_readable(lean_fixtures: Path):
    base = _sections(lean_fixtures)
    run = copy.deepcopy(base)
    run["order-events"][3]["stopPrice"] = 299.08
    run["order-events"][10]["fillQuantity"] = 1.0
    run["statistics"]["statistics"]["Net Profit"] = "0.249%"
    report = golden.diff(base, run)
    assert not report.identical and report.counts == {"order-events": 2, "statistics": 1}
    lines = golden.format_report(report, base)
    text = "\n".join(lines)
    assert "event #4 (order 2, event 1, MCD submitted at 2025-10-01 15:11:15Z): stopPrice: baseline 299.07763467542037 | run 299.08" in text
    assert "statistics: Net Profit: baseline 0.248% | run 0.249%" in text


def test_count_changes_and_missing_sections(lean_fixtures: Path):
    base = _sections(lean_fixtures)
    run = copy.deepcopy(base)
    run["order-events"] = run["order-events"][:-3]
    run["orders"] = [{"id": 1}]
    report = golden.diff(base, run)
    assert report.counts["order-events"] == 1
    assert report.divergences[0].field == "count" and (report.divergences[0].baseline, report.divergences[0].run) == (456, 453)
    assert any("orders: baseline has none" in n for n in report.notes)


def test_tolerance_relaxes_numbers_only():
    assert golden.equal(100.0, 100.0000001, 1e-6) and not golden.equal(100.0, 100.0000001, 0)
    assert golden.equal("$135.20", "$135.21", 1e-3) and not golden.equal("$135.20", "135.20%", 1e-3)
    assert golden.equal("0.248%", "0.2481%", 1e-3) and not golden.equal("ABBV 2T", "ABBV 3T", 0.5)
    assert not golden.equal(True, 1, 0.1)


def test_daily_equity_and_pnl():
    rows = golden.daily_equity([[1759291200, 1, 1, 1, 100.0], [1759300000, 1, 1, 1, 101.0],
                                [1759377600, 1, 1, 1, 99.5]])
    assert rows == [{"date": "2025-10-01", "equity": 101.0, "pnl": None},
                    {"date": "2025-10-02", "equity": 99.5, "pnl": -1.5}]


def test_store_load_and_refuse_other_data(tmp_path: Path, lean_fixtures: Path):
    sections = _sections(lean_fixtures)
    prov = {"data_fingerprint": "sha256:" + "a" * 64, "parameter_hash": "sha256:" + "b" * 64, "parameters": {},
            "reason": "test"}
    folder = golden.write_baseline("reference", sections, prov, root=tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["closed-trades.json", "equity.json", "order-events.json",
                                                         "provenance.json", "statistics.json"]   # no timing
    loaded, provenance = golden.load_baseline("reference", root=tmp_path)
    assert loaded["order-events"] == sections["order-events"] and provenance["schema_version"] == 1
    assert golden.diff(loaded, sections).identical
    before = (folder / "order-events.json").read_bytes()
    with pytest.raises(ZacperfError, match="other data"):
        golden.write_baseline("reference", sections, {**prov, "data_fingerprint": "sha256:" + "c" * 64},
                              root=tmp_path)
    assert (folder / "order-events.json").read_bytes() == before
    with pytest.raises(ZacperfError, match="refusing to compare"):
        golden.check_fingerprint(provenance, "sha256:" + "c" * 64, "reference")
    golden.write_baseline("reference", sections, {**prov, "data_fingerprint": "sha256:" + "c" * 64},
                          root=tmp_path, allow_data_change=True)
    assert golden.load_baseline("reference", root=tmp_path)[1]["data_fingerprint"].endswith("c" * 64)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folders left behind
    assert golden.load_baseline("missing", root=tmp_path) is None


def test_parameter_changes():
    assert golden.parameter_changes({"a": "1", "b": "2"}, {"a": "1", "b": "3", "c": "4"}) == ["b: 2 -> 3",
                                                                                             "c: <unset> -> 4"]
