"""Oversight routes of the grants API, added to the module's router."""

from ninja import Router

router = Router()
