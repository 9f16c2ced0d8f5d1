"""Who may write: operators holding a bearer token whose SHA-256 is in the settings.

Only hashes are configured (`API_TOKEN_HASHES`), so a leaked configuration gives no token
away; a presented token is hashed and compared with every configured hash in constant time
(`hmac.compare_digest`), so the comparison's timing says nothing about how close a guess
was. A request without a token is a 401 (with `WWW-Authenticate: Bearer`), as the OpenAPI
security scheme says; with no hash configured uploads and deletes are disabled, and a request
that presents a token is a 403 `writes_disabled`. Read endpoints never ask for a token.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.config import Settings
from app.http.errors import Forbidden, Unauthorized

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="OperatorToken",
    description="An operator's API token: `Authorization: Bearer <token>`. Only uploads and "
    "deletes need one; see docs/security.md for how to make one.",
)

WRITES_DISABLED = (
    "Uploads and deletes are disabled on this server: no API token is configured "
    "(set API_TOKEN_HASHES; see docs/security.md)"
)


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as the 64 hex digits that go in API_TOKEN_HASHES."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, hashes: list[str]) -> bool:
    """Whether `token` hashes to one of `hashes`, comparing with every one of them."""
    presented = token_hash(token)
    matched = False
    for expected in hashes:
        matched |= hmac.compare_digest(presented, expected)
    return matched


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def require_operator(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Route dependency for writes: 401 without a bearer token or with an invalid one, 403
    when writes are disabled on this server."""
    if request.scope.get(_AUTHORISED):
        return
    hashes = settings_of(request).api_token_hashes
    if credentials is None or credentials.scheme.lower() != "bearer":
        disabled = "" if hashes else " (and uploads and deletes are disabled on this server)"
        raise Unauthorized(
            f"This needs an operator token: send `Authorization: Bearer <token>`{disabled}"
        )
    if not hashes:
        raise Forbidden(WRITES_DISABLED, error="writes_disabled")
    if not token_matches(credentials.credentials, hashes):
        raise Unauthorized("The token is not valid")
    request.scope[_AUTHORISED] = True


_AUTHORISED = "operator_authorised"


async def authorise(request: Request) -> None:
    """`require_operator`, called before anything else looks at the request (so a token
    sent in the query string is answered 401, not `unknown_parameter`)."""
    require_operator(request, await bearer(request))


def protects(route: APIRoute) -> bool:
    """Whether a route needs an operator token."""
    return any(dependency.call is require_operator for dependency in route.dependant.dependencies)


__all__ = [
    "authorise",
    "bearer",
    "protects",
    "require_operator",
    "settings_of",
    "token_hash",
    "token_matches",
]
