"""The HTTP layer's policies: retries, waits, one origin, errors without secrets."""

import pytest

from support.scripted_server import Answer
from testrelay.errors import AuthError, PublishError
from testrelay.providers.http import ApiClient, ApiError, RetryPolicy, find_or_create, next_link, wait_from_headers

TOKEN = "glpat-Secret-Value-1234567890"


def client(server, waits, **kwargs):
    async def sleep(seconds):
        waits.append(seconds)

    return ApiClient("GitLab", server.url + "/api/v4", headers={"PRIVATE-TOKEN": TOKEN}, secrets=[TOKEN],
                     sleep=sleep, **kwargs)


async def test_500_then_success_is_retried_with_jittered_backoff(server, waits):
    server.on("GET", "/api/v4/projects/1", Answer(500, {"message": "boom"}), Answer(200, {"id": 1}))
    async with client(server, waits) as api:
        assert await api.json("GET", "projects/1") == {"id": 1}
    assert len(server.seen) == 2
    assert len(waits) == 1 and 0 <= waits[0] <= RetryPolicy().base_delay


async def test_429_waits_as_long_as_retry_after_says(server, waits):
    server.on("GET", "/api/v4/x", Answer(429, {"message": "slow down"}, {"Retry-After": "3"}), Answer(200, []))
    async with client(server, waits) as api:
        await api.request("GET", "x")
    assert waits == [3.0]


async def test_a_wait_over_the_ceiling_fails_at_once_with_advice(server, waits):
    server.on("GET", "/api/v4/x", Answer(429, {"message": "slow down"}, {"Retry-After": "3600"}))
    async with client(server, waits) as api:
        with pytest.raises(ApiError, match="rate limited for 3,600 s") as err:
            await api.request("GET", "x")
    assert waits == [] and len(server.seen) == 1
    assert "run again later" in str(err.value)


async def test_persistent_500_gives_up_after_the_policy_with_one_line(server, waits):
    server.on("POST", "/api/v4/projects/1/statuses/abc", Answer(503, {"message": "maintenance"}))
    async with client(server, waits, retry=RetryPolicy(attempts=3)) as api:
        with pytest.raises(ApiError) as err:
            await api.request("POST", "projects/1/statuses/abc", json={"state": "running"})
    assert len(server.seen) == 3
    message = str(err.value)
    assert message.startswith("GitLab POST /api/v4/projects/1/statuses/abc: 503")
    assert "\n" not in message


async def test_timeouts_are_retried_then_reported(server, waits):
    server.on("GET", "/api/v4/slow", Answer(200, {}, delay=0.5))
    async with client(server, waits, timeout=0.1, retry=RetryPolicy(attempts=2)) as api:
        with pytest.raises(ApiError, match="timed out after 2 tries"):
            await api.request("GET", "slow")


async def test_401_and_403_are_auth_errors_and_never_echo_the_token(server, waits):
    server.on("GET", "/api/v4/a", Answer(401, {"message": f"invalid token {TOKEN}"}))
    server.on("GET", "/api/v4/b", Answer(403, {"message": "Resource not accessible by integration"}))
    async with client(server, waits) as api:
        with pytest.raises(AuthError) as err:
            await api.request("GET", "a")
        assert TOKEN not in str(err.value) and "***" in str(err.value)
        assert "token is missing, expired or wrong" in str(err.value)
        with pytest.raises(AuthError, match="Resource not accessible by integration"):
            await api.request("GET", "b")
    assert len(server.seen) == 2  # no retries on auth errors


async def test_422_names_the_validation_problems(server, waits):
    body = {"title": "Invalid request", "validation": [{"location": ["body"], "message": "must have 'name'"}]}
    server.on("POST", "/api/v4/p", Answer(422, body, {"Content-Type": "application/problem+json"}))
    async with client(server, waits) as api:
        with pytest.raises(ApiError, match="body: must have 'name'"):
            await api.request("POST", "p", json={})


async def test_requests_never_leave_the_api_origin(server, waits):
    async with client(server, waits) as api:
        with pytest.raises(PublishError, match=r"refusing to send the token to evil\.example"):
            await api.request("GET", "https://evil.example/api/v4/projects")
    assert server.seen == []


