"""PDF documents made with WeasyPrint from templates extending ``templates/pdf/base.html``."""

import hashlib

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string


def _static_url_fetcher():
    """A WeasyPrint URL fetcher that serves /static/ from the finders and fetches nothing else
    over the network (a refused URL is a logged warning, never a crash)."""
    from weasyprint.urls import URLFetcher, path2url

    class StaticURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(("file://", "data:")):
                return super().fetch(url, headers)
            path = url.split(settings.STATIC_URL, 1)[-1] if settings.STATIC_URL in url else None
            found = finders.find(path) if path else None
            if found:
                return super().fetch(path2url(found), headers)
            raise ValueError(f"Refused to fetch {url} while rendering a PDF.")

    return StaticURLFetcher()


def _html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=html, base_url="http://portal.local/", url_fetcher=_static_url_fetcher()
    ).write_pdf()


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
