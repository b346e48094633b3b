"""Region administration of the module: categories, answer templates, Open311 clients."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.errors import NotFound, ValidationFailed
from lumbung.core.models import Region, Unit, User
from lumbung.core.services.audit import audit_record

from ..models import AnswerTemplate, Category, Open311Client, SlaClass
from .common import TEXT_MAX, digest

CATEGORY_FIELDS = (
    "code",
    "name_id",
    "name_en",
    "description_id",
    "description_en",
    "group",
    "sla_class",
    "default_unit",
    "public_by_default",
    "is_active",
    "order",
)


CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def _unit(region: Region, value: Any, errors: dict[str, list[str]]) -> Unit | None:
    if value in (None, ""):
        return None
    if isinstance(value, Unit):
        value = value.pk
    unit = None
    if str(value).isdigit():
        unit = Unit.objects.filter(region=region, pk=int(value)).first()
    if unit is None:
        errors["default_unit"] = [_("Choose one of the region's units.")]
    return unit


def category_save(
    *, region: Region, actor: User | None, data: dict[str, Any], category: Category | None = None
) -> Category:
    """Create a category, or change one. `default_unit` is a unit id of the region or None."""
    errors: dict[str, list[str]] = {}
    values = {k: data[k] for k in CATEGORY_FIELDS if k in data}
    unit = _unit(region, values.pop("default_unit", None), errors)
    code = str(values.get("code", category.code if category else "")).strip().lower()
    others = Category.objects.filter(region=region, code=code)
    if category is not None:
        others = others.exclude(pk=category.pk)
    if not CODE.match(code):
        errors["code"] = [_("Lowercase letters, digits and hyphens only, at most 40.")]
    elif others.exists():
        errors["code"] = [_("Another category has this code.")]
    for name in ("name_id", "name_en"):
        if not str(values.get(name, getattr(category, name, "")) or "").strip():
            errors[name] = [_("This field is required.")]
    if "sla_class" in values and values["sla_class"] not in SlaClass.values:
        errors["sla_class"] = [_("Choose a deadline class.")]
    if errors:
        raise ValidationFailed(errors)
    target = category or Category(region=region)
    fields = [k for k in CATEGORY_FIELDS if k != "default_unit"]
    before = {k: getattr(target, k) for k in fields} if category else {}
    values["code"] = code
    for key, value in values.items():
        setattr(target, key, value.strip() if isinstance(value, str) else value)
    if "default_unit" in data:
        target.default_unit = unit
    with transaction.atomic():
        target.save()
        after = {k: getattr(target, k) for k in fields}
        audit_record(
            region=region,
            actor=actor,
            action="complaints.category.save",
            obj=target,
            changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        )
    return target


def template_save(
    *,
    region: Region,
    actor: User | None,
    data: dict[str, Any],
    template: AnswerTemplate | None = None,
) -> AnswerTemplate:
    errors: dict[str, list[str]] = {}
    title = str(data.get("title", "") or "").strip()
    body = str(data.get("body", "") or "").strip()
    if not title or len(title) > 120:
        errors["title"] = [_("A title of at most 120 characters is required.")]
    if not body or len(body) > TEXT_MAX:
        errors["body"] = [_("A text of at most %(n)d characters is required.") % {"n": TEXT_MAX}]
    category = None
    if data.get("category") not in (None, ""):
        wanted = str(getattr(data["category"], "pk", data["category"]))
        if wanted.isdigit():
            category = Category.objects.filter(region=region, pk=int(wanted)).first()
        if category is None:
            errors["category"] = [_("Choose one of the region's categories.")]
    if errors:
        raise ValidationFailed(errors)
    target = template or AnswerTemplate(region=region)
    target.title, target.body, target.category = title, body, category
    target.is_active = bool(data.get("is_active", True))
    with transaction.atomic():
        target.save()
        audit_record(
            region=region,
            actor=actor,
            action="complaints.template.save",
            obj=target,
            changes={"title": title},
        )
    return target


CLIENT_KEY_PREFIX = "o311_"


def client_issue(
    *, region: Region, actor: User | None, name: str, contact_email: str = "", secret: str = ""
) -> tuple[Open311Client, str]:
    """Let an outside application file reports through Open311; its api_key is returned
    once. (The demo passes its published key; real keys are random.)"""
    name = name.strip()
    if not name or len(name) > 120:
        raise ValidationFailed({"name": [_("A name of at most 120 characters is required.")]})
    key = secret or CLIENT_KEY_PREFIX + secrets.token_urlsafe(24)
    with transaction.atomic():
        client = Open311Client.objects.create(
            region=region,
            name=name,
            contact_email=contact_email.strip(),
            key_prefix=key[:12],
            key_hash=digest(key),
        )
        audit_record(region=region, actor=actor, action="complaints.client.issue", obj=client)
    return client, key


def client_revoke(*, region: Region, actor: User, client: Open311Client) -> Open311Client:
    if client.region_id != region.pk:
        raise NotFound()
    if client.revoked_at is None:
        with transaction.atomic():
            client.revoked_at = timezone.now()
            client.save(update_fields=["revoked_at"])
            audit_record(region=region, actor=actor, action="complaints.client.revoke", obj=client)
    return client


def client_authenticate(region: Region, key: str) -> Open311Client | None:
    if not key:
        return None
    return Open311Client.objects.filter(
        region=region, key_hash=digest(key), revoked_at__isnull=True
    ).first()


# A starter set a region adopts with one click (and the demo uses), each tied to the unit
# that usually handles it when the region has a unit with that code.
STARTER_CATEGORIES: tuple[tuple[str, str, str, SlaClass, str, bool], ...] = (
    (
        "jalan-rusak",
        "Jalan rusak atau berlubang",
        "Damaged road or pothole",
        SlaClass.COMPLEX,
        "DPUPR",
        True,
    ),
    (
        "lampu-jalan",
        "Lampu penerangan jalan mati",
        "Street light out",
        SlaClass.ORDINARY,
        "DPUPR",
        True,
    ),
    ("sampah", "Sampah tidak terangkut", "Rubbish not collected", SlaClass.URGENT, "", True),
    (
        "drainase",
        "Saluran air tersumbat atau banjir",
        "Blocked drain or flooding",
        SlaClass.COMPLEX,
        "DPUPR",
        True,
    ),
    (
        "pohon-tumbang",
        "Pohon tumbang atau rawan tumbang",
        "Fallen or dangerous tree",
        SlaClass.URGENT,
        "",
        True,
    ),
    (
        "fasilitas-umum",
        "Fasilitas umum rusak",
        "Damaged public facility",
        SlaClass.PROGRAMME,
        "DPUPR",
        True,
    ),
    (
        "ketertiban",
        "Ketertiban umum (PKL, parkir liar)",
        "Public order (street vendors, parking)",
        SlaClass.ORDINARY,
        "",
        True,
    ),
    ("perizinan", "Layanan perizinan", "Permits and licensing", SlaClass.ORDINARY, "DPMPTSP", True),
    ("bansos", "Bantuan sosial", "Social aid", SlaClass.COMPLEX, "DINSOS", False),
    (
        "pungli",
        "Pungutan liar atau pelayanan buruk",
        "Illegal levies or poor service",
        SlaClass.ORDINARY,
        "INSP",
        False,
    ),
    (
        "aspirasi",
        "Aspirasi dan saran pembangunan",
        "Suggestions for the region",
        SlaClass.PROGRAMME,
        "BAPPEDA",
        True,
    ),
)


def categories_adopt_starter(*, region: Region, actor: User | None) -> list[Category]:
    """Add the starter categories the region does not have yet (by code)."""
    have = set(Category.objects.filter(region=region).values_list("code", flat=True))
    units = {u.code: u for u in Unit.objects.filter(region=region, is_active=True)}
    added: list[Category] = []
    with transaction.atomic():
        for order, (code, name_id, name_en, sla, unit, public) in enumerate(STARTER_CATEGORIES):
            if code in have:
                continue
            added.append(
                Category.objects.create(
                    region=region,
                    code=code,
                    name_id=name_id,
                    name_en=name_en,
                    sla_class=sla,
                    default_unit=units.get(unit),
                    public_by_default=public,
                    order=(order + 1) * 10,
                )
            )
        if added:
            audit_record(
                region=region,
                actor=actor,
                action="complaints.category.adopt",
                changes={"codes": [c.code for c in added]},
            )
    return added
