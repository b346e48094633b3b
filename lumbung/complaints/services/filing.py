"""Filing a report, and supporting an open one instead of filing a duplicate."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.attachments import CleanFile, clean_image
from lumbung.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from lumbung.core.kelurahan import kelurahan_name
from lumbung.core.models import Region, User
from lumbung.core.pdp import normalise_phone
from lumbung.core.public_cache import remembered
from lumbung.core.selectors import module_settings
from lumbung.core.services.audit import audit_record
from lumbung.core.services.notifications import notifications_batched
from lumbung.core.services.numbering import number_format, number_next
from lumbung.core.services.workflow import case_start

from .. import filing_limits
from ..errors import ComplaintError
from ..models import (
    Category,
    Complaint,
    ComplaintUpdate,
    Open311Client,
    PhotoKind,
    Source,
    Supporter,
    UpdateKind,
)
from ..workflow import IN_PROGRESS, SUBMITTED
from .common import (
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    MODULE,
    add_photos,
    digest,
    same_region,
    tell_reporter_filed,
    tell_unit,
)

DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 4000
# Indonesia from Sabang to Merauke, Miangas to Rote, with a margin: a pin outside is a typo.
LAT_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LNG_RANGE = (Decimal("94.5"), Decimal("141.5"))
# Ticket numbers in core's gap-free series, one per region and year.
SERIES = "complaints"


@dataclass(frozen=True)
class ReportInput:
    category: str  # the category's code
    description: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    location_text: str = ""
    kelurahan: str = ""  # a Kemendagri kelurahan/desa code of the region
    is_public: bool | None = None  # None: the category's default
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    secret: str  # the tracking link's key, shown once


def report_file(
    *,
    region: Region,
    actor: User | None,
    data: ReportInput,
    photos: Sequence[UploadedFile] = (),
    source: Source = Source.WEB,
    client: Open311Client | None = None,
    address: str = "",
) -> Filed:
    """File a report. Every field problem is reported at once; nothing is written unless
    all of it is valid. Anonymous filing is limited per address and per contact."""
    category, fields, cleaned = _validate_report(region, data, photos)
    if actor is None and source is not Source.OPEN311:
        contact = str(fields["contact_email"] or fields["contact_phone"])
        filing_limits.check(region, address=address, contact=contact)
    with transaction.atomic():
        secret = secrets.token_urlsafe(24)
        fields["tracking_hash"] = digest(secret)
        complaint = _create(region, actor, category, fields, source, client)
        add_photos(complaint, cleaned, PhotoKind.REPORT, None)
        ComplaintUpdate.objects.create(
            region=region,
            complaint=complaint,
            kind=UpdateKind.STATUS,
            action="start",
            to_state=SUBMITTED,
            actor=actor,
            created_at=complaint.created_at,
        )
        audit_record(
            region=region,
            actor=actor,
            action="complaints.file",
            obj=complaint,
            changes={"category": category.code, "public": complaint.is_public, "source": source},
            casework=True,
        )
        with notifications_batched():
            tell_reporter_filed(complaint, secret)
            tell_unit(complaint, _("New report %(ticket)s") % {"ticket": complaint.ticket})
    return Filed(complaint, secret)


def _validate_report(
    region: Region, data: ReportInput, photos: Sequence[UploadedFile]
) -> tuple[Category, dict[str, Any], list[CleanFile]]:
    errors: dict[str, list[str]] = {}
    category = _active_category(region, data.category)
    if category is None:
        errors["category"] = [_("Choose one of the region's categories.")]
    description = data.description.strip()
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        errors["description"] = [
            _("Describe the problem in %(min)d to %(max)d characters.")
            % {"min": DESCRIPTION_MIN, "max": DESCRIPTION_MAX}
        ]
    errors.update(_location_errors(data))
    kelurahan = ""
    if data.kelurahan:
        kelurahan = kelurahan_name(region, data.kelurahan) or ""
        if not kelurahan:
            errors["kelurahan"] = [_("Choose a kelurahan/desa of this region.")]
    fields, contact_errors = _contact(data)
    errors.update(contact_errors)
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)d photos.") % {"n": MAX_PHOTOS}]
    cleaned: list[CleanFile] = []
    if "photos" not in errors:
        for upload in photos:
            try:
                cleaned.append(clean_image(upload, field="photos", max_bytes=MAX_PHOTO_BYTES))
            except ValidationFailed as error:
                errors.setdefault("photos", []).extend(error.field_errors.get("photos", []))
    if errors:
        raise ValidationFailed(errors)
    assert category is not None
    fields.update(
        description=description,
        latitude=data.latitude,
        longitude=data.longitude,
        location_text=data.location_text.strip(),
        kelurahan_code=data.kelurahan if kelurahan else "",
        kelurahan_name=kelurahan,
        is_public=category.public_by_default if data.is_public is None else data.is_public,
    )
    return category, fields, cleaned


def _active_category(region: Region, code: str) -> Category | None:
    """The region's active category of this code with its default unit, kept in memory:
    categories change only through the audited admin services."""
    return remembered(
        f"complaints:category:{region.pk}:{code}",
        lambda: (
            Category.objects.filter(region=region, code=code, is_active=True)
            .select_related("default_unit")
            .first()
        ),
    )


def _location_errors(data: ReportInput) -> dict[str, list[str]]:
    lat, lng = data.latitude, data.longitude
    if (lat is None) != (lng is None):
        return {"latitude": [_("Give both latitude and longitude, or neither.")]}
    if lat is not None and lng is not None:
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
            return {"latitude": [_("This point is not in Indonesia.")]}
    elif not data.location_text.strip():
        return {"location_text": [_("Put a pin on the map or describe where it is.")]}
    if len(data.location_text) > 300:
        return {"location_text": [_("At most 300 characters.")]}
    return {}


def _contact(data: ReportInput) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    email = data.contact_email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid email address.")]
    phone = ""
    if data.contact_phone.strip():
        phone = normalise_phone(data.contact_phone.strip()) or ""
        if not phone:
            errors["contact_phone"] = [_("Enter an Indonesian phone number.")]
    name = data.contact_name.strip()
    if len(name) > 120:
        errors["contact_name"] = [_("At most 120 characters.")]
    return {"contact_name": name, "contact_email": email, "contact_phone": phone}, errors


def _create(
    region: Region,
    actor: User | None,
    category: Category,
    fields: dict[str, Any],
    source: Source,
    client: Open311Client | None,
) -> Complaint:
    now = timezone.now()
    year = timezone.localtime(now).year
    number = number_next(region, SERIES, year)
    prefix = str(module_settings(region, MODULE)["ticket_prefix"])
    complaint = Complaint(
        region=region,
        ticket=number_format(prefix, region, year, number),
        year=year,
        number=number,
        category=category,
        sla_class=category.sla_class,
        reporter=actor,
        unit=category.default_unit,
        source=source,
        client=client,
        created_at=now,
        updated_at=now,
        **fields,
    )
    case_start(complaint, actor=actor)
    return complaint


# --- Supporting instead of filing a duplicate ----------------------------------------------


def report_support(
    *, region: Region, actor: User | None, complaint: Complaint, session_key: str = ""
) -> int:
    """Add the caller as a supporter of an open public report; returns the new count."""
    same_region(region, complaint)
    if not complaint.is_public or complaint.state not in (SUBMITTED, IN_PROGRESS):
        raise DomainError(
            ComplaintError.NOT_SUPPORTABLE,
            _("Only open public reports can be supported."),
            status=409,
        )
    if actor is not None:
        if complaint.reporter_id == actor.pk:
            raise Conflict(ComplaintError.ALREADY_SUPPORTED, _("This is your own report."))
        key = f"u:{actor.pk}"
    elif session_key:
        key = "s:" + digest(session_key)[:40]
    else:
        raise PermissionDenied()
    with transaction.atomic():
        try:
            with transaction.atomic():
                Supporter.objects.create(region=region, complaint=complaint, key=key, user=actor)
        except IntegrityError:
            raise Conflict(
                ComplaintError.ALREADY_SUPPORTED, _("You already support this report.")
            ) from None
        Complaint.objects.filter(region=region, pk=complaint.pk).update(
            supporters_count=F("supporters_count") + 1
        )
        audit_record(
            region=region, actor=actor, action="complaints.support", obj=complaint, casework=True
        )
    complaint.refresh_from_db(fields=["supporters_count"])
    return complaint.supporters_count
