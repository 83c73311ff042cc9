"""How the build scales: a benchmark trust made from the example, measured side by side in one run.

    python benchmarks/scale.py [--schools 100] [--policies 10] [--quick] [--json FILE]

Prints, for one benchmark trust: a cold build as throughput against a plain one-process
WeasyPrint loop over the same HTML; rebuilds with nothing changed, after one model clause
edit and after one school file edit, as fractions of the cold build with the documents
rendered; validation alone; the cold build again on a local Dask cluster against the
default executor (byte for byte); on a smaller trust (up to 20 schools × 4 policies, no
cache), every core against one process (the share of ideal speed-up); and each worker's
peak memory. Builds run in this process through the pipeline (as `build.py` does, less
Python's start-up), on every core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyc.outputs.layout import BUNDLE_FILES, COMPLIANCE, DASHBOARD, TRUST_INDEX  # noqa: E402
from policyc.outputs.plan import plan_outputs  # noqa: E402
from policyc.pipeline import BuildOptions, build, check_all  # noqa: E402
from policyc.render.html import render_policy  # noqa: E402
from policyc.resources import ASSET_DIR  # noqa: E402

EXAMPLE = ROOT / "policy_src"
TODAY = dt.date(2026, 11, 22)
CLAUSE_EDIT = ("use these services\n          confidently.", "use these services\n          confidently and well.")


def make_trust(dest: Path, schools: int, policies: int) -> Path:
    """The example trust grown to `schools` × `policies`: the example's schools (with their
    ratified history) first, then copies of them under new names; the model policy copied
    under new ids."""
    shutil.copytree(EXAMPLE, dest)
    originals = sorted((dest / "schools").glob("*.yaml"))
    for extra in originals[schools:]:
        extra.unlink()
        shutil.rmtree(dest / "snapshots" / extra.stem, ignore_errors=True)
    for n in range(len(originals), schools):
        source = originals[n % len(originals)].read_text(encoding="utf-8")
        name = re.search(r"^name: (.+)$", source, re.M).group(1)
        copy = re.sub(r"^name: .+$", f"name: {name} {n + 1}", source, count=1, flags=re.M)
        copy = re.sub(r"^short_name: .+\n", "", copy, flags=re.M)
        copy = re.sub(r"^publish_url: .+\n", "", copy, flags=re.M)
        (dest / "schools" / f"school-{n + 1:05d}.yaml").write_text(copy, encoding="utf-8")
    model = (dest / "policies" / "social-media.yaml").read_text(encoding="utf-8")
    have = len(list((dest / "policies").glob("*.yaml")))  # the example's own policies, kept whole
    for k in range(2, policies - have + 2):
        copy = model.replace("\nid: social-media\n", f"\nid: social-media-{k}\n", 1)
        copy = copy.replace("\ntitle: Staff Social Media Policy\n", f"\ntitle: Staff Social Media Policy {k}\n", 1)
        (dest / "policies" / f"social-media-{k}.yaml").write_text(copy, encoding="utf-8")
    return dest


def digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def timed_build(source: Path, output: Path, **options) -> dict:
    start = time.perf_counter()
    report = build(BuildOptions(source, output, TODAY, jobs=options.pop("jobs", os.cpu_count() or 1), **options))
    seconds = time.perf_counter() - start
    pdfs = sum(1 for path in report.written if path.endswith(".pdf"))
    return {"seconds": seconds, "rendered": report.rendered, "reused": report.reused, "documents": len(report.written),
            "pdfs": pdfs, "peaks_mb": sorted(round(kb / 1024) for kb in report.worker_peaks.values()),
            "render_seconds": report.render_seconds}


def share_of_cold(cold: dict, step: dict) -> float:
    """The share of the cold build's rendering (seconds summed over documents, as each worker
    timed them) that the documents a rebuild rendered took; a document new since the cold
    build counts at its own time."""
    times = cold["render_seconds"]
    spent = sum(times.get(path, seconds) for path, seconds in step["render_seconds"].items())
    return spent / max(1e-9, sum(times.values()))


def published(folder: Path) -> dict[str, str]:
    """Every file of an output folder but its cache."""
    return {path: digest for path, digest in digest_tree(folder).items() if not path.startswith(".policyc-cache/")}


def rebuild(source: Path, out: Path) -> dict:
    """A build over the last one, with how many documents' bytes really changed."""
    before = digest_tree(out)
    step = timed_build(source, out)
    after = digest_tree(out)
    # The pages around the documents (indexes, fragments, the accessibility statement, the
    # dashboard, the compliance page) are written by every build, not rendered: not documents.
    site_pages = {name for name, _ in BUNDLE_FILES} | {Path(p).name for p in (TRUST_INDEX, DASHBOARD, COMPLIANCE)}
    documents = {p for p in after if p.endswith((".html", ".pdf")) and p.rsplit("/", 1)[-1] not in site_pages
                 and not p.startswith(".policyc-cache/")}
    step["changed"] = sum(1 for p in documents if before.get(p) != after[p])
    return step


