"""zacperf/revision.py: a temporary detached worktree of another commit, always removed again."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from zacperf import revision


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A repository with two commits: `v1` holds `engine.py` = 1, HEAD holds 2."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.email", "t@example.invalid")
    git(root, "config", "user.name", "t")
    for value in ("1", "2"):
        (root / "engine.py").write_text(f"VALUE = {value}\n")
        git(root, "add", "engine.py")
        git(root, "commit", "-q", "-m", f"v{value}")
        if value == "1":
            git(root, "tag", "v1")
    return root


def leftovers(parent: Path) -> list[Path]:
    return list(parent.iterdir())


def test_checkout_yields_the_revisions_tree_and_removes_it(repo: Path, tmp_path: Path) -> None:
    parent = tmp_path / "trees"
    parent.mkdir()
    with revision.checkout("v1", repo, parent=parent) as tree:
        assert tree.commit == git(repo, "rev-parse", "v1") and tree.short == tree.commit[:7]
        assert (tree.path / "engine.py").read_text() == "VALUE = 1\n"
        assert not os.stat(tree.path / "engine.py").st_mode & 0o222  # read-only files
        assert tree.path.resolve() in [p.resolve() for p in revision.registered(repo)]
        assert git(tree.path, "status", "--porcelain") == ""
        assert git(tree.path, "rev-parse", "--abbrev-ref", "HEAD") == "HEAD"  # detached
    assert not tree.path.exists() and leftovers(parent) == []
    assert tree.path.resolve() not in [p.resolve() for p in revision.registered(repo)]
    assert (repo / "engine.py").read_text() == "VALUE = 2\n"  # the repository's own tree untouched


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_checkout_removes_the_worktree_on_error_and_interrupt(repo: Path, tmp_path: Path,
                                                               error: BaseException) -> None:
    parent = tmp_path / "trees"
    parent.mkdir()
    with pytest.raises(type(error)):
        with revision.checkout("HEAD~1", repo, parent=parent) as tree:
            (tree.path / "__pycache__").mkdir()  # untracked files, as a Python run leaves them
            (tree.path / "__pycache__" / "engine.pyc").write_bytes(b"x")
            raise error
    assert not tree.path.exists() and leftovers(parent) == []
    assert len(revision.registered(repo)) == 1  # only the repository itself


@pytest.mark.parametrize("rev", ["no-such-rev", "", "--all", "HEAD~9", "a b"])
def test_bad_revisions_are_one_line_errors_and_leave_nothing(repo: Path, tmp_path: Path, rev: str) -> None:
    parent = tmp_path / "trees"
    parent.mkdir()
    with pytest.raises(revision.RevisionError) as caught:
        with revision.checkout(rev, repo, parent=parent):
            pytest.fail("a bad revision must not be checked out")
    assert "\n" not in str(caught.value) and caught.value.exit_code == 2
    assert leftovers(parent) == [] and len(revision.registered(repo)) == 1


def test_resolve_gives_the_full_hash(repo: Path) -> None:
    assert revision.resolve("v1", repo) == git(repo, "rev-parse", "v1")
    assert revision.resolve("HEAD", repo) == revision.head(repo) != revision.resolve("v1", repo)
