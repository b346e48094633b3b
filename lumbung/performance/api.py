"""The module's API at /api/v1/regions/{region_slug}/performance/: each area's routes in its
own package, gathered on this router."""

from ninja import Router

from lumbung.api.auth import AUTH

from .allowance.api import router as allowance_router
from .dashboards.api import router as dashboards_router
from .registry.api import router as registry_router
from .review.api import router as review_router
from .skp.api import router as skp_router
from .worklog.api import router as worklog_router

router = Router(tags=["performance"], auth=AUTH)
router.add_router("", registry_router)
router.add_router("", worklog_router)
router.add_router("", review_router)
router.add_router("", allowance_router)
router.add_router("", dashboards_router)
router.add_router("", skp_router)
