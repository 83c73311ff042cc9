"""Every kind of generated page, checked in real headless Chromium with axe-core (WCAG 2.0,
2.1 and 2.2, levels A and AA), for HTML validity, and for links that resolve on disk.

With CI=true these never skip: a missing browser or checker is a failure.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from policyc.cli import main
from tests.helpers import EXAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BROWSER_DIR = Path(__file__).resolve().parent / "browser"
AXE = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
HTML_VALIDATE = BROWSER_DIR / "node_modules" / ".bin" / "html-validate"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def need(condition: bool, what: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{what} is missing; .ci/run installs it (bash scripts/setup.sh --test)")
        pytest.skip(f"{what} is not installed; run: bash scripts/setup.sh --test")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example trust with history: one school ratifies a version with wide content in it,
    then the model is edited, so the build has archive pages and a redline as well as
    indexes, policies and the dashboard."""
    root = tmp_path_factory.mktemp("site")
    src = root / "src"
    shutil.copytree(EXAMPLE, src)
    policy = src / "policies" / "social-media.yaml"
    text = policy.read_text()
    assert "      - id: intro-opportunities" in text
    policy.write_text(text.replace("      - id: intro-opportunities", WIDE_CLAUSES + "      - id: intro-opportunities", 1))
    assert main(["ratify", "--source", str(src), "--school", "hollin-bank-primary", "--policy", "social-media",
                 "--date", "2026-11-20", "--by", "Graham Ridsdale, Chair of Governors", "--version", "3.3",
                 "--summary", "Contacts added", "--today", "2026-11-22"]) == 0
    text = policy.read_text()
    policy.write_text(text.replace("      - id: intro-opportunities", "      - id: intro-ai\n        text: This policy also "
                                   "covers generative AI tools that post on someone's behalf.\n"
                                   "      - id: intro-opportunities", 1))
    out = root / "output"
    assert main(["--source", str(src), "--output", str(out), "--today", "2026-11-22", "-q"]) == 0
    return out


# Ratified into the public page: what pushes a narrow page sideways if anything does, a long
# email address in a paragraph and a table of contacts with long cells inside a clause.
LONG_EMAIL = "safeguarding.and.child.protection.enquiries@hollin-bank-primary.example.sch.uk"
WIDE_CLAUSES = f"""\
      - id: intro-contact
        text: Write to {LONG_EMAIL} with any question about this policy.
      - id: intro-contacts
        text: |
          Who to contact:

          | Role | Name | Email | Telephone |
          |---|---|---|---|
          | Designated Safeguarding Lead | Chidimma Okonkwo-Fairweather | {LONG_EMAIL} | 01632 960000 extension 214 |
          | Online Safety Lead | Bartholomew Featherstonehaugh | online.safety.lead.and.computing@hollin-bank-primary.example.sch.uk | 01632 960001 |
"""


def pages_of_every_kind(site: Path) -> dict[str, Path]:
    school = site / "hollin-bank-primary"
    return {
        "trust index": site / "index.html",
        "dashboard": site / "dashboard.html",
        "school index": school / "index.html",
        "accessibility statement": school / "accessibility.html",
        "policy": school / "social-media.html",
        "policy with an opening": school / "photography.html",
        "draft policy": site / "review" / "saltmarsh-lane" / "social-media.html",
        "archive": school / "archive" / "social-media-3.2.html",
        "redline": site / "review" / "hollin-bank-primary" / "changes" / "social-media-3.3-to-draft.html",
        "review pack": site / "review" / "hollin-bank-primary" / "social-media-review-pack.html",
        "board's review pack": site / "review" / "trust-board" / "online-safety-review-pack.html",
    }


@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM and CHROMEDRIVER, "Chromium (Debian packages chromium and chromium-driver)")
    need(AXE.is_file(), "axe-core (npm ci in tests/browser)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,1024"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


@pytest.mark.parametrize("kind", ["trust index", "dashboard", "school index", "accessibility statement", "policy",
                                  "policy with an opening", "draft policy", "archive", "redline", "review pack",
                                  "board's review pack"])
def test_axe_finds_no_wcag_a_or_aa_violations(site, browser, kind):
    page = pages_of_every_kind(site)[kind]
    assert page.is_file(), page
    browser.get(page.as_uri())
    assert browser.execute_script("return document.documentElement.lang") == "en-GB"
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify({violations: r.violations, passes: r.passes.length})))"
        ".catch(e => done(JSON.stringify({error: String(e)})));", WCAG_TAGS)
    report = json.loads(result)
    assert "error" not in report, report
    problems = [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
                for v in report["violations"]]
    assert problems == [], f"{kind}: " + "; ".join(problems)


