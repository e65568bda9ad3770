import time

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from ess_metro.pdf import _static_url_fetcher
from programme.structure import programme_document

from .test_performance import build_programme


def cpu(html, **kw):
    best = 99
    for _ in range(3):
        t = time.process_time()
        HTML(
            string=html, base_url="http://portal.local/", url_fetcher=_static_url_fetcher()
        ).write_pdf(**kw)
        best = min(best, time.process_time() - t)
    return round(best, 2)


def test_prof(db):
    p, _ = build_programme(2025, 300)
    ctx = programme_document(p)
    ctx["generated_on"] = timezone.now()
    html = render_to_string("pdf/programme/programme.html", ctx)
    cpu(html)
    print("base", cpu(html))
    print(
        "desc inline",
        cpu(
            html.replace(
                ".line-description { display: block;", ".line-description { display: inline;"
            )
        ),
    )
    print("no heading avoid", cpu(html.replace("break-after: avoid;", "")))
    print("no thead group", cpu(html.replace("thead { display: table-header-group; }", "")))
    print("no tr avoid", cpu(html.replace("tr { break-inside: avoid; }", "")))
    print(
        "no nowrap",
        cpu(
            html.replace(
                ".amount { text-align: right; white-space: nowrap; }",
                ".amount { text-align: right; }",
            )
        ),
    )
