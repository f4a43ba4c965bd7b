"""Discord's official OpenAPI spec as a request validator for the fake Discord server.

Why this exists: a fake server that accepts whatever the bot sends would let a malformed
payload pass every test and then fail against real Discord.  Every REST body the bot sends
through the fake is therefore checked against the request schema of the matching operation
in Discord's published spec (public repository ``discord/discord-api-spec``, file
``specs/openapi.json``).  The spec is read from ``$DISCORD_OPENAPI_SPEC`` or, by default,
``<repo>/../shared/discord-openapi/openapi.json``; it is never copied into the project.

The spec is OpenAPI 3.1, so its schemas are JSON Schema 2020-12 and are validated with
``jsonschema.Draft202012Validator``.  ``$ref``s are resolved through a ``referencing``
registry holding the whole document; compiled validators are cached per operation and
content type so the 1.2 MB document is parsed once per process.

Why two validators: the pure-Python one takes ~3 ms on an interaction answer with an embed
and buttons (it walks every branch of Discord's large unions), which made the local Discord,
not the bot, the slowest part of every end-to-end test and benchmark.  When ``jsonschema_rs``
(a compiled JSON Schema 2020-12 implementation) is installed it decides first, ~100x faster;
a body either implementation rejects is reported, with the Python one's readable message.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError, best_match  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

try:
    import jsonschema_rs
except ImportError:  # pragma: no cover - the test extra installs it; the Python validator still works
    jsonschema_rs = None

__all__ = [
    "SPEC_ENV_VAR",
    "SPEC_SOURCE_HINT",
    "Operation",
    "OpenAPISpec",
    "PathMatcher",
    "default_spec_path",
    "load_spec",
    "spec_unavailable_reason",
]

SPEC_ENV_VAR = "DISCORD_OPENAPI_SPEC"
SPEC_SOURCE_HINT = (
    "get it from the public discord/discord-api-spec repository (file specs/openapi.json) "
    f"and point ${SPEC_ENV_VAR} at it, or place it at <repo>/../shared/discord-openapi/openapi.json"
)
_SPEC_URI = "urn:discord-openapi"
_METHODS = ("get", "put", "post", "patch", "delete", "head", "options")

# Discord accepts snowflakes as JSON integers as well as strings, and discord.py relies on
# that everywhere (``recipient_id``, attachment ``id`` indexes, ``applied_tags`` ...).
# The spec only describes the string form, so validating discord.py against it verbatim
# would flag every call.  This is the single, deliberate loosening of the spec.
_SNOWFLAKE_INTEGER_FORM: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": 2**64 - 1}


def default_spec_path() -> Path:
    """Where the spec is expected: ``$DISCORD_OPENAPI_SPEC`` or ``<repo>/../shared/...``.

    ``<repo>`` is the project root, two directories above ``tests/fakediscord``.
    """
    env = os.environ.get(SPEC_ENV_VAR)
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    return repo.parent / "shared" / "discord-openapi" / "openapi.json"


def spec_unavailable_reason(path: Path | None = None) -> str | None:
    """A human-readable reason why schema validation is off, or None when the spec is there."""
    path = path or default_spec_path()
    if path.is_file():
        return None
    return f"Discord OpenAPI spec not found at {path}: REST schema validation is skipped; {SPEC_SOURCE_HINT}"


@functools.cache
def _load_spec_cached(path: str) -> OpenAPISpec:
    with open(path, encoding="utf-8") as fh:
        return OpenAPISpec(json.load(fh), source=Path(path))


def load_spec(path: Path | None = None) -> OpenAPISpec | None:
    """Load (once per process) and return the spec, or None when the file is absent.

    Callers report :func:`spec_unavailable_reason` when this returns None; a missing spec
    must be visible, never silently treated as "everything valid".
    """
    path = path or default_spec_path()
    if not path.is_file():
        return None
    return _load_spec_cached(str(path.resolve()))


# --------------------------------------------------------------------------- path matching


@dataclass(frozen=True)
class _Template:
    template: str
    segments: tuple[str | None, ...]  # None marks a ``{param}`` segment
    names: tuple[str, ...]
    literal_count: int


class PathMatcher:
    """Match a concrete request path to one of a set of OpenAPI path templates.

    Literal segments win over parameters (``/users/@me`` beats ``/users/{user_id}``,
    ``.../messages/@original`` beats ``.../messages/{message_id}``), which is how Discord
    routes them.  Used both for spec operations and for the fake server's own handlers so
    the two always agree on what a path means.
    """

    _PARAM = re.compile(r"^\{([^}]+)\}$")

    def __init__(self, templates: Iterable[str]) -> None:
        self._by_length: dict[int, list[_Template]] = {}
        for template in templates:
            parts = template.strip("/").split("/")
            segments: list[str | None] = []
            names: list[str] = []
            for part in parts:
                m = self._PARAM.match(part)
                if m:
                    segments.append(None)
                    names.append(m.group(1))
                else:
                    segments.append(part)
            tpl = _Template(template, tuple(segments), tuple(names), sum(s is not None for s in segments))
            self._by_length.setdefault(len(segments), []).append(tpl)

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        """Return ``(template, path parameters)`` for the best match, or None."""
        parts = path.strip("/").split("/")
        best: _Template | None = None
        best_values: list[str] = []
        for tpl in self._by_length.get(len(parts), ()):
            values: list[str] = []
            for seg, part in zip(tpl.segments, parts, strict=True):
                if seg is None:
                    if not part:
                        break
                    values.append(part)
                elif seg != part:
                    break
            else:
                if best is None or tpl.literal_count > best.literal_count:
                    best, best_values = tpl, values
        if best is None:
            return None
        return best.template, dict(zip(best.names, best_values, strict=True))


# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class Operation:
    """One spec operation: enough to validate a request body sent to it."""

    method: str
    template: str
    operation_id: str
    body_required: bool
    request_content_types: tuple[str, ...]
    response_statuses: tuple[str, ...] = field(default=())


def _escape_pointer(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _absolutise_refs(node: Any) -> Any:
    """Copy a schema fragment, rewriting local ``#/...`` refs to point into the registry.

    A fragment lifted out of the document loses its base URI; prefixing every local ref
    with the document's URI keeps ``$ref`` resolution working through the registry.
    """
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#"):
                out[key] = _SPEC_URI + value
            else:
                out[key] = _absolutise_refs(value)
        return out
    if isinstance(node, list):
        return [_absolutise_refs(v) for v in node]
    return node


class OpenAPISpec:
    """Discord's OpenAPI document with operation lookup and cached body validators."""

    def __init__(self, document: Mapping[str, Any], *, source: Path | None = None) -> None:
        self.source = source
        doc = copy.deepcopy(dict(document))
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        if "SnowflakeType" in schemas:
            schemas["SnowflakeType"] = {"anyOf": [schemas["SnowflakeType"], _SNOWFLAKE_INTEGER_FORM]}
        self.document: dict[str, Any] = doc
        self.base_path = "/api/v10"
        self._registry: Registry[Any] = Registry().with_resource(
            _SPEC_URI, Resource.from_contents(doc, default_specification=DRAFT202012)
        )
        self._matcher = PathMatcher(doc.get("paths", {}).keys())
        self._validators: dict[tuple[str, str, str], Draft202012Validator] = {}
        self._fast_registry: Any = jsonschema_rs.Registry([(_SPEC_URI, doc)]) if jsonschema_rs is not None else None
        self._fast_validators: dict[tuple[str, str, str], Any] = {}
        self._schemas: dict[tuple[str, str, str], Any] = {}

    # -- lookup -------------------------------------------------------------------------
    def match(self, method: str, path: str) -> Operation | None:
        """The operation for ``method`` on a concrete path relative to ``/api/v10``."""
        found = self._matcher.match(path)
        if found is None:
            return None
        template, _params = found
        return self.operation(method, template)

    def operation(self, method: str, template: str) -> Operation | None:
        """The operation for ``method`` on an exact spec path template."""
        item = self.document.get("paths", {}).get(template)
        if not item:
            return None
        op = item.get(method.lower())
        if not isinstance(op, dict):
            return None
        body = op.get("requestBody") or {}
        return Operation(
            method=method.upper(),
            template=template,
            operation_id=op.get("operationId", f"{method.lower()} {template}"),
            body_required=bool(body.get("required", False)),
            request_content_types=tuple((body.get("content") or {}).keys()),
            response_statuses=tuple((op.get("responses") or {}).keys()),
        )

    def has_path(self, path: str) -> bool:
        return self._matcher.match(path) is not None

    # -- validation ---------------------------------------------------------------------
    def _schema(self, op: Operation, kind: str, key: str) -> Any:
        """The request or response schema of an operation, local refs made absolute (or None)."""
        cache_key = (op.operation_id, kind, key)
        if cache_key not in self._schemas:
            self._schemas[cache_key] = self._lift_schema(op, kind, key)
        return self._schemas[cache_key]

    def _lift_schema(self, op: Operation, kind: str, key: str) -> Any:
        raw = self.document["paths"][op.template][op.method.lower()]
        schema: Any = None
        if kind == "request":
            schema = ((raw.get("requestBody") or {}).get("content") or {}).get(key, {}).get("schema")
        else:
            response = (raw.get("responses") or {}).get(key)
            if isinstance(response, dict) and "$ref" in response:
                response = self._registry.resolver().lookup(_SPEC_URI + response["$ref"]).contents
            if isinstance(response, dict):
                schema = ((response.get("content") or {}).get("application/json") or {}).get("schema")
        return None if schema is None else _absolutise_refs(schema)

    def _validator(self, op: Operation, kind: str, key: str) -> Draft202012Validator | None:
        """Compile (once) the validator for a request content type or a response status."""
        cache_key = (op.operation_id, kind, key)
        if cache_key not in self._validators:
            schema = self._schema(op, kind, key)
            validator = None if schema is None else Draft202012Validator(schema, registry=self._registry)
            self._validators[cache_key] = validator  # type: ignore[assignment]
        return self._validators[cache_key]

    def _fast_validator(self, op: Operation, kind: str, key: str) -> Any:
        """The compiled ``jsonschema_rs`` validator for the same schema, or None when unavailable."""
        if self._fast_registry is None:
            return None
        cache_key = (op.operation_id, kind, key)
        if cache_key not in self._fast_validators:
            schema = self._schema(op, kind, key)
            self._fast_validators[cache_key] = (
                None
                if schema is None
                else jsonschema_rs.Draft202012Validator(schema, registry=self._fast_registry, validate_formats=False)
            )
        return self._fast_validators[cache_key]

    def _errors(self, op: Operation, kind: str, key: str, body: Any) -> list[str]:
        """Schema errors for ``body``: the fast validator decides, the Python one explains."""
        fast = self._fast_validator(op, kind, key)
        if fast is not None and fast.is_valid(body):
            return []
        validator = self._validator(op, kind, key)
        errors = [] if validator is None else _describe_errors(validator.iter_errors(body))
        if not errors and fast is not None:  # the two disagree: strict wins, with the fast one's words
            errors = [f"$.{'.'.join(map(str, e.instance_path))}: {e.message}" for e in fast.iter_errors(body)][:10]
        return errors

    def validate_request(self, op: Operation, body: Any, *, content_type: str = "application/json") -> list[str]:
        """Return schema errors for a JSON request body (empty list when valid).

        For multipart requests pass the parsed ``payload_json`` part with
        ``content_type="application/json"``: the multipart schema is the JSON schema plus
        ``files[n]`` binary parts, which the server checks separately.
        """
        if self._schema(op, "request", content_type) is None:
            if content_type not in op.request_content_types:
                return [f"{op.operation_id} does not accept a {content_type} body"]
            return []
        return self._errors(op, "request", content_type, body)

    def validate_response(self, op: Operation, status: int, body: Any) -> list[str]:
        """Return schema errors for a JSON response body; used to keep the fake honest."""
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in op.response_statuses:
                return self._errors(op, "response", key, body)
        return [f"{op.operation_id} documents no {status} response"]


