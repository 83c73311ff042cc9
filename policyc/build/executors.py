"""Executors: render every document of the plan, on one process or on every core.

Why the writer is passed in: an executor only maps the plan; it knows nothing of formats,
so the build engine sits beneath the writers and a new executor (Dask) is one function.
"""

from __future__ import annotations

import multiprocessing
import signal
from typing import Any, Callable, Iterator, Optional

from policyc.build.plan import Output

Render = Callable[[Output, Any], None]


def render_all(documents: list[Output], render: Render, context: Any, jobs: int) -> Iterator[str]:
    """Render every document, on `jobs` processes; yields each path as it is written.

    Each document is a pure function of its plan entry and the context, so the order
    does not matter and the bytes are the same however many processes render them.
    """
    if jobs <= 1 or len(documents) <= 1:
        for out in documents:
            render(out, context)
            yield out.path
        return
    pool = multiprocessing.get_context("fork").Pool(min(jobs, len(documents)), _worker_init, (render, context))
    try:
        yield from pool.imap_unordered(_render_one, documents)
        pool.close()
    except BaseException:
        pool.terminate()  # stop at once: no worker may write into a staging folder being removed
        raise
    finally:
        pool.join()


_WORKER: Optional[tuple[Render, Any]] = None


def _worker_init(render: Render, context: Any) -> None:
    global _WORKER
    _WORKER = (render, context)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent stops the pool; workers just end
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _render_one(out: Output) -> str:
    render, context = _WORKER
    render(out, context)
    return out.path
