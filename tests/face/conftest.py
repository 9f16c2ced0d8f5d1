"""Fixtures for the tests of what people and frontends see: the app served for real by
uvicorn on a free local port, on a database holding the whole shipped corpus (loaded by the
seed job's own code), once per backend; and headless Chromium driven by Playwright.

Chromium is Debian's (`/usr/bin/chromium`), never a browser that Playwright downloads; when
it is missing the tests fail and say how to install it (`.ci/run` installs it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route, sync_playwright

from tests.conftest import BACKENDS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
PORTS = range(8100, 8200)
"""The TCP ports the live servers of these tests may use."""
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True, slots=True)
class LiveServer:
    backend: str
    url: str


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free TCP port in {PORTS.start}-{PORTS.stop - 1}")


def wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"uvicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"uvicorn did not answer at {url} within 60 s:\n{log.read_text()}")


@pytest.fixture(scope="session", params=BACKENDS)
def live_server(
    request: pytest.FixtureRequest,
    corpus_databases: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """`uvicorn app.main:app` on a free port in 8100-8199, on this backend's database of the
    whole shipped corpus."""
    database_url = corpus_databases(request.param)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("uvicorn") / "uvicorn.log"
    environment = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(process, url, log)
        yield LiveServer(request.param, url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium under Playwright, headless, with no network of its own."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's "
            "package (`apt-get update && apt-get install -y chromium`; .ci/run installs it "
            "when it is missing). Playwright's own browser downloads are not used."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """A browser tab on the live server that records every request to another host
    (and refuses it: the pages must work with no network) and every script error."""

    page: Page
    server: LiveServer
    outside: list[str]
    errors: list[str]

    def open(self, path: str) -> None:
        self.page.goto(f"{self.server.url}{path}")

    def screenshot(self, name: str) -> Path:
        path = ARTIFACTS / "browser" / f"{name}-{self.server.backend}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def visit(chromium: Browser, live_server: LiveServer) -> Iterator[Visit]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = Visit(page, live_server, outside=[], errors=[])

    def local_only(route: Route, request: Request) -> None:
        if request.url.startswith(f"{live_server.url}/") or request.url.startswith("data:"):
            route.continue_()
        else:
            found.outside.append(request.url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            found.errors.append(message.text)

    page.route("**/*", local_only)
    page.on("console", on_console)
    page.on("pageerror", lambda error: found.errors.append(str(error)))
    yield found
    context.close()
    assert found.outside == [], "the page asked for something from another host"
    assert found.errors == [], "the page logged errors"
