"""Organisations that apply for hibah: registration with their legal facts, changes (a
changed legal fact sends the organisation back to verification), verification by staff,
and their documents, checked by content."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lokal import npwp

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import can, roles_of
from lumbung.core.reference import subdivisions
from lumbung.core.services.audit import audit_record

from ..errors import GrantsError
from ..models import Organisation, OrganisationKind, Verification

REQUIRED_OFFICERS = ("ketua", "sekretaris", "bendahara")
# A change of any of these means the verified organisation is no longer the one verified.
LEGAL_FACTS = (
    "legal_number",
    "legal_date",
    "npwp",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
)
EDITABLE = (
    "name",
    "kind",
    *LEGAL_FACTS,
    "address",
    "kelurahan_code",
    "phone",
    "email",
    "officers",
)
ACCOUNT_NUMBER = re.compile(r"^[0-9]{5,30}$")
PHONE = re.compile(r"^\+?[0-9]{8,15}$")


@dataclass
class OrganisationInput:
    name: str
    kind: str
    legal_number: str
    legal_date: dt.date
    npwp: str
    address: str
    bank_name: str
    bank_account_number: str
    bank_account_name: str
    officers: list[dict[str, str]] = field(default_factory=list)
    kelurahan_code: str = ""
    phone: str = ""
    email: str = ""


def region_today(region: Region) -> dt.date:
    return RegionCalendar(region).local_date(timezone.now())


def same_region(region: Region, obj: Any) -> None:
    """A foreign row is a 404, never a 403 that confirms it exists."""
    if obj.region_id != region.pk:
        raise NotFound()


def is_account(organisation: Organisation, actor: User | None) -> bool:
    if actor is None or not actor.pk:
        return False
    return organisation.accounts.filter(pk=actor.pk).exists()


def require_account(organisation: Organisation, actor: User | None) -> User:
    """Only a citizen account registered for the organisation may act for it."""
    if actor is None or not is_account(organisation, actor):
        raise DomainError(
            GrantsError.NOT_APPLICANT,
            _("Only the organisation's own accounts can do this."),
            status=403,
        )
    return actor


GRANTS_STAFF = frozenset(
    {
        Role.OFFICER,
        Role.UNIT_HEAD,
        Role.REGION_ADMIN,
        Role.CONSIDERATION_TEAM,
        Role.BUDGET_TEAM,
        Role.REGION_HEAD,
    }
)


def is_staff(actor: User | None, region: Region) -> bool:
    return actor is not None and bool(roles_of(actor, region) & GRANTS_STAFF)


@lru_cache(maxsize=600)
def _kecamatan_of(region_code: str) -> frozenset[str]:
    return frozenset(code for code, _name, _type in subdivisions(region_code))


@lru_cache(maxsize=4000)
def _kelurahan_of(kecamatan_code: str) -> frozenset[str]:
    return frozenset(code for code, _name, _type in subdivisions(kecamatan_code))


def kelurahan_of_region(region: Region, code: str) -> bool:
    """Whether `code` is a Kemendagri kelurahan/desa code inside the region."""
    kecamatan = code.rsplit(".", 1)[0]
    if not code.startswith(region.code + ".") or kecamatan not in _kecamatan_of(region.code):
        return False
    return code in _kelurahan_of(kecamatan)


def _clean(region: Region, values: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise the organisation's fields; every bad one is reported at once."""
    errors: dict[str, list[str]] = {}
    out = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    for name in ("name", "legal_number", "address", "bank_name", "bank_account_name"):
        if name in out and not out[name]:
            errors[name] = [_("This field is required.")]
    if "kind" in out and out["kind"] not in OrganisationKind.values:
        errors["kind"] = [_("Choose a kind of organisation.")]
    legal_date = out.get("legal_date", dt.date.min)
    if not isinstance(legal_date, dt.date) or legal_date > region_today(region):
        errors["legal_date"] = [_("Enter the registration date, not in the future.")]
    if "npwp" in out:
        parsed = npwp.parse_npwp(str(out["npwp"]))
        if parsed.valid and parsed.digits:
            out["npwp"] = parsed.digits
        else:
            errors["npwp"] = [_("Enter a valid NPWP (15 or 16 digits).")]
    if "bank_account_number" in out:
        out["bank_account_number"] = re.sub(r"[\s.-]", "", str(out["bank_account_number"]))
        if not ACCOUNT_NUMBER.match(out["bank_account_number"]):
            errors["bank_account_number"] = [_("Enter the account number, digits only.")]
    if out.get("kelurahan_code") and not kelurahan_of_region(region, out["kelurahan_code"]):
        errors["kelurahan_code"] = [_("Choose a kelurahan/desa of this region.")]
    if out.get("phone") and not PHONE.match(re.sub(r"[\s-]", "", out["phone"])):
        errors["phone"] = [_("Enter a phone number.")]
    if "officers" in out:
        out["officers"] = _officers(out["officers"], errors)
    if errors:
        raise ValidationFailed(errors)
    return out


