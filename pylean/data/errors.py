"""Data-file errors (Lean raises from its readers in Common/Data/Market/TradeBar.cs and QuoteBar.cs)."""
from __future__ import annotations

from pathlib import Path


class LeanDataError(ValueError):
    """A Lean data file that exists but cannot be read: corrupt zip or malformed row.

    ``str(err)`` is one line naming the file and, when known, the 1-based line number.
    A *missing* file is not this error: readers raise FileNotFoundError, which callers
    treat as "no data", as Lean does.
    """

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        # Keep the message on one line whatever the underlying error said.
        self.reason = " ".join(str(reason).split())
        where = f"{self.path} line {line}" if line is not None else f"{self.path}"
        super().__init__(f"corrupt Lean data file {where}: {self.reason}")
