"""API routes of this area, gathered by lumbung/performance/api.py."""

from ninja import Router

router = Router()
