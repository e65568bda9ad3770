"""PDF documents made with WeasyPrint from templates extending ``templates/pdf/base.html``."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def _fetch_static(url: str):
    """Serve /static/ files from the finders so PDFs never fetch anything over the network."""
    from weasyprint import default_url_fetcher

    if url.startswith("file://") or url.startswith("data:"):
        return default_url_fetcher(url)
    path = url.split(settings.STATIC_URL, 1)[-1] if settings.STATIC_URL in url else None
    if path:
        found = finders.find(path)
        if found:
            return default_url_fetcher(f"file://{found}")
    raise ValueError(f"Refused to fetch {url} while rendering a PDF.")


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """Render ``template`` to PDF bytes (A4, page numbers, running headers from the base)."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url="http://portal.local/", url_fetcher=_fetch_static).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
