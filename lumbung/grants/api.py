"""The module's API at /api/v1/regions/{region_slug}/grants/: the public register here;
each area's routes in its own api_*.py file, gathered on this router."""

from ninja import Router

from lumbung.api.auth import AUTH

from .api_public import router as public_router
from .oversight.api import router as oversight_router

router = Router(tags=["grants"], auth=AUTH)
router.add_router("", public_router)
router.add_router("", oversight_router)
