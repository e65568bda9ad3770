"""The published annual programme's PDF: rendered once in the background, served from storage.

Laying out a programme of a few hundred lines takes seconds. A public programme (published or
evaluated) does not change often, so its PDF is rendered by a background task (django-tasks,
queued after the commit) when it is published, and again whenever what the PDF shows
changes: the status (publication, evaluation), the indicators' results, the evaluation
summary. ``refresh_programme_pdfs`` (a nightly job) renders them again for the figures that
other apps change (committed and paid amounts). The public URL then streams the stored file
through the storage API, without rendering any HTML. A draft, or a public programme whose
PDF is not ready yet, is rendered on the fly as before.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from ess_metro.pdf import render_pdf

from . import selectors
from .models import AnnualProgramme

PROGRAMME_TEMPLATE = "pdf/programme/programme.html"


def pdf_filename(programme: AnnualProgramme, kind: str = "programmation") -> str:
    suffix = f"-v{programme.version}" if programme.version > 1 else ""
    draft = "-brouillon" if programme.is_draft_document else ""
    return f"{kind}-ess-{programme.year}{suffix}{draft}.pdf"


def render_programme_pdf(programme: AnnualProgramme) -> bytes:
    """The programme's PDF as its public page offers it, dated today."""
    context = selectors.programme_document(programme).as_context(generated_on=timezone.localdate())
    return render_pdf(PROGRAMME_TEMPLATE, context)


@task()
def store_published_pdf(programme_id: int) -> None:
    """Render a public programme's PDF in the portal's language and keep it in storage."""
    programme = AnnualProgramme.objects.filter(pk=programme_id).first()
    if programme is None or not programme.is_public:
        return
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_programme_pdf(programme)
    old_name = programme.published_pdf.name
    storage = programme.published_pdf.storage
    name = storage.save(f"programme/pdf/{pdf_filename(programme)}", ContentFile(pdf))
    AnnualProgramme.objects.filter(pk=programme_id).update(
        published_pdf=name, published_pdf_at=timezone.now()
    )
    if old_name and old_name != name:
        storage.delete(old_name)


def refresh_published_pdf(programme: AnnualProgramme) -> None:
    """Queue the rendering of a public programme's PDF once the current transaction commits
    (nothing for a draft: its PDF is rendered when asked for)."""
    if programme.is_public:
        programme_id = programme.pk
        transaction.on_commit(lambda: store_published_pdf.enqueue(programme_id))


def stored_pdf(programme: AnnualProgramme):
    """The stored PDF to serve for ``programme``, or None when it must be rendered now: a
    draft, a PDF not rendered yet, or a visitor reading another language than the portal's."""
    if not (programme.is_public and programme.published_pdf):
        return None
    if translation.get_language() != settings.LANGUAGE_CODE:
        return None
    return programme.published_pdf
