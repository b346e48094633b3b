"""Files served to staff, auditors and an organisation's own accounts, by the pages and
the API alike: never a public media URL, typed by what the file was stored as after its
check by content (never sniffed by the browser), and never cached."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from .models import Document

IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _private(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def document_response(document: Document) -> FileResponse:
    """An uploaded document, as a download."""
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.filename
    )
    response["Content-Type"] = document.content_type
    return _private(response)


def photo_response(photo: FieldFile) -> FileResponse:
    """An image, shown inline (the browser opens it)."""
    name = photo.name.rsplit("/", 1)[-1] if photo.name else "photo"
    response = FileResponse(photo.open("rb"), filename=name)
    response["Content-Type"] = IMAGE_TYPES.get(
        name.rsplit(".", 1)[-1].lower(), "application/octet-stream"
    )
    return _private(response)
