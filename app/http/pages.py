"""The pages people read, all served by the app itself with no CDN, so they work offline:

    /          the explorer: findings with facets, source passages, authority pages
    /docs      Swagger UI      } the API reference, from /openapi.json, with their scripts
    /redoc     ReDoc           } and styles from the fastapi-offline package

The explorer is plain HTML, CSS and JavaScript modules under `app/explorer/` (no build
step) that use only the public JSON API. These are Starlette routes, outside the OpenAPI
document and the API's parameter and caching dependencies; static files carry their own
ETag and Last-Modified.
"""

from __future__ import annotations

import mimetypes
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

EXPLORER_DIR = Path(__file__).resolve().parent.parent / "explorer"
DOCS_ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))
EXPLORER_ASSETS = "/assets/explorer"
DOCS_ASSETS = "/assets/docs"

# Module scripts need a JavaScript media type; Python 3.11's table may say
# application/javascript or nothing, depending on the system's mime.types.
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")

# No validator badge: Swagger UI would otherwise ask validator.swagger.io about the spec.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}

# Content Security Policies: the pages may load nothing from another host. The explorer has
# no inline script or style at all; Swagger UI starts from an inline script and both docs
# bundles set inline styles. ReDoc's bundle would show Redocly's logo from their CDN: the
# policy keeps the browser from asking (ReDoc hides an image that does not load).
EXPLORER_POLICY = (
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; base-uri 'none'; frame-ancestors 'none'; "
    "object-src 'none'"
)


async def explorer(_request: Request) -> Response:
    return FileResponse(
        EXPLORER_DIR / "index.html",
        media_type="text/html",
        headers={"Content-Security-Policy": EXPLORER_POLICY},
    )


def _with_policy(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = DOCS_POLICY
    return page


async def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    page = get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title}: Swagger UI",
        swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
        swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
    )
    return _with_policy(page)


async def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    page = get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title}: ReDoc",
        redoc_js_url=f"{root}{DOCS_ASSETS}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
        with_google_fonts=False,
    )
    return _with_policy(page)


def install_pages(app: FastAPI) -> None:
    """Serve the explorer at `/` and the API docs at `/docs` and `/redoc`, offline. The
    app must be made with `docs_url=None, redoc_url=None` so FastAPI's CDN pages are not."""
    app.router.routes.extend(
        [
            Route("/", explorer, methods=["GET", "HEAD"], name="explorer"),
            Route("/docs", swagger_ui, methods=["GET", "HEAD"], name="swagger_ui"),
            Route("/redoc", redoc, methods=["GET", "HEAD"], name="redoc"),
            Mount(EXPLORER_ASSETS, StaticFiles(directory=EXPLORER_DIR), name="explorer_assets"),
            Mount(DOCS_ASSETS, StaticFiles(directory=DOCS_ASSETS_DIR), name="docs_assets"),
        ]
    )


__all__ = ["DOCS_ASSETS", "EXPLORER_ASSETS", "EXPLORER_DIR", "install_pages"]
