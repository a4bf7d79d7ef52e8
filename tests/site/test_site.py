"""The built site (_build/html): Chinese search, launch buttons, and a real headless Chromium.

Run after `jupyter-book build`; `make test` does. Chromium is Debian's (`/usr/bin/chromium`), driven by
Playwright without any browser download; every request that leaves this machine is blocked, and a page
that tries one fails: the site must read offline (MathJax and the widget scripts come from `_static`).
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
from urllib.parse import unquote, urlparse

import pytest

from tools.book import ROOT, config, read_notebook, toc_files, toc_notebooks, widget_notebooks

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

    def route(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            problems.append(f"request left the machine: {route.request.url}")
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda err: problems.append(f"JavaScript error: {err}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text} ({msg.location.get('url')})")
            if msg.type == "error" and is_local(msg.location.get("url") or site) else None)
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}") if is_local(req.url) else None)
    page.on("response", lambda resp: problems.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None)
    page.goto(f"{site}/{path}", wait_until="networkidle")
    # Every image, lazily loaded or not, must finish loading (or fail) before we look at it.
    page.evaluate("() => Promise.all([...document.images].map(i => { i.loading = 'eager';"
                  " return i.complete ? null : new Promise(r => { i.addEventListener('load', r);"
                  " i.addEventListener('error', r); setTimeout(r, 10000); }); }))")
    broken = page.evaluate("() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
                           ".map(i => i.currentSrc || i.src)")
    problems += [f"image did not load: {src}" for src in broken]
    return page, problems


def math_problems(page) -> list[str]:
    """Wait for MathJax (if the page loads it) and report formulas it did not render."""
    if not page.evaluate("() => Boolean(window.MathJax)"):
        return []
    page.wait_for_function("() => window.MathJax.startup && window.MathJax.startup.promise", timeout=20000)
    page.evaluate("() => window.MathJax.startup.promise")
    return page.evaluate("""() => [
        ...[...document.querySelectorAll('.math')].filter(m => !m.querySelector('mjx-container'))
            .map(m => 'formula not rendered: ' + m.textContent.slice(0, 80)),
        ...[...document.querySelectorAll('mjx-merror')]
            .map(e => 'MathJax error: ' + (e.getAttribute('data-mjx-error') || e.textContent).slice(0, 120)),
        // A backslash drawn as a glyph (U+005C) is an escape MathJax did not undo, e.g. \\_ inside \\text{}
        ...[...document.querySelectorAll('mjx-container')].filter(m => m.querySelector('mjx-c.mjx-c5C'))
            .map(m => 'literal backslash in formula: ' + (m.getAttribute('aria-label') || m.textContent).slice(0, 80)),
    ]""")


def site_pages() -> list[str]:
    """Every page built from _toc.yml (chapter index pages and the appendix included), plus genindex."""
    return [f"{f}.html" for f in toc_files()] + ["genindex.html"]


@functools.lru_cache(maxsize=None)
def anchors(target: Path) -> frozenset[str]:
    html = target.read_text(encoding="utf-8")
    return frozenset(unquote(a) for a in re.findall(r'\b(?:id|name)="([^"]+)"', html))


def link_problems(site: str, hrefs: list[str]) -> list[str]:
    """Every link that stays on the site leads to a built file, and to an anchor that exists there."""
    found = []
    for href in sorted(set(hrefs)):
        url = urlparse(href)
        if f"{url.scheme}://{url.netloc}" != site:
            continue
        target = HTML / unquote(url.path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            found.append(f"broken link: {href}")
        elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in anchors(target):
            found.append(f"missing anchor: {href}")
    return found


def test_every_toc_page_is_built():
    missing = [p for p in site_pages() if not (HTML / p).is_file()]
    assert len(site_pages()) > 50 and missing == []


@pytest.mark.parametrize("path", site_pages())
def test_page_loads_cleanly_offline(browser, site, path):
    """No JavaScript error, no request off the machine, every image loads, every formula renders,
    every internal link (and its #anchor) resolves."""
    page, problems = open_page(browser, site, path)
    assert page.title(), "page has a title"
    problems += math_problems(page)
    problems += link_problems(site, page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"))
    page.close()
    assert problems == []


@pytest.mark.parametrize("path", ["chapters/preliminaries/linear-algebra.html",
                                  "chapters/preliminaries/calculus.html"])
def test_formulas_render_offline(browser, site, path):
    page, problems = open_page(browser, site, path)
    problems += math_problems(page)
    rendered = page.locator("mjx-container").count()
    source = page.evaluate("() => [...document.scripts].map(s => s.src).find(s => s.includes('mathjax'))")
    page.close()
    assert source and source.startswith(site + "/_static/"), source
    assert rendered >= 20, "a page full of formulas"
    assert problems == []


def test_there_are_widget_pages():
    assert len(widget_notebooks()) >= 8


@pytest.mark.parametrize("notebook", widget_notebooks(), ids=lambda p: p.stem)
def test_widgets_show_their_initial_state_offline(browser, site, notebook):
    path = notebook.relative_to(ROOT).with_suffix(".html").as_posix()
    page, problems = open_page(browser, site, path)
    widget = page.locator(".jupyter-widgets.widget-container, .jupyter-widgets.widget-box").first
    widget.wait_for(state="visible", timeout=20000)
    slider = widget.locator(".widget-slider, .widget-hslider").first
    slider.wait_for(state="visible", timeout=10000)
    figure = widget.locator(".widget-output img").first
    figure.wait_for(state="visible", timeout=10000)
    loaded = figure.evaluate("i => i.complete && i.naturalWidth > 100")
    page.close()
    assert loaded, "the widget's initial figure"
    assert problems == []


def figure_alts() -> dict[str, list[str]]:
    """Page path -> the alt texts of the book's figures on it: drawn ones (figures/) and computed ones."""
    from figures import COMPUTED, PHOTOS, all_figures
    from tools import figures as tool

    pages: dict[str, list[str]] = {}
    for fig in all_figures():
        pages.setdefault(f"chapters/{fig.section}.html", []).append(tool.plain_alt(fig))
    for name, (section, *_rest) in {**COMPUTED, **PHOTOS}.items():
        nb = read_notebook(ROOT / "chapters" / f"{section}.ipynb")
        cell = tool.figure_code_cells(nb, name)[0]
        pages.setdefault(f"chapters/{section}.html", []).append(cell.metadata["mystnb"]["image"]["alt"])
    return pages


# A figure drawn at less than this fraction of its own size makes its 11-point labels smaller than ~8 px.
MIN_SCALE = 0.7


@pytest.mark.parametrize("path", sorted(figure_alts()))
def test_figures_load_with_alt_text_and_stay_legible(browser, site, path):
    page, problems = open_page(browser, site, path)
    images = page.evaluate("() => [...document.images].map(i => ({alt: i.alt, src: i.currentSrc || i.src,"
                           " natural: i.naturalWidth, shown: i.getBoundingClientRect().width}))")
    page.close()
    for alt in figure_alts()[path]:
        found = [i for i in images if i["alt"].strip() == alt.strip()]
        if not found:
            problems.append(f"no image with alt text {alt[:40]!r}")
            continue
        image = found[0]
        if image["natural"] == 0:
            problems.append(f"figure did not load: {image['src']}")
        elif image["shown"] < MIN_SCALE * image["natural"]:
            problems.append(f"figure shrunk to {image['shown']:.0f} of {image['natural']} px: {image['src']}")
    assert problems == []


def test_chinese_search_finds_a_section_in_chromium(browser, site):
    page, problems = open_page(browser, site, "search.html?q=张量")
    page.wait_for_selector("#search-results li a", timeout=15000)
    hits = page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.getAttribute('href'))")
    page.close()
    assert any("preliminaries/ndarray" in h for h in hits), hits
    assert problems == []