def plain_loop(source: Path, sample: int) -> dict:
    """The baseline: WeasyPrint on one process over the HTML the build makes for its PDFs."""
    from weasyprint import HTML
    histories = check_all(source).histories
    plan = [o for o in plan_outputs(histories, ("pdf",)) if o.format == "pdf"][:sample]
    pages = [render_policy(o.policy, TODAY, for_web=False, assets="") for o in plan]
    start = time.perf_counter()
    for html in pages:
        HTML(string=html, base_url=ASSET_DIR.as_uri() + "/").write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return {"seconds": time.perf_counter() - start, "pdfs": len(pages)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"benchmark: {path.name} no longer contains {old!r}; update benchmarks/scale.py")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def measure(work: Path, schools: int, policies: int, sample: int, dask: bool) -> dict:
    source = make_trust(work / "src", schools, policies)
    out = work / "site" / "output"
    results: dict = {"schools": len(list((source / "schools").glob("*.yaml"))),
                     "policies": len(list((source / "policies").glob("*.yaml"))), "cores": os.cpu_count()}
    results["baseline"] = plain_loop(source, sample)
    results["cold"] = timed_build(source, out)
    if dask:  # the same cold build on a local Dask cluster, into an output of its own
        results["dask"] = timed_build(source, work / "dask" / "output", executor="dask")
        results["dask"]["identical"] = published(out) == published(work / "dask" / "output")
    results["unchanged"] = rebuild(source, out)
    edit(source / "policies" / "social-media.yaml", *CLAUSE_EDIT)
    results["clause_edit"] = rebuild(source, out)
    school = sorted((source / "schools").glob("*.yaml"))[-1]
    name = re.search(r"^name: (.+)$", school.read_text(encoding="utf-8"), re.M).group(1)
    edit(school, f"name: {name}", f"name: {name} (renamed)")
    results["school_edit"] = rebuild(source, out)
    start = time.perf_counter()
    check_all(source)
    results["validation"] = {"seconds": time.perf_counter() - start}
    # A whole build of a smaller trust with no cache: on one process, on every core, on Dask.
    small = make_trust(work / "small", min(schools, 20), min(policies, 4))
    results["one_process"] = timed_build(small, work / "one" / "output", cache=False, jobs=1)
    results["processes"] = timed_build(small, work / "p" / "output", cache=False)
    return results


