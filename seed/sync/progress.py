"""How the sync shows it is moving: a progress bar on a terminal, plain lines otherwise.

Either way each document's line (loaded, skipped, failed) and each stage's summary go to
`out`, so a log of a scheduled run reads the same as a terminal's scrollback; the bar, only
when `err` is a terminal, is drawn on `err` and never lands in a log.
"""

from __future__ import annotations

from typing import Protocol, TextIO

from tqdm import tqdm


class Progress(Protocol):
    def stage(self, name: str, total: int) -> None:
        """A new stage of `total` steps ("provider pages", "files")."""
        ...

    def step(self) -> None: ...

    def line(self, text: str) -> None: ...

    def close(self) -> None: ...


class PlainLines:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def stage(self, name: str, total: int) -> None:
        pass

    def step(self) -> None:
        pass

    def line(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def close(self) -> None:
        pass


class ProgressBar:
    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out = out
        self.err = err
        self._bar: tqdm[None] | None = None

    def stage(self, name: str, total: int) -> None:
        self.close()
        self._bar = tqdm(total=total, desc=name, file=self.err, unit="", leave=False)

    def step(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def line(self, text: str) -> None:
        tqdm.write(text, file=self.out)
        self.out.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def progress_for(out: TextIO, err: TextIO) -> Progress:
    return ProgressBar(out, err) if err.isatty() else PlainLines(out)
