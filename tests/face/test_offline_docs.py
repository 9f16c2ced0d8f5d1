"""`/docs`, `/redoc` and the explorer load everything they need from the app itself: every
script and stylesheet they reference is served here with its right media type, nothing
refers to another host, and both docs render in a browser that may not reach the network.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import PurePosixPath

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from app.http.pages import EXPLORER_DIR
from app.main import ROUTERS
from tests.face.conftest import Visit

JAVASCRIPT = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"


class Assets(HTMLParser):
    """The URLs a page loads: scripts, stylesheets, icons, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and values.get("src"):
            self.urls.append(("script", values["src"]))
        elif tag == "link" and values.get("href"):
            self.urls.append((values.get("rel", ""), values["href"]))
        elif tag in ("img", "iframe", "source", "embed") and values.get("src"):
            self.urls.append((tag, values["src"]))


def assets_of(html: str) -> list[tuple[str, str]]:
    parser = Assets()
    parser.feed(html)
    return parser.urls


def test_docs_and_redoc_load_their_assets_from_the_app(client: TestClient) -> None:
    expected = {
        "/docs": [
            ("stylesheet", "/assets/docs/swagger-ui.css", CSS),
            ("shortcut icon", "/assets/docs/favicon.png", "image/png"),
            ("script", "/assets/docs/swagger-ui-bundle.js", JAVASCRIPT),
        ],
        "/redoc": [
            ("shortcut icon", "/assets/docs/favicon.png", "image/png"),
            ("script", "/assets/docs/redoc.standalone.js", JAVASCRIPT),
        ],
        "/": [
            ("icon", "/assets/explorer/favicon.svg", "image/svg+xml"),
            ("stylesheet", "/assets/explorer/explorer.css", CSS),
            ("script", "/assets/explorer/js/main.js", JAVASCRIPT),
        ],
    }
    for page, assets in expected.items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert assets_of(response.text) == [(rel, url) for rel, url, _type in assets], page
        for _rel, url, media_type in assets:
            asset = client.get(url)
            assert (asset.status_code, asset.headers["content-type"]) == (200, media_type), url
            assert len(asset.content) > 0


def test_the_docs_pages_name_no_other_host(client: TestClient) -> None:
    for page in ("/docs", "/redoc", "/"):
        html = client.get(page).text
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), page
        assert "cdn" not in html.lower(), page
    # No fonts from elsewhere either: ReDoc is served without Google Fonts.
    assert "fonts.googleapis.com" not in client.get("/redoc").text
    # Swagger UI is told not to ask validator.swagger.io about the document.
    assert '"validatorUrl": null' in client.get("/docs").text


IMPORT = re.compile(r"""^import\s[^;]*?from\s+"([^"]+)";""", re.MULTILINE | re.DOTALL)


def test_every_module_of_the_explorer_is_served_as_javascript(client: TestClient) -> None:
    """Walk the explorer's import graph from main.js: each module is served, as JavaScript
    (browsers refuse a module of another media type), and imports only local modules."""
    seen: set[str] = set()
    pending = ["/assets/explorer/js/main.js"]
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert (response.status_code, response.headers["content-type"]) == (200, JAVASCRIPT)
        for target in IMPORT.findall(response.text):
            assert target.startswith("./"), (url, target)
            pending.append(str(PurePosixPath(url).parent / target[2:]))
    assert seen == {
        f"/assets/explorer/js/{name}.js"
        for name in (
            "main",
            "api",
            "authority",
            "charts",
            "dom",
            "finding",
            "findings",
            "grades",
            "intelligence",
            "source",
        )
    }
    assert {f"/assets/explorer/js/{path.name}" for path in (EXPLORER_DIR / "js").iterdir()} == seen


def test_the_explorer_sources_fetch_nothing_from_another_host() -> None:
    """Only the SVG namespace is an absolute URL in the scripts; the stylesheet imports
    nothing and uses system fonts."""
    for path in (EXPLORER_DIR / "js").iterdir():
        urls = set(re.findall(r"https?://[^\s\"'`)]+", path.read_text()))
        assert urls <= {"http://www.w3.org/2000/svg"}, path.name
    css = (EXPLORER_DIR / "explorer.css").read_text()
    assert "@import" not in css
    assert "url(" not in css
    assert "@font-face" not in css


def test_the_pages_are_not_in_the_api_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    api_paths = {
        route.path for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)
    }
    assert set(spec["paths"]) == api_paths
    assert not {"/", "/docs", "/redoc"} & set(spec["paths"])
    # The pages take no part in the API's parameter checks: a query string is harmless.
    assert client.get("/docs?anything=1").status_code == 200
    assert client.get("/assets/explorer/missing.js").status_code == 404


def test_swagger_ui_renders_every_operation_offline(visit: Visit) -> None:
    page = visit.page
    visit.open("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Ofsted findings API")
    expect(page.locator(".opblock")).to_have_count(24)
    expect(page.locator(".opblock-summary-path").first).to_have_text("/inspections")
    visit.screenshot("swagger-ui")


def test_redoc_renders_offline(visit: Visit) -> None:
    page = visit.page
    visit.open("/redoc")
    expect(page.locator("h1").first).to_have_text("Ofsted findings API (0.1.0)")
    expect(
        page.get_by_role("heading", name="Findings, filtered, searched and paginated")
    ).to_be_visible()
    visit.screenshot("redoc")
    # ReDoc's bundle would load Redocly's logo from their CDN; the page's Content Security
    # Policy stops the browser from asking, and ReDoc hides the image.
    assert visit.errors == [
        "Loading the image 'https://cdn.redoc.ly/redoc/logo-mini.svg' violates the following "
        "Content Security Policy directive: \"img-src 'self' data:\". The action has been "
        "blocked."
    ]
    visit.errors.clear()


def test_the_pages_forbid_other_hosts(client: TestClient) -> None:
    assert client.get("/").headers["content-security-policy"] == (
        "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'; object-src 'none'"
    )
    docs_policy = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
        "'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; base-uri 'none'; "
        "frame-ancestors 'none'; object-src 'none'"
    )
    assert client.get("/docs").headers["content-security-policy"] == docs_policy
    assert client.get("/redoc").headers["content-security-policy"] == docs_policy
