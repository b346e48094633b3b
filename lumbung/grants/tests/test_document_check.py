"""Core's document check, as grants and permits use it: a PDF by its header, otherwise an
image re-encoded without its metadata, each size-capped; `formats` narrows the kinds
(permits' requirements name one). Kept here because grants moved it to core (the core
attachments tests cover clean_pdf and clean_image)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from lumbung.core.attachments import clean_document
from lumbung.core.errors import ValidationFailed

from .factories import pdf


def jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (8, 8), "white")
    exif = Image.Exif()
    exif[0x8825] = {2: (6.0, 54.0, 0.0)}  # GPSInfo: a latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), "image/jpeg")


def test_a_pdf_and_a_photo_are_both_documents() -> None:
    assert clean_document(pdf()).content_type == "application/pdf"
    photo = clean_document(jpeg_with_gps())
    assert photo.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(photo.content.read())).getexif().get(0x8825) is None


def test_the_name_and_the_browsers_word_do_not_count() -> None:
    disguised = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationFailed) as refused:
        clean_document(disguised, field="proof")
    assert set(refused.value.field_errors) == {"proof"}


def test_formats_narrow_the_kinds_with_the_expected_kinds_message() -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as image_for_pdf:
        clean_document(jpeg_with_gps(), field="doc", formats={"pdf"})
    assert image_for_pdf.value.field_errors == {"doc": ["Upload a PDF document."]}
    with translation.override("en"), pytest.raises(ValidationFailed) as pdf_for_image:
        clean_document(pdf(), field="doc", formats={"image"})
    assert pdf_for_image.value.field_errors == {"doc": ["The file is not a valid image."]}


def test_each_kind_has_its_size_cap() -> None:
    with pytest.raises(ValidationFailed):
        clean_document(pdf(size=2048), max_pdf_bytes=1024)
    assert clean_document(pdf(size=2048), max_image_bytes=1024).content_type == "application/pdf"
