"""Secrets: none in lean.json or the scenario files; secrets given through the environment or secret-named
parameters are masked in pylean's result files and in the harness's run folder."""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from rel_support import REPO, make_workspace, run_harness, run_pylean

from pylean import redaction as engine_redaction
from zacperf import redaction

TOKEN = "tok-3f9a8c77d1e2"          # what $REL_SERVICE_TOKEN holds
API_KEY = "pk_live_5d41402abc4b"     # a secret-named parameter's value
CREDENTIAL_KEYS = ("job-user-id", "api-access-token", "job-organization-id")


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def test_lean_json_and_the_scenarios_hold_no_credentials() -> None:
    text = "\n".join(line for line in (REPO / "lean.json").read_text().splitlines()
                     if not line.lstrip().startswith("//"))
    config = json.loads(text)
    for key, value in config.items():
        secret = key in CREDENTIAL_KEYS or redaction.SECRET_NAME.search(key)
        assert not (secret and value), f"lean.json holds a credential: {key}"
    for path in [*(REPO / "tools" / "scenarios").glob("*.toml"), REPO / "ZacQC" / "config.json"]:
        for match in re.finditer(r"^\s*\"?([\w.-]+)\"?\s*[=:]\s*\"?([^\"\n,]*)", path.read_text(), re.M):
            assert not (redaction.SECRET_NAME.search(match.group(1)) and match.group(2).strip()), path


def test_pylean_and_zacperf_mask_by_the_same_rule() -> None:
    assert engine_redaction.SECRET_NAME.pattern == redaction.SECRET_NAME.pattern
    assert (engine_redaction.MASK, engine_redaction.MIN_LENGTH) == (redaction.MASK, redaction.MIN_LENGTH)
    env = {"MY_API_KEY": "abcdefgh1", "GITHUB_TOKEN": "ghp_123456789", "PATH": "/usr/bin:/bin", "DB_PASSWORD": "short"}
    assert redaction.secret_values({}, env) == ["ghp_123456789", "abcdefgh1"]


def test_pylean_masks_secrets_in_every_result_file(tmp_path: Path, lean_data: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("REL_SERVICE_TOKEN", TOKEN)
    ws = make_workspace(tmp_path, lean_data)
    ws.algorithm(INITIALIZE="self.debug('key=' + self.get_parameter('polygon_api_key') + ' token=' + "
                            "__import__('os').environ['REL_SERVICE_TOKEN'])")
    ran = run_pylean(ws.pylean_args("--parameter", "polygon_api_key", API_KEY), capsys)
    assert ran.code == 0, ran.err
    text = _all_text(ws.output)
    assert TOKEN not in text and API_KEY not in text
    assert "key=*** token=***" in text and '"polygon_api_key": "***"' in text


def test_the_harness_masks_secrets_in_the_run_folder(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("REL_SERVICE_TOKEN", TOKEN)
    monkeypatch.setenv("ZACPERF_TASKS_DIR", str(tmp_path / "tasks"))
    project = tmp_path / "secretive"
    shutil.copytree(REPO / "tests" / "zacperf" / "algorithms" / "standin", project)
    config = json.loads((project / "config.json").read_text())
    config["parameters"]["data_api_key"] = "unset"
    (project / "config.json").write_text(json.dumps(config))
    main = (project / "main.py").read_text().replace(
        "        self.opens = {}\n",
        "        self.opens = {}\n        print('token', __import__('os').environ['REL_SERVICE_TOKEN'])\n"
        "        self.debug('key ' + self.get_parameter('data_api_key'))\n")
    (project / "main.py").write_text(main)
    scenario = tmp_path / "secretive.toml"
    scenario.write_text((REPO / "tests/zacperf/scenarios/standin.toml").read_text().replace(
        'project = "tests/zacperf/algorithms/standin"', f'project = "{project}"'))
    ran = run_harness(["--scenario", str(scenario), "--no-compare", "--parameter", "data_api_key", API_KEY], capsys)
    assert ran.code == 0, ran.err
    text = _all_text(tmp_path / "tasks")
    assert TOKEN not in text and API_KEY not in text
    assert "token ***" in text and "key ***" in text
    assert os.environ["REL_SERVICE_TOKEN"] == TOKEN
