"""Taking things out of the region's catalogue without losing what depends on them: a
routing rule is switched off, and deleted only while it cannot have routed an application;
a document requirement is deleted, or retired when documents were uploaded for it (those
documents stay as they are). Each change is one transaction with its audit event."""

from __future__ import annotations

from typing import Any, Literal

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import Region, User

from ..models import Application, ApplicationDocument, Requirement, RoutingRule
from .common import record, same_region


def _rule_values(rule: RoutingRule) -> dict[str, Any]:
    names = ("priority", "lane", "kbli_prefix", "risk", "scale", "capital_min", "capital_max")
    values: dict[str, Any] = {n: getattr(rule, n) for n in (*names, "note", "is_active")}
    values |= {"below_threshold": rule.below_threshold, "permit_type": rule.permit_type_id}
    return {k: str(v) if v is not None else None for k, v in values.items()}


@transaction.atomic
def routing_rule_set_active(
    *, region: Region, actor: User | None, rule: RoutingRule, active: bool
) -> RoutingRule:
    """Switch a rule off (it routes nothing from now on) or back on. With every rule of
    the region off, each activity falls back to the permit lane."""
    same_region(region, rule)
    if rule.is_active != active:
        rule.is_active = active
        rule.save(update_fields=["is_active"])
        action = "rule.activate" if active else "rule.deactivate"
        record(region, actor, rule, action, {"is_active": [not active, active]})
    return rule


def routing_rule_may_have_routed(region: Region, rule: RoutingRule) -> bool:
    """Whether an application came in since the rule was made, so that it may have decided
    that application's lane (applications do not record the rule). A rule of unknown age
    counts as used once the region has any application."""
    since = Application.objects.filter(region=region)
    if rule.created_at is not None:
        since = since.filter(created_at__gte=rule.created_at)
    return since.exists()


@transaction.atomic
def routing_rule_delete(*, region: Region, actor: User | None, rule: RoutingRule) -> None:
    """Delete a rule that cannot have routed an application (a mistake just made); one that
    may have stays, to explain the lanes given, and can only be switched off. Deleting the
    region's last rule brings back the pinned defaults."""
    same_region(region, rule)
    if routing_rule_may_have_routed(region, rule):
        raise DomainError(
            ErrorCode.CONFLICT,
            _("Applications have come in since this rule was made: deactivate it instead."),
            status=409,
        )
    record(region, actor, rule, "rule.delete", _rule_values(rule))
    rule.delete()


def _requirement_values(requirement: Requirement) -> dict[str, Any]:
    return {
        "permit_type": requirement.permit_type_id,
        "code": requirement.code,
        "name_id": requirement.name_id,
        "format": requirement.format,
        "mandatory": requirement.mandatory,
    }


@transaction.atomic
def requirement_remove(
    *, region: Region, actor: User | None, requirement: Requirement
) -> Literal["deleted", "retired"]:
    """Stop asking for a document: deleted if nobody uploaded one for it, otherwise retired
    (no longer asked of anyone, kept for the documents already uploaded, which stay as they
    are). Saving a requirement with the same code restores it."""
    same_region(region, requirement)
    values = _requirement_values(requirement)
    if ApplicationDocument.objects.filter(region=region, requirement=requirement).exists():
        if requirement.is_active:
            requirement.is_active = False
            requirement.save(update_fields=["is_active"])
            record(region, actor, requirement, "requirement.retire", values)
        return "retired"
    record(region, actor, requirement, "requirement.delete", values)
    requirement.delete()
    return "deleted"


@transaction.atomic
def requirement_restore(
    *, region: Region, actor: User | None, requirement: Requirement
) -> Requirement:
    """Ask for a retired document again, as it was."""
    same_region(region, requirement)
    if not requirement.is_active:
        requirement.is_active = True
        requirement.save(update_fields=["is_active"])
        record(region, actor, requirement, "requirement.restore", _requirement_values(requirement))
    return requirement
