from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from zp_support import STANDIN

from zacperf import datasource
from zacperf.errors import ZacperfError
from zacperf.scenarios import load_scenario
from zacperf.synth_files import SynthSpec, generate_folder


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    generate_folder(SynthSpec(seed=2, symbols=("AAPL", "NVDA"), start=date(2025, 10, 1), end=date(2025, 10, 2),
                              resolution="minute", history_days=3), root)
    return root


def _scenario(folder: Path, **changes):
    base = load_scenario(str(STANDIN))
    data = dataclasses.replace(base.data, kind="lean", folder=str(folder), seed=0, **changes)
    return dataclasses.replace(base, data=data)


def test_fingerprint_hashes_content_not_zip_containers(tmp_path: Path):
    root = _folder(tmp_path)
    scenario = _scenario(root)
    first = datasource.resolve(scenario)
    assert first.fingerprint.startswith("sha256:") and not first.missing_trade_files
    assert "equity/usa/minute/aapl/20251002_trade.zip" in first.files
    path = root / "equity/usa/minute/aapl/20251001_trade.zip"
    with zipfile.ZipFile(path) as archive:
        name, payload = archive.namelist()[0], archive.read(archive.namelist()[0])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(name, payload)                                  # same rows, other compression/timestamp
    path.write_bytes(out.getvalue())
    assert datasource.resolve(scenario).fingerprint == first.fingerprint
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(name, payload.replace(b"\n", b"\n", 1) + b"57600000,1,1,1,1,1\n")
    assert datasource.resolve(scenario).fingerprint != first.fingerprint


def test_missing_files_and_pinned_fingerprints(tmp_path: Path):
    root = _folder(tmp_path)
    good = datasource.resolve(_scenario(root)).fingerprint
    with pytest.raises(ZacperfError, match="fingerprint mismatch"):
        datasource.resolve(_scenario(root, fingerprint="sha256:" + "0" * 64))
    assert datasource.resolve(_scenario(root, fingerprint=good)).fingerprint == good
    (root / "equity/usa/minute/nvda/20251002_trade.zip").unlink()
    with pytest.raises(ZacperfError, match="lacks 1 trade file"):
        datasource.resolve(_scenario(root))
    (root / "market-hours/market-hours-database.json").unlink()
    with pytest.raises(ZacperfError, match="no market-hours"):
        datasource.resolve(_scenario(root))
    with pytest.raises(ZacperfError, match="not found"):
        datasource.resolve(_scenario(tmp_path / "nowhere"))


def test_lean_folder_from_env_then_lean_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = _folder(tmp_path)
    monkeypatch.setenv("LEAN_DATA_FOLDER", str(root))
    assert datasource.resolve(_scenario("")).folder == root
    monkeypatch.delenv("LEAN_DATA_FOLDER")
    from zacperf import env
    lean_json = tmp_path / "lean.json"
    lean_json.write_text('// comment\n{"data-folder": "data"}')
    assert env.lean_data_folder(lean_json) == root
    lean_json.write_text("{not json")
    with pytest.raises(ZacperfError, match="invalid JSON"):
        env.lean_data_folder(lean_json)


def test_reference_real_pin_matches_the_shared_data(monkeypatch: pytest.MonkeyPatch):
    from zp_support import REPO
    shared = REPO.parent / "shared" / "lean-data"
    if not (shared / "equity/usa/second/aapl").is_dir():
        pytest.skip("shared Lean data not available")
    monkeypatch.setenv("LEAN_DATA_FOLDER", str(shared))
    resolved = datasource.resolve(load_scenario("reference-real"))
    assert resolved.fingerprint == load_scenario("reference-real").data.fingerprint
    assert len(resolved.files) == 3 + 15 + 15 * 8
