from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from .modules import registry
from .views import audit, backoffice, inbox, platform

app_name = "core"

urlpatterns: list[URLPattern | URLResolver] = [
    path("after-login/", backoffice.after_login, name="after-login"),
    path("platform/regions/", platform.regions, name="platform-regions"),
    path("<slug:region_slug>/notifications/", inbox.notifications, name="notifications"),
    path("<slug:region_slug>/staff/", backoffice.dashboard, name="dashboard"),
    path("<slug:region_slug>/staff/units/", backoffice.units, name="units"),
    path("<slug:region_slug>/staff/units/import/", backoffice.units_import, name="units-import"),
    path("<slug:region_slug>/staff/members/", backoffice.members, name="members"),
    path("<slug:region_slug>/staff/modules/", backoffice.modules, name="modules"),
    path("<slug:region_slug>/staff/calendar/", backoffice.calendar, name="calendar"),
    path("<slug:region_slug>/staff/sla/", backoffice.sla, name="sla"),
    path("<slug:region_slug>/staff/profile/", backoffice.profile, name="profile"),
    path("<slug:region_slug>/staff/audit/", audit.audit, name="audit"),
    path("<slug:region_slug>/staff/audit.csv", audit.audit_csv, name="audit-csv"),
]

# Every module's pages, under /<region>/<module-prefix>/; RegionMiddleware 404s the ones a
# region has switched off.
for _config in registry.modules.values():
    if _config.urls:
        urlpatterns.append(
            path(
                f"<slug:region_slug>/{_config.url_prefix}/",
                include((_config.urls, _config.module_key), namespace=_config.module_key),
            )
        )
