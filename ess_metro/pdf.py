"""PDF documents made with WeasyPrint from templates extending ``templates/pdf/base.html``."""

import hashlib
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string

# The only address a PDF's HTML may load from: its base URL (never fetched) and /static/.
PDF_BASE_URL = "http://portal.local/"


def static_file_for(url: str) -> str | None:
    """The portal's own static file that ``url`` names, or None.

    Only ``/static/…`` under the PDF's base URL or the site's own address is accepted, found
    by the static-file finders: no ``file://``, no other host, no ``..``."""
    parts = urlsplit(url)
    own_hosts = {urlsplit(PDF_BASE_URL).netloc, urlsplit(settings.SITE_URL).netloc}
    if parts.scheme not in {"http", "https"} or parts.netloc not in own_hosts:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path[len(settings.STATIC_URL) :]
    if not relative or any(segment in {"", ".", ".."} for segment in relative.split("/")):
        return None
    try:
        return finders.find(relative)
    except SuspiciousFileOperation:
        return None


def _static_url_fetcher():
    """A WeasyPrint URL fetcher that serves the portal's static files and ``data:`` URLs, and
    refuses everything else (a refused URL is a logged warning, never a crash)."""
    from weasyprint.urls import URLFetcher, path2url

    class StaticURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = static_file_for(url)
            if found:
                return super().fetch(path2url(found), headers)
            raise ValueError(f"Refused to fetch {url} while rendering a PDF.")

    return StaticURLFetcher()


# WeasyPrint breaks a line after its first word when the text just fits the line and is
# followed by collapsible whitespace before the end of its block (a stray line break in the
# amendment's clauses): that whitespace never shows, so it is dropped before layout.
_SPACE_BEFORE_BLOCK_END = re.compile(r"\s+(</(?:p|h[1-6]|td|th|li|div|dd|dt|caption)>)")


def _html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    html = _SPACE_BEFORE_BLOCK_END.sub(r"\1", html)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_static_url_fetcher()).write_pdf()


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """Render ``template`` to PDF bytes (A4, page numbers, running headers from the base)."""
    return _html_to_pdf(render_to_string(template, context, request=request))


def render_pdf_cached(
    template: str, context: dict, request=None, *, timeout: int = 24 * 3600
) -> bytes:
    """Like ``render_pdf``, but the same HTML gives the PDF from the cache: rendering the
    template is cheap, laying it out is not. Live figures change the HTML, so never go stale."""
    html = render_to_string(template, context, request=request)
    key = "pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = _html_to_pdf(html)
        cache.set(key, pdf, timeout)
    return pdf


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
