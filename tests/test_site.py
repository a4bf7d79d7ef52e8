"""The built site (_build/html): Chinese search, launch buttons, and a real headless Chromium.

Run after `jupyter-book build`; `make test` does. Chromium is Debian's (`/usr/bin/chromium`), driven by
Playwright without any browser download; every request that leaves this machine is blocked.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tools.book import ROOT, config, toc_notebooks

pytestmark = pytest.mark.site
HTML = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("D2LBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html is missing: run `jupyter-book build .` first")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def search_terms() -> dict:
    text = (HTML / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])["terms"]


@pytest.mark.parametrize("word", ["张量", "梯度", "概率"])
def test_search_index_holds_chinese_words(word):
    assert word in search_terms()


def notebook_pages() -> list[Path]:
    return [HTML / nb.relative_to(ROOT).with_suffix(".html") for nb in toc_notebooks()]


@pytest.mark.parametrize("page", notebook_pages(), ids=lambda p: p.stem)
def test_launch_buttons_point_to_the_repository(page):
    html = page.read_text(encoding="utf-8")
    repo = urlparse(config()["repository"]["url"]).path.strip("/")
    branch = config()["repository"]["branch"]
    notebook = page.relative_to(HTML).with_suffix(".ipynb").as_posix()
    colab = f"{config()['launch_buttons']['colab_url']}/github/{repo}/blob/{branch}/{notebook}"
    binder = f"{config()['launch_buttons']['binderhub_url']}/v2/gh/{repo}/{branch}?urlpath=lab/tree/{notebook}"
    hrefs = set(re.findall(r'href="([^"]+)"', html))
    assert colab in hrefs, "Colab launch button"
    assert binder in hrefs, "Binder launch button"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def open_page(browser, site: str, path: str):
    """Open a page with outside requests blocked; return the page and the problems seen on it."""
    page = browser.new_page()
    problems: list[str] = []
    local = urlparse(site).netloc

    def is_local(url: str) -> bool:
        return urlparse(url).netloc in (local, "") or url.startswith(("data:", "blob:"))

    page.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
    page.on("pageerror", lambda err: problems.append(f"JavaScript error: {err}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text} ({msg.location.get('url')})")
            if msg.type == "error" and is_local(msg.location.get("url") or site) else None)
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}") if is_local(req.url) else None)
    page.goto(f"{site}/{path}", wait_until="networkidle")
    # Scroll through the page so lazily loaded images load too.
    page.evaluate("async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
                  " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 20)); } }")
    page.wait_for_load_state("networkidle")
    broken = page.evaluate("() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
                           ".map(i => i.currentSrc || i.src)")
    problems += [f"image did not load: {src}" for src in broken]
    return page, problems


@pytest.mark.parametrize("path", ["index.html", "chapters/preliminaries/autograd.html",
                                  "chapters/preliminaries/probability.html"])
def test_pages_load_cleanly_in_chromium(browser, site, path):
    page, problems = open_page(browser, site, path)
    assert page.title(), "page has a title"
    assert page.locator("img").count() > 0 or path == "index.html"
    page.close()
    assert problems == []


def test_chinese_search_finds_a_section_in_chromium(browser, site):
    page, problems = open_page(browser, site, "search.html?q=张量")
    page.wait_for_selector("#search-results li a", timeout=15000)
    hits = page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.getAttribute('href'))")
    page.close()
    assert any("preliminaries/ndarray" in h for h in hits), hits
    assert problems == []
