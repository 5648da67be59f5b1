"""Fixtures every adapter test shares: a scripted API server, and the waits the HTTP layer asked for."""

import pytest

from support.scripted_server import ScriptedServer


@pytest.fixture
def server():
    with ScriptedServer() as s:
        yield s


@pytest.fixture
def waits():
    """Seconds each retry would have slept; the clients under test append here instead of sleeping."""
    return []
