"""Failure handling against Prism's error mode: a server answering 500 gets retried, then one clear line."""

import pytest

from testrelay.providers.http import ApiClient, ApiError, RetryPolicy


async def test_a_failing_server_is_retried_then_reported_in_one_line(contract, mocks):
    # GitHub's own example for GET /pulls/{n} breaks its response schema: in error mode Prism answers 500.
    base = mocks.url("github", errors=True)
    contract("github")  # the cassette (when replaying) for this test
    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    token = "ghs_errorModeToken123456"
    async with ApiClient("GitHub", base, headers={"Authorization": f"Bearer {token}"}, secrets=[token],
                         retry=RetryPolicy(attempts=3), sleep=sleep) as api:
        with pytest.raises(ApiError) as err:
            await api.request("GET", "repos/octo/hello/pulls/1")
    message = str(err.value)
    assert message.startswith("GitHub GET /repos/octo/hello/pulls/1: 500") and "\n" not in message
    assert token not in message
    assert len(waits) == 2 and api.requests == 3
