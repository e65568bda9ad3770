"""Checks of uploaded files: the type comes from the file's content, not its name."""

import io

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
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


def validate_size(upload) -> None:
    """Refuse a file over MAX_UPLOAD_SIZE (for a ``TooLargeUpload``, the size that was sent)."""
    limit = settings.MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def validate_upload(upload) -> str:
    """Raise a French ValidationError unless the file is an allowed type and size.

    Returns the detected MIME type.
    """
    validate_size(upload)
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


class TooLargeUpload(UploadedFile):
    """What is left of a file that went over MAX_UPLOAD_SIZE: its name and the size that was
    sent, no content. ``validate_upload`` refuses it with the usual French message."""

    def __init__(self, name: str, content_type: str, size: int):
        super().__init__(io.BytesIO(b""), name, content_type, size)


class SizeLimitUploadHandler(FileUploadHandler):
    """First upload handler: passes each chunk on while the file is within MAX_UPLOAD_SIZE,
    then swallows the rest, so the handlers that write to memory or disk never hold more than
    the limit. The form gets a ``TooLargeUpload`` and says the file is too large."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_SIZE:
            self.too_large = True
        return None if self.too_large else raw_data

    def file_complete(self, file_size):
        if not self.too_large:
            return None
        for handler in self.request.upload_handlers if self.request else []:
            part = getattr(handler, "file", None)
            if handler is not self and part is not None and hasattr(part, "close"):
                part.close()  # what a later handler held of it (at most the limit) goes now
        return TooLargeUpload(self.file_name, self.content_type, file_size)
