"""A one-line progress indicator on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    """``Progress("cdpsim plot", total)``; ``step(label)`` after each unit of work; ``done()``.

    Nothing is printed when stderr is not a terminal (logs, pipes, tests) or when ``enabled`` is
    false. The line is redrawn at most ten times a second and erased by ``done()``.
    """

    def __init__(self, what: str, total: int, unit: str = "figures", enabled: bool = True,
                 stream=None):
        self.what, self.total, self.unit = what, max(int(total), 0), unit
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.count = 0
        self._last = 0.0
        self._width = 0
        self._start = time.monotonic()

    def show(self, label: str) -> None:
        """Redraws the line with ``label`` (the work about to start), without counting."""
        self._draw(label, force=True)

    def step(self, label: str = "", n: int = 1) -> None:
        self.count += n
        self._draw(label)

    def _draw(self, label: str, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1 and self.count < self.total:
            return
        self._last = now
        pct = 100.0 * self.count / self.total if self.total else 100.0
        line = f"{self.what}: {self.count}/{self.total} {self.unit} ({pct:3.0f}%)"
        if label:
            line += f" {label}"
        line = line[:110]
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def done(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
