"""Uploads: checked by content, images re-encoded without location metadata."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import login
from lumbung.core.attachments import clean_image, clean_pdf
from lumbung.core.errors import ValidationFailed
from lumbung.core.models import AuditEvent, Region
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[GPS_IFD] = {1: "S", 2: (6.0, 54.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_image_is_reencoded_without_exif_or_gps():
    # given a JPEG carrying a camera maker and GPS position
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    # when it is cleaned
    clean = clean_image(SimpleUploadedFile("foto jalan.JPG", raw, "image/jpeg"))
    # then the stored copy is a JPEG with no EXIF at all
    stored = Image.open(io.BytesIO(clean.content.read()))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert clean.name == "fotojalan.jpg"


def test_a_script_named_like_an_image_is_refused():
    upload = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", "image/png")
    with pytest.raises(ValidationFailed) as error:
        clean_image(upload, field="logo")
    assert "logo" in error.value.field_errors


def test_too_large_files_are_refused():
    upload = SimpleUploadedFile("big.jpg", jpeg_with_gps(), "image/jpeg")
    with pytest.raises(ValidationFailed):
        clean_image(upload, max_bytes=10)


def test_pdf_is_recognised_by_its_header():
    assert (
        clean_pdf(SimpleUploadedFile("a.pdf", b"%PDF-1.7\n...", "application/pdf")).name == "a.pdf"
    )
    with pytest.raises(ValidationFailed):
        clean_pdf(SimpleUploadedFile("a.pdf", b"MZ\x90\x00", "application/pdf"))


@pytest.mark.django_db
def test_admin_uploads_a_logo_through_the_profile_page(client, world_a):
    # given the region admin
    login(client, world_a.users[Role.REGION_ADMIN])
    url = f"/{world_a.region.slug}/staff/profile/"
    data = {"display_name": "Kota Bandung", "primary_color": "#0b5d3b"}
    # when a non-image is uploaded as the logo
    bad = client.post(url, {**data, "logo": SimpleUploadedFile("x.png", b"nope")})
    # then the field shows an error and nothing changes
    assert bad.status_code == 422
    assert not Region.objects.get(pk=world_a.region.pk).logo
    # when a real image is uploaded
    good = client.post(url, {**data, "logo": SimpleUploadedFile("logo.jpg", jpeg_with_gps())})
    # then the logo is stored clean, and the change is audited
    assert good.status_code == 302
    region = Region.objects.get(pk=world_a.region.pk)
    assert region.logo.name.endswith(".jpg")
    assert not Image.open(region.logo.open()).getexif()
    with region_scope(region):
        assert AuditEvent.objects.filter(region=region, action="region.logo").exists()
