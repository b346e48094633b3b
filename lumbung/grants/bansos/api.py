"""The bansos routes of the grants API (/api/v1/regions/{region_slug}/grants/bansos/…),
added to the module's router."""

from ninja import Router

from .api_cycles import router as cycles_router
from .api_public import router as public_router
from .api_registry import router as registry_router

router = Router(tags=["grants"])
router.add_router("", registry_router)
router.add_router("", cycles_router)
router.add_router("", public_router)
