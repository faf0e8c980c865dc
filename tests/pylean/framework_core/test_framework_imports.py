"""With a Lean checkout, `from <Package>.<Name> import <Name>` gives Lean's Python file when the checkout has one,
else pylean's class of that name (Lean has it in C# only); Lean's modules also import each other by bare name."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pylean.framework.execution import ImmediateExecutionModel
from pylean.framework.selection import ManualUniverseSelectionModel
from pylean.lean_framework import framework_imports

MODULES = ("Execution", "Execution.ImmediateExecutionModel", "Selection", "Selection.ManualUniverseSelectionModel",
           "Portfolio", "Portfolio.TinyPortfolioModel", "TinyPortfolioModel", "Risk", "Risk.NoSuchModel")


@pytest.fixture
def checkout(tmp_path: Path):  # type: ignore[no-untyped-def]
    portfolio = tmp_path / "Algorithm.Framework" / "Portfolio"
    portfolio.mkdir(parents=True)
    (portfolio / "TinyPortfolioModel.py").write_text("WHERE = __file__\n")
    for package in ("Execution", "Selection", "Risk"):
        (tmp_path / "Algorithm.Framework" / package).mkdir()
    yield tmp_path
    for name in MODULES:
        sys.modules.pop(name, None)


def test_a_class_lean_has_in_csharp_only_is_pylean_s(checkout: Path) -> None:
    with framework_imports(checkout):
        from Execution.ImmediateExecutionModel import ImmediateExecutionModel as imported
        from Selection.ManualUniverseSelectionModel import ManualUniverseSelectionModel as selection
    assert imported is ImmediateExecutionModel and selection is ManualUniverseSelectionModel


def test_a_lean_python_file_wins_and_is_importable_by_its_bare_name(checkout: Path) -> None:
    with framework_imports(checkout):
        packaged = __import__("Portfolio.TinyPortfolioModel", fromlist=["WHERE"])
        bare = __import__("TinyPortfolioModel")
        assert str(checkout / "Algorithm.Framework" / "Portfolio") in sys.path
    assert Path(packaged.WHERE) == Path(bare.WHERE) == checkout / "Algorithm.Framework" / "Portfolio" / \
        "TinyPortfolioModel.py"
    assert str(checkout / "Algorithm.Framework" / "Portfolio") not in sys.path  # only for the run


def test_an_unknown_name_is_still_an_import_error(checkout: Path) -> None:
    with framework_imports(checkout):
        with pytest.raises(ModuleNotFoundError):
            __import__("Risk.NoSuchModel")
