"""Where one policy PDF's time goes, stage by stage, and how many layout passes it takes.

    python benchmarks/profile_one.py [--school hollin-bank-primary] [--policy social-media] [--repeat 5]

Stages (median of --repeat runs, after one warm-up): the HTML from the template; WeasyPrint
parsing and laying out the document (the house style parsed once per process, as the
build does, and, for comparison, parsed again for every document, as before); writing
the PDF; and policyc's finishing pass (one structure tree, artifacts, header scope).
WeasyPrint lays out the pages more than once when the content depends on page numbers:
the contents list's page numbers (target-counter) and the footer's "Page X of Y"
(counter(pages)). The script counts the passes and times a pass.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import weasyprint.layout as wlayout  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from policyc.pipeline import check_all  # noqa: E402
from policyc.render.html import render_policy  # noqa: E402
from policyc.render.pdf import STYLESHEET_LINK, AssetFetcher, finish, house_style  # noqa: E402
from policyc.render.pdf_origins import recording  # noqa: E402
from policyc.resources import ASSET_DIR  # noqa: E402

TODAY = dt.date(2026, 11, 22)


def counting_passes():
    """Wrap WeasyPrint's make_all_pages to count layout passes and time each."""
    seen = {"passes": 0, "seconds": 0.0}
    original = wlayout.make_all_pages

    def watched(*args, **kwargs):
        start = time.perf_counter()
        pages = list(original(*args, **kwargs))
        seen["passes"] += 1
        seen["seconds"] += time.perf_counter() - start
        return iter(pages)
    wlayout.make_all_pages = watched
    return seen


def run_once(policy, shared_style: bool, seen: dict) -> dict:
    t0 = time.perf_counter()
    html = render_policy(policy, TODAY, for_web=False, assets="")
    t1 = time.perf_counter()
    if shared_style:
        css, fonts = house_style()
    else:  # before: the stylesheet and its fonts parsed and loaded for each document
        fonts = FontConfiguration()
        css = CSS(filename=str(ASSET_DIR / "policy.css"), url_fetcher=AssetFetcher(), font_config=fonts)
    html = html.replace(STYLESHEET_LINK, "", 1)
    t2 = time.perf_counter()
    seen.update(passes=0, seconds=0.0)
    with recording() as origins:
        document = HTML(string=html, base_url=ASSET_DIR.as_uri() + "/", url_fetcher=AssetFetcher()).render(
            stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1", pdf_tags=True)
        t3 = time.perf_counter()
        data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    t4 = time.perf_counter()
    finish(data, origins)
    t5 = time.perf_counter()
    return {"template": t1 - t0, "style": t2 - t1, "layout": t3 - t2, "write": t4 - t3, "finish": t5 - t4,
            "passes": seen["passes"], "pass": seen["seconds"] / max(1, seen["passes"]),
            "pages": len(document.pages), "total": t5 - t0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "policy_src")
    parser.add_argument("--school", default="hollin-bank-primary")
    parser.add_argument("--policy", default="social-media")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    [history] = [h for h in check_all(args.source).histories
                 if h.current.school_slug == args.school and h.current.policy_id == args.policy]
    policy = history.in_force or history.current
    seen = counting_passes()
    rows = {}
    for shared in (False, True):
        run_once(policy, shared, seen)  # warm-up
        runs = [run_once(policy, shared, seen) for _ in range(args.repeat)]
        rows[shared] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"{policy.title} for {policy.school_name}: {rows[True]['pages']:.0f} pages, "
          f"median of {args.repeat} runs (seconds)")
    print(f"{'stage':<34}{'style per document':>20}{'style once (now)':>18}")
    for key, label in (("template", "HTML from the template"), ("style", "stylesheet and fonts"),
                       ("layout", "WeasyPrint layout (all passes)"), ("write", "writing the PDF"),
                       ("finish", "policyc finishing pass"), ("total", "total")):
        print(f"{label:<34}{rows[False][key]:>20.3f}{rows[True][key]:>18.3f}")
    now = rows[True]
    print(f"layout passes: {now['passes']:.0f}, {now['pass']:.3f} s each: the first lays the pages out; the "
          f"next is needed because the contents list's page numbers and 'Page X of Y' are known only "
          f"after a first layout ({(now['passes'] - 1) * now['pass']:.3f} s, "
          f"{(now['passes'] - 1) * now['pass'] / now['total']:.0%} of the document)")
    print(f"policyc's own share (template + style + finishing): "
          f"{(now['template'] + now['style'] + now['finish']) / now['total']:.0%} now, "
          f"{(rows[False]['template'] + rows[False]['style'] + rows[False]['finish']) / rows[False]['total']:.0%} "
          f"with the style parsed per document")


if __name__ == "__main__":
    main()
