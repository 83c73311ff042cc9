"""The Dask executor: the render plan on a Dask cluster, the bytes returned to this machine.

Why return bytes rather than write on the workers: a worker on another machine cannot see
this machine's staging folder, so nothing needs shared storage; the cache, the staging
folder and the publish swap stay where the build was started, exactly as with processes.
"""

from __future__ import annotations

import copy
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator, Optional

from policyc.engine.executors import Render, largest_first, peak_memory_kb
from policyc.outputs.plan import Output


def render_on_dask(documents: list[Output], render: Render, context: Any, workers: int,
                   scheduler: str = "", peaks: Optional[dict] = None,
                   times: Optional[dict] = None) -> Iterator[str]:
    """Render every document on the cluster at `scheduler` (none: a local cluster of `workers`
    processes) and write each one's bytes under `context.root`; yields each path."""
    import dask
    from dask.distributed import Client, LocalCluster, as_completed

    peaks = {} if peaks is None else peaks
    times = {} if times is None else times
    if not documents:
        return
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # Rendering is CPU-bound Python in the worker's one task thread, so everything else
        # that wakes up in a worker takes the interpreter lock from it: Dask's statistical
        # profiler samples every thread's stack every 10 ms, the event loop's health check
        # ticks every 20 ms, the system monitor runs every 0.5 s and the nanny's memory
        # check every 0.1 s. These settings quieten all four (benchmarks/scale.py compares
        # the executors).
        with dask.config.set({"distributed.worker.profile.enabled": False,
                              "distributed.admin.tick.interval": "1s",
                              "distributed.admin.system-monitor.interval": "5s",
                              "distributed.worker.memory.monitor-interval": "1s"}):
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        client = Client(cluster)
    try:
        ordered = largest_first(documents)
        # Each school's documents go to the cluster once, as one pickled blob with the slim
        # context (Dask's own serialisation walks the nested objects slowly; bytes travel
        # fast), and a task names its blob and its place in it.
        # A worker so holds the schools it is rendering, not the whole trust: a provider's
        # trust of thousands of schools need not fit in each worker, and each blob is
        # forgotten once its school's documents are done.
        slim = context.for_documents()
        schools: dict[str, list[int]] = {}
        for i, out in enumerate(ordered):
            schools.setdefault(out.policy.school_slug, []).append(i)
        names = list(schools)
        blobs = dict(zip(names, client.scatter(
            [pickle.dumps((slim, [ordered[i] for i in schools[name]]), protocol=pickle.HIGHEST_PROTOCOL)
             for name in names], hash=False)))
        waiting = {name: len(schools[name]) for name in names}
        futures, school_of = [], {}
        for name in names:
            for place, i in enumerate(schools[name]):
                futures.append(client.submit(_render_remote, blobs[name], place, render, pure=False,
                                             priority=len(ordered) - i))
                school_of[futures[-1].key] = name
        finished = as_completed(futures)
        futures.clear()  # each result is forgotten once read, so no worker keeps every PDF it made
        for future in finished:
            path, data, worker, peak, seconds = future.result()
            school = school_of[future.key]
            waiting[school] -= 1
            if not waiting[school]:
                del blobs[school]  # released: the cluster may forget that school's blob
            target = context.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            peaks[worker] = max(peak, peaks.get(worker, 0))
            times[path] = seconds
            yield path
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


_BLOBS: list = []  # on a worker: the last few (blob, its documents) it was sent, unpickled once each


def _render_remote(blob: bytes, place: int, render: Render) -> tuple[str, bytes, str, int, float]:
    """On a worker: render document `place` of a school's blob into a private folder and send the bytes back."""
    held = next((entry for entry in _BLOBS if entry[0] is blob), None)
    if held is None:
        held = (blob, pickle.loads(blob))
        _BLOBS[:] = [held] + _BLOBS[:3]
    context, documents = held[1]
    out: Output = documents[place]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="policyc-") as folder:
        local = copy.copy(context)
        local.root = Path(folder)
        render(out, local)
        data = (Path(folder) / out.path).read_bytes()
    return out.path, data, f"{os.uname().nodename}:{os.getpid()}", peak_memory_kb(), time.perf_counter() - start
