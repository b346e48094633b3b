"""The module's API at /api/v1/regions/{region_slug}/grants/: the public register here;
each area's routes in its own api_*.py file, gathered on this router."""

from ninja import Router

from lumbung.api.auth import AUTH

from .api_hibah import router as hibah_router
from .api_hibah_admin import router as hibah_admin_router
from .api_hibah_records import router as hibah_records_router
from .api_hibah_staff import router as hibah_staff_router
from .api_public import router as public_router
from .bansos.api import router as bansos_router
from .oversight.api import router as oversight_router

router = Router(tags=["grants"], auth=AUTH)
router.add_router("", public_router)
# Hibah: the organisation's side, the staff's review steps, the region admin's programmes.
router.add_router("", hibah_router)
router.add_router("", hibah_staff_router)
router.add_router("", hibah_admin_router)
router.add_router("", hibah_records_router)
router.add_router("", oversight_router)
router.add_router("", bansos_router)
