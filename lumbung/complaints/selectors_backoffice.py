"""Reads only the staff pages need: one of the region's categories, templates or Open311
clients by id, and the list of clients. Another region's id is not found."""

from __future__ import annotations

from django.db.models import F, QuerySet

from lumbung.core.errors import NotFound
from lumbung.core.models import Region

from .models import AnswerTemplate, Category, Open311Client


def category_get(region: Region, pk: int) -> Category:
    found = Category.objects.filter(region=region, pk=pk).select_related("default_unit").first()
    if found is None:
        raise NotFound()
    return found


def template_get(region: Region, pk: int) -> AnswerTemplate:
    found = AnswerTemplate.objects.filter(region=region, pk=pk).select_related("category").first()
    if found is None:
        raise NotFound()
    return found


def client_list(region: Region) -> QuerySet[Open311Client]:
    """Every Open311 client of the region, revoked ones last."""
    return Open311Client.objects.filter(region=region).order_by(
        F("revoked_at").asc(nulls_first=True), "name", "id"
    )


def client_get(region: Region, pk: int) -> Open311Client:
    found = Open311Client.objects.filter(region=region, pk=pk).first()
    if found is None:
        raise NotFound()
    return found