def test_no_page_scrolls_sideways_on_a_375_pixel_phone(site, browser):
    """WCAG 1.4.10 reflow: wide tables scroll inside their own labelled, focusable region;
    the page itself never scrolls sideways."""
    browser.set_window_size(375, 800)
    try:
        wide = {}
        for kind, page in pages_of_every_kind(site).items():
            browser.get(page.as_uri())
            view, scroll = browser.execute_script(
                "return [document.documentElement.clientWidth, document.documentElement.scrollWidth]")
            if scroll > view:
                wide[kind] = (view, scroll)
            regions = browser.execute_script(
                "return [...document.querySelectorAll('.table-scroll')].map("
                "r => [r.tagName, r.getAttribute('aria-label'), r.tabIndex])")
            assert all(tag == "SECTION" and label and index == 0 for tag, label, index in regions), (kind, regions)
        assert wide == {}
    finally:
        browser.set_window_size(1280, 1024)


# WCAG 1.4.12's test: line height 1.5 times the font size, paragraphs 2 times apart, letters
# 0.12 and words 0.16 times the font size apart, on everything.
TEXT_SPACING = ("const s = document.createElement('style'); s.textContent = '* { line-height: 1.5 !important; "
                "letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } "
                "p { margin-bottom: 2em !important; }'; document.head.appendChild(s);")


def test_no_page_scrolls_sideways_at_320_pixels_with_text_spacing_widened(site, browser):
    """WCAG 1.4.10 at its own width, 320 CSS pixels, with 1.4.12's spacing: a long email
    address wraps, and every table in a clause scrolls inside its own labelled region."""
    policy = (site / "hollin-bank-primary" / "social-media.html").read_text()
    assert LONG_EMAIL in policy and "Bartholomew Featherstonehaugh" in policy  # the wide content is published
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    try:
        wide = {}
        for kind, page in pages_of_every_kind(site).items():
            browser.get(page.as_uri())
            browser.execute_script(TEXT_SPACING)
            width, view, scroll, body = browser.execute_script(
                "return [window.innerWidth, document.documentElement.clientWidth,"
                " document.documentElement.scrollWidth, document.body.scrollWidth]")
            assert width == 320, (kind, width)  # the viewport; the page is narrower by a scroll bar
            if max(scroll, body) > view:
                wide[kind] = (view, scroll, body)
            loose = browser.execute_script(
                "return [...document.querySelectorAll('main table')].filter(t => !t.closest('.table-scroll')"
                " && t.getBoundingClientRect().right > document.documentElement.clientWidth).map(t => t.className)")
            assert loose == [], (kind, loose)
        assert wide == {}
        browser.get((site / "hollin-bank-primary" / "social-media.html").as_uri())
        regions = browser.execute_script(
            "return [...document.querySelectorAll('.clause table')].map(t => t.closest('section.table-scroll'))"
            ".map(r => r && [r.getAttribute('aria-label'), r.tabIndex, r.scrollWidth > r.clientWidth])")
        assert len(regions) == 1 and regions[0] is not None, regions
        label, index, scrolls = regions[0]
        assert re.fullmatch(r"Table \d+: paragraph 1\.\d+", label) and index == 0 and scrolls, regions
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_pages_have_no_requests_to_other_sites_in_the_browser(site, browser):
    for kind, page in pages_of_every_kind(site).items():
        browser.get(page.as_uri())
        resources = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        outside = [r for r in resources if not r.startswith("file://")]
        assert outside == [], f"{kind}: {outside}"
        fonts_ok = browser.execute_script("return document.fonts.check('16px \"Open Sans\"')")
        assert fonts_ok, f"{kind}: the shipped Open Sans font did not load"


