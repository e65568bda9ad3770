"""Serving private files: one helper for every protected download.

The caller first fetches the object that owns the file through a queryset filtered to the
user (``Model.objects.visible_to(user)``), so another person's file is a 404; this helper then
streams the file without ever exposing a storage URL.
"""

from django.http import FileResponse, Http404


def protected_download(
    file, *, filename: str = "", content_type: str | None = None, inline: bool = False
) -> FileResponse:
    """Stream ``file`` (a FieldFile) as a download; 404 when it is missing or absent."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename or file.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
