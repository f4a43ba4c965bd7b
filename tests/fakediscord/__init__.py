"""A local Discord (gateway + REST) for running the real discord.py in tests.

See :mod:`tests.fakediscord.server` for the server, :mod:`tests.fakediscord.client` for
pointing discord.py at it and running a bot, and :mod:`tests.fakediscord.fixtures` for the
pytest plugin (``pytest_plugins = ["tests.fakediscord.fixtures"]``).
"""

from .client import FAST_READY_TIMEOUT, discord_py_pointed_at, point_discord_py_at, running_bot
from .openapi import OpenAPISpec, default_spec_path, load_spec, spec_unavailable_reason
from .server import (
    EPHEMERAL,
    LOADING,
    FakeAttachment,
    FakeDiscord,
    FakeUser,
    Fault,
    GatewayError,
    InteractionHandle,
    InteractionResponse,
    RestCall,
    SchemaViolation,
    UploadedFile,
    snowflake_time,
)

__all__ = [
    "EPHEMERAL",
    "LOADING",
    "FakeAttachment",
    "FakeDiscord",
    "FakeUser",
    "Fault",
    "GatewayError",
    "InteractionHandle",
    "InteractionResponse",
    "OpenAPISpec",
    "RestCall",
    "SchemaViolation",
    "UploadedFile",
    "default_spec_path",
    "discord_py_pointed_at",
    "load_spec",
    "point_discord_py_at",
    "running_bot",
    "FAST_READY_TIMEOUT",
    "snowflake_time",
    "spec_unavailable_reason",
]
