"""Adding regions through the API, and the public reference list of all 552."""

import pytest

from lumbung.core.models import AuditEvent, Region
from lumbung.core.services.people import token_issue
from lumbung.core.tenancy import dangerously_unscoped

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict[str, str]:
    _token, secret = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_operator_adds_a_region_with_modules(client, operator):
    # given a platform operator's token
    # when they add Kabupaten Bandung (32.04) with the sample module
    response = client.post(
        "/api/v1/regions",
        {"code": "32.04", "modules": ["sample"]},
        content_type="application/json",
        **_bearer(operator),
    )
    # then it is a tenant with that module, and the activation is audited
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "kabupaten-bandung"
    assert response.json()["modules"] == ["sample"]
    assert Region.objects.get(code="32.04").is_active
    with dangerously_unscoped():
        assert AuditEvent.objects.filter(chain="32.04", action="region.activate").exists()


def test_non_operator_cannot_add_a_region(client, citizen):
    response = client.post(
        "/api/v1/regions", {"code": "32.04"}, content_type="application/json", **_bearer(citizen)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Region.objects.get(code="32.04").is_active


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"code": "99.99"}, 404, "region_unknown"),
        ({"code": "32.04", "modules": ["nope"]}, 422, "module_unknown"),
        ({}, 422, "validation_error"),
    ],
)
def test_bad_region_requests_are_problems_and_write_nothing(client, operator, body, status, code):
    response = client.post(
        "/api/v1/regions", body, content_type="application/json", **_bearer(operator)
    )
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert not Region.objects.filter(is_active=True).exists()


def test_adding_an_active_region_twice_is_a_conflict(client, operator, region_a):
    response = client.post(
        "/api/v1/regions",
        {"code": region_a.code},
        content_type="application/json",
        **_bearer(operator),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "region_already_active"


def test_reference_list_is_public_and_searchable(client):
    # when searching the reference list for "bandung"
    response = client.get("/api/v1/reference/regions", {"q": "bandung"})
    # then Kota Bandung, Kabupaten Bandung and Kabupaten Bandung Barat come back
    assert response.status_code == 200
    codes = {r["code"] for r in response.json()["items"]}
    assert {"32.73", "32.04", "32.17"} <= codes
    kota = next(r for r in response.json()["items"] if r["code"] == "32.73")
    assert kota["parent_code"] == "32"
    assert kota["timezone"] == "Asia/Jakarta"


def test_reference_list_counts_all_552(client):
    response = client.get("/api/v1/reference/regions", {"page_size": 1})
    assert response.json()["count"] == 552
