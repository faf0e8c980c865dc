"""Another commit's tree next to this one: a temporary, detached `git worktree` (asv's `continuous`).

    with revision.checkout("707d81e") as tree:      # tree.path holds 707d81e's files, tree.commit its hash
        ...                                          # e.g. run `python -m pylean` with tree.path first on the path

The worktree goes to a new folder in the system temp directory (never inside the repository), its files are
made read-only (folders stay writable so Python can cache bytecode), and it is always taken away again:
`git worktree remove --force`, `git worktree prune` and the temp folder deleted, on success, on an error
and on Ctrl-C (or SIGTERM inside `sigterm_raises()`).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from zacperf.env import REPO_ROOT
from zacperf.errors import ZacperfError

WORKTREE_PREFIX = "zacperf-rev-"


class RevisionError(ZacperfError):
    """An unknown or unusable revision, or git refused the worktree (one line, exit 2)."""


@dataclass(frozen=True)
class Tree:
    """A checked-out revision: its folder, full commit hash and the name it was asked for."""

    path: Path
    commit: str
    rev: str

    @property
    def short(self) -> str:
        return self.commit[:7]


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise RevisionError(f"cannot run git: {exc.strerror or exc}") from exc


def resolve(rev: str, repo: Path = REPO_ROOT) -> str:
    """The full commit hash `rev` names in `repo`; RevisionError (one line) when it names no commit."""
    if not rev or rev.startswith("-") or any(ch.isspace() for ch in rev):
        raise RevisionError(f"not a git revision: {rev!r}")
    done = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    commit = done.stdout.strip()
    if done.returncode != 0 or len(commit) != 40:
        raise RevisionError(f"unknown revision {rev!r}: no such commit in {repo}")
    return commit


def head(repo: Path = REPO_ROOT) -> str:
    """This checkout's commit (empty when git cannot say)."""
    done = _git(repo, "rev-parse", "HEAD")
    return done.stdout.strip() if done.returncode == 0 else ""


@contextlib.contextmanager
def checkout(rev: str, repo: Path = REPO_ROOT, parent: Path | None = None) -> Iterator[Tree]:
    """Check `rev` out, detached and read-only, into a new temp folder; yield it; always remove it."""
    commit = resolve(rev, repo)
    folder = Path(tempfile.mkdtemp(prefix=WORKTREE_PREFIX + commit[:8] + "-", dir=parent))
    path = folder / "tree"
    try:
        done = _git(repo, "worktree", "add", "--detach", "--quiet", str(path), commit)
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise RevisionError(f"git worktree add {rev} failed: {reason}")
        _read_only(path)
        yield Tree(path, commit, rev)
    finally:
        remove(path, repo)
        shutil.rmtree(folder, ignore_errors=True)


def remove(path: Path, repo: Path = REPO_ROOT) -> None:
    """Take a worktree away (`remove --force`, then `prune`); quiet when it is already gone."""
    _writable(path)
    if path.exists():
        _git(repo, "worktree", "remove", "--force", str(path))
    shutil.rmtree(path, ignore_errors=True)
    _git(repo, "worktree", "prune")


def registered(repo: Path = REPO_ROOT) -> list[Path]:
    """The worktrees git knows of (`git worktree list --porcelain`)."""
    done = _git(repo, "worktree", "list", "--porcelain")
    return [Path(line[len("worktree "):]) for line in done.stdout.splitlines() if line.startswith("worktree ")]


def _read_only(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            target = Path(folder, name)
            if not target.is_symlink():
                target.chmod(target.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _writable(root: Path) -> None:
    """Files writable again, so removal works everywhere (a read-only file blocks deletion on Windows)."""
    if not root.is_dir():
        return
    for folder, _dirs, files in os.walk(root):
        for name in files:
            target = Path(folder, name)
            if not target.is_symlink():
                with contextlib.suppress(OSError):
                    target.chmod(target.stat().st_mode | stat.S_IWUSR)
