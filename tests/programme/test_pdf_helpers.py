"""ess_metro.pdf serves static files to WeasyPrint and refuses the network without crashing."""

import io

from pypdf import PdfReader

from ess_metro.pdf import _static_url_fetcher


def test_static_files_are_served_and_other_urls_refused():
    from weasyprint import HTML

    fetcher = _static_url_fetcher()
    response = fetcher.fetch("http://portal.local/static/css/portal.css")
    assert b"ESS" in response.read()
    html = (
        '<link rel="stylesheet" href="/static/css/portal.css">'
        '<img src="http://example.invalid/logo.png" alt="logo"><p>Programmation</p>'
    )
    pdf = HTML(string=html, base_url="http://portal.local/", url_fetcher=fetcher).write_pdf()
    assert "Programmation" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_same_html_gives_the_cached_pdf(db):
    from django.core.cache import cache

    from ess_metro.pdf import render_pdf_cached

    cache.clear()
    first = render_pdf_cached("pdf/base.html", {})
    assert render_pdf_cached("pdf/base.html", {}) == first
    assert len(cache._cache) == 1
