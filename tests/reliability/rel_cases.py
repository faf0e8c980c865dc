"""The bad-input table: how to make each bad input, which tool meets it, the exit code and the one stderr line.

`after` says what must be left behind:
  "nothing"   no result folder at all (bad input found before the run)
  "failed"    a complete result folder: the five files, state RuntimeError, a closing line that is not "completed"
  "completed" a normal run (exit 0, nothing on stderr)
  "unchanged" the stored files named by the case are byte for byte as they were
  "run-failed" a harness run folder whose metrics.json is marked with the exit code (the runs happened)
  "zacperf-fault" a harness run folder whose metrics.json holds exit code 5 and the traceback
  "profile-failed" a profiler run folder holding the failed engine run's result files and metrics
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

import pytest
from rel_support import DAY, FullDisk, Workspace, read_only, write_zip_text
from support.lean_data import at, write_intraday, write_quotes

STANDIN = Path(__file__).resolve().parents[1] / "zacperf" / "scenarios" / "standin.toml"
BROKEN = "tests/zacperf/algorithms/broken"


@dataclass
class Ctx:
    ws: Workspace
    monkeypatch: pytest.MonkeyPatch
    tmp: Path
    guarded: Path | None = None     # for "unchanged": the folder whose files must not change
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def locked(self, folder: Path) -> None:
        """Make folder read-only until the case ends."""
        guard = read_only(folder, self.monkeypatch)
        guard.__enter__()
        self.cleanups.append(lambda: guard.__exit__(None, None, None))


@dataclass(frozen=True)
class Case:
    name: str
    tool: str                        # "pylean", "harness", "profiler" or "sweep"
    make: Callable[[Ctx], list[str] | None]   # creates the bad input; returns the arguments (None: the default)
    code: int
    message: str | None              # regex the single error line must match (None: no stderr at all)
    after: str = "nothing"


def rows(*lines: str) -> str:
    return "\n".join(lines) + "\n"


GOOD = "34200000,100000,105000,95000,100000,100"


def bad_rows(*lines: str) -> Callable[[Ctx], None]:
    def make(c: Ctx) -> None:
        write_zip_text(c.ws.trade_zip(), rows(*lines))
    return make


def corrupt(c: Ctx) -> None:
    c.ws.trade_zip().write_bytes(b"PK\x03\x04 this is not a zip archive")


def truncate(c: Ctx) -> None:
    data = c.ws.trade_zip().read_bytes()
    c.ws.trade_zip().write_bytes(data[: len(data) // 2])


def missing_day(c: Ctx) -> None:
    """Data on 10-07 and 10-09 (trades and quotes), none on 10-08, a trading day inside the range."""
    for day in (DAY, date(2013, 10, 9)):
        write_intraday(c.ws.data, "minute", "ABC", day, [(at(9, 30 + i), 10, 10.5, 9.5, 10, 100) for i in range(3)])
        write_quotes(c.ws.data, "minute", "ABC", day, [(at(9, 30 + i), 9.99, 10.01) for i in range(3)])
    c.ws.algorithm(INITIALIZE="self.set_end_date(2013, 10, 9)")


def remove(relative: str) -> Callable[[Ctx], None]:
    def make(c: Ctx) -> None:
        shutil.rmtree(c.ws.data / relative)
    return make


def empty_data_folder(c: Ctx) -> list[str]:
    (c.tmp / "empty").mkdir()
    return ["backtest", str(c.ws.project), "--data-folder", str(c.tmp / "empty"), "--output", str(c.ws.output)]


def lean_json(text: str | None) -> Callable[[Ctx], list[str]]:
    """No --data-folder, no $LEAN_DATA_FOLDER: the data folder comes from lean.json above the project."""
    def make(c: Ctx) -> list[str]:
        c.monkeypatch.delenv("LEAN_DATA_FOLDER", raising=False)
        if text is not None:
            (c.tmp / "lean.json").write_text(text)
        return ["backtest", str(c.ws.project), "--output", str(c.ws.output)]
    return make


def algorithm(**replace: str) -> Callable[[Ctx], None]:
    def make(c: Ctx) -> None:
        c.ws.algorithm(**replace)
    return make


def no_subclass(c: Ctx) -> None:
    (c.ws.project / "main.py").write_text("from AlgorithmImports import *\n\nX = 1\n")


def read_only_output(c: Ctx) -> list[str]:
    folder = c.tmp / "locked"
    c.locked(folder)
    return ["backtest", str(c.ws.project), "--data-folder", str(c.ws.data), "--output", str(folder / "out")]


def full_disk(c: Ctx) -> None:
    c.ws.output.mkdir()
    (c.ws.output / "Algo.json").write_text('{"stored": "by an earlier run"}')
    c.guarded = c.ws.output
    c.monkeypatch.setattr(os, "fdopen", FullDisk(budget=2000))


def writer_fault(c: Ctx) -> None:
    from pylean.results import writer

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("writer bug")

    c.monkeypatch.setattr(writer, "order_event_json", broken)


def engine_fault(c: Ctx) -> None:
    from pylean.engine import Engine

    def broken(*_: Any, **__: Any) -> Any:
        raise KeyError("engine bug")

    c.monkeypatch.setattr(Engine, "_run_block", broken)


# ----------------------------------------------------------------------------- harness inputs

def scenario_text(c: Ctx, text: str, name: str = "bad.toml") -> list[str]:
    path = c.tmp / name
    path.write_text(text)
    return ["--scenario", str(path)]


def standin(**replace: str) -> Callable[[Ctx], list[str]]:
    def make(c: Ctx) -> list[str]:
        text = STANDIN.read_text()
        for old, new in replace.items():
            assert old in text, old
            text = text.replace(old, new)
        return scenario_text(c, text)
    return make


def standin_args(*extra: str) -> Callable[[Ctx], list[str]]:
    return lambda c: ["--scenario", str(STANDIN), *extra]


def stored_baseline(order_events: str, fingerprint: str = "") -> Callable[[Ctx], list[str]]:
    def make(c: Ctx) -> list[str]:
        folder = Path(os.environ["ZACPERF_BASELINES_DIR"]) / "standin"
        folder.mkdir(parents=True)
        (folder / "order-events.json").write_text(order_events)
        (folder / "provenance.json").write_text(json.dumps({"schema_version": 1, "data_fingerprint": fingerprint}))
        c.guarded = folder
        return ["--scenario", str(STANDIN)]
    return make


def read_only_tasks(c: Ctx) -> list[str]:
    c.locked(Path(os.environ["ZACPERF_TASKS_DIR"]))
    return ["--scenario", str(STANDIN)]


def standin_data_copy(c: Ctx) -> Path:
    """A copy of the stand-in scenario's synthetic data folder, to spoil."""
    from zacperf import datasource
    from zacperf.scenarios import load_scenario

    source = datasource.resolve(load_scenario(str(STANDIN))).folder
    target = c.tmp / "standin-data"
    shutil.copytree(source, target)
    return target


