"""Background work of the call part (django-tasks), queued after the commit of the request.

The receipt of a submission is rendered here, in the worker, so that a crowd submitting in the
last second before closing never waits for WeasyPrint: the applicant gets the reference at
once and the file page shows the receipt when this task has stored it.
"""

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from ess_metro.pdf import render_pdf
from projects.calls import notifications, selectors
from projects.models import Application


def store_receipt(application: Application) -> Application:
    """Render the PDF receipt of the file's last submission and store it (storage API)."""
    pdf = render_pdf("pdf/projects/calls/receipt.html", selectors.receipt_context(application))
    stamp = timezone.localtime(application.submitted_at).strftime("%Y%m%d-%H%M%S")
    application.receipt.save(f"{application.reference}-{stamp}.pdf", ContentFile(pdf), save=False)
    # Only the receipt column is written: a staff step fired meanwhile is never overwritten.
    Application.objects.filter(pk=application.pk).update(receipt=application.receipt.name)
    return application


@task()
def application_receipt(application_id: int, resubmission: bool = False) -> None:
    """The receipt of a submitted file, then the e-mail that points to it.

    Running it twice (a worker killed half-way) renders the receipt again: nothing is lost.
    """
    application = (
        Application.objects.select_related("call", "organisation", "created_by")
        .prefetch_related("budget_lines")
        .get(pk=application_id)
    )
    store_receipt(application)
    application.resubmission = resubmission
    notifications.application_submitted(application)
