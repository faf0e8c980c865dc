"""A progress bar on stderr for runs longer than a few seconds (never on stdout, so --json stays clean)."""
from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """Call `tick(elapsed_s)` often; nothing shows for the first `after_s` seconds.

    On a terminal it redraws one line (a bar when the expected duration is known, else elapsed
    time); elsewhere (CI logs) it prints a line every `log_every_s` seconds.
    """

    def __init__(self, label: str, expected_s: float | None = None, stream: TextIO | None = None,
                 after_s: float = 3.0, log_every_s: float = 30.0, enabled: bool = True) -> None:
        self.label, self.expected_s = label, expected_s
        self.stream = stream or sys.stderr
        self.after_s, self.log_every_s, self.enabled = after_s, log_every_s, enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._drawn = False
        self._next_log = after_s

    def text(self, elapsed: float, width: int = 30) -> str:
        if self.expected_s:
            fraction = min(elapsed / self.expected_s, 0.99)
            filled = int(fraction * width)
            return (f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {fraction * 100:3.0f}% "
                    f"{elapsed:5.1f}s / ~{self.expected_s:.0f}s")
        return f"{self.label} running… {elapsed:5.1f}s"

    def tick(self, elapsed: float) -> None:
        if not self.enabled or elapsed < self.after_s:
            return
        if self.tty:
            self.stream.write("\r" + self.text(elapsed) + "\x1b[K")
            self.stream.flush()
            self._drawn = True
        elif elapsed >= self._next_log:
            self.stream.write(self.text(elapsed) + "\n")
            self.stream.flush()
            self._next_log = elapsed + self.log_every_s

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
