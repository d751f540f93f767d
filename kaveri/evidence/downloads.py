"""A document's file as a download: an attachment of the type its content showed on upload,
never rendered by the browser."""

from pathlib import Path

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def file_response(document) -> FileResponse:
    if not document.file:
        raise Http404(_("This document has no file."))
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"document-{document.pk}{Path(document.file.name).suffix}",
        content_type=document.file_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
