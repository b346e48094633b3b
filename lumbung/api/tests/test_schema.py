"""Schemathesis against /api/v1/openapi.json, in process through the WSGI app: every
operation with valid and invalid inputs; no server error, every response as declared, and
every 4xx an RFC 9457 problem."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from lumbung.api.api import api
from lumbung.api.errors import PROBLEM_CONTENT_TYPE
from lumbung.complaints.services import client_issue, template_save
from lumbung.complaints.tests.factories import enable_complaints, file_report
from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import ApiToken, Membership
from lumbung.core.models.people import Role
from lumbung.core.services.calendar import region_holiday_set
from lumbung.core.services.people import token_issue
from lumbung.core.services.workflow import case_start
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import PASSWORD, RegionWorld, make_world
from lumbung.core.tests.sample.models import SampleCase
from lumbung.performance.allowance.attendance import attendance_import
from lumbung.performance.allowance.compute import month_compute
from lumbung.performance.models import Employee, ImportKind
from lumbung.performance.registry.imports import staff_import
from lumbung.performance.selectors import region_today
from lumbung.performance.tests.factories import enable_performance, entry_make
from lumbung.performance.workflow import APPROVED
from lumbung.performance.worklog.activities import ActivityInput, activity_propose
from lumbung.permits.services.catalogue import routing_rules_adopt_default
from lumbung.permits.tests.factories import apply as permits_apply
from lumbung.permits.tests.factories import enable_permits, permit_of
from lumbung.permits.tests.factories import register as permits_register

pytestmark = [pytest.mark.schema, pytest.mark.django_db]

OPENAPI_PATH = "/api/v1/openapi.json"
PROBLEM_MEMBERS = ("type", "title", "status", "detail", "code", "errors")
# Values the generated requests should mostly use, so they get past the 404 and the 401:
# path parameters naming real objects, and a real caller's credentials. Filled per test by
# `caller`; a module whose paths take an id of its own adds one of its objects there.
REAL_PATH_VALUES: dict[str, Any] = {}
# Where one name stands for different objects on different paths (an entry: the caller's
# own under /entries/, one waiting for their review under /approvals/), the value for the
# paths containing a fragment; later fragments win over earlier ones.
REAL_PATH_VALUES_AT: dict[str, dict[str, Any]] = {}
REAL_CREDENTIALS: dict[str, str] = {}


@schemathesis.check
def problem_details(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Any
) -> None:
    """Every 4xx is application/problem+json with the members the API promises."""
    if not 400 <= response.status_code < 500:
        return
    content_type = response.headers.get("content-type", [""])[0].split(";")[0].strip()
    assert content_type == PROBLEM_CONTENT_TYPE, f"{response.status_code} sent as {content_type!r}"
    body = json.loads(response.content)
    missing = [m for m in PROBLEM_MEMBERS if m not in body]
    assert not missing, f"problem without {missing}"
    assert body["status"] == response.status_code, "problem status differs from HTTP status"


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    problem_details,
]


def _served_document() -> dict[str, Any]:
    """The document /api/v1/openapi.json serves, built without a request: at collection time
    there is no test database yet, and every request under /api/ counts against a rate
    limit kept in the database. test_the_fuzzed_document_is_the_served_one checks it."""
    return json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))


schema = schemathesis.openapi.from_dict(_served_document())
schema.app = get_wsgi_application()  # requests go in process to the project's WSGI app
schema.location = OPENAPI_PATH


def real_path_values(path: str) -> dict[str, Any]:
    """The real objects behind the path parameters of the operation at `path`."""
    values = dict(REAL_PATH_VALUES)
    for fragment, overrides in REAL_PATH_VALUES_AT.items():
        if fragment in path:
            values.update(overrides)
    return values


@schema.hook
def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any]
) -> st.SearchStrategy[dict[str, Any]]:
    real = real_path_values(context.operation.path if context.operation else "")
    choices = {
        name: st.sampled_from([real[name]] * 3 + [value])
        for name, value in (path_parameters or {}).items()
        if name in real
    }
    if not choices:
        return st.just(path_parameters)
    return st.fixed_dictionaries(choices).map(lambda chosen: {**path_parameters, **chosen})


@schema.hook.apply_to(method="POST", path="/api/v1/auth/token")
def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
    if not isinstance(body, dict) or not REAL_CREDENTIALS:
        return st.just(body)
    return st.sampled_from([body, {**body, **REAL_CREDENTIALS}])


@dataclass
class Caller:
    """A region admin with a bearer token."""

    token: ApiToken
    secret: str

    def headers(self) -> dict[str, str]:
        # A fuzzed DELETE /auth/tokens/{id} may revoke the caller's own token: issue anew.
        self.token.refresh_from_db()
        if self.token.revoked_at is not None:
            self.token, self.secret = token_issue(user=self.token.user, name="schemathesis")
        return {"Authorization": f"Bearer {self.secret}"}


@pytest.fixture
def _in_process(settings: Any) -> Iterator[None]:
    """Call the WSGI app the way Django's test client does: without per-request connection
    recycling, so every request runs inside the test's transaction. Rate limits have their
    own tests; here a 429 would only hide what a request does. Hundreds of expected 4xx
    would flood the log; server errors are still logged."""
    settings.LUMBUNG_RATE_LIMITS = {scope: "1000000/m" for scope in ("client", "region", "global")}
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.ERROR)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        request_logger.setLevel(level)


def _performance(world: RegionWorld) -> None:
    """The performance module on, its office's chain with the region admin as the division
    head (kabid): an ASN who logs work and reviews the two analysts'. Behind the ids: an entry
    of the admin's own and one of an analyst's awaiting the admin's review; an approved entry
    on a working day two months back, its month computed (open, past its cut-off), with
    that day's attendance imported; a proposed and an approved activity; a refused staff
    import."""
    admin = world.users[Role.REGION_ADMIN]
    perf = enable_performance(world)
    region, kabid, staff = world.region, perf.people["kabid"], perf.people["staff"]
    with region_scope(region), transaction.atomic():
        Employee.objects.filter(pk=kabid.pk).update(user=admin)
        kabid.user = admin
        today = region_today(region)
        past = (today.replace(day=1) - dt.timedelta(days=32)).replace(day=1)
        while not RegionCalendar(region).is_working_day(past):  # attendance counts those only
            past += dt.timedelta(days=1)
        own = entry_make(perf, "kabid", day=today)
        waiting = entry_make(perf, "staff", day=today, start=dt.time(9), end=dt.time(10))
        approved = entry_make(perf, "staff", day=past, state=APPROVED)
        period = month_compute(region=region, actor=admin, year=past.year, month=past.month)
        proposal = ActivityInput(
            name_id="Mengarsipkan surat masuk", name_en="Filing incoming letters",
            output_unit_id="berkas", output_unit_en="file", standard_minutes=15,
        )  # fmt: skip
        proposed = activity_propose(region=region, actor=perf.user("peer"), data=proposal)
        staff_run = staff_import(
            region=region, actor=admin, file=io.BytesIO(b"nip,name\n1,X\n"), filename="staff.csv"
        )
        attendance_run = attendance_import(
            region=region, actor=admin, kind=ImportKind.ATTENDANCE, filename="mesin.csv",
            data=f"nip,date,check_in,check_out\n{staff.nip},{past},07:30,16:00\n".encode(),
        )  # fmt: skip
    REAL_PATH_VALUES.update(
        employee_id=staff.pk,
        entry_id=approved.pk,
        activity_id=proposed.pk,
        run_id=staff_run.pk,
        period_id=period.pk,
    )
    REAL_PATH_VALUES_AT.update(
        {
            "/performance/entries/": {"entry_id": own.pk},
            "/performance/approvals/": {"entry_id": waiting.pk},
            "/retire": {"activity_id": perf.activities["letter"].pk},
            "/performance/attendance/imports/": {"run_id": attendance_run.pk},
        }
    )


@pytest.fixture
def caller(request: pytest.FixtureRequest, _in_process: None) -> Iterator[Caller]:
    """Kota Bandung with the sample, complaints and permits modules on, one object behind
    each id in the API's paths, and its region admin calling with a bearer token. The
    performance module's office is built only for its own operations: it costs every other
    operation time and changes nothing they answer."""
    world = enable_complaints(make_world("32.73", modules=["sample"]))
    region, admin = world.region, world.users[Role.REGION_ADMIN]
    with transaction.atomic():
        spare, _secret = token_issue(user=admin, name="spare")
        token, secret = token_issue(user=admin, name="schemathesis")
    with region_scope(region), transaction.atomic():
        case = SampleCase(region=region, title="Lampu jalan mati", unit=world.unit)
        case_start(case, actor=world.users[Role.CITIZEN])
        holiday = region_holiday_set(
            region=region, actor=None, date=dt.date(2026, 9, 25), name="Hari Jadi Kota Bandung"
        )
        member = Membership.objects.get(region=region, user=world.users[Role.OFFICER])
        report = file_report(region, description="Lampu jalan mati di depan pasar").complaint
        template = template_save(region=region, actor=admin, data={"title": "Terima", "body": "Ok"})
        client_row, _key = client_issue(region=region, actor=admin, name="Aplikasi warga")
    # Permits: an application at the document check, a registration receipt, the pharmacy
    # permit type and the region's routing rules.
    permits = enable_permits(world)
    application, receipt = permits_apply(permits), permit_of(permits_register(permits))
    with region_scope(region), transaction.atomic():
        rule = routing_rules_adopt_default(region=region, actor=None)[0]
    REAL_PATH_VALUES.update(
        application_id=application.pk,
        permit_id=receipt.pk,
        type_id=permits.permit_type.pk,
        rule_id=rule.pk,
    )
    REAL_PATH_VALUES.update(
        ticket=report.ticket,
        code="jalan-rusak",
        template_id=template.pk,
        client_id=client_row.pk,
        region_slug=region.slug,
        token_id=spare.pk,
        case_id=case.pk,
        unit_id=world.other_unit.pk,
        member_id=member.pk,
        holiday_id=holiday.pk,
    )
    if PERFORMANCE in getattr(request.node, "operation_label", ""):
        _performance(world)
    REAL_CREDENTIALS.update(email=admin.email, password=PASSWORD)
    yield Caller(token=token, secret=secret)
    REAL_PATH_VALUES.clear()
    REAL_PATH_VALUES_AT.clear()
    REAL_CREDENTIALS.clear()


PERFORMANCE = "/performance/"
FUZZ = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))


@settings(FUZZ, max_examples=25)
@schema.exclude(path_regex=PERFORMANCE).parametrize()
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case, caller: Caller) -> None:
    case.call_and_validate(headers=caller.headers(), checks=CHECKS)


# The performance module's operations do real work on most calls in their world (a month
# computed, a payroll file written, a dashboard's GROUP BYs): fewer examples each keep the
# run within a minute of its length with the module off. A deeper run found nothing more.
@settings(FUZZ, max_examples=15)
@schema.include(path_regex=PERFORMANCE).parametrize()
def test_performance_api_conforms_to_its_openapi_document(
    case: schemathesis.Case, caller: Caller
) -> None:
    case.call_and_validate(headers=caller.headers(), checks=CHECKS)


def test_the_fuzzed_document_is_the_served_one(client: Client) -> None:
    response = client.get(OPENAPI_PATH)
    assert response.status_code == 200
    assert response.json() == _served_document()
