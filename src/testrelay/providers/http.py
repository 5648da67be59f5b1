"""The one HTTP client every provider uses: timeouts, retries, pagination, one origin, no leaked tokens.

- Retries with exponential backoff and full jitter on 429, 5xx and transport errors, honouring
  `Retry-After` and the rate-limit reset headers (GitHub, GitLab, Azure), up to a ceiling.
- Requests go to the configured API origin only: an absolute URL, a pagination `Link` or a redirect
  that points anywhere else is refused, so a token never travels to a host it was not meant for.
- Every error is a PublishError (AuthError for 401/403) whose one-line message names the service,
  method and path, the status, what the server said and what to do, with every secret redacted.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Self, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from .. import __version__
from ..errors import AuthError, PublishError
from ..log import SECRETS

logger = logging.getLogger("testrelay.http")
T = TypeVar("T")

USER_AGENT = f"testrelay/{__version__} (+https://pypi.org/project/testrelay/)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all, the first included
    base_delay: float = 0.5  # seconds; doubled each try, then jittered
    max_delay: float = 30.0  # one backoff wait at the most
    max_wait: float = 120.0  # a server-asked wait (Retry-After, rate-limit reset) above this fails at once


class _Answered(PublishError):
    """What both API errors carry: the HTTP status and the server's answer."""

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None,
                 body: Any = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.body = body

    def with_hint(self, hint: str) -> Self:
        """The same error with advice only the caller can give (the provider knows which permission is missing)."""
        return type(self)(self.message, status=self.status, hint=hint, body=self.body)


class ApiError(_Answered):
    """A request the provider refused or could not answer."""


class ApiAuthError(_Answered, AuthError):
    """A request refused for the token: 401, 403, or a redirect to a login page."""


# Adapter settings that are not the adapter's own but the HTTP layer's: tests inject a transport, a sleep
# that does not wait, fewer retries or a short timeout through the adapter's keyword config.
CLIENT_OPTIONS = ("transport", "sleep", "retry", "timeout")


def client_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """The CLIENT_OPTIONS an adapter's config sets, as ApiClient keyword arguments."""
    options = {key: config[key] for key in CLIENT_OPTIONS if config.get(key) is not None}
    if not isinstance(options.get("retry", RetryPolicy()), RetryPolicy):
        del options["retry"]  # only a policy says how to retry; anything else keeps the default
    return options


