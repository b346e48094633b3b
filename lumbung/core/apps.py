from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _apply_rls(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from .rls import apply_policies

    apply_policies(using)


class CoreConfig(AppConfig):
    name = "lumbung.core"
    label = "core"
    verbose_name = _("Lumbung core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import permissions, signals  # noqa: F401  (registers rules and receivers)

        # Once per `migrate`, after every app's tables exist (core is the sender).
        post_migrate.connect(_apply_rls, sender=self, dispatch_uid="lumbung-rls")
