"""pytest plugin: the ``fake_discord`` fixture.

Register with ``pytest_plugins = ["tests.fakediscord.fixtures"]`` in the root conftest.

Why a fixture that fails at teardown: a bot that sends a body real Discord would reject,
or calls a route the fake does not know, may still look fine to the test's own asserts.
The fixture makes every such problem fail the test unless the test opted out with
``@pytest.mark.fakediscord(allow_schema_errors=True, allow_unknown_routes=True)`` or by
setting ``fake_discord.allow_schema_errors`` / ``allow_unknown_routes`` /
``allow_gateway_errors`` in the test.

Discord's 3-second interaction deadline is wall time, and a test must not depend on the machine's speed: a
loaded CI box can take longer than 3 s for an answer the bot rightly sends in one step. So the fixture's
fake waits :data:`WAIT_LIMIT` (a hang bound) unless a test asks for the real rule with
``@pytest.mark.fakediscord(interaction_deadline=3.0)`` or sets ``fake_discord.interaction_deadline``; the
deadline behaviour itself is tested with a short deadline and an engine the test holds back (no race).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .client import point_discord_py_at
from .openapi import default_spec_path, spec_unavailable_reason
from .server import WAIT_LIMIT, FakeDiscord

__all__ = ["fake_discord"]

_MISSING_SPEC_REPORTED: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fakediscord(allow_schema_errors=False, allow_unknown_routes=False, allow_gateway_errors=False, "
        "interaction_deadline=WAIT_LIMIT): let a test provoke protocol problems on purpose without failing at "
        "fake_discord teardown, or hold the bot to Discord's real 3 s interaction deadline",
    )


def pytest_report_header(config: pytest.Config) -> str:
    reason = spec_unavailable_reason()
    if reason:
        return f"fakediscord: WARNING {reason}"
    return f"fakediscord: REST bodies validated against {default_spec_path()}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _MISSING_SPEC_REPORTED:
        terminalreporter.write_sep("=", "fakediscord", yellow=True)
        terminalreporter.write_line(_MISSING_SPEC_REPORTED[0], yellow=True)


@pytest.fixture
async def fake_discord(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """A started :class:`FakeDiscord` with discord.py pointed at it.

    Teardown stops the server and fails the test on schema violations, unknown routes
    or gateway protocol errors (see module docstring for opting out).
    """
    marker = request.node.get_closest_marker("fakediscord")
    opts = dict(marker.kwargs) if marker else {}
    server = FakeDiscord()
    server.allow_schema_errors = bool(opts.get("allow_schema_errors", False))
    server.allow_unknown_routes = bool(opts.get("allow_unknown_routes", False))
    server.allow_gateway_errors = bool(opts.get("allow_gateway_errors", False))
    server.interaction_deadline = float(opts.get("interaction_deadline", WAIT_LIMIT))
    if server.spec_missing_reason and not _MISSING_SPEC_REPORTED:
        _MISSING_SPEC_REPORTED.append(f"fakediscord: {server.spec_missing_reason}")
    await server.start()
    point_discord_py_at(server, monkeypatch)
    try:
        yield server
    finally:
        await server.stop()
    problems: list[str] = []
    if not server.allow_schema_errors:
        problems += [f"request Discord would reject: {v}" for v in server.schema_errors]
    if not server.allow_unknown_routes:
        for call in server.unknown_routes:
            hint = (
                f"a real Discord route ({call.template}): teach the fake Discord to answer it"
                if call.template
                else "not in Discord's API either"
            )
            problems.append(f"route unknown to the fake Discord: {call.method} {call.path} - {hint}")
    if not server.allow_gateway_errors:
        problems += [f"gateway protocol error: {e.message}" for e in server.gateway_errors]
    if problems:
        pytest.fail("fake Discord saw protocol problems:\n  " + "\n  ".join(problems), pytrace=False)
