"""`run_all.py --against REV` (benchmarks/against.py): REV validation, the speed-up arithmetic and table on
synthetic samples, the pylean-import check, and one tiny end-to-end run. No timing is asserted."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks import against, common  # noqa: E402
from zacperf import revision  # noqa: E402

RUN_ALL = REPO_ROOT / "benchmarks" / "run_all.py"


def run_all(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(RUN_ALL), *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.mark.parametrize("rev", ["no-such-revision-xyz", "0000000000000000000000000000000000000000", "-x"])
def test_a_bad_rev_exits_2_with_one_line(rev: str) -> None:
    proc = run_all(f"--against={rev}", "--only", "orders")
    assert proc.returncode == 2
    assert proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1
    assert "--against" in proc.stderr


def test_a_benchmark_that_cannot_compare_is_refused() -> None:
    proc = run_all("--against", "HEAD", "--only", "data_cache")
    assert proc.returncode == 2 and "data_cache" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_speedup_means_today_faster_in_both_orientations() -> None:
    assert against.speedup("pts/s", 3e6, 1e6) == pytest.approx(3.0)       # rate: today / REV
    assert against.speedup("orders/s", 500.0, 1000.0) == pytest.approx(0.5)
    assert against.speedup("s", 2.0, 8.0) == pytest.approx(4.0)            # seconds: REV / today
    assert against.speedup("s", 8.0, 2.0) == pytest.approx(0.25)
    assert against.speedup("s", None, 2.0) is None and against.speedup("pts/s", 1.0, None) is None
    assert against.speedup("s", 0.0, 2.0) is None


def comparison() -> against.Comparison:
    tree = revision.Tree(Path("/tmp/x"), "707d81e" + "0" * 33, "707d81e")
    found = against.Comparison(tree, repeat=3)
    rounds = [([3.0e6, 2.0], [1.0e6, 6.0]), ([3.3e6, 2.5], [1.2e6, 5.0]), ([2.7e6, 1.5], [0.9e6, 7.0])]
    for today, rev in rounds:
        for side, (rate, secs) in (("today", today), ("rev", rev)):
            found.add(side, "empty", [common.info("empty", "empty_rate", rate, "pts/s"),
                                      common.info("empty", "empty_share", 50.0, "%"),   # not a speed: left out
                                      common.info("empty", "empty_seconds", secs, "s")])
        found.add("today", "zacqc", [common.info("zacqc", "algo_s", 4.0, "s")])
        found.add("rev", "zacqc", [common.info("zacqc", "algo_s", None, "s")])  # REV cannot produce it
    return found


def test_figures_keep_every_sample_and_their_medians() -> None:
    found = comparison()
    assert list(found.figures) == [("empty", "empty_rate"), ("empty", "empty_seconds"), ("zacqc", "algo_s")]
    rate = found.figures[("empty", "empty_rate")]
    assert rate.samples == {"today": [3.0e6, 3.3e6, 2.7e6], "rev": [1.0e6, 1.2e6, 0.9e6]}
    assert rate.median("today") == 3.0e6 and rate.median("rev") == 1.0e6 and rate.speedup == pytest.approx(3.0)
    assert found.figures[("empty", "empty_seconds")].speedup == pytest.approx(6.0 / 2.0)
    algo = found.figures[("zacqc", "algo_s")]
    assert algo.median("today") == 4.0 and algo.median("rev") is None and algo.speedup is None


def test_a_failed_run_is_an_na_sample_in_its_round() -> None:
    found = comparison()
    found.missing("rev", "empty", 3)
    assert found.figures[("empty", "empty_rate")].samples["rev"][-1] is None
    assert found.figures[("empty", "empty_rate")].median("rev") is None
    assert len(found.figures[("zacqc", "algo_s")].samples["rev"]) == 3  # other benchmarks untouched


def test_table_shows_medians_speedup_and_samples() -> None:
    out = io.StringIO()
    against.print_table(comparison(), out)
    lines = out.getvalue().splitlines()
    assert "today" in lines[0] and "707d81e" in lines[0] and "speed-up" in lines[0]
    rate_row = next(line for line in lines if line.startswith("empty_rate"))
    assert "3 M" in rate_row and "1 M" in rate_row and "3.00x" in rate_row
    assert "3M 3.3M 2.7M | 1M 1.2M 900k" in rate_row
    seconds_row = next(line for line in lines if line.startswith("empty_seconds"))
    assert "3.00x" in seconds_row and "2 2.5 1.5 | 6 5 7" in seconds_row
    algo_row = next(line for line in lines if line.startswith("algo_s"))
    assert algo_row.count("n/a") == 5  # median, speed-up and the three samples of REV
    assert "empty_share" not in out.getvalue()
    assert "> 1 means today's pylean is faster" in lines[-1]


def test_the_engine_must_import_its_sides_pylean(tmp_path: Path) -> None:
    stderr = f"noise\nBENCH_PYLEAN_FILE {REPO_ROOT / 'pylean' / '__init__.py'}\nBENCH_WRITE_RESULTS_S 0.25\n"
    found, seconds = common.entry_lines(stderr)
    assert seconds == 0.25
    common.check_pylean(found, REPO_ROOT)
    with pytest.raises(common.WrongPylean, match="wrong pylean"):
        common.check_pylean(found, tmp_path)
    with pytest.raises(common.WrongPylean, match="none reported"):
        common.check_pylean("", REPO_ROOT)


def test_against_head_end_to_end(tmp_path: Path, lean_data: Path) -> None:
    """The quickest benchmark once per side against HEAD: both sides measured, each with its own pylean,
    and the temporary worktree gone afterwards (its own: other processes may add and remove worktrees
    of this repository meanwhile)."""
    out = tmp_path / "against.json"
    proc = run_all("--against", "HEAD", "--quick", "--repeat", "1", "--only", "orders", "--data-folder",
                   str(lean_data), "--json", str(out), timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "orders_per_s" in proc.stdout and "speed-up" in proc.stdout
    saved = json.loads(out.read_text())
    assert saved["rev"]["commit"] == revision.resolve("HEAD") and saved["today"]["commit"]
    assert saved["machine"]["cpu_count"] and saved["utc"].endswith("Z") and saved["errors"] == []
    assert saved["today"]["pylean_file"] == str(REPO_ROOT / "pylean" / "__init__.py")
    rev_file = Path(saved["rev"]["pylean_file"])
    assert rev_file.name == "__init__.py" and REPO_ROOT not in rev_file.parents
    assert revision.WORKTREE_PREFIX in str(rev_file) and not rev_file.exists()
    orders = next(f for f in saved["figures"] if f["name"] == "orders_per_s")
    assert len(orders["samples_today"]) == len(orders["samples_rev"]) == 1
    assert orders["median_today"] > 0 and orders["median_rev"] > 0 and orders["speedup"] > 0
    worktree = rev_file.parents[1]
    assert worktree.parent.name.startswith(revision.WORKTREE_PREFIX) and not worktree.parent.exists()
    assert worktree.resolve() not in {path.resolve() for path in revision.registered()}


def test_a_tree_without_its_own_pylean_fails_loudly(tmp_path: Path) -> None:
    """A REV tree that holds no pylean would silently run today's (the editable install): refused."""
    ctx = common.Context(tmp_path, 1, True, tmp_path, tmp_path, pylean_root=tmp_path)
    with pytest.raises(common.WrongPylean, match="wrong pylean"):
        against.preflight(ctx)
    today = common.Context(tmp_path, 1, True, tmp_path, tmp_path)
    assert against.preflight(today) == str(REPO_ROOT / "pylean" / "__init__.py")
