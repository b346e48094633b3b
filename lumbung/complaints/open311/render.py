"""Open311 answers in the two formats the specification names: JSON, and XML in its own
shape (a collection element holding one element per item). Only plain values reach here:
strings, numbers, booleans, None, lists and dicts of them."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

FORMATS = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# In XML a list is an element whose children are each named for one item.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all, even escaped; a report's text may hold them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


class Open311Error(Exception):
    """Answer with the specification's error list: every description under one status."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = descriptions


def render(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    """`payload` as JSON, or as XML under the element `root`."""
    if fmt == "xml":
        body = _DECLARATION + tostring(_element(None, root, payload), encoding="utf-8")
    else:
        body = json.dumps(payload, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))


def render_error(fmt: str, error: Open311Error) -> HttpResponse:
    errors = [{"code": error.status, "description": d} for d in error.descriptions]
    return render(fmt, "errors", errors, status=error.status)


def _element(parent: Element | None, tag: str, value: Any) -> Element:
    node = Element(tag) if parent is None else SubElement(parent, tag)
    if isinstance(value, dict):
        for key, item in value.items():
            _element(node, key, item)
    elif isinstance(value, list):
        for item in value:
            _element(node, ITEM.get(tag, "item"), item)
    elif value is not None:
        node.text = _text(value)
    return node


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))
