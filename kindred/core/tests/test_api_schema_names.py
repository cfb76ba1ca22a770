"""The OpenAPI document names each request and response shape once: django-ninja files shapes under their class
name, so two apps' `CheckInOut` would silently become one in the docs (the second overwriting the first)."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_api_shape_has_its_own_name(client) -> None:
    schema = client.get("/api/openapi.json").json()  # imports every app's API
    by_name: dict[str, list[str]] = defaultdict(list)
    for shape in _subclasses(Schema):
        if shape.__module__.startswith("kindred."):
            by_name[shape.__name__].append(shape.__module__)
    shared = {name: modules for name, modules in by_name.items() if len(modules) > 1}
    assert shared == {}
    components = schema["components"]["schemas"]
    assert {"CheckInOut", "GroupCheckInOut", "OneToOneCheckInOut"} <= set(components)


def test_each_app_documents_its_own_check_in(client) -> None:
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "about" in components["CheckInOut"]["properties"]  # supporter care's
    assert "about" not in components["OneToOneCheckInOut"]["properties"]
