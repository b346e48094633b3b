from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lumbung.core"
    label = "core"
    verbose_name = _("Lumbung core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import permissions, signals  # noqa: F401  (registers rules and receivers)
