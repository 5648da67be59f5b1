"""How an Azure DevOps token is sent, and what to tell the user when it is refused.

- The pipeline's `System.AccessToken` (mapped into the step as `SYSTEM_ACCESSTOKEN`) is a JWT and goes
  as `Authorization: Bearer`.
- A personal access token goes as HTTP Basic with an empty user name (`:PAT`), as Azure documents it.
- With `token` set and `username` unset, the form decides: a JWT (`eyJ...` with dots) is a bearer token,
  anything else a PAT. `username` set means Basic `username:PAT`; `auth: bearer|basic` forces either.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError

BUILD_TOKEN_ENV = "env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)"

# The PAT scope each kind of call needs, as Azure names it in the token dialog.
SCOPES = {
    "test": "Test Management (Read & write)",
    "status": "Code (Status)",
    "threads": "Pull Request Threads (Read & write)",
    "build": "Build (Read & execute)",
}


@dataclass(frozen=True)
class Credentials:
    kind: str  # "bearer" or "basic"
    headers: dict[str, str]
    basic: tuple[str, str] | None


def looks_like_jwt(token: str) -> bool:
    return token.startswith("eyJ") and "." in token


def credentials(token: str, *, username: str | None = None, mode: str | None = None,
                token_kind: str | None = None) -> Credentials:
    mode = (mode or "").lower() or None
    if mode not in (None, "bearer", "basic"):
        raise ConfigError(f"auth: {mode!r} is not bearer or basic",
                          hint="leave auth unset to decide by the token's form")
    if mode == "basic" or (mode is None and username):
        return Credentials("basic", {}, (username or "", token))
    if mode == "bearer" or token_kind == "build" or looks_like_jwt(token):
        return Credentials("bearer", {"Authorization": f"Bearer {token}"}, None)
    return Credentials("basic", {}, ("", token))


def refused_hint(status: int | None, area: str, kind: str) -> str:
    """Advice for a 401/403, by the token kind and what the call needed."""
    scope = SCOPES.get(area, "")
    if status == 401:
        if kind == "bearer":
            return ("System.AccessToken was refused: map it into this step with "
                    f"`{BUILD_TOKEN_ENV}`, or set token to a personal access token")
        return "the personal access token is wrong or expired: create one" + (f" with {scope}" if scope else "")
    if kind == "bearer":
        if area in ("threads", "status"):
            return ("the build identity may not write to this pull request: grant "
                    "'<project> Build Service (<org>)' 'Contribute to pull requests' in the repository's security")
        return f"the build identity lacks {scope or 'a permission this needs'}; check the project's permissions"
    return f"the personal access token lacks the {scope} scope" if scope else "the token lacks a permission"
