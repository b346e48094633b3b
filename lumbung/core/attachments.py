"""Uploaded files: type checked by content (never by name or the browser's word), size
limited, and images re-encoded so that location and camera metadata are gone."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ValidationFailed

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CleanFile:
    content: ContentFile[bytes]
    name: str
    content_type: str


def clean_image(
    upload: UploadedFile, *, field: str = "file", max_bytes: int = MAX_IMAGE_BYTES
) -> CleanFile:
    """A JPEG, PNG or WebP image re-encoded without EXIF/GPS, or a field-level error."""
    _check_size(upload, field, max_bytes)
    try:
        Image.open(upload).verify()  # structure check; the image must be reopened after it
        upload.seek(0)
        opened = Image.open(upload)
        fmt = opened.format or ""
        if fmt not in IMAGE_FORMATS:
            raise ValidationFailed({field: [_("Upload a JPEG, PNG or WebP image.")]})
        if opened.width * opened.height > MAX_PIXELS:
            raise ValidationFailed({field: [_("The image is too large.")]})
        image = ImageOps.exif_transpose(opened)  # keep the orientation, drop the tag
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationFailed({field: [_("The file is not a valid image.")]}) from None
    return _reencode(image, fmt, upload.name or "image")


def _reencode(image: Image.Image, fmt: str, original: str) -> CleanFile:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    else:
        image.save(out, fmt)  # a fresh save writes no EXIF unless asked to
    ext = IMAGE_FORMATS[fmt]
    stem = "".join(ch for ch in original.rsplit(".", 1)[0] if ch.isalnum() or ch in "-_")[:60]
    name = f"{stem or 'image'}.{ext}"
    return CleanFile(
        ContentFile(out.getvalue(), name=name), name, f"image/{ext.replace('jpg', 'jpeg')}"
    )


def clean_pdf(
    upload: UploadedFile, *, field: str = "file", max_bytes: int = 10 * 1024 * 1024
) -> CleanFile:
    """A PDF, recognised by its header."""
    _check_size(upload, field, max_bytes)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationFailed({field: [_("Upload a PDF document.")]})
    data = upload.read()
    name = (upload.name or "document").rsplit("/", 1)[-1][:80]
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return CleanFile(ContentFile(data, name=name), name, "application/pdf")


# A document is a PDF or a photo of a paper one (a phone's photo, re-encoded smaller).
DOCUMENT_FORMATS = frozenset({"pdf", "image"})
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_IMAGE_BYTES = 5 * 1024 * 1024


def clean_document(
    upload: UploadedFile,
    *,
    field: str = "file",
    formats: frozenset[str] | set[str] = DOCUMENT_FORMATS,
    max_pdf_bytes: int = MAX_DOCUMENT_BYTES,
    max_image_bytes: int = MAX_DOCUMENT_IMAGE_BYTES,
) -> CleanFile:
    """A document recognised by its content, never its name or the browser's word: a PDF
    by its header, otherwise an image (re-encoded without its metadata), each size-capped.
    `formats` ("pdf", "image") narrows what is accepted; a file of the wrong kind gets the
    field error of the kind expected."""
    if "image" not in formats:
        return clean_pdf(upload, field=field, max_bytes=max_pdf_bytes)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC and "pdf" in formats:
        return clean_pdf(upload, field=field, max_bytes=max_pdf_bytes)
    return clean_image(upload, field=field, max_bytes=max_image_bytes)


def _check_size(upload: UploadedFile, field: str, max_bytes: int) -> None:
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationFailed(
            {field: [_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}]}
        )
