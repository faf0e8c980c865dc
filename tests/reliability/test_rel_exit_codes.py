"""One exit-code table: pylean's subset agrees with zacperf's, and the README documents every code."""
from __future__ import annotations

import re
import signal
from pathlib import Path

from pylean import exit_codes as engine_codes
from pylean.failures import classify

from zacperf import exit_codes
from zacperf.errors import Interrupted, ZacperfError
from zacperf.exit_codes import ExitCode, exit_code_for, from_engine, worst

REPO = Path(__file__).resolve().parents[2]


def test_the_agreed_numbers() -> None:
    assert {c.name: int(c) for c in ExitCode} == {
        "OK": 0, "DIVERGENT": 1, "BAD_INPUT": 2, "ALGORITHM_ERROR": 3, "PERF_REGRESSION": 4, "ENGINE_FAULT": 5,
        "INTERRUPTED": 130}
    assert set(exit_codes.DESCRIPTIONS) == set(ExitCode)


def test_pylean_uses_the_same_values_for_the_names_it_shares() -> None:
    for code in engine_codes.ExitCode:
        assert ExitCode[code.name] == int(code), code
    assert set(engine_codes.DESCRIPTIONS) == set(engine_codes.ExitCode)


def test_the_readme_documents_the_table_once_and_the_runbook_links_it() -> None:
    readme = (REPO / "README.md").read_text()
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \| `{code.name}` \|", table, re.M), code.name
    assert "## Exit codes" in readme and readme.count("## Exit codes") == 1
    assert "README.md#exit-codes" in (REPO / "docs" / "performance-runbook.md").read_text()


def test_exceptions_map_to_codes() -> None:
    assert exit_code_for(ZacperfError("x")) == ExitCode.BAD_INPUT
    assert exit_code_for(ZacperfError("x", exit_code=3)) == ExitCode.ALGORITHM_ERROR
    assert exit_code_for(KeyboardInterrupt()) == ExitCode.INTERRUPTED
    assert exit_code_for(Interrupted(signal.SIGTERM)) == ExitCode.INTERRUPTED
    assert exit_code_for(RuntimeError("bug")) == ExitCode.ENGINE_FAULT
    assert [from_engine(c) for c in (0, 2, 3, 5, 1, -15, -9, 143, 130)] == [0, 2, 3, 5, 5, 130, 5, 130, 130]
    assert worst([0, 1, 4]) == 4 and worst([1, 3, 2]) == 2 and worst([3, 130]) == 130 and worst([]) == 0


def test_pylean_classifies_whose_fault_a_failure_is(tmp_path: Path) -> None:
    user = tmp_path / "main.py"
    user.write_text("def on_data():\n    raise ValueError('user bug')\n")
    namespace: dict[str, object] = {}
    exec(compile(user.read_text(), str(user), "exec"), namespace)
    try:
        namespace["on_data"]()  # type: ignore[operator]
    except ValueError as exc:
        failure = classify(exc, tmp_path)
    assert failure.exit_code == 3 and failure.line == "algorithm error: ValueError: user bug (at main.py:2 in on_data)"
    try:
        raise KeyError("engine bug")
    except KeyError as exc:
        fault = classify(exc, tmp_path)
    assert fault.exit_code == 5 and fault.status == "RuntimeError" and "internal error in pylean" in fault.line
