"""Schemathesis against /api/v1/openapi.json, in process through the WSGI app: every
operation with valid and invalid inputs; no server error, every response as declared, and
every 4xx an RFC 9457 problem."""

from __future__ import annotations

import datetime as dt
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
from lumbung.core.models import ApiToken, Membership
from lumbung.core.models.people import Role
from lumbung.core.services.calendar import region_holiday_set
from lumbung.core.services.people import token_issue
from lumbung.core.services.workflow import case_start
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import PASSWORD, make_world
from lumbung.core.tests.sample.models import SampleCase
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


@schema.hook
def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any]
) -> st.SearchStrategy[dict[str, Any]]:
    choices = {
        name: st.sampled_from([REAL_PATH_VALUES[name]] * 3 + [value])
        for name, value in (path_parameters or {}).items()
        if name in REAL_PATH_VALUES
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


@pytest.fixture
def caller(_in_process: None) -> Iterator[Caller]:
    """Kota Bandung with the sample and complaints modules on, one object behind each id in
    the API's paths, and its region admin calling with a bearer token."""
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
    REAL_CREDENTIALS.update(email=admin.email, password=PASSWORD)
    yield Caller(token=token, secret=secret)
    REAL_PATH_VALUES.clear()
    REAL_CREDENTIALS.clear()


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@schema.parametrize()
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case, caller: Caller) -> None:
    case.call_and_validate(headers=caller.headers(), checks=CHECKS)


def test_the_fuzzed_document_is_the_served_one(client: Client) -> None:
    response = client.get(OPENAPI_PATH)
    assert response.status_code == 200
    assert response.json() == _served_document()
