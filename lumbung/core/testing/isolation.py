"""The tenant wall's shared test machinery: what every module declares, and the walk.

Each module declares, in its own `tests/test_isolation.py`, every region-scoped API route,
every HTML page under `/<region>/` and every tenant-owned model, each with a way to plant one
of its objects in a region. Core's isolation suite discovers those files, walks the OpenAPI
schema, the URL patterns and the model registry, and fails on anything undeclared, so a new
route, page or model cannot ship without its isolation check. The walk itself lives in
`lumbung.core.testing.walk`.

    from lumbung.core.testing.isolation import Kind, Planted, isolation

    def plant_complaint(region: Region, tag: str) -> Planted:
        complaint = ComplaintFactory.create(region=region, title=tag)
        return Planted(complaint.pk, (tag,))

    isolation.model(Complaint, plant_complaint)
    isolation.route("GET", "/api/v1/regions/{region_slug}/complaints/", Kind.LIST,
                    plant=plant_complaint)
    isolation.page("core:complaints:detail", Kind.DETAIL, plant=plant_complaint, object_param="pk")
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver

from lumbung.core.models import Region
from lumbung.core.models.people import Role
from lumbung.core.models.tenancy import RegionScopedManager
from lumbung.core.modules import registry as module_registry

REGION_API_PREFIX = "/api/v1/regions/{region_slug}"
_PAGE_REGION = re.compile(r"<(?:slug:)?region_slug>")


class Kind(StrEnum):
    """What a route or page shows, and so how the walk checks it."""

    LIST = "list"  # the region's objects: region A's appear, region B's never
    COUNT = "count"  # a number (at `count_key`) that counts the region's objects only
    DETAIL = "detail"  # one object by id: A's answers, B's id under A's slug is a 404
    WRITE = "write"  # changes one object by id: B's id under A's slug is a 404, B's row stays
    NONE = "none"  # reads no tenant-owned rows of its own; `reason` says why


@dataclass(frozen=True)
class Planted:
    """An object planted in one region: its id, and texts only it would show (its tag)."""

    pk: int | str
    markers: tuple[str, ...] = ()


# Create one object in `region` (the walk has entered its scope and a transaction), with the
# unique `tag` in a field that the object's pages and API show.
Planter = Callable[[Region, str], Planted]
BodyMaker = Callable[[Planted | None], dict[str, Any]]


@dataclass(frozen=True)
class Declaration:
    """One API route (`key` is "METHOD /path") or HTML page (`key` is the URL name)."""

    key: str
    kind: Kind
    plant: Planter | None = None
    object_param: str | None = None
    role: Role = Role.OFFICER
    count_key: str = "count"
    body: BodyMaker | None = None
    model: type[Model] | None = None  # WRITE: whose row must stay unchanged
    lookup: str = "pk"  # WRITE: the field of `model` that object_param names ("ticket")
    reason: str = ""
    module: str | None = None  # the module key this route or page belongs to, if any
    multipart: bool = False  # send `body` as a multipart form (file uploads), not JSON
    query: BodyMaker | None = None  # GET: the query parameters the route needs

    @property
    def method(self) -> str:
        return self.key.split(" ", 1)[0] if self.is_api else "GET"

    @property
    def path(self) -> str:
        return self.key.split(" ", 1)[1]

    @property
    def is_api(self) -> bool:
        return self.key.split(" ", 1)[-1].startswith("/api/")

    def validate(self) -> None:
        needs_plant = self.kind is not Kind.NONE
        if needs_plant and self.plant is None:
            raise ValueError(f"{self.key}: a {self.kind} check needs `plant`")
        if self.kind in {Kind.DETAIL, Kind.WRITE} and not self.object_param:
            raise ValueError(f"{self.key}: a {self.kind} check needs `object_param`")
        if self.kind is Kind.WRITE and self.model is None:
            raise ValueError(f"{self.key}: a write check needs the `model` it changes")
        if self.kind is Kind.NONE and not self.reason:
            raise ValueError(f"{self.key}: say why it reads no tenant-owned rows (`reason`)")


@dataclass
class IsolationRegistry:
    """Every declaration, filled by each module's tests/test_isolation.py."""

    routes: dict[str, Declaration] = field(default_factory=dict)
    platform_routes: dict[str, str] = field(default_factory=dict)
    pages: dict[str, Declaration] = field(default_factory=dict)
    models: dict[str, Planter] = field(default_factory=dict)
    platform_models: dict[str, str] = field(default_factory=dict)

    def route(self, method: str, path: str, kind: Kind, **options: Any) -> None:
        """Declare a route under /api/v1/regions/{region_slug} and how to check it."""
        key = f"{method.upper()} {path}"
        declaration = Declaration(key, kind, module=_api_module(path), **options)
        declaration.validate()
        self.routes[key] = declaration

    def platform_route(self, method: str, path: str, *, reason: str) -> None:
        """Declare a route that is not about one region (the region list, tokens)."""
        if not reason:
            raise ValueError("say why the route is platform-wide")
        self.platform_routes[f"{method.upper()} {path}"] = reason

    def page(self, name: str, kind: Kind, **options: Any) -> None:
        """Declare an HTML page under /<region_slug>/ by its URL name ("core:units")."""
        options.setdefault("role", Role.REGION_ADMIN)
        # Module pages sit in their module's namespace, nested in core's ("core:sample:index").
        namespace = name.rsplit(":", 1)[0].rsplit(":", 1)[-1] if ":" in name else ""
        module = namespace if module_registry.get(namespace) else None
        declaration = Declaration(name, kind, module=module, **options)
        declaration.validate()
        self.pages[name] = declaration

    def model(self, model: type[Model], plant: Planter) -> None:
        """Declare a tenant-owned model and how to plant one of its rows in a region."""
        self.models[model._meta.label_lower] = plant

    def platform_model(self, model: type[Model], *, reason: str) -> None:
        """Exempt a model that refers to a region but is platform data, with the reason."""
        if not reason:
            raise ValueError("say why the model is not tenant-owned")
        self.platform_models[model._meta.label_lower] = reason

    def planters(self) -> dict[str, Planter]:
        return dict(sorted(self.models.items()))

    def discover(self) -> None:
        """Import `<app>.tests.test_isolation` of every Lumbung app, which declares its parts."""
        for config in apps.get_app_configs():
            if config.name.startswith("lumbung."):
                _import_if_present(f"{config.name}.tests.test_isolation")

    # Completeness: anything a module forgot to declare.

    def undeclared_routes(self, routes: Iterable[tuple[str, str]]) -> list[str]:
        known = set(self.routes) | set(self.platform_routes)
        keys = (f"{method.upper()} {path}" for method, path in routes)
        return sorted(k for k in keys if k not in known)

    def undeclared_pages(self, pages: Iterable[str]) -> list[str]:
        return sorted(name for name in pages if name not in self.pages)

    def stale(self, routes: Iterable[tuple[str, str]], pages: Iterable[str]) -> list[str]:
        """Declarations naming a route or page that does not exist (renamed, or a typo)."""
        live = {f"{m.upper()} {p}" for m, p in routes} | set(pages)
        declared = set(self.routes) | set(self.platform_routes) | set(self.pages)
        return sorted(declared - live)

    def model_problems(self, candidates: Iterable[type[Model]]) -> list[str]:
        """Models that hold a region's data without the scoped manager or a declaration."""
        problems: list[str] = []
        for model in candidates:
            label = model._meta.label_lower
            if label in self.platform_models:
                continue
            problems.extend(f"{label}: {p}" for p in self._problems_of(model, label))
        return problems

    def _problems_of(self, model: type[Model], label: str) -> Iterator[str]:
        scoped = is_scoped(model)
        refers = [f.name for f in model._meta.get_fields() if _points_at_tenant(f, model)]
        if refers and not scoped:
            yield (
                f"refers to a region or a tenant-owned model ({', '.join(refers)}) but its "
                "default manager is not RegionScopedManager (inherit RegionScoped), or "
                "declare it with isolation.platform_model(..., reason=...)"
            )
        if scoped and label not in self.models:
            yield "is region-scoped but has no isolation.model(...) declaration"


