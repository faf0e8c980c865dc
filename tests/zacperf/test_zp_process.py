from __future__ import annotations

import sys
from pathlib import Path

from zacperf.backends.process import run_measured
from zacperf.progress import Progress


def test_peak_rss_is_the_child_own(tmp_path: Path):
    script = "import time; block = bytearray(300 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096]); time.sleep(0.6)"
    stats = run_measured([sys.executable, "-c", script], tmp_path / "o", tmp_path / "e", sample_s=0.1)
    assert stats.exit_code == 0 and stats.peak_rss_bytes > 300 * 1024 * 1024
    assert "engine process" in stats.peak_rss_source and stats.rss_samples and 0.5 < stats.wall_s < 10
    ballast = bytearray(200 * 1024 * 1024)                              # make the harness side fat
    ballast[::4096] = b"y" * len(ballast[::4096])
    small = run_measured([sys.executable, "-c", "pass"], tmp_path / "o2", tmp_path / "e2")
    del ballast
    assert small.peak_rss_bytes < 60 * 1024 * 1024     # not the (bigger) pytest process: the shim isolates it


def test_cpu_time_is_the_child_own_work_not_its_waiting(tmp_path: Path):
    busy = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\ntime.sleep(0.5)"
    stats = run_measured([sys.executable, "-c", busy], tmp_path / "o", tmp_path / "e")
    assert stats.cpu_s is not None and 0.35 < stats.cpu_s < stats.wall_s - 0.3
    assert stats.memory()["cpu_s"] == stats.cpu_s


def test_exit_codes_output_files_and_timeout(tmp_path: Path):
    stats = run_measured([sys.executable, "-c", "import sys; print('hi'); sys.exit(3)"], tmp_path / "o",
                         tmp_path / "e")
    assert stats.exit_code == 3 and (tmp_path / "o").read_text().strip() == "hi"
    ticks: list[float] = []
    slow = run_measured([sys.executable, "-c", "import time; time.sleep(30)"], tmp_path / "o3", tmp_path / "e3",
                        timeout_s=0.5, sample_s=0.1, on_tick=ticks.append)
    assert slow.timed_out and slow.exit_code != 0 and slow.wall_s < 10 and ticks


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.text, self.tty = "", tty

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self.tty


def test_progress_only_after_a_few_seconds():
    stream = _Stream(tty=True)
    bar = Progress("reference run1", expected_s=20, stream=stream)  # type: ignore[arg-type]
    bar.tick(1.0)
    assert stream.text == ""
    bar.tick(5.0)
    assert "reference run1 [" in stream.text and "25%" in stream.text
    bar.finish()
    assert stream.text.endswith("\r\x1b[K")
    log = _Stream(tty=False)
    plain = Progress("x", stream=log, log_every_s=30)  # type: ignore[arg-type]
    for t in (1, 4, 5, 20, 35):
        plain.tick(t)
    assert log.text.count("\n") == 2 and "running" in log.text