def _describe_errors(errors: Iterable[ValidationError]) -> list[str]:
    """Condense jsonschema errors to one readable line each (most relevant first)."""
    errs = list(errors)
    if not errs:
        return []
    best = best_match(errs)
    ordered = ([best] if best is not None else []) + [e for e in errs if e is not best]
    out: list[str] = []
    for err in ordered:
        line = _format_error(_explain(err))
        if line not in out:
            out.append(line)
    return out[:10]


def _explain(err: ValidationError) -> ValidationError:
    """Descend into an anyOf/oneOf failure to the branch the payload was meant for.

    Discord's unions are discriminated by a ``type`` enum; the branch whose discriminator
    matched (no enum/const error on a ``type`` key) and whose errors go deepest is the one
    the sender intended, so its error is the useful one to show.
    """
    while err.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in err.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)

        def score(item: tuple[Any, list[ValidationError]]) -> tuple[int, int]:
            subs = item[1]
            discriminator_miss = any(s.validator in ("enum", "const") and s.path and s.path[-1] == "type" for s in subs)
            return (0 if discriminator_miss else 1, max(len(s.path) for s in subs))

        _key, subs = max(branches.items(), key=score)
        chosen = best_match(subs)
        if chosen is None:
            break
        err = chosen
    return err


def _format_error(err: ValidationError) -> str:
    msg = err.message
    if len(msg) > 300:
        msg = msg[:300] + "..."
    return f"{err.json_path}: {msg}"
