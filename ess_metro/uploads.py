"""Checks of uploaded files: the type comes from the file's content, not its name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Office documents are ZIP (OOXML, ODF) or OLE containers; filetype recognises them.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument",
    "application/msword": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/x-ole-storage": "Office",
}
ALLOWED_EXTENSIONS = {
    "pdf",
    "jpg",
    "jpeg",
    "png",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "doc",
    "xls",
}


def detect_mime(upload) -> str | None:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_upload(upload) -> str:
    """Raise a French ValidationError unless the file is an allowed type and size.

    Returns the detected MIME type.
    """
    limit = settings.MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    mime = detect_mime(upload)
    if extension not in ALLOWED_EXTENSIONS or mime not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "This type of file is not accepted: send a PDF, an image (JPEG, PNG) or an "
                "office document (Word, Excel, OpenDocument)."
            ),
            code="bad_type",
        )
    return mime
