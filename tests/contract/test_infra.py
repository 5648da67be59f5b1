"""The contract harness itself: a request that breaks the published schema is refused."""

import pytest

from testrelay.providers.http import ApiClient, ApiError


async def test_schema_violations_are_refused_and_valid_requests_pass(contract):
    async with ApiClient("GitHub", contract("github"), headers={"Authorization": "Bearer t0ken-value"}) as api:
        with pytest.raises(ApiError) as err:
            await api.request("POST", "repos/o/r/check-runs", json={"name": "tests"}, retry=False)
        assert err.value.status == 422 and "head_sha" in str(err.value)
        created = await api.json("POST", "repos/o/r/check-runs", json={"name": "tests", "head_sha": "a" * 40})
        assert "id" in created
