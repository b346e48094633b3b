"""The applicant's side: applying (the lane, permit type and levy are the system's, from
the catalogue), resubmitting after a correction request, withdrawing, paying the levy
and renewing a permit."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from lokal import nik, npwp

from lumbung.core.attachments import CleanFile, clean_document
from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.kelurahan import kelurahan_name
from lumbung.core.models import Region, User
from lumbung.core.services.numbering import number_format, number_next
from lumbung.core.services.workflow import case_start

from ..errors import PermitsError
from ..fees import fee_for
from ..models import (
    Application,
    ApplicationActivity,
    ApplicationDocument,
    Permit,
    Requirement,
)
from ..models.common import MONEY_MAX
from ..selectors import Plan, requirements_for
from .common import (
    begin,
    move,
    record,
    region_today,
    require_applicant,
    settings_of,
)
from .issuing import permit_issue

NIB = re.compile(r"^[0-9]{13}$")
AREA_MAX = Decimal("9999999999")


@dataclass
class ApplicationInput:
    business_name: str
    npwp: str
    owner_name: str
    owner_nik: str
    business_address: str
    kelurahan_code: str
    kbli: Sequence[str]
    capital: Any
    area_m2: Any = None
    unit_count: Any = None
    nib: str = ""
    documents: Mapping[str, UploadedFile] = field(default_factory=dict)  # by requirement code


def _number(value: Any, name: str, upper: Decimal, errors: dict[str, list[str]]) -> Decimal | None:
    """An exact non-negative number with at most two decimals (floats refused)."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, float | bool):
            raise InvalidOperation
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        errors[name] = [_("Give an exact number.")]
        return None
    if not number.is_finite() or number < 0 or number > upper:
        errors[name] = [_("Give a number from zero up.")]
    elif number != number.quantize(Decimal("0.01")):
        errors[name] = [_("At most two decimals.")]
    return number


def _identity(data: ApplicationInput, errors: dict[str, list[str]]) -> dict[str, str]:
    out = {
        "business_name": data.business_name.strip()[:200],
        "owner_name": data.owner_name.strip()[:150],
        "business_address": data.business_address.strip()[:300],
        "nib": re.sub(r"[\s.-]", "", data.nib or ""),
    }
    for name in ("business_name", "owner_name", "business_address"):
        if not out[name]:
            errors[name] = [_("This field is required.")]
    if out["nib"] and not NIB.match(out["nib"]):
        errors["nib"] = [_("An NIB has 13 digits.")]
    parsed_npwp = npwp.parse_npwp(data.npwp or "")
    if parsed_npwp.valid and parsed_npwp.digits:
        out["npwp"] = parsed_npwp.digits
    else:
        errors["npwp"] = [_("Enter a valid NPWP (15 or 16 digits).")]
    parsed_nik = nik.parse_nik(data.owner_nik or "")
    if parsed_nik.valid and parsed_nik.nik:
        out["owner_nik"] = parsed_nik.nik
    else:
        errors["owner_nik"] = [_("Enter a valid NIK (16 digits).")]
    return out


