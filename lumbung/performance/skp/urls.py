"""Pages of this area, gathered by lumbung/performance/urls.py under /<region>/performance/."""

from django.urls import URLPattern, path

from . import views, views_results

urlpatterns: list[URLPattern] = [
    path("skp/", views.mine, name="skp"),
    path("skp/team/", views.team, name="skp_team"),
    path("skp/<int:pk>/", views.plan, name="skp_plan"),
    path("skp/<int:pk>/results/new/", views_results.result_new, name="skp_result_new"),
    path("skp/results/<int:pk>/", views_results.result_edit, name="skp_result"),
]