def report(r: dict) -> str:
    cold = r["cold"]["seconds"]
    base = r["baseline"]["pdfs"] / r["baseline"]["seconds"]
    ours = r["cold"]["pdfs"] / cold
    lines = [f"benchmark trust: {r['schools']} schools × {r['policies']} model policies, {r['cores']} cores",
             f"  plain WeasyPrint loop, one process: {r['baseline']['pdfs']} PDFs in {r['baseline']['seconds']:.1f} s"
             f" = {base:.2f} PDF/s (baseline)",
             f"  cold build: {r['cold']['documents']} documents ({r['cold']['pdfs']} PDFs) in {cold:.1f} s"
             f" = {ours:.2f} PDF/s, {ours / base:.2f}× the baseline"]
    verdicts = [("cold build ≥ 1.8× the baseline", ours / base >= 1.8)]
    for label, key in (("nothing changed", "unchanged"), ("one model clause edited", "clause_edit"),
                       ("one school file edited", "school_edit")):
        step = r[key]
        share = share_of_cold(r["cold"], step)
        lines.append(f"  rebuild, {label}: {step['seconds']:.1f} s = {step['seconds'] / cold:.1%} of cold;"
                     f" {step['rendered']} rendered ({step['rendered'] / max(1, r['cold']['rendered']):.1%} of the"
                     f" documents, {share:.1%} of the cold build's rendering time), {step['reused']} reused;"
                     f" {step['changed']} documents' bytes changed")
        if key == "unchanged":
            verdicts.append(("nothing changed ≤ 1% of cold", step["seconds"] / cold <= 0.01))
        else:
            verdicts.append((f"{label}: only changed documents rendered", step["rendered"] == step["changed"]))
            verdicts.append((f"{label}: ≤ their share of cold + 2%", step["seconds"] / cold <= share + 0.02))
    lines.append(f"  validation alone: {r['validation']['seconds']:.1f} s = {r['validation']['seconds'] / cold:.1%} of cold")
    verdicts.append(("validation ≤ 2% of cold", r["validation"]["seconds"] / cold <= 0.02))
    one, p = r["one_process"], r["processes"]
    speedup = one["seconds"] / p["seconds"]
    lines.append(f"  {p['documents']} documents, no cache: one process {one['seconds']:.1f} s, {r['cores']} processes "
                 f"{p['seconds']:.1f} s = {speedup:.2f}× ({speedup / r['cores']:.0%} of ideal)")
    if "dask" in r:
        d = r["dask"]
        lines.append(f"  cold build on a Dask local cluster: {d['seconds']:.1f} s against {cold:.1f} s on processes "
                     f"({d['seconds'] / cold:.2f}×); {'byte-identical' if d['identical'] else 'BYTES DIFFER'}")
    lines.append(f"  peak memory per worker (cold build, MB): {r['cold']['peaks_mb']}")
    verdicts.append(("every core ≥ 90% of ideal", speedup / r["cores"] >= 0.9))
    peak = max(r["cold"]["peaks_mb"] + (r["dask"]["peaks_mb"] if "dask" in r else []))
    verdicts.append(("peak memory per worker (processes and Dask) ≤ 250 MB", peak <= 250))
    if "dask" in r:
        lines.append(f"  peak memory per Dask worker (MB): {r['dask']['peaks_mb']}")
        verdicts.append(("Dask within 15% of processes, byte-identical", d["seconds"] / cold <= 1.15 and d["identical"]))
    lines.append("targets: " + "; ".join(f"{label} {'✓' if ok else '✗'}" for label, ok in verdicts))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--policies", type=int, default=10,
                        help="model policies in all: the example's four, then copies of its social media policy")
    parser.add_argument("--quick", action="store_true", help="10 schools × the example's 4 policies: a few minutes")
    parser.add_argument("--sample", type=int, default=0, help="PDFs in the baseline loop (default: 20, quick: 6)")
    parser.add_argument("--no-dask", action="store_true", help="leave out the Dask comparison")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.quick:
        args.schools, args.policies = 10, 4
    sample = args.sample or (6 if args.quick else 20)
    with tempfile.TemporaryDirectory(prefix="policyc-scale-") as temp:
        results = measure(Path(temp), args.schools, args.policies, sample, not args.no_dask)
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
