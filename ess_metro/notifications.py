"""One way out for every e-mail the portal sends.

Each event calls ``notify`` with a template name: ``templates/email/<name>_subject.txt`` and
``templates/email/<name>_body.txt`` are rendered in the recipient's language (French by
default), then the message is sent by a background task (django-tasks), so a slow mail server
never slows a page down. The task is queued only when the current transaction commits: a
change that is rolled back never sends an e-mail. E-mails are plain text: their templates are
rendered without HTML escaping (« l'appel », not « l&#x27;appel »).
"""

from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import translation
from django_tasks import task


@task()
def send_email_task(
    subject: str,
    body: str,
    to: list[str],
    attachments: list[list[str]] | None = None,
    reply_to: list[str] | None = None,
) -> None:
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
    )
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping (an e-mail is not HTML)."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def notify(
    template: str,
    *,
    to: list[str],
    context: dict,
    attachments: list[tuple[str, str, str]] | None = None,
    reply_to: list[str] | None = None,
    language: str | None = None,
) -> None:
    """Render ``email/<template>_subject.txt`` and ``_body.txt`` now; send them in the
    background once the current transaction commits (at once outside a transaction)."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_text(f"email/{template}_subject.txt", context).split())
        body = render_text(f"email/{template}_body.txt", context)
    enqueue = partial(
        send_email_task.enqueue,
        subject=subject,
        body=body,
        to=recipients,
        attachments=[list(item) for item in attachments or []],
        reply_to=reply_to,
    )
    transaction.on_commit(enqueue)
