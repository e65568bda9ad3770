"""Serving private files: one helper for every protected download.

The caller first fetches the object that owns the file through a queryset filtered to the
user (``Model.objects.visible_to(user)``), so another person's file is a 404; this helper then
serves the file without ever exposing a lasting storage URL:

- on the local disk, or on S3 with ``PRIVATE_DOWNLOADS = "stream"`` (the default), the bytes
  are streamed by the app server, chunk by chunk, never read whole into memory;
- on S3 with ``PRIVATE_DOWNLOADS = "redirect"``, the browser is sent to a signed URL that
  expires after ``S3_SIGNED_URL_SECONDS`` and names the file for download.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header


def _is_s3(storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def _s3_object(file):
    """The S3 object of ``file``: a streaming body with its length and type, or 404."""
    from botocore.exceptions import ClientError

    storage = file.storage
    try:
        return storage.connection.meta.client.get_object(
            Bucket=storage.bucket_name, Key=storage._normalize_name(file.name)
        )
    except ClientError as error:
        raise Http404 from error


def _signed_redirect(file, *, filename: str, content_type: str | None, inline: bool):
    parameters = {
        "ResponseContentDisposition": content_disposition_header(not inline, filename),
        "ResponseCacheControl": "private, no-store",
    }
    if content_type:
        parameters["ResponseContentType"] = content_type
    if not file.storage.exists(file.name):
        raise Http404
    response = HttpResponseRedirect(file.storage.url(file.name, parameters=parameters))
    response["Cache-Control"] = "private, no-store"
    return response


def protected_download(
    file, *, filename: str = "", content_type: str | None = None, inline: bool = False
):
    """Serve ``file`` (a FieldFile) as a download; 404 when it is missing or absent."""
    if not file:
        raise Http404
    filename = filename or file.name.rsplit("/", 1)[-1]
    if _is_s3(file.storage) and settings.PRIVATE_DOWNLOADS == "redirect":
        return _signed_redirect(file, filename=filename, content_type=content_type, inline=inline)
    if _is_s3(file.storage):
        stored = _s3_object(file)
        handle = stored["Body"]
        content_type = content_type or stored.get("ContentType")
    else:
        try:
            handle = file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    if _is_s3(file.storage):
        response["Content-Length"] = str(stored["ContentLength"])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
