"""Two modules' schemas with the same class name become one component of the OpenAPI
document (ninja names components after the class), so one of them is described wrongly.
Every schema a module defines must have a name of its own."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

from lumbung.api.api import api


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_no_two_schemas_share_a_component_name() -> None:
    components = api.get_openapi_schema()["components"].get("schemas", {})
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        module = cls.__module__
        if module.startswith("lumbung.") and ".tests" not in module:
            by_name[cls.__name__].add(f"{module}.{cls.__qualname__}")
    shared = {name: where for name, where in by_name.items() if len(where) > 1}
    assert not {name: where for name, where in shared.items() if name in components}