async def test_redirects_are_not_followed(server, waits):
    server.on("GET", "/api/v4/moved", Answer(302, None, {"Location": "https://elsewhere.example/x"}))
    async with client(server, waits) as api:
        with pytest.raises(ApiError, match=r"redirect to 'https://elsewhere\.example/x' not followed"):
            await api.request("GET", "moved")
    assert len(server.seen) == 1


async def test_pagination_follows_next_links_on_the_same_origin_only(server, waits):
    def page(seen):
        if "page=2" not in seen.path.partition("?")[2].split("&"):
            return Answer(200, [1, 2], {"Link": f'<{server.url}/api/v4/items?page=2>; rel="next"'})
        return Answer(200, [3], {"Link": '<https://evil.example/api/v4/items?page=3>; rel="next"'})

    server.on("GET", "/api/v4/items", page)
    async with client(server, waits) as api:
        items = [item async for item in api.paginate("items", params={"per_page": 2})]
    assert items == [1, 2, 3]
    assert len(server.seen) == 2


async def test_find_or_create_never_creates_twice(server, waits):
    created = []

    def create(seen):
        created.append(seen.json())
        # The server stores the note, then fails to answer: the client cannot know it worked.
        return Answer(502, {"message": "bad gateway"})

    server.on("POST", "/api/v4/notes", create)
    server.on("GET", "/api/v4/notes", lambda seen: Answer(200, [{"id": 7, "body": b} for b in created]))
    async with client(server, waits) as api:
        async def find():
            notes = await api.json("GET", "notes")
            return next((n for n in notes if n["body"] == {"body": "hi"}), None)

        async def make():
            return await api.json("POST", "notes", json={"body": "hi"}, retry=False)

        note = await find_or_create(find, make)
    assert note["id"] == 7 and len(created) == 1


def test_wait_headers():
    assert wait_from_headers({"retry-after": "7"}) == 7
    assert wait_from_headers({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1100"}, now=1000.0) == 1100
    assert wait_from_headers({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2000000100"},
                             now=2000000000.0) == 100
    assert wait_from_headers({"x-ratelimit-remaining": "10", "x-ratelimit-reset": "2000000100"}) is None
    assert next_link({"link": '<https://a/x?page=2>; rel="next", <https://a/x?page=9>; rel="last"'}) == \
        "https://a/x?page=2"


async def test_find_or_create_without_look_first_looks_only_after_a_failed_try():
    looks: list[int] = []
    tries: list[int] = []

    async def find():
        looks.append(len(tries))
        return None

    async def create():
        tries.append(1)
        if len(tries) == 1:
            raise ApiError("POST notes: 502 Bad Gateway", status=502)
        return {"id": 8}

    assert await find_or_create(find, create, look_first=False) == {"id": 8}
    assert looks == [1]  # no look before the first try; one before the second
    looks.clear()
    tries.clear()
    assert await find_or_create(find, create) == {"id": 8}
    assert looks == [0, 1]


def test_with_hint_keeps_the_class_status_and_body():
    from testrelay.providers.http import ApiAuthError

    refused = ApiAuthError("GitHub POST /x: 403 Forbidden", status=403, hint="generic", body={"message": "no"})
    advised = refused.with_hint("give the workflow `permissions: checks: write`")
    assert type(advised) is ApiAuthError and isinstance(advised, AuthError) and not isinstance(advised, ApiError)
    assert (advised.status, advised.body, advised.exit_code) == (403, {"message": "no"}, AuthError.exit_code)
    assert str(advised) == "GitHub POST /x: 403 Forbidden (give the workflow `permissions: checks: write`)"
    missing = ApiError("GitLab GET /p: 404 Not Found", status=404).with_hint("check the project")
    assert type(missing) is ApiError and missing.exit_code == PublishError.exit_code and missing.status == 404


def test_client_options_takes_only_the_http_layers_settings():
    from testrelay.providers.http import client_options

    policy = RetryPolicy(attempts=2)
    config = {"token": TOKEN, "api_url": "https://x", "retry": policy, "timeout": None, "sleep": print}
    assert client_options(config) == {"retry": policy, "sleep": print}
    assert client_options({"retry": True, "timeout": 5.0}) == {"timeout": 5.0}