def spoiled_data(spoil: Callable[[Path], None], **extra: str) -> Callable[[Ctx], list[str]]:
    def make(c: Ctx) -> list[str]:
        folder = standin_data_copy(c)
        spoil(folder / "equity" / "usa" / "minute" / "aapl" / "20251002_trade.zip")
        text = STANDIN.read_text().replace('source = "synthetic"\nseed = 7\nhistory_days = 5',
                                           f'source = "lean"\nfolder = "{folder}"')
        for old, new in extra.items():
            text = text.replace(old, new)
        return scenario_text(c, text)
    return make


def zero_price_zip(path: Path) -> None:
    write_zip_text(path, rows(GOOD, "34260000,100000,105000,95000,0,100"))


def zacperf_fault(c: Ctx) -> list[str]:
    from zacperf import report

    def broken(*_: Any, **__: Any) -> Any:
        raise ZeroDivisionError("report bug")

    c.monkeypatch.setattr(report, "summary_lines", broken)
    return ["--scenario", str(STANDIN), "--no-compare"]


# ----------------------------------------------------------------------------- profiler inputs

def profile_project(c: Ctx) -> list[str]:
    return ["--project", str(c.ws.project), "--data-folder", str(c.ws.data), "--tool", "tree"]


def profile_read_only_tasks(c: Ctx) -> list[str]:
    c.locked(Path(os.environ["ZACPERF_TASKS_DIR"]))
    return profile_project(c)


def profile_raising(c: Ctx) -> list[str]:
    c.ws.algorithm(ON_DATA="raise ValueError('profiled bug')")
    return profile_project(c)


E = r"^pylean: error: "
H = r"^perf_harness: error: "
P = r"^profile_ondata: error: "
S = r"^sweep: error: "


