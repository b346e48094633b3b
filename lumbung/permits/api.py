"""The module's API at /api/v1/regions/{region_slug}/permits/: each area's routes in its
own api_*.py file, gathered on this router (a path's methods must share one router)."""

from ninja import Router

from lumbung.api.auth import AUTH

from .api_applicant import router as applicant_router
from .api_catalogue import router as catalogue_router
from .api_public import router as public_router
from .api_staff import router as staff_router

router = Router(tags=["permits"], auth=AUTH)
# Public: the catalogue, the KBLI search, "what do I need", verification, figures.
router.add_router("", catalogue_router)
router.add_router("", public_router)
# The applicant's applications and permits (and the staff's queue on the same path).
router.add_router("", applicant_router)
# The staff's stage steps and the issued permits' status.
router.add_router("", staff_router)
