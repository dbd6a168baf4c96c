"""Headless Chromium with the internet shut off, for end-to-end web tests.

Only loopback is reachable: DNS resolves nothing but 127.0.0.1, and every
request the page makes goes through a route that aborts and records any whose
host is not local. The session also records websockets opened, JavaScript
errors and console errors, so a test can assert the page needed nothing from
outside and ran cleanly.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path(os.environ.get("MUD_CHROMIUM", "/usr/bin/chromium"))
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def is_local(url: str) -> bool:
    """True for loopback http(s)/ws(s) URLs and for data:/blob: URLs (never fetched)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


class OfflineBrowser:
    """`with OfflineBrowser(profile_dir) as session:` gives a session whose
    `page` is open; `off_host`, `websockets`, `page_errors`, `console_errors`
    and `failed` are filled as the page runs."""

    def __init__(self, profile_dir: Path, viewport: dict | None = None):
        if not os.access(CHROMIUM, os.X_OK):
            raise RuntimeError(
                f"Chromium not found at {CHROMIUM}: the web client tests need a real browser "
                "(Debian: apt-get install chromium; or set MUD_CHROMIUM to its path)"
            )
        self.profile_dir = profile_dir
        self.viewport = viewport or {"width": 1280, "height": 800}
        self.off_host: list[str] = []
        self.websockets: list[str] = []
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.failed: list[str] = []

    def __enter__(self) -> "OfflineBrowser":
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self.context = self._playwright.chromium.launch_persistent_context(
                str(self.profile_dir),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=self.viewport,
                service_workers="block",
            )
        except Exception:
            self._playwright.stop()
            raise
        self.context.route("**/*", self._guard)
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("console", self._on_console)
        self.page.on("websocket", lambda ws: self.websockets.append(ws.url))
        self.page.on("requestfailed", self._on_failed)
        return self

    def __exit__(self, *exc) -> None:
        self.context.close()
        self._playwright.stop()

    def _guard(self, route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.off_host.append(url)
            route.abort("blockedbyclient")

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")

    def _on_failed(self, request) -> None:
        if is_local(request.url):
            self.failed.append(f"{request.url}: {request.failure}")
