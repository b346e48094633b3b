"""The bansos recipient registry, one person at a time: saving a person (validated; the
birth date and sex must agree with the NIK; the same NIK is the same person), staff
reads of a person's full personal data, which are audited, and the end of an entry:
deleted when it was a mistake that no list ever used, retired (kept) otherwise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.services.audit import audit_record, personal_data_read

from .. import nik as nik_rules
from ..bansos_errors import BansosError
from ..importing import fields as f
from ..models import Entitlement, Person, PersonSource

PERSONAL_FIELDS = ("nik", "kk", "phone", "address")


def require(actor: User | None, region: Region, perm: str) -> None:
    if actor is None or not can(actor, perm, region):
        raise PermissionDenied()


def same_region(region: Region, obj: Any) -> None:
    if obj.region_id != region.pk:
        raise NotFound()


@dataclass(frozen=True)
class PersonInput:
    nik: str
    name: str
    kk: str = ""
    birth_date: dt.date | str | None = None  # None: the NIK's
    sex: str = ""  # "": the NIK's
    address: str = ""
    kelurahan_code: str = ""
    phone: str = ""
    welfare_decile: int | str | None = None
    source: str = PersonSource.REGION


@dataclass(frozen=True)
class PersonSaved:
    person: Person
    created: bool
    # Others of the region with this name, birth date and kelurahan but another NIK.
    possible_duplicates: list[Person] = field(default_factory=list)


def person_save(
    *, region: Region, actor: User, data: PersonInput, person: Person | None = None
) -> PersonSaved:
    """Add a person or change one. A NIK already in the region's registry updates that
    person rather than adding a second; possible duplicates are returned, not refused."""
    require(actor, region, "grants.manage_registry")
    if person is not None:
        same_region(region, person)
    values = _clean(region, data)
    with transaction.atomic():
        found = Person.objects.select_for_update().filter(region=region, nik=values["nik"]).first()
        if person is not None and found is not None and found.pk != person.pk:
            raise DomainError(
                BansosError.NIK_TAKEN,
                _("Another person of the registry has this NIK."),
                field_errors={"nik": [_("Another person of the registry has this NIK.")]},
                status=409,
            )
        target = person or found
        created = target is None
        if target is None:
            target = Person(region=region, created_at=timezone.now())
        changes = _apply(target, values)
        target.updated_at = timezone.now()
        target.save()
        audit_record(
            region=region,
            actor=actor,
            action="grants.person_add" if created else "grants.person_change",
            obj=target,
            changes=changes,
        )
    return PersonSaved(target, created, _possible_duplicates(region, target))


def _clean(region: Region, data: PersonInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {"source": data.source}
    if data.source not in PersonSource.values:
        errors["source"] = [_("Choose one of the sources.")]
    parsed = nik_rules.parse(data.nik)
    if parsed.info is None:
        errors["nik"] = [parsed.error]
    birth = data.birth_date
    for name, parse, raw in (
        ("name", f.clean_name, data.name),
        ("kk", f.clean_kk, data.kk),
        ("birth_date", f.parse_date, birth if isinstance(birth, str) else ""),
        ("sex", f.parse_sex, data.sex),
        ("address", f.clean_address, data.address),
        ("phone", f.clean_phone, data.phone),
        (
            "welfare_decile",
            f.parse_decile,
            "" if data.welfare_decile is None else data.welfare_decile,
        ),
        ("kelurahan_code", lambda v: f.clean_kelurahan(v, region.code), data.kelurahan_code),
    ):
        try:
            values[name] = parse(str(raw)) if str(raw).strip() or name == "name" else None
        except f.FieldError as error:
            errors[name] = [str(error)]
    if isinstance(birth, dt.date):
        values["birth_date"] = birth
    if parsed.info is not None and not errors:
        for name, problem in (
            ("birth_date", nik_rules.matches(parsed.info, values["birth_date"], None)),
            ("sex", nik_rules.matches(parsed.info, None, values["sex"])),
        ):
            if problem:
                errors[name] = [problem]
    if errors:
        raise ValidationFailed(errors)
    assert parsed.info is not None
    values["nik"] = parsed.info.nik
    values["birth_date"] = values["birth_date"] or parsed.info.birth_date
    values["sex"] = values["sex"] or parsed.info.sex
    for name in ("kk", "address", "phone", "kelurahan_code"):
        values[name] = values[name] or ""
    return values


def _apply(person: Person, values: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, value in values.items():
        old = getattr(person, name, None) if person.pk else None
        if old != value:
            changes[name] = [old, value]
            setattr(person, name, value)
    return changes


def _possible_duplicates(region: Region, person: Person) -> list[Person]:
    return list(
        Person.objects.filter(
            region=region,
            birth_date=person.birth_date,
            kelurahan_code=person.kelurahan_code,
            name__iexact=person.name,
        )
        .exclude(nik=person.nik)
        .order_by("id")[:10]
    )


def person_personal_read(
    *, region: Region, actor: User, person: Person, purpose: str = ""
) -> dict[str, str]:
    """A person's full NIK, KK, phone and address for an authorised staff screen; the
    read itself is recorded in the audit log (who, when, which fields, why)."""
    require(actor, region, "grants.manage_registry")
    same_region(region, person)
    personal_data_read(
        region=region, actor=actor, obj=person, fields=list(PERSONAL_FIELDS), purpose=purpose
    )
    return {name: str(getattr(person, name)) for name in PERSONAL_FIELDS}


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationFailed({"reason": [_("Say why.")]})
    if len(text) > 300:
        raise ValidationFailed({"reason": [_("At most 300 characters.")]})
    return text


def _locked_person(region: Region, person: Person) -> Person:
    found = Person.objects.select_for_update().filter(region=region, pk=person.pk).first()
    if found is None:
        raise NotFound()
    return found


def person_has_history(region: Region, person: Person) -> bool:
    """Whether the person was ever on a cycle's list (under review, removed, received or
    not): such a person is part of the record and can be retired, never deleted."""
    return Entitlement.objects.filter(region=region, person=person).exists()


def person_delete(*, region: Region, actor: User, person: Person, reason: str) -> None:
    """Delete a person entered by mistake. Refused for anyone who was ever on a cycle's
    list: they are retired instead, so every list and handover keeps its person."""
    require(actor, region, "grants.manage_registry")
    same_region(region, person)
    why = _reason(reason)
    with transaction.atomic():
        found = _locked_person(region, person)
        if person_has_history(region, found):
            raise DomainError(
                BansosError.PERSON_HAS_HISTORY,
                _(
                    "This person has been on a cycle's list, so the registry keeps them "
                    "for the record: retire them instead of deleting."
                ),
                status=409,
            )
        audit_record(
            region=region,
            actor=actor,
            action="grants.person_delete",
            obj=found,
            # Masked by the audit log (personal data is never stored there in full).
            changes={"nik": found.nik, "source": found.source},
            reason=why,
        )
        found.delete()


def person_retire(*, region: Region, actor: User, person: Person, reason: str) -> Person:
    """Retire a person (moved away, died, registered twice): kept with every list they
    were on, left out of every list computed from now on. Lists already computed keep
    them; a list under review is changed by removing them there, with its own reason."""
    require(actor, region, "grants.manage_registry")
    same_region(region, person)
    why = _reason(reason)
    with transaction.atomic():
        found = _locked_person(region, person)
        if found.retired_at is not None:
            raise DomainError(
                BansosError.PERSON_RETIRED, _("This person is already retired."), status=409
            )
        now = timezone.now()
        found.retired_at, found.retired_reason, found.retired_by = now, why, actor
        found.updated_at = now
        found.save(update_fields=["retired_at", "retired_reason", "retired_by", "updated_at"])
        audit_record(
            region=region,
            actor=actor,
            action="grants.person_retire",
            obj=found,
            changes={"retired_at": [None, now]},
            reason=why,
        )
    return found


def person_reactivate(*, region: Region, actor: User, person: Person, reason: str) -> Person:
    """Bring a retired person back (retired by mistake, or back in the region): lists
    computed from now on may include them again."""
    require(actor, region, "grants.manage_registry")
    same_region(region, person)
    why = _reason(reason)
    with transaction.atomic():
        found = _locked_person(region, person)
        if found.retired_at is None:
            raise DomainError(
                BansosError.PERSON_NOT_RETIRED, _("This person is not retired."), status=409
            )
        before = found.retired_at
        found.retired_at, found.retired_reason, found.retired_by = None, "", None
        found.updated_at = timezone.now()
        found.save(update_fields=["retired_at", "retired_reason", "retired_by", "updated_at"])
        audit_record(
            region=region,
            actor=actor,
            action="grants.person_reactivate",
            obj=found,
            changes={"retired_at": [before, None]},
            reason=why,
        )
    return found