def test_every_page_is_valid_html(site):
    need(HTML_VALIDATE.is_file(), "html-validate (npm ci in tests/browser)")
    pages = sorted(str(p) for p in site.rglob("*.html"))
    result = subprocess.run([str(HTML_VALIDATE), "--config", str(BROWSER_DIR / ".htmlvalidate.json"),
                             "--formatter", "text", *pages], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.targets.append(attrs[name])


def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def test_every_link_resolves_inside_the_bundle(site):
    """Relative links only, so a school's folder works from any sub-path and from file://."""
    checked = 0
    for page in site.rglob("*.html"):
        for target in parse(page).targets:
            parts = urlsplit(target)
            if parts.scheme in ("https", "mailto"):
                continue
            if target.startswith(("data:image/svg+xml;base64,", "data:image/png;base64,")):
                continue  # the trust's logo, carried in the page itself (brand: in trust.yaml)
            assert not parts.scheme and not target.startswith("/"), f"{page}: {target} is not relative"
            resolved = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert resolved.is_file(), f"{page.relative_to(site)}: {target} does not exist"
            if parts.fragment and resolved.suffix == ".html":
                assert parts.fragment in parse(resolved).ids, f"{page.relative_to(site)}: #{parts.fragment} missing"
            checked += 1
    assert checked > 200


def test_a_school_folder_stands_alone(site, tmp_path):
    """Uploaded on its own, the school's bundle has every file its pages link to."""
    alone = tmp_path / "www" / "some" / "sub" / "path"
    shutil.copytree(site / "hollin-bank-primary", alone)
    for page in alone.rglob("*.html"):
        for target in parse(page).targets:
            parts = urlsplit(target)
            if parts.scheme or not parts.path:
                continue
            assert (page.parent / unquote(parts.path)).resolve().is_file(), f"{page.name}: {target}"
    css = (alone / "assets" / "policy.css").read_text()
    for font in re.findall(r"url\((fonts/[^)]+)\)", css):
        assert (alone / "assets" / font).is_file()


def test_preview_renders_every_kind_of_page_and_pdf_pages_to_png(site, tmp_path, run):
    need(CHROMIUM and shutil.which("pdftoppm"), "Chromium and pdftoppm")
    result = run("preview", "--output", site, "--to", tmp_path / "png")
    assert result.code == 0, result.err
    names = {p.name for p in (tmp_path / "png").iterdir()}
    listed = result.out.splitlines()  # each file once: a review pack's pages were listed twice
    assert len(listed) == len(set(listed)) == len(names)
    for kind in ("trust-index", "dashboard", "school-index", "accessibility", "policy", "archive", "redline"):
        assert f"{kind}.png" in names
    assert "pdf-hollin-bank-primary-social-media-01.png" in names
    for png in (tmp_path / "png").iterdir():
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, png.name


@pytest.mark.pdf
def test_a_school_bundle_served_from_a_sub_path_of_a_web_server(site, browser, tmp_path):
    """As a web manager would upload it: the school folder alone, under /governance/policies/."""
    import functools
    import http.server
    import threading
    import urllib.request
    root = tmp_path / "www"
    shutil.copytree(site / "hollin-bank-primary", root / "governance" / "policies")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/governance/policies/"
    try:
        seen, queue = set(), ["index.html"]
        while queue:  # follow every link from the index, page by page
            page = queue.pop()
            if page in seen:
                continue
            seen.add(page)
            with urllib.request.urlopen(base + page, timeout=10) as response:
                assert response.status == 200, page
                body = response.read()
            if page.endswith(".html"):
                links = Links()
                links.feed(body.decode("utf-8"))
                for target in links.targets:
                    parts = urlsplit(target)
                    if parts.scheme or not parts.path:
                        continue
                    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
                    assert not resolved.startswith(".."), f"{page}: {target} leaves the bundle"
                    queue.append(resolved)
        assert {"index.html", "social-media.html", "social-media.pdf", "assets/policy.css"} <= seen
        for name in ("register.json", "sitemap.xml"):  # not linked from public pages unless publish: web_managers
            with urllib.request.urlopen(base + name, timeout=10) as response:
                assert response.status == 200, name
        browser.get(base + "social-media.html")
        assert browser.execute_script("return document.styleSheets[0].cssRules.length") > 20
        assert browser.execute_script("return document.fonts.check('16px \"Open Sans\"')")
    finally:
        server.shutdown()
