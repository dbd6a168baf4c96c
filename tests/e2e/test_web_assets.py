"""The game's web pages load every script, stylesheet, image and font from the
game itself: checked on the templates (ours and Evennia's) and on the pages and
stylesheets the real server serves."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import evennia
import httpx
import pytest

from tests.support.browser import is_local
from game.private_server import ADMIN, REPO

OUR_TEMPLATES = REPO / "game" / "web" / "templates"
EVENNIA_TEMPLATES = Path(evennia.__file__).parent / "web" / "templates"
PUBLIC_PAGES = ["/", "/webclient/", "/auth/login/", "/auth/register", "/help/", "/channels/"]
ACCOUNT_PAGES = ["/characters/", "/characters/manage/", "/characters/create/", "/auth/password_change/", "/admin/"]
# (list page, prefix of the detail pages it links to): one detail page of each is checked
DETAIL_PAGES = [("/characters/manage/", "/characters/detail/"), ("/help/", "/help/")]
LOADING_RELS = {"stylesheet", "icon", "shortcut", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
OFF_HOST_LITERAL = re.compile(r"^(https?:)?//", re.I)


class Resources(HTMLParser):
    """Collects the URLs a page loads (not the links it merely points to)."""

    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []
        self.links: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and attrs.get("src"):
            self.loaded.append(attrs["src"])
        elif tag == "link" and set(attrs.get("rel", "").lower().split()) & LOADING_RELS:
            self.loaded.append(attrs.get("href", ""))
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if "style" in attrs:
            self.styles.append(attrs["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(html: str) -> Resources:
    parser = Resources()
    parser.feed(html)
    return parser


def css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(css)]


def off_host_in_template(path: Path) -> list[str]:
    found = parse(path.read_text())
    urls = found.loaded + [url for style in found.styles for url in css_urls(style)]
    return [url for url in urls if OFF_HOST_LITERAL.match(url.strip())]


# --- templates -----------------------------------------------------------------------


def test_our_templates_load_nothing_from_off_host():
    bad = {str(p.relative_to(OUR_TEMPLATES)): off_host_in_template(p) for p in OUR_TEMPLATES.rglob("*.html")}
    assert {name: urls for name, urls in bad.items() if urls} == {}


def test_every_evennia_template_loading_from_a_cdn_is_overridden():
    """An Evennia upgrade that adds a CDN reference to a template fails here until we override it."""
    needing = sorted(
        str(p.relative_to(EVENNIA_TEMPLATES)) for p in EVENNIA_TEMPLATES.rglob("*.html") if off_host_in_template(p)
    )
    assert needing, "expected Evennia's stock templates to use CDNs; has the scan stopped working?"
    missing = [name for name in needing if not (OUR_TEMPLATES / name).exists()]
    assert missing == []


# --- the live server -------------------------------------------------------------------


@pytest.fixture(scope="module")
def web(game_server):
    with httpx.Client(base_url=f"http://127.0.0.1:{game_server.web_port}", timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def admin_web(game_server):
    """A web session logged in as the server's superuser."""
    with httpx.Client(base_url=f"http://127.0.0.1:{game_server.web_port}", timeout=30) as client:
        form = client.get("/auth/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        reply = client.post(
            "/auth/login/",
            data={"csrfmiddlewaretoken": token, "username": ADMIN[0], "password": ADMIN[1]},
            headers={"Referer": str(form.url)},
        )
        assert reply.status_code == 302, f"admin login failed: {reply.status_code}"
        yield client


def assert_page_self_contained(client: httpx.Client, path: str) -> Resources:
    """Fetch the page; every resource it loads is local and served with 200, CSS recursively."""
    page = client.get(path)
    assert page.status_code == 200, f"{path}: {page.status_code}"
    found = parse(page.text)
    assert found.loaded, f"{path} loads no resources at all; is this the real page?"
    pending = [(urljoin(str(page.url), url), path) for url in found.loaded]
    pending += [(urljoin(str(page.url), url), path) for style in found.styles for url in css_urls(style)]
    seen = set()
    while pending:
        url, referrer = pending.pop()
        if url in seen or url.startswith("data:"):
            continue
        seen.add(url)
        assert is_local(url), f"{referrer} loads {url} from off-host"
        reply = client.get(url)
        assert reply.status_code == 200, f"{referrer} loads {url}: {reply.status_code}"
        if url.split("?")[0].endswith(".css"):
            pending += [(urljoin(url, ref), url) for ref in css_urls(reply.text)]
    return found


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_loads_only_local_resources(web, path):
    assert_page_self_contained(web, path)


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_page_loads_only_local_resources(admin_web, path):
    assert_page_self_contained(admin_web, path)


@pytest.mark.parametrize("listing, prefix", DETAIL_PAGES)
def test_detail_page_loads_only_local_resources(admin_web, listing, prefix):
    """Character pages (Evennia's used a placehold.jp image) and help entries."""
    found = parse(admin_web.get(listing).text)
    details = sorted({url for url in found.links if url.startswith(prefix) and url != listing})
    assert details, f"{listing} links to no page under {prefix}"
    assert_page_self_contained(admin_web, details[0])


def test_webclient_stylesheets_and_fonts_are_the_vendored_ones(web):
    loaded = parse(web.get("/webclient/").text).loaded
    for lib in ("vendor/jquery/", "vendor/bootstrap/", "vendor/golden-layout/", "vendor/favico.js/", "webclient/css/fonts.css"):
        assert any(lib in url for url in loaded), f"/webclient/ does not load {lib}"
    fonts_css = web.get(next(url for url in loaded if url.endswith("fonts.css"))).text
    assert len(css_urls(fonts_css)) >= 7
