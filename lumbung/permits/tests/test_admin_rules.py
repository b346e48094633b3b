"""The region admin keeps the routing rules after making them: a rule is changed, switched
off and on, and deleted only while no application can have been routed by it; on the page
and in the API, each change audited, bad input refused at its field, another region's rule
a 404 and staff without the admin's rights refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..errors import PermitsError
from ..models import Kbli, Lane, RoutingRule
from ..selectors import lane_for
from ..services.catalogue import RuleInput, routing_rule_save
from ..services.catalogue_removal import routing_rule_delete, routing_rule_set_active
from .factories import WARUNG, PermitsWorld, register
from .test_api_public import as_

pytestmark = pytest.mark.django_db


def events(pw: PermitsWorld, action: str) -> list[AuditEvent]:
    with region_scope(pw.region):
        return list(AuditEvent.objects.filter(region=pw.region, action=action))


def new_rule(pw: PermitsWorld, **overrides: Any) -> RoutingRule:
    """A rule sending warungs (56102) to the permit lane, made through the service."""
    values: dict[str, Any] = {"priority": 1, "lane": Lane.PERMIT, "kbli_prefix": WARUNG}
    values.update(overrides)
    with region_scope(pw.region):
        return routing_rule_save(
            region=pw.region, actor=pw.user(Role.REGION_ADMIN), data=RuleInput(**values)
        )


def warung_lane(pw: PermitsWorld) -> str:
    with region_scope(pw.region):
        warung = Kbli.objects.get(region=pw.region, code=WARUNG)
        return lane_for(pw.region, warung, "micro", Decimal(1)).lane


def exists(pw: PermitsWorld, rule: RoutingRule | int) -> bool:
    pk = rule if isinstance(rule, int) else rule.pk
    assert pk is not None  # a deleted instance forgets its id: pass the id kept before
    with region_scope(pw.region):
        return RoutingRule.objects.filter(region=pw.region, pk=pk).exists()


def reloaded(pw: PermitsWorld, rule: RoutingRule) -> RoutingRule:
    with region_scope(pw.region):
        return RoutingRule.objects.get(region=pw.region, pk=rule.pk)


# The services ------------------------------------------------------------------------------


def test_a_rule_switched_off_routes_nothing_until_switched_on(pworld_a: PermitsWorld) -> None:
    # given a rule sending warungs to the permit lane, before one sending them to report only
    rule = new_rule(pworld_a)
    new_rule(pworld_a, priority=2, lane=Lane.REPORT_ONLY)
    assert warung_lane(pworld_a) == Lane.PERMIT
    admin = pworld_a.user(Role.REGION_ADMIN)
    # when it is switched off (twice: the second changes nothing)
    with region_scope(pworld_a.region):
        for _ in range(2):
            routing_rule_set_active(region=pworld_a.region, actor=admin, rule=rule, active=False)
    # then the next rule decides, and one event says so
    assert warung_lane(pworld_a) == Lane.REPORT_ONLY
    assert [e.changes for e in events(pworld_a, "permits.rule.deactivate")] == [
        {"is_active": [True, False]}
    ]
    # when it is switched back on, it decides again
    with region_scope(pworld_a.region):
        routing_rule_set_active(region=pworld_a.region, actor=admin, rule=rule, active=True)
    assert warung_lane(pworld_a) == Lane.PERMIT
    assert len(events(pworld_a, "permits.rule.activate")) == 1


def test_with_every_rule_off_an_activity_needs_a_permit(pworld_a: PermitsWorld) -> None:
    rule = new_rule(pworld_a, lane=Lane.REPORT_ONLY)
    assert warung_lane(pworld_a) == Lane.REPORT_ONLY
    with region_scope(pworld_a.region):
        routing_rule_set_active(region=pworld_a.region, actor=None, rule=rule, active=False)
    assert warung_lane(pworld_a) == Lane.PERMIT  # not the pinned defaults' report only


def test_a_rule_no_application_can_have_used_is_deleted(pworld_a: PermitsWorld) -> None:
    # given a warung registered before the rule was made
    register(pworld_a)
    rule = new_rule(pworld_a, note="salah ketik")
    pk = rule.pk
    # when the admin deletes the rule
    with region_scope(pworld_a.region):
        routing_rule_delete(region=pworld_a.region, actor=pworld_a.user(Role.REGION_ADMIN),
                            rule=rule)  # fmt: skip
    # then it is gone, and the audit log keeps what it said
    assert not exists(pworld_a, pk)
    (event,) = events(pworld_a, "permits.rule.delete")
    assert event.object_id == str(pk)
    assert event.changes["kbli_prefix"] == WARUNG
    assert event.changes["note"] == "salah ketik"


def test_a_rule_that_may_have_routed_an_application_is_only_switched_off(
    pworld_a: PermitsWorld,
) -> None:
    # given a rule, then an application routed while it stood
    rule = new_rule(pworld_a, lane=Lane.REPORT_ONLY)
    register(pworld_a)
    # when the admin tries to delete it
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        routing_rule_delete(region=pworld_a.region, actor=None, rule=rule)
    # then it is refused, the rule stays and nothing is recorded
    assert caught.value.code == ErrorCode.CONFLICT
    assert caught.value.status == 409
    assert exists(pworld_a, rule)
    assert events(pworld_a, "permits.rule.delete") == []


def test_a_rule_of_unknown_age_counts_as_used_once_there_are_applications(
    pworld_a: PermitsWorld,
) -> None:
    # given a rule from before rules kept their date
    rule = new_rule(pworld_a, lane=Lane.REPORT_ONLY)
    with region_scope(pworld_a.region):
        RoutingRule.objects.filter(region=pworld_a.region, pk=rule.pk).update(created_at=None)
        rule.refresh_from_db()
        # when the region has no application yet, it can be deleted
        spare = new_rule(pworld_a, priority=3)
        RoutingRule.objects.filter(region=pworld_a.region, pk=spare.pk).update(created_at=None)
        spare.refresh_from_db()
        routing_rule_delete(region=pworld_a.region, actor=None, rule=spare)
    # and once an application came in, it cannot
    register(pworld_a)
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        routing_rule_delete(region=pworld_a.region, actor=None, rule=rule)
    assert caught.value.code == ErrorCode.CONFLICT


def test_deleting_the_last_rule_brings_back_the_pinned_defaults(pworld_a: PermitsWorld) -> None:
    rule = new_rule(pworld_a)
    assert warung_lane(pworld_a) == Lane.PERMIT
    with region_scope(pworld_a.region):
        routing_rule_delete(region=pworld_a.region, actor=None, rule=rule)
    assert warung_lane(pworld_a) == Lane.REPORT_ONLY  # Hayu's default for a small warung


def test_another_regions_rule_is_not_found_by_the_services(
    pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    theirs = new_rule(pworld_b)
    with region_scope(pworld_a.region):
        with pytest.raises(DomainError) as off:
            routing_rule_set_active(region=pworld_a.region, actor=None, rule=theirs, active=False)
        with pytest.raises(DomainError) as gone:
            routing_rule_delete(region=pworld_a.region, actor=None, rule=theirs)
    assert off.value.code == gone.value.code == ErrorCode.NOT_FOUND
    assert reloaded(pworld_b, theirs).is_active


# The pages ---------------------------------------------------------------------------------


def page(pw: PermitsWorld, rule: RoutingRule | int) -> str:
    pk = rule if isinstance(rule, int) else rule.pk
    return f"/{pw.region.slug}/permits/staff/catalogue/rules/{pk}/"


def form_of(rule: RoutingRule, **changes: str) -> dict[str, str]:
    data = {
        "action": "save",
        "priority": str(rule.priority),
        "kbli_prefix": rule.kbli_prefix,
        "lane": rule.lane,
        "note": rule.note,
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_the_rules_page_links_each_rule_to_its_page(client: Client, pworld_a: PermitsWorld) -> None:
    rule = new_rule(pworld_a)
    client.force_login(pworld_a.user(Role.REGION_ADMIN))
    listed = client.get(f"/{pworld_a.region.slug}/permits/staff/catalogue/rules/")
    assert f'href="{page(pworld_a, rule)}"' in listed.content.decode()
    shown = client.get(page(pworld_a, rule))
    assert shown.status_code == 200
    assert f'value="{WARUNG}"' in shown.content.decode()


def test_a_rule_is_changed_on_its_page(client: Client, pworld_a: PermitsWorld) -> None:
    rule = new_rule(pworld_a)
    client.force_login(pworld_a.user(Role.REGION_ADMIN))
    done = client.post(page(pworld_a, rule), form_of(rule, lane="report_only", note="Hayu"))
    assert done.status_code == 302
    changed = reloaded(pworld_a, rule)
    assert (changed.lane, changed.note) == (Lane.REPORT_ONLY, "Hayu")
    (event,) = events(pworld_a, "permits.rule.update")
    assert event.changes["lane"] == ["permit", "report_only"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capital_min": "10", "capital_max": "5"}, "capital_max"),
        ({"kbli_prefix": "56a"}, "kbli_prefix"),
        ({"priority": "-1"}, "priority"),
        ({"lane": "fast"}, "lane"),
    ],
)
def test_a_bad_change_is_shown_at_its_field_and_nothing_is_saved(
    client: Client, pworld_a: PermitsWorld, changes: dict[str, str], field: str
) -> None:
    rule = new_rule(pworld_a)
    client.force_login(pworld_a.user(Role.REGION_ADMIN))
    refused = client.post(page(pworld_a, rule), form_of(rule, **changes))
    assert refused.status_code == 422
    assert f'id="id_{field}_error"' in refused.content.decode()
    assert reloaded(pworld_a, rule).kbli_prefix == WARUNG
    assert events(pworld_a, "permits.rule.update") == []


def test_a_rule_is_switched_off_and_on_and_deleted_on_its_page(
    client: Client, pworld_a: PermitsWorld
) -> None:
    rule = new_rule(pworld_a)
    client.force_login(pworld_a.user(Role.REGION_ADMIN))
    assert client.post(page(pworld_a, rule), {"action": "deactivate"}).status_code == 302
    assert not reloaded(pworld_a, rule).is_active
    assert client.post(page(pworld_a, rule), {"action": "activate"}).status_code == 302
    assert reloaded(pworld_a, rule).is_active
    shown = client.get(page(pworld_a, rule)).content.decode()
    assert 'name="action" value="delete"' in shown
    deleted = client.post(page(pworld_a, rule), {"action": "delete"})
    assert deleted.status_code == 302
    assert deleted["Location"].endswith("/staff/catalogue/rules/")
    assert not exists(pworld_a, rule)
    assert client.post(page(pworld_a, rule), {"action": "delete"}).status_code == 404


def test_a_used_rule_offers_no_delete_and_a_delete_is_refused(
    client: Client, pworld_a: PermitsWorld
) -> None:
    rule = new_rule(pworld_a, lane=Lane.REPORT_ONLY)
    register(pworld_a)
    client.force_login(pworld_a.user(Role.REGION_ADMIN))
    shown = client.get(page(pworld_a, rule)).content.decode()
    assert 'value="delete"' not in shown
    refused = client.post(page(pworld_a, rule), {"action": "delete"})
    assert refused.status_code == 409
    assert 'role="alert"' in refused.content.decode()
    assert exists(pworld_a, rule)


def test_another_regions_rule_page_is_a_404_and_its_rule_stays(
    client: Client, pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    theirs = new_rule(pworld_b)
    client.force_login(pworld_a.user(Role.REGION_ADMIN))
    assert client.get(page(pworld_a, theirs)).status_code == 404
    for action in ("deactivate", "delete"):
        assert client.post(page(pworld_a, theirs), {"action": action}).status_code == 404
    assert (
        client.post(page(pworld_a, theirs), form_of(theirs, lane="report_only")).status_code == 404
    )
    assert reloaded(pworld_b, theirs).is_active
    assert reloaded(pworld_b, theirs).lane == Lane.PERMIT


def test_staff_without_the_admins_rights_are_refused(
    client: Client, pworld_a: PermitsWorld
) -> None:
    rule = new_rule(pworld_a)
    for role in (Role.OFFICER, Role.UNIT_HEAD, Role.REGION_HEAD):
        client.force_login(pworld_a.user(role))
        assert client.get(page(pworld_a, rule)).status_code == 403
        assert client.post(page(pworld_a, rule), {"action": "deactivate"}).status_code == 403
        assert client.post(page(pworld_a, rule), {"action": "delete"}).status_code == 403
    assert reloaded(pworld_a, rule).is_active


def test_an_unknown_action_is_a_bad_request(client: Client, pworld_a: PermitsWorld) -> None:
    rule = new_rule(pworld_a)
    client.force_login(pworld_a.user(Role.REGION_ADMIN))
    assert client.post(page(pworld_a, rule), {"action": "explode"}).status_code == 400


# The API -----------------------------------------------------------------------------------


def test_the_api_switches_a_rule_off_and_changes_it_in_part(
    client: Client, pworld_a: PermitsWorld
) -> None:
    rule = new_rule(pworld_a, capital_min="1000", permit_type=pworld_a.permit_type)
    admin = as_(client, pworld_a, Role.REGION_ADMIN)
    off = admin.send("patch", f"/routing-rules/{rule.pk}", {"is_active": False})
    assert off.status_code == 200, off.content
    assert off.json()["is_active"] is False
    assert off.json()["kbli_prefix"] == WARUNG  # the rest kept
    assert len(events(pworld_a, "permits.rule.update")) == 1
    # null removes a bound or the permit type; elsewhere it keeps the field
    cleared = admin.send(
        "patch",
        f"/routing-rules/{rule.pk}",
        {"capital_min": None, "permit_type_id": None, "priority": None, "note": "Dua"},
    )
    assert cleared.status_code == 200, cleared.content
    body = cleared.json()
    assert (body["capital_min"], body["permit_type"], body["priority"]) == (None, None, 1)
    assert body["note"] == "Dua"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"capital_min": "10", "capital_max": "5"}, PermitsError.RULE_INVALID, "capital_max"),
        ({"lane": "fast"}, ErrorCode.VALIDATION, None),
        ({"kbli_prefix": "56a"}, ErrorCode.VALIDATION, None),
        ({"permit_type_id": 2147483000}, ErrorCode.VALIDATION, "permit_type_id"),
    ],
)
def test_the_api_refuses_a_bad_change_with_a_problem(
    client: Client, pworld_a: PermitsWorld, body: dict[str, object], code: str, field: str | None
) -> None:
    rule = new_rule(pworld_a)
    refused = as_(client, pworld_a, Role.REGION_ADMIN).send(
        "patch", f"/routing-rules/{rule.pk}", body
    )
    assert refused.status_code == 422
    problem = problem_of(refused)
    assert problem["code"] == code
    if field:
        assert field in problem["errors"]
    assert reloaded(pworld_a, rule).kbli_prefix == WARUNG


def test_the_api_deletes_an_unused_rule_and_refuses_a_used_one(
    client: Client, pworld_a: PermitsWorld
) -> None:
    admin = as_(client, pworld_a, Role.REGION_ADMIN)
    mistake = new_rule(pworld_a, priority=2)
    gone = admin.send("delete", f"/routing-rules/{mistake.pk}", None)
    assert gone.status_code == 204
    assert not exists(pworld_a, mistake)
    assert len(events(pworld_a, "permits.rule.delete")) == 1
    used = new_rule(pworld_a, lane=Lane.REPORT_ONLY)
    register(pworld_a)
    refused = admin.send("delete", f"/routing-rules/{used.pk}", None)
    assert refused.status_code == 409
    assert problem_of(refused)["code"] == "conflict"
    assert exists(pworld_a, used)


def test_the_api_answers_404_for_another_regions_rule(
    client: Client, pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    theirs = new_rule(pworld_b)
    admin = as_(client, pworld_a, Role.REGION_ADMIN)
    for method, body in (("patch", {"is_active": False}), ("delete", None)):
        answer = admin.send(method, f"/routing-rules/{theirs.pk}", body)
        assert answer.status_code == 404
        assert problem_of(answer)["code"] == "not_found"
    assert exists(pworld_b, theirs)
    assert reloaded(pworld_b, theirs).is_active


def test_the_api_refuses_staff_without_the_admins_rights(
    client: Client, pworld_a: PermitsWorld
) -> None:
    rule = new_rule(pworld_a)
    officer = as_(client, pworld_a, Role.OFFICER)
    for method, body in (("patch", {"is_active": False}), ("delete", None)):
        answer = officer.send(method, f"/routing-rules/{rule.pk}", body)
        assert answer.status_code == 403
        assert problem_of(answer)["code"] == "permission_denied"
    assert reloaded(pworld_a, rule).is_active
