"""A region's own names for workflow steps ("a region may rename steps"): the service, the
selectors and template tag that show them, the steps page and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import SlaOverride, StateLabel
from lumbung.core.models.people import Role
from lumbung.core.services.people import token_issue
from lumbung.core.services.workflow import state_label_set
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of
from lumbung.core.tests.backoffice import event_count, events, signed_in, url
from lumbung.core.tests.factories import RegionWorld
from lumbung.core.tests.test_workflow import start_case, take
from lumbung.core.workflow_selectors import state_label, state_labels

pytestmark = pytest.mark.django_db

FLOW = "sample.case"
DEFAULTS_ID = {
    "received": "Received",
    "in_progress": "In progress",
    "resolved": "Resolved",
    "rejected": "Rejected",
}


def rename(world: RegionWorld, state: str = "received", *, id_: str = "", en: str = "") -> Any:
    with region_scope(world.region):
        return state_label_set(
            region=world.region,
            actor=world.users[Role.REGION_ADMIN],
            workflow=FLOW,
            state=state,
            label_id=id_,
            label_en=en,
        )


def labels(world: RegionWorld, language: str) -> dict[str, str]:
    with region_scope(world.region), translation.override(language):
        return state_labels(world.region, FLOW)


def stored(world: RegionWorld) -> list[tuple[str, str, str]]:
    with region_scope(world.region):
        return list(StateLabel.objects.values_list("state", "label_id", "label_en"))


# --- the service ----------------------------------------------------------------------------


def test_a_region_names_a_step_in_both_languages_and_it_is_audited(world_a: RegionWorld) -> None:
    # when Bandung's admin names "received" (extra spaces and all)
    row = rename(world_a, id_="  Verifikasi   berkas ", en="Document check")

    # then the names are stored tidy, and the change is an audit event by the admin
    assert (row.label_id, row.label_en) == ("Verifikasi berkas", "Document check")
    [event] = events(world_a.region, "workflow.state_label")
    assert event.actor == world_a.users[Role.REGION_ADMIN]
    assert event.changes == {
        "sample.case.received.label_id": ["", "Verifikasi berkas"],
        "sample.case.received.label_en": ["", "Document check"],
    }


def test_emptying_both_names_returns_to_the_default_and_is_audited(world_a: RegionWorld) -> None:
    # given a named step
    rename(world_a, id_="Verifikasi berkas", en="Document check")

    # when both names are emptied
    assert rename(world_a, id_="", en=" ") is None

    # then nothing is stored, the defaults show, and the removal was audited
    assert stored(world_a) == []
    assert labels(world_a, "en")["received"] == "Received"
    assert events(world_a.region, "workflow.state_label")[-1].changes == {
        "sample.case.received.label_id": ["Verifikasi berkas", ""],
        "sample.case.received.label_en": ["Document check", ""],
    }


def test_saving_the_same_names_again_writes_no_event(world_a: RegionWorld) -> None:
    rename(world_a, id_="Verifikasi berkas")
    before = event_count(world_a.region)

    rename(world_a, id_="Verifikasi berkas")

    assert event_count(world_a.region) == before


@pytest.mark.parametrize(
    ("workflow", "state", "label_id", "field"),
    [
        pytest.param("nope.flow", "received", "X", "workflow", id="unknown-workflow"),
        pytest.param(FLOW, "archived", "X", "state", id="unknown-state"),
        pytest.param(FLOW, "received", "x" * 101, "label_id", id="too-long"),
    ],
)
def test_a_bad_name_is_refused_naming_the_field_and_writes_nothing(
    world_a: RegionWorld, workflow: str, state: str, label_id: str, field: str
) -> None:
    before = event_count(world_a.region)

    with region_scope(world_a.region), pytest.raises(DomainError) as caught:
        state_label_set(
            region=world_a.region,
            actor=world_a.users[Role.REGION_ADMIN],
            workflow=workflow,
            state=state,
            label_id=label_id,
            label_en="",
        )

    assert (caught.value.code, caught.value.status) == (ErrorCode.VALIDATION, 422)
    assert field in caught.value.field_errors
    assert stored(world_a) == []
    assert event_count(world_a.region) == before


# --- the selectors and the template tag ----------------------------------------------------


def test_the_region_name_shows_in_its_language_and_the_default_otherwise(
    world_a: RegionWorld, world_b: RegionWorld
) -> None:
    # given Bandung names "received" in Indonesian only, and "in_progress" in both
    rename(world_a, id_="Verifikasi berkas")
    rename(world_a, "in_progress", id_="Sedang dikerjakan", en="Being handled")

    # then Indonesian readers see both names; English readers the one English name and the
    # default for the other; Tangerang sees only the defaults
    assert labels(world_a, "id") == {
        **DEFAULTS_ID,
        "received": "Verifikasi berkas",
        "in_progress": "Sedang dikerjakan",
    }
    assert labels(world_a, "en") == {**DEFAULTS_ID, "in_progress": "Being handled"}
    assert labels(world_b, "id") == DEFAULTS_ID
    with region_scope(world_a.region), translation.override("id"):
        assert state_label(world_a.region, FLOW, "received") == "Verifikasi berkas"
        assert state_label(world_a.region, FLOW, "resolved") == "Resolved"
        assert state_label(world_a.region, FLOW, "archived") == "archived"


def test_the_names_of_a_workflow_cost_one_query(
    world_a: RegionWorld, django_assert_num_queries: Any
) -> None:
    rename(world_a, id_="Verifikasi berkas")
    rename(world_a, "resolved", id_="Selesai")

    with region_scope(world_a.region), django_assert_num_queries(1):
        state_labels(world_a.region, FLOW)


def test_the_template_tag_shows_each_case_step_with_one_query_per_page(
    world_a: RegionWorld, django_assert_num_queries: Any
) -> None:
    # given five received cases and one rejected, and the region's name for "received"
    rename(world_a, id_="Verifikasi berkas")
    cases = [start_case(world_a) for _ in range(6)]
    take(world_a, cases[-1], "reject", Role.OFFICER, note="Bukan kewenangan daerah.")
    template = Template(
        "{% load lumbung %}{% for c in cases %}{% state_label c %};{% endfor %}"
        '|{% state_label "sample.case" "in_progress" %}'
    )
    context = Context(
        {"cases": cases, "region": world_a.region, "request": RequestFactory().get("/")}
    )

    # when a page shows them
    with region_scope(world_a.region), translation.override("id"), django_assert_num_queries(1):
        shown = template.render(context)

    # then each shows the region's name for its step, read once for the whole page
    assert shown == "Verifikasi berkas;" * 5 + "Rejected;|In progress"


def test_a_refused_transition_names_the_step_as_the_region_does(world_a: RegionWorld) -> None:
    rename(world_a, id_="Verifikasi berkas", en="Document check")
    case = start_case(world_a)

    with translation.override("en"), pytest.raises(DomainError) as caught:
        take(world_a, case, "resolve", Role.OFFICER, attachments=["a.pdf"])

    assert "Document check" in str(caught.value.message)


# --- the steps page ------------------------------------------------------------------------


def page(client: Any, world: RegionWorld, *, language: str = "id", **query: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url("sla", world.region), query)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_page_lists_each_step_with_default_and_region_names_and_deadline(
    client: Any, world_a: RegionWorld, world_b: RegionWorld
) -> None:
    # given Bandung's names and a deadline of its own, and a name Tangerang gave
    rename(world_a, id_="Verifikasi berkas", en="Document check")
    rename(world_b, "in_progress", id_="Nama Tangerang")
    with region_scope(world_a.region):
        SlaOverride.objects.create(
            region=world_a.region, workflow=FLOW, state="received", working_days=7
        )
    signed_in(client, world_a.users[Role.OFFICER])

    # when an officer opens the page, in Indonesian and in English
    indonesian = page(client, world_a)
    english = page(client, world_a, language="en")

    # then both show the default and the region's names, and 7 working days for it
    for html in (indonesian, english):
        assert "<code>received</code>" in html
        assert "Verifikasi berkas" in html
        assert "Document check" in html
        assert "Nama Tangerang" not in html
    assert "7 working days" in english
    assert "this region" in english
    assert '<html lang="id"' in indonesian
    assert "Rename a step" not in english  # an officer may look, not change


def test_the_admin_renames_a_step_on_the_page(client: Any, world_a: RegionWorld) -> None:
    admin = signed_in(client, world_a.users[Role.REGION_ADMIN])

    # when the admin follows "Change" for "received", the form comes filled in for it
    filled = page(admin, world_a, edit=f"{FLOW}:received")
    assert 'value="sample.case:received" selected' in filled

    # when the admin saves two names
    response = admin.post(
        url("sla", world_a.region),
        {
            "label-target": f"{FLOW}:received",
            "label-label_id": "Verifikasi berkas",
            "label-label_en": "Document check",
        },
    )

    # then they are stored and audited, and the page shows them
    assert response.status_code == 302
    assert stored(world_a) == [("received", "Verifikasi berkas", "Document check")]
    assert len(events(world_a.region, "workflow.state_label")) == 1
    assert "Document check" in page(admin, world_a, language="en")


@pytest.mark.parametrize(
    ("target", "label_id", "field"),
    [
        pytest.param("nope.flow:received", "X", "target", id="unknown-step"),
        pytest.param(f"{FLOW}:received", "x" * 101, "label_id", id="too-long"),
    ],
)
def test_a_bad_name_on_the_page_shows_the_field_error_and_writes_nothing(
    client: Any, world_a: RegionWorld, target: str, label_id: str, field: str
) -> None:
    before = event_count(world_a.region)
    admin = signed_in(client, world_a.users[Role.REGION_ADMIN])

    response = admin.post(
        url("sla", world_a.region), {"label-target": target, "label-label_id": label_id}
    )

    assert response.status_code == 422
    assert field in response.context["label_form"].errors
    assert stored(world_a) == []
    assert event_count(world_a.region) == before


def test_an_officer_cannot_rename_a_step(client: Any, world_a: RegionWorld) -> None:
    officer = signed_in(client, world_a.users[Role.OFFICER])

    response = officer.post(
        url("sla", world_a.region), {"label-target": f"{FLOW}:received", "label-label_id": "X"}
    )

    assert response.status_code == 403
    assert stored(world_a) == []


def test_settings_for_steps_no_workflow_has_are_listed_apart(
    client: Any, world_a: RegionWorld
) -> None:
    with region_scope(world_a.region):
        StateLabel.objects.create(
            region=world_a.region, workflow="old.flow", state="gone", label_id="Nama lama"
        )
    admin = signed_in(client, world_a.users[Role.REGION_ADMIN])

    html = page(admin, world_a, language="en")

    assert "Settings for steps no installed workflow has" in html
    assert "<code>old.flow</code>" in html
    assert "Nama lama" in html


# --- the API ---------------------------------------------------------------------------------


class Caller:
    def __init__(self, client: Any, world: RegionWorld, role: Role) -> None:
        _token, secret = token_issue(user=world.users[role])
        self.client, self.base = client, f"/api/v1/regions/{world.region.slug}"
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, path: str, language: str = "id") -> Any:
        return self.client.get(self.base + path, HTTP_ACCEPT_LANGUAGE=language, **self.headers)

    def put(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.put(
            self.base + path, body, content_type="application/json", **self.headers
        )


def _steps(response: Any) -> dict[str, dict[str, Any]]:
    assert response.status_code == 200
    [flow] = [f for f in response.json() if f["key"] == FLOW]
    assert (flow["module"], flow["module_title"]) == ("sample", "Sample")
    return {s["state"]: s for s in flow["steps"]}


def test_the_api_lists_the_steps_with_the_region_names(
    client: Any, world_a: RegionWorld, world_b: RegionWorld
) -> None:
    rename(world_a, "in_progress", id_="Sedang dikerjakan", en="Being handled")
    rename(world_b, "received", id_="Nama Tangerang")
    officer = Caller(client, world_a, Role.OFFICER)

    english = _steps(officer.get("/workflows", "en"))
    indonesian = _steps(officer.get("/workflows", "id"))

    assert english["in_progress"]["label"] == "Being handled"
    assert indonesian["in_progress"]["label"] == "Sedang dikerjakan"
    assert english["in_progress"]["default_label"] == "In progress"
    assert english["received"]["label_id"] == ""  # Tangerang's name stays in Tangerang
    assert [v["key"] for v in english["in_progress"]["variants"]] == ["urgent"]
    assert (english["received"]["sla_days"], english["resolved"]["terminal"]) == (3, True)
    assert english["resolved"]["sla_days"] is None


def test_the_admin_names_and_unnames_a_step_through_the_api(
    client: Any, world_a: RegionWorld
) -> None:
    admin = Caller(client, world_a, Role.REGION_ADMIN)
    body = {"workflow": FLOW, "state": "received", "label_id": "Verifikasi berkas"}

    named = admin.put("/state-labels", body)
    assert named.status_code == 200
    assert (named.json()["label_id"], named.json()["label_en"]) == ("Verifikasi berkas", "")

    cleared = admin.put("/state-labels", {**body, "label_id": ""})
    assert cleared.status_code == 204
    assert stored(world_a) == []
    assert len(events(world_a.region, "workflow.state_label")) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"state": "archived"}, "state", id="unknown-state"),
        pytest.param({"workflow": "nope.flow"}, "workflow", id="unknown-workflow"),
    ],
)
def test_a_bad_name_through_the_api_is_a_problem_document(
    client: Any, world_a: RegionWorld, change: dict[str, str], field: str
) -> None:
    admin = Caller(client, world_a, Role.REGION_ADMIN)
    body = {"workflow": FLOW, "state": "received", "label_id": "X", **change}

    response = admin.put("/state-labels", body)

    assert response.status_code == 422
    problem = problem_of(response)
    assert problem["code"] == "validation_error"
    assert field in problem["errors"]
    assert stored(world_a) == []


def test_a_too_long_name_through_the_api_is_refused(client: Any, world_a: RegionWorld) -> None:
    admin = Caller(client, world_a, Role.REGION_ADMIN)
    body = {"workflow": FLOW, "state": "received", "label_id": "x" * 101}

    response = admin.put("/state-labels", body)

    assert response.status_code == 422
    assert problem_of(response)["code"] == "validation_error"
    assert stored(world_a) == []


def test_an_officer_cannot_name_a_step_through_the_api(client: Any, world_a: RegionWorld) -> None:
    officer = Caller(client, world_a, Role.OFFICER)

    response = officer.put(
        "/state-labels", {"workflow": FLOW, "state": "received", "label_id": "X"}
    )

    assert response.status_code == 403
    assert problem_of(response)["code"] == "permission_denied"
    assert stored(world_a) == []
