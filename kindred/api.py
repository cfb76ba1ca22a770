"""The JSON API under /api/: OpenAPI schema at /api/openapi.json, interactive docs at /api/docs.

Authentication: the browser session (with CSRF) or `Authorization: Bearer <token>` with a personal token.
Each app adds its routers here; they call the same services, selectors and access helpers as the pages.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import SessionAuth

from kindred.accounts.api_auth import BearerTokenAuth

api = NinjaAPI(
    title="Kindred API",
    version="1",
    description="Peer support in every form. All endpoints need a signed-in person unless marked public.",
    auth=[BearerTokenAuth(), SessionAuth()],
)

from kindred.accounts.api import router as accounts_router  # noqa: E402
from kindred.organisations.api import router as organisations_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/organisations", organisations_router)