def _officers(value: Any, errors: dict[str, list[str]]) -> list[dict[str, str]]:
    rows = [
        {
            "position": str(o.get("position", "")).strip().lower(),
            "name": str(o.get("name", "")).strip(),
        }
        for o in (value if isinstance(value, list) else [])
        if isinstance(o, dict)
    ]
    named = {row["position"] for row in rows if row["name"]}
    if (
        any(not row["name"] or not row["position"] for row in rows)
        or not set(REQUIRED_OFFICERS) <= named
    ):
        errors["officers"] = [_("Name the chair (ketua), secretary and treasurer at least.")]
    return rows


def _unique_legal_number(region: Region, number: str, exclude: int | None = None) -> None:
    others = Organisation.objects.filter(region=region, legal_number__iexact=number)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise DomainError(
            GrantsError.ORGANISATION_EXISTS,
            _("An organisation with this legal registration number is already registered."),
            field_errors={"legal_number": [_("Already registered.")]},
            status=409,
        )


@transaction.atomic
def organisation_register(*, region: Region, actor: User, data: OrganisationInput) -> Organisation:
    """Register an organisation; the registering citizen becomes one of its accounts. It
    waits for staff verification, which later proposals reuse."""
    if actor is None or not actor.pk:
        raise PermissionDenied()
    values = _clean(region, {k: getattr(data, k) for k in EDITABLE})
    _unique_legal_number(region, values["legal_number"])
    organisation = Organisation.objects.create(region=region, **values)
    organisation.accounts.add(actor)
    audit_record(
        region=region,
        actor=actor,
        action="grants.organisation.register",
        obj=organisation,
        changes={k: [None, _jsonable(v)] for k, v in values.items()},
    )
    return organisation


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _may_edit(region: Region, organisation: Organisation, actor: User) -> None:
    if is_account(organisation, actor) or can(actor, "grants.manage_registry", region):
        return
    raise PermissionDenied()


@transaction.atomic
def organisation_update(
    *, region: Region, actor: User, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    """Change an organisation's facts (its accounts or registry staff). A changed legal
    fact — registration number or date, NPWP, bank account — sends it back to pending."""
    same_region(region, organisation)
    _may_edit(region, organisation, actor)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationFailed({k: [_("This field cannot be changed here.")] for k in unknown})
    values = _clean(region, dict(data))
    locked = Organisation.objects.select_for_update().get(region=region, pk=organisation.pk)
    changed = {k: v for k, v in values.items() if getattr(locked, k) != v}
    if "legal_number" in changed:
        _unique_legal_number(region, changed["legal_number"], exclude=locked.pk)
    changes = {k: [_jsonable(getattr(locked, k)), _jsonable(v)] for k, v in changed.items()}
    if set(changed) & set(LEGAL_FACTS) and locked.verification != Verification.PENDING:
        changes["verification"] = [locked.verification, Verification.PENDING]
        changed.update(verification=Verification.PENDING, verified_at=None, verified_by=None)
    if changed:
        changed["updated_at"] = timezone.now()
        Organisation.objects.filter(region=region, pk=locked.pk).update(**changed)
        audit_record(
            region=region,
            actor=actor,
            action="grants.organisation.update",
            obj=locked,
            changes=changes,
        )
    organisation.refresh_from_db()
    return organisation


def _decide(
    region: Region, actor: User, organisation: Organisation, outcome: Verification, note: str
) -> Organisation:
    same_region(region, organisation)
    if not can(actor, "grants.verify_organisation", region):
        raise PermissionDenied()
    locked = Organisation.objects.select_for_update().get(region=region, pk=organisation.pk)
    if locked.verification != Verification.PENDING:
        raise DomainError(
            GrantsError.ORGANISATION_NOT_PENDING,
            _("This organisation is not waiting for verification."),
            status=409,
        )
    now = timezone.now()
    Organisation.objects.filter(region=region, pk=locked.pk).update(
        verification=outcome,
        verified_at=now,
        verified_by=actor,
        verification_note=note.strip(),
        updated_at=now,
    )
    audit_record(
        region=region,
        actor=actor,
        action=f"grants.organisation.{'verify' if outcome == Verification.VERIFIED else 'reject'}",
        obj=locked,
        changes={"verification": [locked.verification, outcome]},
        reason=note.strip(),
    )
    organisation.refresh_from_db()
    return organisation


@transaction.atomic
def organisation_verify(
    *, region: Region, actor: User, organisation: Organisation, note: str = ""
) -> Organisation:
    """Staff confirm the organisation's legal facts; later proposals reuse this."""
    return _decide(region, actor, organisation, Verification.VERIFIED, note)


@transaction.atomic
def organisation_reject(
    *, region: Region, actor: User, organisation: Organisation, reason: str
) -> Organisation:
    """Staff refuse the organisation's registration, with the reason it is told."""
    if not reason.strip():
        raise ValidationFailed({"reason": [_("This field is required.")]})
    return _decide(region, actor, organisation, Verification.REJECTED, reason)