isolation = IsolationRegistry()


def is_scoped(model: type[Model]) -> bool:
    return isinstance(model._default_manager, RegionScopedManager)


def _points_at_tenant(field: Any, model: type[Model]) -> bool:
    """A foreign key, one-to-one or many-to-many declared on `model` that reaches a region
    or a region-scoped model (reverse relations are the other model's business)."""
    forward = field.is_relation and not field.auto_created
    return bool(forward and field.related_model is not model and _is_tenant(field.related_model))


def _is_tenant(target: Any) -> bool:
    return isinstance(target, type) and (target is Region or is_scoped(target))


def lumbung_models() -> list[type[Model]]:
    """Every concrete model of a Lumbung app (core, modules, the test-only sample)."""
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("lumbung.") and not m._meta.proxy and m is not Region
    ]


def schema_routes() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the OpenAPI schema."""
    from lumbung.api.api import api_routes

    return [(r["method"], r["path"]) for r in api_routes()]


def region_routes(routes: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(m, p) for m, p in routes if p.startswith(REGION_API_PREFIX)]


def region_pages() -> dict[str, str]:
    """{URL name: route} of every HTML page that takes a region slug (the API excluded)."""
    found: dict[str, str] = {}

    def walk(patterns: Iterable[Any], prefix: str, namespace: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if not route.startswith("api/"):
                    inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
                    walk(entry.url_patterns, route, inner)
            elif isinstance(entry, URLPattern) and _PAGE_REGION.search(route):
                name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
                found[name if entry.name else f"<unnamed {route}>"] = route

    walk(get_resolver().url_patterns, "", "")
    return found


def _api_module(path: str) -> str | None:
    rest = path.removeprefix(REGION_API_PREFIX).strip("/")
    if not rest:
        return None
    config = module_registry.by_prefix(rest.split("/", 1)[0])
    return config.module_key if config else None


def _import_if_present(dotted: str) -> None:
    try:
        importlib.import_module(dotted)
    except ModuleNotFoundError as error:
        # Only "this app has no such file" is fine; a broken import inside it is not.
        if not (error.name and dotted.startswith(error.name)):
            raise
