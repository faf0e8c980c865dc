"""Helpers of the reliability suite: a tiny Lean project and data folder, bad-input makers, tool runners."""
from __future__ import annotations

import contextlib
import errno
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from support.lean_data import at, new_data_folder, write_intraday

REPO = Path(__file__).resolve().parents[2]
DAY = date(2013, 10, 7)
RESULT_FILES = ("Algo.json", "Algo-summary.json", "Algo-order-events.json", "Algo-log.txt", "log.txt")

ALGORITHM = '''from AlgorithmImports import *


class Algo(QCAlgorithm):
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("ABC")
        # INITIALIZE

    def on_data(self, data):
        # ON_DATA
        if not self.portfolio.invested:
            self.market_order("ABC", 10)

    def on_order_event(self, event):
        # ON_ORDER_EVENT
        pass

    def boom(self):
        raise ZeroDivisionError("scheduled boom")
'''


@dataclass
class Workspace:
    root: Path
    data: Path
    project: Path
    output: Path

    def algorithm(self, **replace: str) -> None:
        """Rewrite main.py with the marked lines replaced (INITIALIZE, ON_DATA, ON_ORDER_EVENT)."""
        text = ALGORITHM
        for marker, code in replace.items():
            text = text.replace(f"# {marker}", code)
        (self.project / "main.py").write_text(text)

    def trade_zip(self, day: date = DAY) -> Path:
        return self.data / "equity" / "usa" / "minute" / "abc" / f"{day:%Y%m%d}_trade.zip"

    def pylean_args(self, *extra: str) -> list[str]:
        return ["backtest", str(self.project), "--data-folder", str(self.data), "--output", str(self.output),
                "--algorithm-id", "Algo", *extra]


def make_workspace(tmp_path: Path, lean_data: Path) -> Workspace:
    data = new_data_folder(tmp_path / "data", lean_data)
    write_intraday(data, "minute", "ABC", DAY, [(at(9, 30 + i), 10 + i / 10, 10.5, 9.5, 10, 100) for i in range(5)])
    project = tmp_path / "project"
    project.mkdir()
    workspace = Workspace(tmp_path, data, project, tmp_path / "out")
    workspace.algorithm()
    return workspace


def write_zip_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path.stem + ".csv", text)


# ----------------------------------------------------------------------------- running the tools

@dataclass
class Ran:
    code: int
    out: str
    err: str

    def error_lines(self, prog: str) -> list[str]:
        """The stderr lines that are the tool's own messages (progress notes are indented)."""
        return [line for line in self.err.splitlines() if line.startswith(f"{prog}: ")]


def run_pylean(args: list[str], capsys: pytest.CaptureFixture[str]) -> Ran:
    from pylean.cli import main

    capsys.readouterr()
    code = main(args)
    captured = capsys.readouterr()
    return Ran(int(code), captured.out, captured.err)


def _load_script(relative: str) -> Any:
    spec = importlib.util.spec_from_file_location(Path(relative).stem + "_under_test", REPO / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(script: str, args: list[str], capsys: pytest.CaptureFixture[str]) -> Ran:
    """A command-line entry point's main(args), in-process: its exit code and what it printed."""
    capsys.readouterr()
    try:
        code = _load_script(script).main(args)
    except SystemExit as exc:  # argparse
        code = exc.code
    captured = capsys.readouterr()
    return Ran(int(code), captured.out, captured.err)


def run_harness(args: list[str], capsys: pytest.CaptureFixture[str]) -> Ran:
    return run_script("tools/perf_harness.py", [*args, "--no-progress", "--no-plots"], capsys)


def run_profiler(args: list[str], capsys: pytest.CaptureFixture[str]) -> Ran:
    return run_script("scripts/profile_ondata.py", args, capsys)


def run_sweep(args: list[str], capsys: pytest.CaptureFixture[str]) -> Ran:
    return run_script("tools/sweep.py", [*args, "--no-progress", "--no-plots"], capsys)


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "tests")])
    env.update(extra)
    return env


def spawn(args: list[str], **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], cwd=REPO, env=subprocess_env(**env), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


# ----------------------------------------------------------------------------- hostile environments

@contextlib.contextmanager
def read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A folder nobody may write: chmod 555, or `chattr +i` for root; else new files in it fail (simulated)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    immutable = False
    if _writable(folder) and shutil.which("chattr"):
        immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
    if _writable(folder):  # no way to protect it here: refuse new files in it at the os level
        real = tempfile.mkstemp

        def refuse(*args: Any, **kwargs: Any) -> Any:
            if Path(kwargs.get("dir") or ".").resolve() == folder.resolve():
                raise PermissionError(errno.EACCES, "Permission denied")
            return real(*args, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


def _writable(folder: Path) -> bool:
    try:
        fd, probe = tempfile.mkstemp(dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.unlink(probe)
    return True


class FullDisk:
    """os.fdopen whose files stop accepting bytes once `budget` bytes were written in total (ENOSPC)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.real = os.fdopen

    def __call__(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = self.real(fd, *args, **kwargs)
        disk = self
        write = handle.write

        def limited(data: Any) -> int:
            disk.budget -= len(data)
            if disk.budget < 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return write(data)

        handle.write = limited
        return handle


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder (relative path -> bytes): proof that nothing stored changed."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def result_state(output: Path) -> dict[str, Any]:
    return json.loads((output / "Algo.json").read_text())["state"]


def closing_line(output: Path) -> str:
    return (output / "log.txt").read_text().strip().splitlines()[-1]


def stringio() -> io.StringIO:
    return io.StringIO()


Maker = Callable[..., Any]