def sweep_args(*extra: str) -> Callable[[Ctx], list[str]]:
    return lambda c: ["--scenario", "smoke", *extra]
ZIP = r"corrupt Lean data file \S+/minute/abc/20131007_trade\.zip"

CASES = [
    # ---- engine: data files
    Case("corrupt zip", "pylean", corrupt, 2, E + ZIP + r": unreadable zip archive \(", "failed"),
    Case("truncated zip", "pylean", truncate, 2, E + ZIP + r": unreadable zip archive \(", "failed"),
    Case("CSV with wrong column count", "pylean", bad_rows(GOOD, "34260000,100000,105000,95000,100000"), 2,
         E + ZIP + r" line 2: expected 6 fields, got 5$", "failed"),
    Case("non-numeric field", "pylean", bad_rows("34200000,100000,abc,95000,100000,100"), 2,
         E + ZIP + r" line 1: field 3 \('abc'\) is not an integer$", "failed"),
    Case("zero price", "pylean", bad_rows(GOOD, "34260000,100000,105000,95000,0,100"), 2,
         E + ZIP + r" line 2: field 5 \(0\) price must be positive$", "failed"),
    Case("negative price", "pylean", bad_rows("34200000,-100000,105000,95000,100000,100"), 2,
         E + ZIP + r" line 1: field 2 \(-100000\) price must be positive$", "failed"),
    Case("negative volume", "pylean", bad_rows("34200000,100000,105000,95000,100000,-5"), 2,
         E + ZIP + r" line 1: field 6 \(-5\) volume must not be negative$", "failed"),
    Case("unsorted timestamps", "pylean", bad_rows("34260000,100000,105000,95000,100000,100", GOOD), 2,
         E + ZIP + r" line 2: rows out of time order \(time earlier than the row before\)$", "failed"),
    Case("duplicate timestamps", "pylean", bad_rows(GOOD, GOOD), 2,
         E + ZIP + r" line 2: duplicate time \(same as the row before\)$", "failed"),
    Case("missing data day inside the range (reported, not an error)", "pylean", missing_day, 0, None, "completed"),
    # ---- engine: the data folder and its metadata
    Case("missing market-hours file", "pylean", remove("market-hours"), 2,
         E + r"not a Lean data folder: \S+ has no market-hours/market-hours-database\.json$"),
    Case("missing symbol-properties file", "pylean", remove("symbol-properties"), 2,
         E + r"not a Lean data folder: \S+ has no symbol-properties/symbol-properties-database\.csv$"),
    Case("corrupt market-hours file", "pylean",
         lambda c: (c.ws.data / "market-hours" / "market-hours-database.json").write_text("{") and None, 2,
         E + r"unreadable Lean metadata in \S+: \S+market-hours-database\.json: not a market-hours database"),
    Case("empty data folder", "pylean", empty_data_folder, 2,
         E + r"not a Lean data folder: \S+/empty has no market-hours/market-hours-database\.json$"),
    Case("lean.json missing", "pylean", lean_json(None), 2,
         E + r"no data folder: pass --data-folder, set LEAN_DATA_FOLDER or add a lean\.json$"),
    Case("lean.json invalid JSON", "pylean", lean_json('{"data-folder": '), 2,
         E + r"\S+/lean\.json: invalid JSON \(Expecting value at line 1\)$"),
    Case("lean.json without data-folder", "pylean", lean_json('{"environment": "backtesting"}'), 2,
         E + r"\S+/lean\.json: no \"data-folder\" entry$"),
    Case("config.json invalid JSON", "pylean",
         lambda c: (c.ws.project / "config.json").write_text('{"parameters": {') and None, 2,
         E + r"\S+/config\.json: invalid JSON \(.* at line 1\)$"),
    # ---- engine: the algorithm
    Case("start after end", "pylean", algorithm(INITIALIZE="self.set_start_date(2013, 10, 9)"), 2,
         E + r"main\.py: start date 2013-10-09 is after end date 2013-10-07 \(set_start_date / set_end_date\)$"),
    Case("algorithm raises in initialize", "pylean", algorithm(INITIALIZE="raise RuntimeError('bad setting')"), 3,
         E + r"algorithm error: RuntimeError: bad setting \(at main\.py:\d+ in initialize\)$", "failed"),
    Case("algorithm raises in on_data", "pylean", algorithm(ON_DATA="raise ValueError('bad bar')"), 3,
         E + r"algorithm error: ValueError: bad bar \(at main\.py:\d+ in on_data\)$", "failed"),
    Case("algorithm raises in on_order_event", "pylean", algorithm(ON_ORDER_EVENT="raise KeyError('no order')"), 3,
         E + r"algorithm error: KeyError: 'no order' \(at main\.py:\d+ in on_order_event\)$", "failed"),
    Case("algorithm raises in a scheduled event", "pylean", algorithm(
        INITIALIZE="self.schedule.on(self.date_rules.every_day(), self.time_rules.at(9, 32), self.boom)"), 3,
         E + r"algorithm error: ZeroDivisionError: scheduled boom \(at main\.py:\d+ in boom\)$", "failed"),
    Case("syntax error in the algorithm", "pylean", algorithm(ON_DATA="if self.time ==:"), 3,
         E + r"algorithm error: SyntaxError: invalid syntax \(main\.py, line \d+\) \(at main\.py:\d+\)$", "failed"),
    Case("no QCAlgorithm subclass", "pylean", no_subclass, 2,
         E + r"no QCAlgorithm subclass found in \S+/main\.py$"),
    Case("algorithm file not found", "pylean",
         lambda c: ["backtest", str(c.tmp / "nope.py"), "--data-folder", str(c.ws.data)], 2,
         E + r"algorithm not found: \S+/nope\.py$"),
    # ---- engine: where results go, and faults inside pylean
    Case("read-only output folder", "pylean", read_only_output, 2,
         E + r"output folder \S+/locked/out is not writable \((Permission denied|Operation not permitted)\)$"),
    Case("full disk while writing results (simulated)", "pylean", full_disk, 2,
         E + r"cannot write results to \S+/out: No space left on device$", "unchanged"),
    Case("fault in pylean's result writer", "pylean", writer_fault, 5,
         E + r"internal error in pylean: RuntimeError: writer bug \(at .*; a bug, please report it\)$", "failed"),
    Case("fault in pylean's time loop", "pylean", engine_fault, 5,
         E + r"internal error in pylean: KeyError: 'engine bug' \(at .*; a bug, please report it\)$", "failed"),
    # ---- harness: scenarios, parameters, baselines, data, folders
    Case("unknown scenario", "harness", lambda c: ["--scenario", "no-such-scenario"], 2,
         H + r"unknown scenario 'no-such-scenario'; known: .*smoke"),
    Case("malformed scenario file (TOML)", "harness", lambda c: scenario_text(c, "name = ["), 2,
         H + r"\S*bad\.toml: malformed TOML: "),
    Case("scenario with an unknown key", "harness", standin(**{"[run]\n": "[run]\nsymbol = 1\n"}), 2,
         H + r"\S*bad\.toml: unknown key run\.symbol \(did you mean run\.symbols\?\)$"),
    Case("scenario with a wrong type", "harness", standin(**{"cash = 100000": 'cash = "lots"'}), 2,
         H + r"\S*bad\.toml: run\.cash must be an integer or a number, got 'lots'$"),
    Case("scenario start after end", "harness",
         standin(**{"start = 2025-10-01\nend = 2025-10-02": "start = 2025-10-03\nend = 2025-10-01"}), 2,
         H + r"\S*bad\.toml: run\.start\.\.run\.end \(2025-10-03\.\.2025-10-01\) holds no trading day$"),
    Case("unknown parameter", "harness", standin_args("--parameter", "no_such", "1"), 2,
         H + r"--parameter no_such: unknown parameter; the scenario's parameters come from "),
    Case("wrong parameter type (enable_perf_opt=maybe)", "harness",
         standin_args("--parameter", "enable_perf_opt", "maybe"), 2,
         H + r"--parameter enable_perf_opt: expected true or false \(default false\), got 'maybe'$"),
    Case("wrong parameter type (integer)", "harness", standin_args("--parameter", "trade_every", "soon"), 2,
         H + r"--parameter trade_every: expected an integer \(default 15\), got 'soon'$"),
    Case("non-positive --repeat", "harness", standin_args("--repeat", "0"), 2, H + r"--repeat must be >= 1$"),
    Case("corrupt baseline file", "harness", stored_baseline("[{not json"), 2,
         H + r"cannot read baseline file \S+/standin/order-events\.json: Expecting property name", "unchanged"),
    Case("baseline from another data fingerprint", "harness", stored_baseline("[]", "sha256:" + "0" * 64), 2,
         H + r"the standin baseline was recorded on other data \(fingerprint sha256:000000000000…\), this run used sha256:[0-9a-f]{12}…; refusing to compare", "unchanged"),
    Case("read-only run folder root", "harness", read_only_tasks, 2,
         H + r"run folder root \S+ is not writable \((Permission denied|Operation not permitted)\)$"),
    Case("missing trade file above the threshold", "harness", spoiled_data(lambda p: p.unlink()), 2,
         H + r"data folder \S+ lacks 1 trade file\(s\) the scenario needs \(allowed 0\): "
             r"equity/usa/minute/aapl/20251002_trade\.zip$"),
    Case("corrupt data zip (harness)", "harness", spoiled_data(lambda p: p.write_bytes(b"PK\x03\x04junk")), 2,
         H + r"\S+/aapl/20251002_trade\.zip: unreadable zip archive \("),
    Case("bad data row met by the engine (harness)", "harness", spoiled_data(zero_price_zip), 2,
         H + r"standin: the engine run failed \(run1: pylean refused its input: corrupt Lean data "
             r"file \S+/aapl/20251002_trade\.zip line 2: field 5 \(0\) price must be positive\)$", "run-failed"),
    Case("algorithm error (harness)", "harness", standin(**{"tests/zacperf/algorithms/standin": BROKEN,
                                                            "perf_instrumentation = true": ""}), 3,
         H + r"standin: the engine run failed \(run1: algorithm error: ValueError: stand-in failure in initialize "
             r"\(at tests/zacperf/algorithms/broken/main\.py:\d+\)\)$", "run-failed"),
    Case("fault inside zacperf (harness report)", "harness", zacperf_fault, 5,
         H.replace("error", "internal error") + r"ZeroDivisionError: report bug \(a bug; exit 5\)$", "zacperf-fault"),
    # ---- profiler
    Case("unknown scenario (profiler)", "profiler", lambda c: ["--scenario", "no-such-scenario"], 2,
         P + r"unknown scenario 'no-such-scenario'"),
    Case("project without main.py (profiler)", "profiler", lambda c: ["--project", str(c.tmp)], 2,
         P + r"not a Lean project: \S+ has no main\.py$"),
    Case("read-only run folder root (profiler)", "profiler", profile_read_only_tasks, 2,
         P + r"run folder root \S+ is not writable \((Permission denied|Operation not permitted)\)$"),
    Case("negative --depth (profiler)", "profiler", lambda c: ["--scenario", "smoke", "--depth", "-1"], 2,
         P + r"--depth must be >= 0 and --top >= 1$"),
    Case("algorithm error (profiler)", "profiler", profile_raising, 3,
         P + r"the reference run failed \(exit 3\): algorithm error: ValueError: profiled bug "
             r"\(at main\.py:\d+ in on_data\) \(see \S+\)$", "profile-failed"),
    # ---- sweep (every check happens before the first run)
    Case("malformed --param (sweep)", "sweep", sweep_args("--param", "Parameter_4"), 2,
         S + r"--param 'Parameter_4': write NAME=v1,v2,\.\.\. or NAME=lo:hi:step$"),
    Case("enable_perf_opt=maybe (sweep)", "sweep", sweep_args("--param", "enable_perf_opt=maybe"), 2,
         S + r"--parameter enable_perf_opt: expected true or false \(default false\), got 'maybe'$"),
    Case("unknown parameter (sweep)", "sweep", sweep_args("--param", "no_such=1,2"), 2,
         S + r"--param no_such: unknown parameter of this project$"),
    Case("wrong parameter type (sweep)", "sweep", sweep_args("--param", "Parameter_4=x,y"), 2,
         S + r"--parameter Parameter_4: expected an integer \(default \d+\), got 'x'$"),
    Case("empty range (sweep)", "sweep", sweep_args("--param", "Parameter_4=9:1:1"), 2,
         S + r"--param Parameter_4=9:1:1: need step > 0 and hi >= lo$"),
    Case("malformed constraint (sweep)", "sweep", sweep_args("--param", "Parameter_4=6", "--constraint", "Drawdown<<5"),
         2, S + r"--constraint 'Drawdown<<5': write NAME OP NUMBER"),
    Case("unknown scenario (sweep)", "sweep", lambda c: ["--scenario", "no-such-scenario", "--param", "Parameter_4=6"],
         2, S + r"unknown scenario 'no-such-scenario'"),
]
