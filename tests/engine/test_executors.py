"""Executors: every core or a Dask cluster gives the same bytes as one process."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from policyc.engine.executors import largest_first
from policyc.outputs.plan import plan_outputs
from policyc.pipeline import BuildOptions, build, check_all
from tests.helpers import EXAMPLE, SCHOOL, digest_tree, write_tree

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

TODAY = dt.date(2026, 11, 22)


def test_pdfs_and_long_policies_are_handed_out_first():
    plan = [o for o in plan_outputs(check_all(EXAMPLE).histories, ("html", "pdf")) if o.policy is not None]
    ordered = largest_first(plan)
    assert {o.format for o in ordered[:len(ordered) // 2]} <= {"pdf", "redline-pdf", "pack-pdf"}
    assert ordered[-1].format in ("html", "redline-html", "pack-html")


def test_workers_report_their_peak_memory(mini, tmp_path):
    write_tree(mini, {f"schools/s{i}.yaml": SCHOOL.replace("Oak Primary", f"School {i}") for i in range(3)})
    report = build(BuildOptions(mini, tmp_path / "out", TODAY, formats=("html",), jobs=2, cache=False))
    assert report.rendered == 4
    assert report.worker_peaks and os.getpid() not in report.worker_peaks
    assert all(20_000 < kb < 4_000_000 for kb in report.worker_peaks.values())


def test_a_dask_local_cluster_gives_the_same_bytes_as_processes(mini, tmp_path):
    """A real LocalCluster of two worker processes; the bytes come back to this machine."""
    if not os.environ.get("CI"):
        pytest.importorskip("distributed")
    write_tree(mini, {"schools/elm-primary.yaml": SCHOOL.replace("Oak Primary", "Elm Primary")})
    options = dict(formats=("html", "pdf"), jobs=2, cache=False)
    local = build(BuildOptions(mini, tmp_path / "processes", TODAY, **options))
    dask = build(BuildOptions(mini, tmp_path / "dask", TODAY, executor="dask", **options))
    assert dask.rendered == local.rendered == 4
    assert dask.worker_peaks  # each worker says how much memory it used
    assert set(dask.render_seconds) == set(local.render_seconds) and len(dask.render_seconds) == 4  # timed on the workers
    assert digest_tree(tmp_path / "dask") == digest_tree(tmp_path / "processes")


def test_a_dask_task_carries_one_schools_documents_and_a_context_without_the_trust(mini, tmp_path, monkeypatch):
    """Each school's documents go to the cluster as one blob with a slim context, so a
    worker never holds the whole trust (a provider's may not fit in a worker)."""
    if not os.environ.get("CI"):
        pytest.importorskip("distributed")
    import pickle
    from distributed import Client
    write_tree(mini, {"schools/elm-primary.yaml": SCHOOL.replace("Oak Primary", "Elm Primary")})
    sent = []
    scatter = Client.scatter
    def watch(self, data, **kw):
        sent.extend(pickle.loads(blob) for blob in data)
        return scatter(self, data, **kw)
    monkeypatch.setattr(Client, "scatter", watch)
    report = build(BuildOptions(mini, tmp_path / "dask", TODAY, formats=("html", "pdf"), jobs=2, cache=False,
                                executor="dask"))
    assert report.rendered == 4 and len(sent) == 2  # two schools, two blobs
    for context, documents in sent:
        assert context.project is None and context.histories == [] and context.siblings
        assert len({o.policy.school_slug for o in documents}) == 1 and len(documents) == 2


def test_a_worker_that_served_its_share_is_replaced_at_once(monkeypatch):
    """Workers leave after TASKS_PER_WORKER documents (memory stays flat). Each successor is
    started when the leaver's last result arrives. Before, it was started only when a wait
    for results timed out, which with another core still reporting could take seconds
    (230 documents on 2 cores: 22.1 s, 20.6 s since)."""
    import time
    from policyc.engine import executors
    from policyc.outputs.plan import Output
    monkeypatch.setattr(executors, "TASKS_PER_WORKER", 3)
    late = []
    replace = executors._replace_finished
    monkeypatch.setattr(executors, "_replace_finished", lambda *a: late.append(replace(*a)) or late[-1])
    documents = [Output(f"d{i}.html", "html") for i in range(24)]

    def render(out, context):
        time.sleep(0.15)

    peaks, times = {}, {}
    done = list(executors.render_all(documents, render, None, 2, peaks, times))
    assert sorted(done) == sorted(o.path for o in documents) and len(times) == 24
    assert len(peaks) >= 8  # 24 documents, 3 each: at least eight workers served
    assert sum(late) == 0  # no worker was started late, after a wait for results timed out
