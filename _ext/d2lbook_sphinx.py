"""Local Sphinx extension for the book's HTML.

sphinx-thebe 0.3.1 adds its inline configuration script once per read of the sources; a second read
(as Jupyter Book's build does) declares `const THEBE_JS_URL` twice and the browser reports a
SyntaxError on every page. Keep one copy of each script.
"""


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


def setup(app):
    app.connect("html-page-context", _dedupe_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