def origin(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def server_message(response: httpx.Response) -> str:
    """What the server said about a failure, from the error shapes the providers use."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip().splitlines()
        return text[0][:300] if text else ""
    if not isinstance(body, dict):
        return str(body)[:300]
    parts: list[str] = []
    for key in ("message", "error", "title", "detail"):
        value = body.get(key)
        if isinstance(value, str) and value and value not in parts:
            parts.append(value)
        elif isinstance(value, dict | list):
            parts.append(str(value)[:200])
    for item in body.get("validation") or body.get("errors") or []:
        if isinstance(item, dict):
            text = item.get("message") or item.get("code") or str(item)
            where = item.get("location") or item.get("field")
            parts.append(f"{'.'.join(map(str, where)) + ': ' if isinstance(where, list) else ''}{text}")
        else:
            parts.append(str(item))
    return "; ".join(parts)[:500]


def wait_from_headers(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, from Retry-After or a rate-limit reset header."""
    now = time.time() if now is None else now
    retry_after = headers.get("retry-after")
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            when = email.utils.parsedate_to_datetime(retry_after) if retry_after else None
            if when is not None:
                return max(0.0, when.timestamp() - now)
    remaining = headers.get("x-ratelimit-remaining") or headers.get("ratelimit-remaining")
    reset = headers.get("x-ratelimit-reset") or headers.get("ratelimit-reset")
    if reset and (remaining is None or remaining.strip() == "0"):
        try:
            value = float(reset)
        except ValueError:
            return None
        # Epoch seconds (GitHub, GitLab) or seconds from now (IETF draft headers).
        return max(0.0, value - now) if value > 1e9 else value
    return None


def next_link(headers: Mapping[str, str]) -> str | None:
    for part in headers.get("link", "").split(","):
        section = part.split(";")
        if len(section) < 2:
            continue
        url = section[0].strip().strip("<>")
        if any(s.strip().replace('"', "") == "rel=next" for s in section[1:]):
            return url
    return None


class ApiClient:
    """An httpx.AsyncClient bound to one API origin, with the policies above."""

    def __init__(
        self,
        service: str,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        secrets: Iterable[str | None] = (),
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise PublishError(f"{service}: API URL {base_url!r} is not an http(s) URL", hint="check api_url")
        self.service = service
        self.base_url = base_url.rstrip("/") + "/"
        self.origin = origin(self.base_url)
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.requests = 0  # sent, retries included: tests and logs count calls with it
        for secret in secrets:
            SECRETS.add(secret)
        if isinstance(auth, tuple):
            SECRETS.add(auth[1])
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            params=params,
            auth=auth,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,
            transport=transport,
        )

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._client.aclose()

    def _target(self, url: str) -> str:
        """A path relative to the base URL, or an absolute URL on the same origin; anything else is refused."""
        if "://" not in url:
            return url.lstrip("/")
        if origin(url) != self.origin:
            raise PublishError(
                f"{self.service}: refusing to send the token to {urlsplit(url).hostname} "
                f"(the API is {urlsplit(self.base_url).hostname})",
                hint="check api_url; a link in a response pointed elsewhere",
            )
        return url

    def _describe(self, method: str, url: str) -> str:
        path = urlsplit(urljoin(self.base_url, url)).path
        return f"{self.service} {method} {path}"

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        retry: bool = True,
        expect: Iterable[int] = (),
    ) -> httpx.Response:
        """Send one request, retrying what may be retried; a non-2xx status (not in `expect`) raises."""
        target = self._target(url)
        what = self._describe(method, target)
        allowed = set(expect)
        attempts = self.retry.attempts if retry else 1
        for attempt in range(1, attempts + 1):
            started = time.monotonic()
            try:
                self.requests += 1
                response = await self._client.request(
                    method, target, params=params, json=json, content=content, headers=headers
                )
            except httpx.TimeoutException:
                problem, wait = "timed out", None
            except httpx.TransportError as exc:
                problem, wait = f"connection failed ({exc.__class__.__name__}: {SECRETS.redact(str(exc))})", None
            else:
                elapsed = time.monotonic() - started
                logger.debug("%s -> %s (%.2fs)", what, response.status_code, elapsed)
                if response.is_success or response.status_code in allowed:
                    return response
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    raise ApiError(f"{what}: {response.status_code} redirect to {location!r} not followed",
                                   status=response.status_code, hint="check api_url")
                wait = wait_from_headers(response.headers)
                # GitHub answers an exhausted rate limit with 403 and the reset header.
                rate_limited = response.status_code == 429 or (
                    response.status_code == 403 and wait is not None
                    and "rate limit" in server_message(response).lower()
                )
                if not (response.status_code in RETRY_STATUSES or rate_limited) or attempt == attempts:
                    raise self._error(what, response)
                problem = f"{response.status_code} {response.reason_phrase}"
                if wait is not None and wait > self.retry.max_wait:
                    raise ApiError(f"{what}: rate limited for {wait:,.0f} s more, over the {self.retry.max_wait:.0f} s "
                                   "testrelay waits", status=response.status_code,
                                   hint="run again later, or use a token with a higher limit")
            if attempt == attempts:
                raise ApiError(f"{what}: {problem} after {attempts} tries",
                               hint="the service may be down; run the job again later")
            delay = wait if wait is not None else self._backoff(attempt)
            logger.info("%s: %s; retrying in %.1f s (%d of %d)", what, problem, delay, attempt + 1, attempts)
            await self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.retry.max_delay, self.retry.base_delay * 2 ** (attempt - 1))
        return random.uniform(0, ceiling)  # full jitter: clients retrying together spread out

    def _error(self, what: str, response: httpx.Response) -> PublishError:
        status = response.status_code
        said = SECRETS.redact(server_message(response))
        text = f"{what}: {status} {response.reason_phrase}" + (f": {said}" if said else "")
        try:
            body = response.json()
        except ValueError:
            body = None
        if status == 401:
            return ApiAuthError(text, status=status, body=body,
                                hint=f"the {self.service} token is missing, expired or wrong")
        if status == 403:
            return ApiAuthError(text, status=status, body=body,
                                hint=f"the {self.service} token lacks a permission this needs")
        if status == 404:
            return ApiError(text, status=status, body=body,
                            hint="check the repository/project and that the token can see it")
        if status in (400, 409, 422):
            return ApiError(text, status=status, body=body, hint="the request was refused as sent")
        return ApiError(text, status=status, body=body, hint="run the job again later")

    async def json(self, method: str, url: str, **kwargs: Any) -> Any:
        response = await self.request(method, url, **kwargs)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError(f"{self._describe(method, url)}: the answer is not JSON",
                           status=response.status_code) from None

    async def paginate(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        items: Callable[[Any], list[Any]] | None = None,
        max_pages: int = 100,
    ) -> AsyncIterator[Any]:
        """Every item of a listing, page after page, by the `Link: rel="next"` header (same origin only)."""
        next_url: str | None = url
        query: Mapping[str, Any] | None = params
        for _ in range(max_pages):
            if next_url is None:
                return
            response = await self.request("GET", next_url, params=query)
            body = response.json()
            for item in items(body) if items else body:
                yield item
            next_url = next_link(response.headers)
            query = None  # the next link carries its own query
            if next_url is not None and "://" in next_url and origin(next_url) != self.origin:
                logger.warning("%s: not following a pagination link to %s", self.service,
                               urlsplit(next_url).hostname)
                return


async def find_or_create(
    find: Callable[[], Awaitable[T | None]],
    create: Callable[[], Awaitable[T]],
    *,
    attempts: int = 3,
    look_first: bool = True,
) -> T:
    """Create something once: before each try, look for what an earlier try may have left.

    A create that timed out or got a 5xx may still have happened on the server; posting again blindly
    would leave two comments or two check runs. `look_first=False` skips the look before the first try,
    for a caller that has just looked (or for whom nothing found then may be reused): only a try that
    failed can have left something behind.
    """
    last: PublishError | None = None
    for attempt in range(attempts):
        existing = await find() if look_first or attempt else None
        if existing is not None:
            return existing
        try:
            return await create()
        except ApiError as exc:
            if exc.status is not None and exc.status not in RETRY_STATUSES:
                raise
            last = exc
    assert last is not None
    raise last
