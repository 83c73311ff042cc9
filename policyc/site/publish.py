"""Write into a staging folder and swap it into place only when everything succeeded."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from policyc.site.guard import MARKER, MARKER_TEXT


@contextmanager
def staged(output: Path, keep_existing: bool) -> Iterator[Path]:
    """Yield a fresh folder beside `output`; on success it replaces `output`, on failure it goes."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
    try:
        if keep_existing and output.is_dir():
            shutil.copytree(output, staging, dirs_exist_ok=True)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, output)


def _clear_leftovers(output: Path) -> None:
    """A build killed outright (power cut, kill -9) leaves its staging folder; the output
    itself was never touched. Remove such leftovers that are more than a minute old."""
    for pattern in (f".{output.name}.staging-*", f".{output.name}.old-*"):
        for leftover in output.parent.glob(pattern):
            if leftover.is_dir() and time.time() - leftover.stat().st_mtime > 60:
                shutil.rmtree(leftover, ignore_errors=True)


def _swap(staging: Path, output: Path) -> None:
    staging.chmod(0o755)
    if not output.exists():
        os.replace(staging, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.rmdir(old)
    os.replace(output, old)
    os.replace(staging, output)
    shutil.rmtree(old, ignore_errors=True)
