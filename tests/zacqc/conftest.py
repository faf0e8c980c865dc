"""ZacQC unit tests: `from AlgorithmImports import ...` resolves through pylean, and ZacQC's packages import.

This has to happen when the conftest is imported (before the test modules are collected), because the test
modules import ZacQC's packages at module level. The launcher restores `AlgorithmImports` after each pylean
run, so runs made by other tests are unaffected.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pylean import algorithm_imports

ZACQC_DIR = Path(__file__).resolve().parents[2] / "ZacQC"

sys.modules["AlgorithmImports"] = algorithm_imports  # (a bare import would find the stubs' namespace dir)
if str(ZACQC_DIR) not in sys.path:
    sys.path.insert(0, str(ZACQC_DIR))
