"""The server's OpenAPI document as the one source of the wire shapes the pages depend on.

``ui/schema.py`` (the pages' TypedDicts) and ``tests/ui/fake_api.py`` (the fake service the page tests run
against) are written by hand, so they could drift from the API. This module reads ``app.openapi()`` of the
real app and checks both: every TypedDict field exists in its component with a compatible JSON type, every
field the server always sends is declared, and every JSON answer of the fake validates against the schema
of the real route, status and all.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import httpx
from jsonschema import Draft202012Validator

from assistant.api.app import create_app
from assistant.bootstrap import Stackwise
from assistant.settings import Settings

#: the pages' TypedDict → the API's component schema it mirrors
COMPONENTS: Mapping[str, str] = {
    "User": "UserOut",
    "KeyedUser": "Issued",
    "Advisee": "AdviseeOut",
    "Evidence": "EvidenceOut",
    "ProfileSkill": "SkillOut",
    "ProfileTechnology": "TechnologyOut",
    "ResumeInfo": "ResumeOut",
    "Profile": "ProfileOut",
    "SkillRef": "SkillRef",
    "Target": "TargetView",
    "SkillRow": "SkillRow",
    "CredentialCard": "CredentialCard",
    "RouteStep": "RouteStepView",
    "StackProgress": "StackView",
    "Route": "RouteView",
    "LeftOut": "LeftOut",
    "AdviceView": "AdviceView",
    "ComparisonRow": "ComparisonRow",
    "Reply": "Reply",
    "ChatSession": "SessionOut",
    "Message": "MessageOut",
    "SessionDetail": "SessionDetail",
    "Brief": "BriefOut",
    "Suggestion": "Suggestion",
    "Erasure": "DeletionOut",
    "SkillHit": "SkillHit",
}

_JSON_TYPES: Mapping[Any, set[str]] = {
    str: {"string"},
    int: {"integer"},
    float: {"number", "integer"},
    bool: {"boolean"},
    type(None): {"null"},
}


@cache
def openapi() -> dict[str, Any]:
    """The real app's OpenAPI document (no data is loaded to write it)."""
    spec: dict[str, Any] = create_app(Stackwise(Settings(database_url="sqlite:///:memory:"))).openapi()
    return spec


def component(name: str) -> dict[str, Any]:
    schemas = openapi()["components"]["schemas"]
    if name not in schemas:  # FastAPI names a model by its module when two share a name
        matches = [key for key in schemas if key.endswith(f"__{name}") or key == name]
        if len(matches) != 1:
            raise KeyError(f"no single component schema {name!r} (found {matches})")
        name = matches[0]
    found: dict[str, Any] = schemas[name]
    return found


def _resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return component(ref.rsplit("/", 1)[-1])
    return schema


def json_types(schema: Mapping[str, Any]) -> set[str]:
    """The JSON types a property schema admits (objects and arrays by name only)."""
    schema = _resolve(schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return set().union(*(json_types(part) for part in schema[key]))
    kind = schema.get("type")
    if kind is None:
        return {"object"} if "properties" in schema else {"any"}
    return set(kind) if isinstance(kind, list) else {kind}


def python_types(annotation: Any) -> set[str]:
    """The JSON types a TypedDict annotation admits."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return set().union(*(python_types(arg) for arg in get_args(annotation)))
    if origin is Literal:
        return set().union(*(python_types(type(arg)) for arg in get_args(annotation)))
    if origin in (list, tuple):
        return {"array"}
    if origin is dict or annotation is dict or typing.is_typeddict(annotation):
        return {"object"}
    if annotation is Any:
        return {"any"}
    return set(_JSON_TYPES.get(annotation, {"unknown"}))


def typed_dict_drift(typed: type, schema_name: str) -> list[str]:
    """How a TypedDict differs from its component: unknown fields, incompatible types, fields it lacks."""
    schema = component(schema_name)
    properties: dict[str, Any] = schema.get("properties", {})
    hints = get_type_hints(typed)
    problems = [f"{typed.__name__}.{name}: the API has no such field" for name in hints if name not in properties]
    for name, annotation in hints.items():
        if name not in properties:
            continue
        server, page = json_types(properties[name]), python_types(annotation)
        if "any" in server or "any" in page:
            continue
        if not server <= page and not (server - {"null"}) <= page:
            problems.append(f"{typed.__name__}.{name}: the page reads {sorted(page)}, the API sends {sorted(server)}")
    missing = [name for name in schema.get("required", []) if name not in hints]
    problems += [f"{typed.__name__}: the API always sends {name!r}, the page type lacks it" for name in missing]
    return problems


# --- answers of the fake service ---------------------------------------------------------------------------


@cache
def _routes() -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
    out = []
    for path, operations in openapi()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for method, operation in operations.items():
            out.append((pattern, method.upper(), operation))
    return out


def answer_problems(request: httpx.Request, response: httpx.Response) -> list[str]:
    """Whether the fake's answer is one the real route could give: a documented status, a valid JSON body."""
    method, path = request.method, request.url.path
    operation = next((op for pattern, m, op in _routes() if m == method and pattern.match(path)), None)
    if operation is None:
        return [f"{method} {path}: the API has no such route"]
    status = str(response.status_code)
    answers = operation.get("responses", {})
    if status not in answers:
        return [f"{method} {path}: the API does not answer {status} (it answers {', '.join(sorted(answers))})"]
    content = answers[status].get("content", {})
    kind = response.headers.get("content-type", "application/json").split(";")[0]
    if kind != "application/json" or "application/json" not in content:
        return []
    schema = content["application/json"].get("schema", {})
    # the route's schema, with the components its references point into
    validator = Draft202012Validator({"$ref": "#/x", "components": openapi()["components"], "x": schema})
    return [f"{method} {path} {status}: {error.message}" for error in validator.iter_errors(response.json())][:5]
