"""Local Sphinx extension for the book's HTML.

sphinx-thebe 0.3.1 adds its inline configuration script once per read of the sources; a second read
(as Jupyter Book's build does) declares `const THEBE_JS_URL` twice and the browser reports a
SyntaxError on every page. Keep one copy of each script.

The site reads offline: MathJax and the widget scripts are served from html_static_path (filled by
`make vendor`). A build without them would link to missing files, so it warns (an error under -W) and
falls back to the CDN defaults of Sphinx and myst-nb: such a site needs the internet for formulas and widgets.
"""
import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # The copies differ only in filename None versus "" (both mean an inline script).
        key = (str(getattr(script, "filename", script) or ""),
               tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _check_static_assets(app):
    if app.builder.format != "html":
        return
    wanted = [app.config.mathjax_path or ""] + list(getattr(app.config, "nb_ipywidgets_js", None) or {})
    local = [w for w in wanted if w and "://" not in w and not w.startswith("/")]
    roots = [Path(app.confdir, p) for p in app.config.html_static_path]
    missing = [w for w in local if not any((root / w).is_file() for root in roots)]
    if missing:
        from myst_nb.core.config import ipywidgets_js_factory
        from sphinx.ext.mathjax import MATHJAX_URL

        logger.warning(f"离线网页资源缺失 {missing}：先运行 `make vendor`（见 Makefile）；这次改用 CDN 上的 MathJax 与控件脚本")
        app.config.mathjax_path = MATHJAX_URL
        app.config.nb_ipywidgets_js = ipywidgets_js_factory()


def _raw_prefix(app) -> str:
    options = app.config.html_theme_options or {}
    url = options.get("repository_url", "").rstrip("/").removeprefix("https://github.com/")
    return f"https://raw.githubusercontent.com/{url}/{options.get('repository_branch', 'main')}/"


def _local_figures(app, doctree):
    """Notebooks show the book's figures by their raw repository URL (the one reference Colab resolves);
    the site and the PDF use the committed file itself, so they read offline and always match the source."""
    prefix = _raw_prefix(app)
    docdir = posixpath.dirname(app.env.docname)
    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if uri.startswith(prefix):
            target = uri[len(prefix):].split("?")[0]
            if not Path(app.srcdir, target).is_file():
                logger.warning(f"图的文件不存在：{target}（先运行 `python -m tools.figures`）", location=image)
                continue
            image["uri"] = posixpath.relpath(target, docdir or ".")
            if "candidates" in image:
                del image["candidates"]


def setup(app):
    # Before myst-nb reads its configuration (priority 500).
    app.connect("builder-inited", _check_static_assets, priority=400)
    app.connect("html-page-context", _dedupe_scripts)
    # Before Sphinx's image collector (priority 500) records the images to copy.
    app.connect("doctree-read", _local_figures, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