def clean_input(region: Region, data: ApplicationInput) -> dict[str, Any]:
    """Every field checked; every bad one reported at once. The address must lie in one
    of the region's kelurahan/desa."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = _identity(data, errors)
    capital = _number(data.capital, "capital", MONEY_MAX, errors)
    if capital is None and "capital" not in errors:
        errors["capital"] = [_("This field is required.")]
    out["capital"] = capital
    out["area_m2"] = _number(data.area_m2, "area_m2", AREA_MAX, errors)
    units = _number(data.unit_count, "unit_count", AREA_MAX, errors)
    if units is not None and units != units.to_integral_value():
        errors["unit_count"] = [_("A whole number.")]
    out["unit_count"] = int(units) if units is not None and "unit_count" not in errors else None
    if errors:
        raise ValidationFailed(errors)
    out["kelurahan_code"] = data.kelurahan_code.strip()
    if not kelurahan_name(region, out["kelurahan_code"]):
        raise DomainError(
            PermitsError.ADDRESS_OUTSIDE_REGION,
            _("The business must be in one of this region's kelurahan/desa."),
            field_errors={"kelurahan_code": [_("Choose a kelurahan/desa of this region.")]},
            status=422,
        )
    return out


def clean_documents(
    requirements: Sequence[Requirement], uploads: Mapping[str, UploadedFile], *, partial: bool
) -> list[tuple[Requirement, CleanFile]]:
    """Each upload checked by content against its requirement's format. Unless `partial`
    (a resubmission), a missing mandatory document refuses the lot, naming them all."""
    by_code = {r.code: r for r in requirements}
    unknown = sorted(set(uploads) - set(by_code))
    if unknown:
        raise DomainError(
            PermitsError.DOCUMENT_UNKNOWN,
            _("Not a requirement of this permit: %(codes)s") % {"codes": ", ".join(unknown)},
            field_errors={f"documents.{c}": [_("Unknown requirement.")] for c in unknown},
            status=422,
        )
    missing = [r for r in requirements if r.mandatory and r.code not in uploads]
    if missing and not partial:
        raise DomainError(
            PermitsError.DOCUMENTS_MISSING,
            _("Missing documents: %(names)s") % {"names": ", ".join(r.name for r in missing)},
            field_errors={
                f"documents.{r.code}": [_("This document is required.")] for r in missing
            },
            status=422,
        )
    # The requirement says which kind of document it takes (a PDF, or an image).
    return [
        (
            by_code[code],
            clean_document(upload, field=f"documents.{code}", formats={by_code[code].format}),
        )
        for code, upload in uploads.items()
    ]


def store_documents(
    region: Region,
    actor: User,
    application: Application,
    files: list[tuple[Requirement, CleanFile]],
) -> None:
    """Keep the files; a new file for a requirement replaces the current one (kept, not current)."""
    for requirement, clean in files:
        ApplicationDocument.objects.filter(
            region=region, application=application, requirement=requirement, is_current=True
        ).update(is_current=False)
        ApplicationDocument.objects.create(
            region=region,
            application=application,
            requirement=requirement,
            file=clean.content,
            filename=clean.name,
            content_type=clean.content_type,
            size=clean.content.size,
            uploaded_by=actor,
        )


def _plan(region: Region, data: ApplicationInput, capital: Decimal) -> Plan:
    plan = requirements_for(region, data.kbli, capital)
    if plan.instant:
        return plan
    if plan.permit_type is None:
        raise DomainError(
            PermitsError.NO_PERMIT_TYPE,
            _(
                "This activity needs a permit the region does not issue online yet; "
                "contact the licensing office."
            ),
            status=409,
        )
    if not plan.permit_type.is_active:
        raise DomainError(
            PermitsError.TYPE_INACTIVE,
            _("The region does not accept applications for this permit now."),
            status=409,
        )
    return plan


@transaction.atomic
def application_apply(
    *, region: Region, actor: User, data: ApplicationInput, renews: Permit | None = None
) -> Application:
    """Apply. The system picks the lane, permit type and levy from the catalogue. A
    report-only or self-declared application is registered at once with its receipt, no
    officer needed; any other goes to the document check with its deadline."""
    values = clean_input(region, data)
    plan = _plan(region, data, values["capital"])
    files = clean_documents(plan.requirements, data.documents, partial=False)
    fee = fee_for(plan.permit_type, values["area_m2"], values["unit_count"])
    year = region_today(region).year
    prefix = str(settings_of(region)["application_prefix"])
    application = Application(
        region=region,
        number=number_format(
            prefix, region, year, number_next(region, "permits.application", year)
        ),
        applicant=actor,
        scale=plan.scale,
        lane=plan.lane,
        permit_type=plan.permit_type,
        fee_amount=fee,
        renews=renews,
        **values,
    )
    case_start(application, actor=actor)
    ApplicationActivity.objects.bulk_create(
        [
            ApplicationActivity(region=region, application=application, kbli=k, position=i)
            for i, k in enumerate(plan.activities)
        ]
    )
    store_documents(region, actor, application, files)
    record(
        region,
        actor,
        application,
        "application.apply",
        {
            "number": application.number,
            "kbli": [k.code for k in plan.activities],
            "capital": values["capital"],
            "scale": plan.scale,
            "lane": plan.lane,
            "permit_type": plan.permit_type.code if plan.permit_type else None,
            "fee_amount": fee,
            "owner_nik": values["owner_nik"],
            "documents": len(files),
            "renews": renews.number if renews else None,
        },
    )
    if plan.instant:
        move(
            region,
            None,
            application,
            "register",
            _("Registered at once: %(lane)s.") % {"lane": plan.lane},
        )
        permit_issue(region, application, signed_by=None)
    else:
        move(region, None, application, "route")
    return application


@transaction.atomic
def application_resubmit(
    *,
    region: Region,
    actor: User,
    application: Application,
    documents: Mapping[str, UploadedFile] | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Application:
    """Send the corrected application back to the stage that asked, with the working days
    that stage had left. New files replace the current ones for their requirements."""
    fresh = begin(region, actor, application, "resubmit", expected_version)
    require_applicant(fresh, actor)
    if documents:
        requirements = list(
            Requirement.objects.filter(region=region, permit_type=fresh.permit_type)
        )
        files = clean_documents(requirements, documents, partial=True)
        store_documents(region, actor, fresh, files)
        record(region, actor, fresh, "application.documents", {"replaced": sorted(documents)})
    return move(region, actor, fresh, "resubmit", note)


@transaction.atomic
def application_withdraw(
    *,
    region: Region,
    actor: User,
    application: Application,
    note: str = "",
    expected_version: int | None = None,
) -> Application:
    """The applicant withdraws (before the review is under way, while it is back with them,
    or instead of paying the levy)."""
    fresh = begin(region, actor, application, "withdraw", expected_version)
    require_applicant(fresh, actor)
    return move(region, actor, fresh, "withdraw", note)
