"""The isolation walk: call each declared route and page as region A's staff while region B
is full of data, and fail on any sign of B — in lists, counts, details and error texts."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Model
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django_scopes import ScopeError

from lumbung.core.models import Region, User
from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import dangerously_unscoped, region_scope

from .isolation import Declaration, Kind, Planted, Planter, isolation
from .problems import problem_of

_serial = itertools.count(1)


class Tenant(Protocol):
    """A region with one user per role (core's `RegionWorld` fits)."""

    @property
    def region(self) -> Region: ...

    @property
    def users(self) -> Mapping[Role, User]: ...


def tag_for(side: str) -> str:
    """A text no other planted object contains (so finding it anywhere is a leak)."""
    return f"iso-{side}-{next(_serial)}-{uuid.uuid4().hex[:6]}"


def plant(region: Region, planter: Planter, side: str) -> Planted:
    with region_scope(region), transaction.atomic():
        return planter(region, tag_for(side))


def plant_everything(region: Region, side: str) -> list[Planted]:
    """One object of every declared model in `region`."""
    return [plant(region, planter, side) for planter in isolation.planters().values()]


def body_of(response: HttpResponseBase) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        content = response.content  # type: ignore[attr-defined]
    return bytes(content).decode("utf-8", errors="replace")


def assert_no_trace(response: HttpResponseBase, planted: Iterable[Planted], where: str) -> None:
    body = body_of(response)
    for item in planted:
        for marker in item.markers:
            assert marker not in body, f"{where}: another region's object ({marker}) leaked"


def assert_not_found(response: HttpResponseBase, where: str, *, api: bool) -> None:
    assert response.status_code == 404, f"{where}: expected 404, got {response.status_code}"
    if api:
        assert problem_of(response)["code"] == "not_found", where


def url_for(declaration: Declaration, slug: str, pk: int | str | None = None) -> str:
    param = declaration.object_param
    if not declaration.is_api:
        kwargs: dict[str, Any] = {"region_slug": slug}
        if param:
            kwargs[param] = pk
        return reverse(declaration.key, kwargs=kwargs)
    path = declaration.path.replace("{region_slug}", slug)
    if param:
        path = path.replace("{" + param + "}", str(pk))
    assert "{" not in path, f"{declaration.key}: declare how to fill its path parameters"
    return path


def call(
    client: Client, declaration: Declaration, url: str, planted: Planted | None = None
) -> HttpResponseBase:
    method = declaration.method.lower()
    if method == "get":
        query = {"page_size": 100} if declaration.kind is Kind.LIST and declaration.is_api else {}
        query.update(declaration.query(planted) if declaration.query else {})
        return client.get(url, query)
    body = declaration.body(planted) if declaration.body else {}
    send = getattr(client, method)
    if declaration.multipart:
        return send(url, body)
    response: HttpResponseBase = send(url, json.dumps(body), content_type="application/json")
    return response


def login_as(client: Client, tenant: Tenant, role: Role) -> None:
    client.force_login(tenant.users[role], backend="django.contrib.auth.backends.ModelBackend")


def check_declaration(client: Client, declaration: Declaration, a: Tenant, b: Tenant) -> None:
    """Region B holds one object of every declared model (and the route's own kind twice);
    region A's staff call the route or page and must see no trace of any of them."""
    if declaration.module:  # both regions run the module, so a 404 proves nothing
        for tenant in (a, b):
            region_modules_set(region=tenant.region, actor=None, enable=[declaration.module])
    others = plant_everything(b.region, "b")
    login_as(client, a, declaration.role)
    checks = {
        Kind.LIST: _check_list,
        Kind.COUNT: _check_count,
        Kind.DETAIL: _check_detail,
        Kind.WRITE: _check_write,
        Kind.NONE: _check_none,
    }
    checks[declaration.kind](client, declaration, a, b, others)


def _check_list(
    client: Client, d: Declaration, a: Tenant, b: Tenant, others: list[Planted]
) -> None:
    assert d.plant is not None
    mine, theirs = plant(a.region, d.plant, "a"), plant(b.region, d.plant, "b")
    response = call(client, d, url_for(d, a.region.slug))
    assert response.status_code == 200, f"{d.key}: {response.status_code}"
    body = body_of(response)
    assert all(m in body for m in mine.markers), f"{d.key}: region A's own object is missing"
    assert_no_trace(response, [theirs, *others], d.key)
    if d.is_api:
        ids = _listed_ids(json.loads(body))
        assert str(mine.pk) in ids, f"{d.key}: region A's own object is not listed"
        assert str(theirs.pk) not in ids, f"{d.key}: region B's object is listed"


def _check_count(
    client: Client, d: Declaration, a: Tenant, b: Tenant, others: list[Planted]
) -> None:
    assert d.plant is not None
    url = url_for(d, a.region.slug)
    before = json.loads(body_of(call(client, d, url)))[d.count_key]
    planted = [plant(a.region, d.plant, "a"), plant(b.region, d.plant, "b")]
    planted.append(plant(b.region, d.plant, "b"))
    response = call(client, d, url)
    after = json.loads(body_of(response))[d.count_key]
    moved = after - before
    assert moved == 1, f"{d.key}: one object added in A and two in B moved the count by {moved}"
    assert_no_trace(response, [*planted[1:], *others], d.key)


def _check_detail(
    client: Client, d: Declaration, a: Tenant, b: Tenant, others: list[Planted]
) -> None:
    assert d.plant is not None
    mine, theirs = plant(a.region, d.plant, "a"), plant(b.region, d.plant, "b")
    own = call(client, d, url_for(d, a.region.slug, mine.pk), mine)
    assert own.status_code == 200, f"{d.key}: region A's own object answers {own.status_code}"
    assert all(m in body_of(own) for m in mine.markers), f"{d.key}: A's object not shown"
    foreign = call(client, d, url_for(d, a.region.slug, theirs.pk), theirs)
    assert_not_found(foreign, f"{d.key} with region B's id", api=d.is_api)
    assert_no_trace(foreign, [theirs, *others], d.key)
    assert_no_trace(own, [theirs, *others], d.key)


def _check_write(
    client: Client, d: Declaration, a: Tenant, b: Tenant, others: list[Planted]
) -> None:
    assert d.plant is not None
    assert d.model is not None
    mine, theirs = plant(a.region, d.plant, "a"), plant(b.region, d.plant, "b")
    before = _row(d.model, d.lookup, theirs.pk)
    foreign = call(client, d, url_for(d, a.region.slug, theirs.pk), theirs)
    assert_not_found(foreign, f"{d.key} with region B's id", api=d.is_api)
    assert_no_trace(foreign, [theirs, *others], d.key)
    assert _row(d.model, d.lookup, theirs.pk) == before, f"{d.key}: region B's row was changed"
    own = call(client, d, url_for(d, a.region.slug, mine.pk), mine)
    assert own.status_code < 400, f"{d.key}: region A's own object answers {own.status_code}"


def _check_none(
    client: Client, d: Declaration, a: Tenant, b: Tenant, others: list[Planted]
) -> None:
    mine = plant(a.region, d.plant, "a") if d.plant else None  # what the call needs in A
    response = call(client, d, url_for(d, a.region.slug), mine)
    assert response.status_code < 400, f"{d.key}: answers {response.status_code}"
    assert_no_trace(response, others, d.key)


def _row(model: type[Model], lookup: str, pk: int | str) -> dict[str, Any] | None:
    with dangerously_unscoped():
        return model._default_manager.filter(**{lookup: pk}).values().first()


def _listed_ids(data: Any) -> set[str]:
    items = data.get("items", data.get("results")) if isinstance(data, dict) else data
    return {str(item.get("id")) for item in items or [] if isinstance(item, dict)}


def check_module_off(client: Client, declaration: Declaration, a: Tenant, b: Tenant) -> None:
    """With the route's module switched off in A only, A answers 404 and B still answers."""
    assert declaration.module is not None
    for tenant in (a, b):
        region_modules_set(region=tenant.region, actor=None, enable=[declaration.module])
    planter = declaration.plant
    mine = plant(a.region, planter, "a") if planter else None
    theirs = plant(b.region, planter, "b") if planter else None
    region_modules_set(region=a.region, actor=None, disable=[declaration.module])
    login_as(client, a, declaration.role)
    off = call(client, declaration, url_for(declaration, a.region.slug, _pk(mine)), mine)
    assert_not_found(off, f"{declaration.key} with the module off", api=declaration.is_api)
    login_as(client, b, declaration.role)
    on = call(client, declaration, url_for(declaration, b.region.slug, _pk(theirs)), theirs)
    assert on.status_code != 404, f"{declaration.key}: region B lost a module A switched off"


def check_region_unknown(
    client: Client, declaration: Declaration, a: Tenant, slug: str, where: str
) -> None:
    """The route under a slug that is not an active region is a 404, whoever asks."""
    mine = plant(a.region, declaration.plant, "a") if declaration.plant else None
    login_as(client, a, declaration.role)
    response = call(client, declaration, url_for(declaration, slug, _pk(mine)), mine)
    assert_not_found(response, f"{declaration.key} under {where}", api=declaration.is_api)


def _pk(planted: Planted | None) -> int | str | None:
    return planted.pk if planted else None


def check_model(label: str, planter: Planter, a: Tenant, b: Tenant) -> None:
    """Unscoped queries raise; each region's scope sees its own rows and never the other's."""
    from django.apps import apps

    model = apps.get_model(label)
    for attempt in (lambda: list(model._default_manager.all()), model._default_manager.count):
        try:
            attempt()
        except ScopeError:
            pass
        else:
            raise AssertionError(f"{label}: an unscoped query did not raise ScopeError")
    mine, theirs = plant(a.region, planter, "a"), plant(b.region, planter, "b")
    for region, own, foreign in ((a.region, mine, theirs), (b.region, theirs, mine)):
        with region_scope(region):
            seen = {str(pk) for pk in model._default_manager.values_list("pk", flat=True)}
        assert str(own.pk) in seen, f"{label}: {region.slug} cannot see its own row"
        assert str(foreign.pk) not in seen, f"{label}: {region.slug} sees another region's row"
