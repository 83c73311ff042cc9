"""The Dask executor: the render plan on a Dask cluster, the bytes returned to this machine.

Why return bytes rather than write on the workers: a worker on another machine cannot see
this machine's staging folder, so nothing needs shared storage; the cache, the staging
folder and the publish swap stay where the build was started, exactly as with processes.
"""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator, Optional

from policyc.build.executors import Render, largest_first, peak_memory_kb
from policyc.build.plan import Output


def render_on_dask(documents: list[Output], render: Render, context: Any, workers: int,
                   scheduler: str = "", peaks: Optional[dict] = None) -> Iterator[str]:
    """Render every document on the cluster at `scheduler` (none: a local cluster of `workers`
    processes) and write each one's bytes under `context.root`; yields each path."""
    from dask.distributed import Client, LocalCluster, as_completed

    peaks = {} if peaks is None else peaks
    if not documents:
        return
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        shared = client.scatter(context, broadcast=True)  # the project and histories, sent once
        ordered = largest_first(documents)
        futures = [client.submit(_render_remote, out, render, shared, pure=False, priority=len(ordered) - i)
                   for i, out in enumerate(ordered)]
        for future in as_completed(futures):
            path, data, worker, peak = future.result()
            target = context.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            peaks[worker] = max(peak, peaks.get(worker, 0))
            yield path
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _render_remote(out: Output, render: Render, context: Any) -> tuple[str, bytes, str, int]:
    """On a worker: render into a private folder and send the bytes back."""
    with tempfile.TemporaryDirectory(prefix="policyc-") as folder:
        local = copy.copy(context)
        local.root = Path(folder)
        render(out, local)
        data = (Path(folder) / out.path).read_bytes()
    return out.path, data, f"{os.uname().nodename}:{os.getpid()}", peak_memory_kb()
