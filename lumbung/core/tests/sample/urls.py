from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from .models import SampleCase

app_name = "sample"


def index(request: HttpRequest, region_slug: str) -> HttpResponse:
    titles = SampleCase.objects.filter(region=request.region).values_list("title", flat=True)
    return HttpResponse("\n".join(titles) or "empty")


def detail(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    case = SampleCase.objects.filter(region=request.region, pk=pk).first()
    if case is None:
        raise Http404
    return HttpResponse(case.title)


urlpatterns = [path("", index, name="index"), path("<int:pk>/", detail, name="detail")]
