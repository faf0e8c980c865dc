from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from zp_support import REPO

from zacperf import feature_pack, runs
from zacperf.errors import ZacperfError


def test_new_feature_script_creates_the_template_layout(roots):
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "new_feature.py"), "Speed up: rally detector"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    pack = Path(done.stdout.strip())
    assert pack.parent == roots["tasks"] and pack.name.startswith("speed-up-rally-detector-20")
    assert pack.name.endswith("Z") and len(pack.name.split("-")[-1]) == 16
    for name in ("plan.md", "decision-log.md", "referenced-expertise.md", "proposals/expert-additions.md",
                 "references/excerpts/speed-up-rally-detector-refs.txt", "runs/.gitkeep", "benchmarks/.gitkeep",
                 "patches/.gitkeep", "artifacts/screenshots/.gitkeep"):
        assert (pack / name).exists(), name
    plan = (pack / "plan.md").read_text()
    for section in feature_pack.SECTIONS + feature_pack.STORY_PARTS:
        assert section in plan, section
    assert "### Story [S-1]:" in plan and "[Critical]" in plan and "NEEDS_CLARIFICATION" in plan


def test_slug_and_feature_resolution(roots):
    assert feature_pack.slugify("  ZacQC: 2x faster!! ") == "zacqc-2x-faster"
    with pytest.raises(ZacperfError):
        feature_pack.slugify("!!!")
    made = feature_pack.create_pack("guard time", root=roots["tasks"])
    assert runs.resolve_feature("guard-time") == made                 # the single <slug>-<UTC> pack
    default = runs.resolve_feature(None)
    assert default == roots["tasks"] / "perf-runs" and (default / "plan.md").is_file()
    first, second = runs.new_run_folder(default), runs.new_run_folder(default)
    assert first.path != second.path and first.path.parent == default / "runs"
