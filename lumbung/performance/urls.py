"""The module's pages under /<region>/performance/: the landing page, then each area's."""

from django.urls import URLPattern, path

from . import views
from .allowance.urls import urlpatterns as allowance_pages
from .dashboards.urls import urlpatterns as dashboard_pages
from .registry.urls import urlpatterns as registry_pages
from .review.urls import urlpatterns as review_pages
from .skp.urls import urlpatterns as skp_pages
from .worklog.urls import urlpatterns as worklog_pages

app_name = "performance"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    *worklog_pages,
    *review_pages,
    *allowance_pages,
    *registry_pages,
    *dashboard_pages,
    *skp_pages,
]
