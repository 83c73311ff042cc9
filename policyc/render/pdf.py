"""The PDF writer: WeasyPrint, tagged PDF/UA-1, reading only the project's own assets."""

from __future__ import annotations

import base64
import io
import logging
import mimetypes
import multiprocessing.util
import shutil
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from policyc.errors import UserError
from policyc.render.pdf_marked import rewrite
from policyc.render.pdf_origins import Origin, recording
from policyc.render.pdf_tree import Mender
from policyc.resources import ASSET_DIR


class AssetFetcher(URLFetcher):
    """Serves files under templates/assets and the logo the sources gave (a data: URL the
    template writes from the checked bytes, source/brand.py), and refuses every other URL."""

    def fetch(self, url, headers=None):
        for kind in ("image/svg+xml", "image/png"):
            if url.startswith(f"data:{kind};base64,"):
                return URLFetcherResponse(url, base64.b64decode(url.partition(",")[2]), {"Content-Type": kind})
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(ASSET_DIR) and path.is_file():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        raise FatalURLFetchingError(f"the PDF may only use the project's own assets, not {url}")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


# The stylesheet link as the templates write it for a PDF (assets beside the page).
STYLESHEET_LINK = '<link rel="stylesheet" href="policy.css">'


@lru_cache(maxsize=1)
def house_style() -> tuple[CSS, FontConfiguration]:
    """The stylesheet parsed and its fonts loaded once per process, not once per document.

    Why: parsing policy.css and registering its five @font-face fonts with fontconfig
    is the same work for every PDF; a worker rendering hundreds of them does it once.
    """
    fonts = FontConfiguration()
    css = CSS(filename=str(ASSET_DIR / "policy.css"), url_fetcher=AssetFetcher(), font_config=fonts)
    # The fonts sit in a temporary folder that WeasyPrint removes when `fonts` is collected,
    # which a cached object never is: remove it when the process ends (a worker process runs
    # multiprocessing's finalisers on its way out; the main process runs them at exit).
    multiprocessing.util.Finalize(fonts, _remove_font_folder, args=(fonts,), exitpriority=10)
    return css, fonts


def _remove_font_folder(fonts: FontConfiguration) -> None:
    folder = getattr(fonts, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def render_pdf(html: str, title: str) -> bytes:
    """A4 PDF/UA-1 from the policy's HTML; any WeasyPrint warning is an error."""
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        styled = {}
        if STYLESHEET_LINK in html:  # the house style, already parsed: drop the link, pass the sheet
            html = html.replace(STYLESHEET_LINK, "", 1)
            css, fonts = house_style()
            styled = {"stylesheets": [css], "font_config": fonts}
        document = HTML(string=html, base_url=ASSET_DIR.as_uri() + "/", url_fetcher=AssetFetcher())
        with recording() as origins:
            data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, **styled)
    except FatalURLFetchingError as exc:
        raise UserError(f"{title}: {exc}") from None
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise UserError(f"{title}: the PDF renderer reported: " + "; ".join(collector.messages))
    if not origins:
        raise RuntimeError("WeasyPrint no longer builds its structure tree through the function policyc watches")
    return finish(data, origins)


def finish(data: bytes, origins: dict[int, Origin]) -> bytes:
    """What WeasyPrint leaves out of a PDF/UA file: one structure tree for the document with
    page furniture as artifacts (pdf_tree, pdf_marked), table header scope, printable links.

    WeasyPrint tags <th> as /TH but drops the scope attribute, so a screen reader cannot
    tell a row header from a column header; and link annotations lack the Print flag.
    The result is saved with a content-derived /ID, so the same input gives the same bytes.
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        rewrite(pdf, Mender(pdf, origins).mend())
        _scope_headers(pdf.Root.get("/StructTreeRoot"))
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                annot.F = int(annot.get("/F", 0)) | 4
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _scope_headers(node, depth: int = 0) -> None:
    """A header cell in a row of headers is a column header; one beside data cells heads its row."""
    if node is None or depth > 200:
        return
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    if kids is None:
        return
    children = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    cells = [k for k in children if isinstance(k, pikepdf.Dictionary) and k.get("/S") in ("/TH", "/TD")]
    if node.get("/S") == "/TR" and cells:
        scope = "/Column" if all(c.S == "/TH" for c in cells) else "/Row"
        for cell in cells:
            if cell.S == "/TH":
                if not isinstance(cell.get("/A"), pikepdf.Dictionary):
                    cell.A = pikepdf.Dictionary(O=pikepdf.Name("/Table"))
                if "/Scope" not in cell.A:
                    cell.A.Scope = pikepdf.Name(scope)
    for child in children:
        if isinstance(child, pikepdf.Dictionary):
            _scope_headers(child, depth + 1)
