"""Page-number pagination whose page number is bounded, so that no offset can overflow a
database integer (ninja's own `page` has no upper limit: ?page=10**30 was a 500)."""

from __future__ import annotations

from ninja import Schema
from ninja.pagination import PageNumberPagination
from pydantic import Field

MAX_PAGE = 100_000


class Page(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)
