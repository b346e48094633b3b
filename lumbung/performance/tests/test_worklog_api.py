"""The activity log's API: an entry is 201 the first time and 200 with the same body when
its key comes again; every refusal is a problem naming its rule and field; the caller sees
only their own entries, and another region's are a 404."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..models import Activity, Entry
from ..workflow import APPROVED, PROPOSED, SUBMITTED, WITHDRAWN
from .factories import PerfWorld, entry_make
from .test_worklog_helpers import TODAY, frozen  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def api(perf: PerfWorld, path: str = "") -> str:
    return f"/api/v1/regions/{perf.region.slug}/performance{path}"


def signed_in(perf: PerfWorld, who: str = "staff", **options: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **options)  # type: ignore[arg-type]
    user = perf.user(who) if who in perf.people else perf.world.users[Role(who)]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def body(perf: PerfWorld, **changes: object) -> dict[str, object]:
    return {
        "client_key": str(uuid.uuid4()),
        "work_date": TODAY.isoformat(),
        "start_time": "08:00",
        "end_time": "09:00",
        "activity_id": perf.activities["letter"].pk,
        "quantity": 2,
        "note": "Surat undangan",
        **changes,
    }


def post(client: Client, url: str, data: dict[str, object], **extra: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def test_an_entry_is_made_once_and_a_replay_answers_the_same(perf_a):
    client = signed_in(perf_a)
    sent = body(perf_a)
    first = post(client, api(perf_a, "/entries"), sent)
    assert first.status_code == 201, first.content
    again = post(client, api(perf_a, "/entries"), sent)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert first.json()["state"] == SUBMITTED
    assert first.json()["claimed_minutes"] == 60
    with region_scope(perf_a.region):
        assert Entry.objects.filter(region=perf_a.region).count() == 1


def test_the_page_s_session_and_csrf_token_are_enough_for_the_offline_queue(perf_a):
    # given the phone's browser with the day's page open (its CSRF token in the form)
    client = signed_in(perf_a, enforce_csrf_checks=True)
    page = client.get(f"/{perf_a.region.slug}/performance/log/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    assert token is not None
    url = api(perf_a, "/entries")
    # then without the token the API refuses, with it the entry is made
    assert post(client, url, body(perf_a)).status_code in (401, 403)
    made = post(client, url, body(perf_a), HTTP_X_CSRFTOKEN=token.group(1).decode())
    assert made.status_code == 201


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [
        ({"work_date": "2026-02-12"}, 422, "performance_future_date", "work_date"),
        ({"quantity": 5}, 422, "performance_minutes_exceed_span", "quantity"),
        ({"work_date": "2026-02-07"}, 422, "performance_not_working_day", "work_date"),
        ({"activity_id": 999999}, 422, "performance_activity_not_allowed", "activity"),
        ({"client_key": "bad key"}, 422, "validation_error", "client_key"),
        ({"start_time": "10:00"}, 422, "validation_error", "end_time"),
    ],
)
def test_a_refusal_is_a_problem_naming_the_rule_and_the_field(perf_a, changes, status, code, field):
    response = post(signed_in(perf_a), api(perf_a, "/entries"), body(perf_a, **changes))
    assert response.status_code == status
    problem = response.json()
    assert problem["code"] == code
    assert field in problem["errors"]
    assert response["Content-Type"].startswith("application/problem+json")


def test_an_overlap_is_a_conflict(perf_a):
    client = signed_in(perf_a)
    post(client, api(perf_a, "/entries"), body(perf_a))
    response = post(client, api(perf_a, "/entries"), body(perf_a, start_time="08:30", quantity=1))
    assert response.status_code == 409
    assert response.json()["code"] == "performance_overlap"


def test_someone_outside_the_registry_is_told_so(perf_a):
    response = post(signed_in(perf_a, "auditor"), api(perf_a, "/entries"), body(perf_a))
    assert response.status_code == 403
    assert response.json()["code"] == "performance_not_an_employee"


def test_my_entries_by_month_and_day_and_one_by_id(perf_a):
    with region_scope(perf_a.region):
        mine = entry_make(perf_a, day=TODAY)
        earlier = entry_make(perf_a, day=dt.date(2026, 1, 30), state=APPROVED)
        theirs = entry_make(perf_a, "peer", day=TODAY)
    client = signed_in(perf_a)
    month = client.get(api(perf_a, "/entries"), {"month": "2026-02"}).json()
    assert [e["id"] for e in month["items"]] == [mine.pk]
    january = client.get(api(perf_a, "/entries"), {"month": "2026-01"}).json()
    assert [e["id"] for e in january["items"]] == [earlier.pk]
    day = client.get(api(perf_a, "/entries"), {"day": TODAY.isoformat()}).json()
    assert [e["id"] for e in day["items"]] == [mine.pk]
    assert client.get(api(perf_a, f"/entries/{mine.pk}")).json()["id"] == mine.pk
    assert client.get(api(perf_a, f"/entries/{theirs.pk}")).status_code == 404


def test_another_region_s_entry_is_a_404_everywhere(perf_a, perf_b):
    with region_scope(perf_b.region):
        foreign = entry_make(perf_b, day=TODAY)
    client = signed_in(perf_a)
    for path in (f"/entries/{foreign.pk}", f"/entries/{foreign.pk}/withdraw"):
        call = client.get if path.endswith(str(foreign.pk)) else client.post
        response = call(api(perf_a, path))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    with region_scope(perf_b.region):
        assert Entry.objects.get(pk=foreign.pk).state == SUBMITTED


def test_withdraw_then_the_evidence_of_a_waiting_entry(perf_a):
    client = signed_in(perf_a)
    made = post(client, api(perf_a, "/entries"), body(perf_a)).json()
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    attached = client.post(api(perf_a, f"/entries/{made['id']}/evidence"), {"evidence": pdf})
    assert attached.status_code == 200, attached.content
    assert attached.json()["has_evidence"]
    bad = SimpleUploadedFile("bukti.pdf", b"<html>", content_type="application/pdf")
    refused = client.post(api(perf_a, f"/entries/{made['id']}/evidence"), {"evidence": bad})
    assert refused.status_code == 422
    assert "evidence" in refused.json()["errors"]
    withdrawn = client.post(api(perf_a, f"/entries/{made['id']}/withdraw"))
    assert withdrawn.json()["state"] == WITHDRAWN
    again = client.post(api(perf_a, f"/entries/{made['id']}/withdraw"))
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"


# The catalogue --------------------------------------------------------------------------------

ACTIVITY = {
    "name_id": "Menyusun telaahan staf",
    "name_en": "Draft a staff study",
    "output_unit_id": "telaahan",
    "output_unit_en": "study",
    "standard_minutes": 90,
}


def test_the_admin_adds_an_activity_in_use_at_once(perf_a):
    admin = signed_in(perf_a, Role.REGION_ADMIN.value)
    made = post(admin, api(perf_a, "/activities"), ACTIVITY)
    assert made.status_code == 201
    assert made.json()["state"] == APPROVED
    listed = signed_in(perf_a).get(api(perf_a, "/activities"), {"q": "telaahan staf"}).json()
    assert [a["id"] for a in listed["items"]] == [made.json()["id"]]
    # a civil servant may not add one directly
    assert post(signed_in(perf_a), api(perf_a, "/activities"), ACTIVITY).status_code == 403


def test_a_proposal_counts_once_accepted_and_a_decline_says_why(perf_a):
    staff = signed_in(perf_a)
    proposed = post(staff, api(perf_a, "/activities/proposals"), ACTIVITY).json()
    assert proposed["state"] == PROPOSED
    pk = proposed["id"]
    refused = post(staff, api(perf_a, "/entries"), body(perf_a, activity_id=pk, quantity=1,
                   end_time="09:30"))  # fmt: skip
    assert refused.json()["code"] == "performance_activity_not_allowed"
    # the curators' queue is for curators
    assert staff.get(api(perf_a, "/activities"), {"state": "proposed"}).status_code == 403
    head = signed_in(perf_a, "head")
    queue = head.get(api(perf_a, "/activities"), {"state": "proposed"}).json()
    assert [a["id"] for a in queue["items"]] == [pk]
    accepted = post(head, api(perf_a, f"/activities/{pk}/accept"), {})
    assert accepted.json()["state"] == APPROVED
    logged = post(staff, api(perf_a, "/entries"), body(perf_a, activity_id=pk, quantity=1,
                  end_time="09:30"))  # fmt: skip
    assert logged.status_code == 201
    other = post(staff, api(perf_a, "/activities/proposals"), {**ACTIVITY, "name_id": "Lain"})
    declined = post(
        head, api(perf_a, f"/activities/{other.json()['id']}/decline"), {"reason": "Sudah ada"}
    )
    assert declined.json()["state"] == "rejected"


def test_nobody_accepts_their_own_proposal(perf_a):
    head = signed_in(perf_a, "head")
    proposed = post(head, api(perf_a, "/activities/proposals"), ACTIVITY).json()
    response = post(head, api(perf_a, f"/activities/{proposed['id']}/accept"), {})
    assert response.status_code == 403
    assert response.json()["code"] == "performance_own_proposal"


def test_the_admin_retires_an_activity_with_a_reason(perf_a):
    admin = signed_in(perf_a, Role.REGION_ADMIN.value)
    pk = perf_a.activities["meeting"].pk
    assert post(admin, api(perf_a, f"/activities/{pk}/retire"), {"reason": ""}).status_code == 422
    retired = post(admin, api(perf_a, f"/activities/{pk}/retire"), {"reason": "Diganti"})
    assert retired.json()["state"] == "retired"
    with region_scope(perf_a.region):
        assert AuditEvent.objects.filter(
            region=perf_a.region, action="performance.activity.retire", object_id=str(pk)
        ).exists()
        assert Activity.objects.get(pk=pk).state == "retired"


def test_another_region_s_activity_is_a_404(perf_a, perf_b):
    admin = signed_in(perf_a, Role.REGION_ADMIN.value)
    foreign = perf_b.activities["letter"].pk
    response = post(admin, api(perf_a, f"/activities/{foreign}/retire"), {"reason": "x"})
    assert response.status_code == 404
    with region_scope(perf_b.region):
        assert Activity.objects.get(pk=foreign).state == APPROVED
