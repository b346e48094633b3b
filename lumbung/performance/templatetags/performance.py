"""The module's menu on every one of its pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("performance/_menu.html", takes_context=True)
def performance_menu(context: template.Context) -> dict[str, Any]:
    from ..views import menu

    request = context["request"]
    here = request.resolver_match.url_name if request.resolver_match else ""
    return {"areas": menu(request.user, context["region"], here)}
