"""The module registry. A module is a Django app whose AppConfig subclasses ModuleConfig:
it declares its key, names, URLs, API router, roles, workflows and public datasets in one
place, and core mounts it under every region that has it switched on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.apps import AppConfig
from django.utils.functional import Promise
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from ninja import Router

    from .models import Region
    from .workflow import Workflow


@dataclass(frozen=True)
class PublicDataset:
    """A read-only, personal-data-free dataset the portal may show and export."""

    key: str
    title: str | Promise
    rows: Callable[[Region], Iterable[dict[str, Any]]]


@dataclass(frozen=True)
class SettingField:
    """One per-region setting a module accepts, with its type and default."""

    key: str
    label: str | Promise
    kind: type
    default: Any
    help_text: str | Promise = ""


@dataclass
class _Registry:
    modules: dict[str, ModuleConfig] = field(default_factory=dict)

    def register(self, config: ModuleConfig) -> None:
        self.modules[config.module_key] = config

    def get(self, key: str) -> ModuleConfig | None:
        return self.modules.get(key)

    def by_prefix(self, prefix: str) -> ModuleConfig | None:
        for config in self.modules.values():
            if config.url_prefix == prefix:
                return config
        return None

    def switchable(self) -> list[ModuleConfig]:
        return sorted((m for m in self.modules.values() if not m.always_on), key=lambda m: m.order)

    def module_keys(self) -> list[str]:
        return [m.module_key for m in self.switchable()]


registry = _Registry()


class ModuleConfig(AppConfig):
    """Base AppConfig of every Lumbung module."""

    module_key: ClassVar[str]
    # Short names in both languages: shown in the module switcher and region home.
    title: ClassVar[str | Promise]
    description: ClassVar[str | Promise] = ""
    url_prefix: ClassVar[str] = ""
    urls: ClassVar[str | None] = None  # dotted path of the HTML urls module
    api_router: ClassVar[str | None] = None  # dotted path of a ninja Router
    workflows: ClassVar[tuple[str, ...]] = ()  # dotted paths of Workflow objects
    settings_fields: ClassVar[tuple[SettingField, ...]] = ()
    public_datasets: ClassVar[tuple[PublicDataset, ...]] = ()
    periodic_tasks: ClassVar[tuple[str, ...]] = ()  # dotted paths of django-tasks tasks
    # Dotted path of `fn(region) -> None` that `lumbung demo` calls for each demo region with
    # the module on, once its units, staff and citizens exist. It must be idempotent.
    demo: ClassVar[str | None] = None
    # The staff's way in (a URL name taking region_slug) and who sees the link to it.
    staff_url: ClassVar[str | None] = None
    staff_perm: ClassVar[str] = ""
    always_on: ClassVar[bool] = False
    order: ClassVar[int] = 100
    # Django picks the one AppConfig in apps.py marked default; the base class is imported
    # there too, so it opts out and every subclass opts back in.
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def ready(self) -> None:
        if not type(self).url_prefix:
            type(self).url_prefix = self.module_key
        registry.register(self)
        from .workflow import workflows

        for path in self.workflows:
            workflows.register(import_string(path))

    def get_api_router(self) -> Router | None:
        return import_string(self.api_router) if self.api_router else None

    def default_settings(self) -> dict[str, Any]:
        return {f.key: f.default for f in self.settings_fields}

    def workflow_objects(self) -> list[Workflow]:
        return [import_string(p) for p in self.workflows]
