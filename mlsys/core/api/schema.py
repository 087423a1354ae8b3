"""Error responses in the OpenAPI schema: every operation lists the error statuses it can answer,
all in the one shape of :mod:`mlsys.core.api.exceptions`, instead of 60 hand-written lists."""

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error answer has this shape.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Machine-readable: `invalid`, `not_authenticated`, "
                    "`authentication_failed`, `permission_denied`, `not_found`, `conflict`, …",
                },
                "message": {"type": "string", "description": "For people."},
                "fields": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "Per-field messages (400 only; `non_field_errors` for the "
                    "rest).",
                },
                "current": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "409 only: the stored state to merge with.",
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

DESCRIPTIONS = {
    "400": "Invalid input: a malformed body, field or query parameter (see `fields`).",
    "401": "Not authenticated, or the token is unknown, revoked or expired.",
    "403": "Authenticated but not allowed to do this.",
    "404": "No such object, or one you may not see.",
    "409": "Someone changed the object since you read it (`version` is stale; see `current`).",
}

_WRITES = {"post", "put", "patch"}
_METHODS = {"get", "post", "put", "patch", "delete"}


def _body_has_version(operation: dict, components: dict) -> bool:
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        schema = media.get("schema", {})
        ref = schema.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            schema = components.get(ref.rsplit("/", 1)[-1], {})
        if "version" in schema.get("properties", {}):
            return True
    return False


def error_statuses(method: str, operation: dict, components: dict) -> list[str]:
    """The error statuses an operation can answer, from its shape."""
    params = operation.get("parameters", [])
    query = {p["name"] for p in params if p.get("in") == "query"}
    statuses = []
    if method != "get" or query:
        statuses.append("400")  # bad body or filter; a refused deletion (e.g. the last chair)
    if operation.get("security") != [{}]:
        statuses += ["401", "403"]
    if any(p.get("in") == "path" for p in params) or "page" in query:
        statuses.append("404")  # no such object, or a page past the last one
    if method in _WRITES and _body_has_version(operation, components):
        statuses.append("409")
    return statuses


def add_error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: add the documented error answers to each operation
    (keeping any an operation already declares)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = ERROR_SCHEMA
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                # An error an operation declares itself (with its own description, e.g. a
                # 409 asking for a confirmation) has the one error shape too.
                if status in DESCRIPTIONS and "content" not in response:
                    response["content"] = {"application/json": {"schema": ref}}
            for status in error_statuses(method, operation, components):
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return result
