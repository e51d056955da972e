"""Progress display for large uploads: tqdm when installed, else a plain line on stderr."""

from __future__ import annotations

import sys
import time
from typing import IO, Any, Iterator, Optional


class Progress:
    """A byte or row counter shown with tqdm if available, else rewritten in place on stderr."""

    def __init__(self, total: int, description: str, unit: str = "B", enabled: bool = True) -> None:
        self.total = total
        self.description = description
        self.unit = unit
        self.enabled = enabled
        self.done = 0
        self._bar: Any = None
        self._last_draw = 0.0
        if enabled:
            try:
                from tqdm.auto import tqdm  # type: ignore[import-not-found,import-untyped]

                self._bar = tqdm(total=total, desc=description, unit=unit, unit_scale=True, file=sys.stderr, leave=True)
            except ImportError:
                self._bar = None

    def update(self, n: int) -> None:
        """Adds ``n`` units."""
        self.done += n
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last_draw >= 0.2 or self.done >= self.total:
            self._last_draw = now
            pct = 100.0 * self.done / self.total if self.total else 100.0
            sys.stderr.write(
                f"\r{self.description}: {_human(self.done, self.unit)} / {_human(self.total, self.unit)} ({pct:5.1f}%)"
            )
            sys.stderr.flush()

    def close(self, message: Optional[str] = None) -> None:
        """Ends the display, optionally with a closing line."""
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.close()
        else:
            sys.stderr.write("\n")
        if message:
            sys.stderr.write(message + "\n")
        sys.stderr.flush()


def _human(n: float, unit: str) -> str:
    if unit != "B":
        return f"{int(n):,} {unit}"
    for suffix in ("B", "KB", "MB", "GB"):
        if n < 1024 or suffix == "GB":
            return f"{n:.1f} {suffix}" if suffix != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover


class ProgressReader:
    """Wraps a seekable binary file so ``requests`` streams it (with Content-Length) and reports bytes read."""

    def __init__(self, file: IO[bytes], length: int, progress: Progress, chunk_size: int = 1 << 20) -> None:
        self._file = file
        self._length = length
        self._progress = progress
        self._chunk_size = chunk_size

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> bytes:
        chunk = self._file.read(size if size and size > 0 else self._chunk_size)
        if chunk:
            self._progress.update(len(chunk))
        return chunk

    def __iter__(self) -> Iterator[bytes]:
        while True:
            chunk = self.read(self._chunk_size)
            if not chunk:
                return
            yield chunk
