from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from lumbung.api.auth import AUTH
from lumbung.api.pagination import Page
from lumbung.core.errors import NotFound

from .models import SampleCase

router = Router(tags=["sample"])


class CaseOut(Schema):
    id: int
    title: str
    state: str


@router.get("/cases", response=list[CaseOut], auth=AUTH)
@paginate(Page, page_size=20)
def case_list(request: HttpRequest, region_slug: str):
    return SampleCase.objects.filter(region=request.region).order_by("id")


@router.get("/cases/{case_id}", response=CaseOut, auth=AUTH)
def case_detail(request: HttpRequest, region_slug: str, case_id: int):
    case = SampleCase.objects.filter(region=request.region, pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


@router.get("/count", response=dict[str, int])
def case_count(request: HttpRequest, region_slug: str):
    return {"count": SampleCase.objects.filter(region=request.region).count()}
