"""The Backend protocol: run(request) -> RunOutcome, with results in a Lean-layout folder."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from zacperf.backends.process import ProcessStats


@dataclass
class RunRequest:
    project: Path                    # the algorithm project (main.py + config.json)
    data_folder: Path
    parameters: dict[str, str]       # the FULL parameter set (the Lean CLI replaces, never merges)
    run_dir: Path                    # this run's folder; results go to run_dir / "output"
    label: str                       # "run1", "off2", ...
    algorithm_id: str
    timeout_s: float = 3600.0
    lean_image: str = ""
    on_tick: Callable[[float], None] | None = None

    @property
    def output(self) -> Path:
        return self.run_dir / "output"


@dataclass
class RunOutcome:
    command: list[str]
    process: ProcessStats
    output: Path
    engine_metrics: dict[str, Any] | None = None
    engine_version: str | None = None
    extra_phases: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    failure_code: int = 0            # zacperf.exit_codes.ExitCode of a failed run (0: it completed)


class Backend(Protocol):
    name: str

    def check(self) -> None:
        """Raise BackendUnavailable with a clear message when this backend cannot run here."""

    def run(self, request: RunRequest) -> RunOutcome:
        """Run one backtest as a fresh subprocess."""
