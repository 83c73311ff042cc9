"""Executors: render every document of the plan, on one process or on every core.

Why the writer is passed in: an executor only maps the plan; of formats it knows only what
a document costs to render (its row in outputs/formats.py), so the build engine sits beneath the
writers and a new executor is one function.

Why not multiprocessing.Pool: a worker killed while it waits for a task (a SIGTERM sent to
the whole process group does that) dies holding the task queue's lock, and
Pool.terminate then waits for that lock for ever. Here the parent never takes a lock a
worker may hold: it waits for results with a timeout, notices a dead worker, and on any
interruption kills its workers outright, so a build always ends within a second or two.
And a build killed outright (SIGKILL, which it cannot catch) leaves no worker behind: each
worker asks the kernel to end it with its parent, and checks that its parent is alive
whenever it waits for a task.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import queue
import resource
import signal
import sys
import time
from typing import Any, Callable, Iterator, Optional

from policyc.errors import UserError
from policyc.outputs import formats
from policyc.outputs.plan import Output

Render = Callable[[Output, Any], None]
TASKS_PER_WORKER = 40  # then the worker is replaced: memory stays flat however long the build


class WorkerDied(UserError):
    """A rendering process ended without reporting (killed, or out of memory): said plainly, exit 1."""


def cost(out: Output) -> int:
    """A rough relative price of rendering `out`: a PDF's layout dwarfs its HTML (even a
    two-page review pack's), and a long policy's PDF takes longer than a short one's."""
    size = 1 + sum(1 + len(part.blocks) for part in out.policy.parts) if out.policy is not None else 1
    found = formats.of_output(out.format)
    per_part, fixed = found[0].cost if found is not None else (1, 0)
    return per_part * size + fixed


def largest_first(documents: list[Output]) -> list[Output]:
    """Dearest first, so the last documents to finish are cheap and every core stays busy to the end."""
    return [documents[i] for i in _largest_first(documents)]


def peak_memory_kb() -> int:
    """This process's peak resident memory so far, in KiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def render_all(documents: list[Output], render: Render, context: Any, jobs: int,
               peaks: Optional[dict] = None, times: Optional[dict] = None) -> Iterator[str]:
    """Render every document, on `jobs` processes; yields each path as it is written.

    Each document is a pure function of its plan entry and the context, so the order
    does not matter and the bytes are the same however many processes render them.
    `peaks` receives each worker's peak resident memory in KiB, by process id, and `times`
    the seconds each document took to render, by path.
    """
    peaks = {} if peaks is None else peaks
    times = {} if times is None else times
    if jobs <= 1 or len(documents) <= 1:
        for out in documents:
            start = time.perf_counter()
            render(out, context)
            times[out.path] = time.perf_counter() - start
            peaks[os.getpid()] = peak_memory_kb()
            yield out.path
        return
    yield from _on_processes(documents, render, context, min(jobs, len(documents)), peaks, times)


def _on_processes(documents: list[Output], render: Render, context: Any, jobs: int,
                  peaks: dict, times: dict) -> Iterator[str]:
    fork = multiprocessing.get_context("fork")  # workers inherit the checked project: nothing is pickled
    tasks, results = fork.Queue(), fork.Queue()
    for index in _largest_first(documents):
        tasks.put(index)
    workers: list = []

    def start() -> None:
        worker = fork.Process(target=_work, args=(documents, render, context, tasks, results, os.getpid()),
                              daemon=True)
        worker.start()
        workers.append(worker)

    try:
        for _ in range(jobs):
            start()
        done, served = 0, {}
        while done < len(documents):
            try:
                index, failure, pid, peak, seconds = results.get(timeout=0.5)
            except queue.Empty:
                _replace_finished(workers, start, jobs)
                continue
            if failure is not None:
                raise failure
            done += 1
            served[pid] = served.get(pid, 0) + 1
            if served[pid] == TASKS_PER_WORKER:
                # That worker leaves now: start its successor at once, not when a wait for
                # results next times out (with another core busy it may not for seconds).
                for worker in workers:
                    if worker.pid == pid:
                        worker.retiring = True
                _drop_finished(workers)
                if done < len(documents):
                    start()
            peaks[pid] = max(peak, peaks.get(pid, 0))
            times[documents[index].path] = seconds
            yield documents[index].path
        for _ in workers:
            tasks.put(None)
        for worker in workers:
            worker.join(timeout=10)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
        for worker in workers:
            worker.join()
        for q in (tasks, results):
            q.cancel_join_thread()
            q.close()


def _replace_finished(workers: list, start: Callable[[], None], jobs: int) -> int:
    """Start workers until `jobs` are serving (a worker that died stops the build); how many were started."""
    _drop_finished(workers)
    alive = sum(1 for worker in workers if worker.is_alive() and not getattr(worker, "retiring", False))
    for _ in range(jobs - alive):
        start()
    return max(0, jobs - alive)


def _drop_finished(workers: list) -> None:
    """Forget workers that have ended cleanly; one that died stops the build."""
    for worker in list(workers):
        if worker.is_alive():
            continue
        workers.remove(worker)
        if worker.exitcode != 0:
            raise WorkerDied(f"a rendering process ended unexpectedly (exit code {worker.exitcode}): it was stopped "
                             f"from outside or ran out of memory; the output folder is as it was. Try again, or "
                             f"with --jobs 1")


def _largest_first(documents: list[Output]) -> list[int]:
    """PDFs first, longest policies first (they take longest), so no core is left with one
    long document at the end."""
    return sorted(range(len(documents)), key=lambda i: (-cost(documents[i]), i))


def _end_with_parent() -> None:
    """Linux: the kernel sends SIGKILL to this worker when the build process dies."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass  # the parent check below still ends it


def _next_task(tasks, parent: int):
    """The next task; None once the parent has gone (the queue's pipe never closes: this
    worker holds both of its ends)."""
    while True:
        try:
            return tasks.get(timeout=1)
        except queue.Empty:
            if os.getppid() != parent:
                return None


def _work(documents, render, context, tasks, results, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the parent, which stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with_parent()
    if os.getppid() != parent:  # the parent died before the kernel was asked
        return
    try:
        for _ in range(TASKS_PER_WORKER):
            index = _next_task(tasks, parent)
            if index is None:
                return
            try:
                start = time.perf_counter()
                render(documents[index], context)
                results.put((index, None, os.getpid(), peak_memory_kb(), time.perf_counter() - start))
            except BaseException as exc:  # reported by the parent, which stops the build
                results.put((index, _picklable(exc), os.getpid(), 0, 0.0))
                return
    finally:
        # A worker ends with os._exit, which skips finalisers: collect now, so what the
        # renderer left for its finalisers (WeasyPrint's temporary font folders) is removed.
        gc.collect()


def _picklable(exc: BaseException) -> BaseException:
    import pickle
    try:
        pickle.dumps(exc)
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
