"""The module's pages under /<region>/grants/: public ones first, then the organisations'
own pages, the staff's and the oversight pages."""

from django.urls import URLPattern

from .bansos.urls import urlpatterns as bansos_pages
from .oversight.urls import urlpatterns as oversight_pages
from .views.backoffice import urlpatterns as staff_pages
from .views.citizen import urlpatterns as citizen_pages
from .views.documents import urlpatterns as document_pages
from .views.public import urlpatterns as public_pages

app_name = "grants"

urlpatterns: list[URLPattern] = [
    *public_pages,
    *citizen_pages,
    *document_pages,
    *staff_pages,
    *oversight_pages,
    *bansos_pages,
]
