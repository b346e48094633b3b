"""Every read of core: region-scoped querysets and aggregates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .models import (
    AuditEvent,
    Membership,
    ModuleActivation,
    Notification,
    Region,
    Transition,
    Unit,
    User,
    WorkflowCase,
)
from .models.people import Role
from .modules import registry
from .public_cache import remembered
from .workflow import workflows


def region_list_active() -> QuerySet[Region]:
    """Active regions with their parent, for the platform home and the API."""
    return Region.objects.filter(is_active=True).select_related("parent").order_by("code")


def region_reference_search(*, q: str = "", type: str = "") -> QuerySet[Region]:
    """Reference regions (active or not) matching part of a name or a code prefix."""
    regions = Region.objects.select_related("parent").order_by("code")
    if q.strip():
        term = q.strip()
        regions = regions.filter(Q(name__icontains=term) | Q(code__startswith=term))
    if type:
        regions = regions.filter(type=type)
    return regions


def region_get_active(slug: str) -> Region | None:
    # The slug is unique: no ORDER BY (`.first()` would add one on every request).
    found = Region.objects.filter(slug=slug, is_active=True).select_related("parent").order_by()
    return next(iter(found[:1]), None)


def request_modules(request: HttpRequest) -> list[str]:
    """The enabled modules of the request's region, read once per request (RegionMiddleware
    fills it; views and the context processor reuse it)."""
    cached: list[str] | None = getattr(request, "region_modules", None)
    if cached is None:
        region = getattr(request, "region", None)
        cached = region_modules_enabled(region) if region is not None else []
        request.region_modules = cached  # type: ignore[attr-defined]
    return cached


def region_modules_enabled(region: Region) -> list[str]:
    on = set(
        ModuleActivation.objects.filter(region=region, enabled=True).values_list(
            "module", flat=True
        )
    )
    return [m.module_key for m in registry.switchable() if m.module_key in on]


def region_modules_map(regions: list[Region]) -> dict[int, list[str]]:
    """Enabled modules of many regions in one query (no N+1 on region lists)."""
    rows = ModuleActivation.objects.filter(region__in=regions, enabled=True).values_list(
        "region_id", "module"
    )
    order = {k: i for i, k in enumerate(registry.module_keys())}
    result: dict[int, list[str]] = {r.pk: [] for r in regions}
    for region_id, module in rows:
        if module in order:
            result[region_id].append(module)
    for keys in result.values():
        keys.sort(key=order.__getitem__)
    return result


def region_children_active(region: Region) -> QuerySet[Region]:
    """The active kabupaten/kota a province oversees."""
    return Region.objects.filter(parent=region, is_active=True).order_by("code")


def unit_tree(region: Region) -> list[tuple[Unit, int]]:
    """The region's units depth-first, each with its depth, from one query."""
    units = list(Unit.objects.filter(region=region).order_by("code"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def member_list(region: Region) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(region=region)
        .select_related("user", "unit")
        .order_by("role", "user__email")
    )


def staff_with_role(region: Region, role: Role, unit: Unit | None = None) -> list[User]:
    return staff_with_roles(region, [role], unit)


def staff_with_roles(
    region: Region, roles: Collection[Role], unit: Unit | None = None
) -> list[User]:
    """Active staff holding any of `roles` (in `unit`, or region-wide), each person once,
    in one query."""
    members = Membership.objects.filter(region=region, role__in=list(roles), is_active=True)
    if unit is not None:
        members = members.filter(Q(unit=unit) | Q(unit__isnull=True))
    people: dict[int, User] = {}
    for member in members.select_related("user").order_by("id"):
        people.setdefault(member.user_id, member.user)
    return list(people.values())


def audit_event_list(
    region: Region,
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(region=region).select_related("actor")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events.order_by("-seq")


def transition_list(case: WorkflowCase) -> QuerySet[Transition]:
    return Transition.objects.filter(
        region=case.region, case_type=case._meta.label_lower, case_id=str(case.pk)
    ).select_related("actor")


def case_overdue(
    model: type[WorkflowCase], region: Region, now: dt.datetime | None = None
) -> QuerySet[Any]:
    """Open cases of `model` in `region` whose deadline has passed."""
    workflow = workflows.get(model.WORKFLOW_KEY)
    return model.objects.filter(
        region=region, due_at__lt=now or timezone.now(), state__in=workflow.open_states()
    )


def notification_unread_count(region: Region, user: User) -> int:
    return Notification.objects.filter(region=region, recipient=user, read_at__isnull=True).count()


def notification_list(region: Region, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(region=region, recipient=user).order_by("-created_at")


def module_settings(region: Region, module_key: str) -> dict[str, Any]:
    """The region's settings for a module: its stored values over the module's defaults
    (keys the module no longer declares are ignored). The stored values are kept in this
    process's memory until an audited setup write (see `public_cache.remembered`)."""
    config = registry.get(module_key)
    defaults = config.default_settings() if config else {}
    stored = remembered(
        f"module-settings:{region.pk}:{module_key}",
        lambda: (
            ModuleActivation.objects.filter(region=region, module=module_key)
            .values_list("settings", flat=True)
            .first()
        ),
    )
    return {**defaults, **{k: v for k, v in (stored or {}).items() if k in defaults}}
