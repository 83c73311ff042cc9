"""The PDF writer: WeasyPrint, tagged PDF/UA-1, reading only the project's own assets."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .errors import UserError
from .html import ASSET_DIR


class AssetFetcher(URLFetcher):
    """Serves files under templates/assets and refuses every other URL, local or remote."""

    def fetch(self, url, headers=None):
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


def render_pdf(html: str, title: str) -> bytes:
    """A4 PDF/UA-1 from the policy's HTML; any WeasyPrint warning is an error."""
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = HTML(string=html, base_url=ASSET_DIR.as_uri() + "/", url_fetcher=AssetFetcher())
        data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    except FatalURLFetchingError as exc:
        raise UserError(f"{title}: {exc}") from None
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise UserError(f"{title}: the PDF renderer reported: " + "; ".join(collector.messages))
    return data
