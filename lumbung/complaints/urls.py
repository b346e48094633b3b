"""The module's pages under /<region>/complaints/: public ones, then the staff's."""

from django.urls import URLPattern

from .views.backoffice import urlpatterns as staff_pages
from .views.public import urlpatterns as public_pages

app_name = "complaints"

urlpatterns: list[URLPattern] = [*public_pages, *staff_pages]
