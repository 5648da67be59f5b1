"""A progress bar on stderr for long work at a terminal, and silence everywhere else.

CI logs keep every redraw of a bar as a new line, so the bar only appears when
stderr is an interactive terminal outside CI, and only once the work has taken
longer than a short delay: a parse that ends quickly prints nothing at all.
"""

from __future__ import annotations

import os
import sys
import threading
from types import TracebackType
from typing import TextIO

DELAY_SECONDS = 1.0


def interactive(stream: TextIO | None = None) -> bool:
    """True when `stream` (stderr by default) is a terminal a person watches, not a CI log."""
    stream = stream if stream is not None else sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    if not tty:
        return False
    return not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


class Progress:
    """Counts finished units of work; shows a bar after `delay` seconds when enabled.

    Use as a context manager; `advance()` may be called from any thread.
    """

    def __init__(
        self,
        total: int,
        description: str = "parsing",
        *,
        enabled: bool | None = None,
        delay: float = DELAY_SECONDS,
        stream: TextIO | None = None,
    ) -> None:
        self.total = total
        self.description = description
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._enabled = interactive(self._stream) if enabled is None else enabled
        self._delay = delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._bar: object | None = None  # rich.progress.Progress once shown
        self._task: object | None = None
        self._closed = False
        self.shown = False  # whether the bar ever appeared

    def __enter__(self) -> Progress:
        if self._enabled and self.total > 0:
            self._timer = threading.Timer(self._delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _show(self) -> None:
        # Imported here: rich costs tens of milliseconds to import, paid only when a bar appears.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        with self._lock:
            if self._closed:
                return
            bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self._stream),
                transient=True,
            )
            self._task = bar.add_task(self.description, total=self.total, completed=self.done)
            bar.start()
            self._bar = bar
            self.shown = True

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            if self._bar is not None:
                self._bar.update(self._task, completed=self.done)  # type: ignore[attr-defined]

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            bar, self._bar = self._bar, None
        if bar is not None:
            bar.stop()  # type: ignore[attr-defined]
