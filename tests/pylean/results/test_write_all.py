"""write_all: files given as one text or as consecutive parts are written alike, secrets masked in both."""
from __future__ import annotations

from pylean.results.writer import write_all


def test_parts_are_written_one_after_the_other(tmp_path):
    write_all(tmp_path, [], {"a.json": ["{\n", "\"x\": 1", "\n}"], "b.txt": "plain é\n"})
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "{\n\"x\": 1\n}"
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "plain é\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.txt"]  # no temp file left


def test_a_secret_split_between_two_parts_is_still_masked(tmp_path):
    write_all(tmp_path, ["hunter2-secret"], {"a.json": ["key: hunter2", "-secret!"], "b.txt": "hunter2-secret"})
    assert (tmp_path / "a.json").read_text() == "key: ***!"
    assert (tmp_path / "b.txt").read_text() == "***"
