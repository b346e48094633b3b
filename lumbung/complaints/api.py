"""The module's API at /api/v1/regions/{region_slug}/complaints/."""

from ninja import Router

router = Router(tags=["complaints"])
