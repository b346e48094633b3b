"""Pages of this area, gathered by lumbung/performance/urls.py under /<region>/performance/."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval, name="approval"),
    path("approvals/unreviewed-at-top/", views.stuck, name="approvals_stuck"),
]
