"""The module's pages under /<region>/permits/: public ones first, then the applicants'
own pages and files, then the staff's."""

from django.urls import URLPattern

from .views.applicant import urlpatterns as applicant_pages
from .views.backoffice import urlpatterns as staff_pages
from .views.documents import urlpatterns as document_pages
from .views.public import urlpatterns as public_pages

app_name = "permits"

urlpatterns: list[URLPattern] = [
    *public_pages,
    *applicant_pages,
    *document_pages,
    *staff_pages,
]
