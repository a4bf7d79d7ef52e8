"""Generate chapters/appendix/api.md: every public name of d2lbook_utils, grouped by module, with its
signature and docstring (Sphinx autodoc) and a link to the first section whose code uses it.

    python -m tools.api_reference          # rewrite the page
    python -m tools.api_reference --check  # exit 1 if the page is stale (tests/book/test_api_reference.py)
"""
from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

from tools.book import ROOT, page_title, pages, write_generated

PAGE = ROOT / "chapters" / "appendix" / "api.md"

# Names that are not functions or classes: autodoc would show the docstring of their type instead.
DATA_DOCS = {
    "DATASETS": "本书用到的每个数据文件：名字 → `DataFile(相对路径, SHA-1, 下载地址)`。`d2l.fetch(名字)` 按它查找、下载并校验。",
    "plt": "就是 `matplotlib.pyplot`，放在工具包里是为了让笔记本只需 `import d2lbook_utils as d2l`。",
}

HEADER = """# 工具包 API 参考

`d2lbook_utils`（在笔记本里写作 `import d2lbook_utils as d2l`）的全部公开名字，按模块分组。每一项给出签名、
说明和第一次用到它的小节。这一页由 `python -m tools.api_reference` 从代码和笔记本生成，请勿手改；
`make test` 会检查它是否过期。
"""


def _pages() -> list[tuple[Path, str]]:
    """Every page of the book in reading order with its code (notebooks; markdown pages have none)."""
    return [(page.path, "\n".join(c.source for c in page.notebook.cells if c.cell_type == "code") if page.is_notebook
             else "") for page in pages()]


def first_use(names: list[str], pages: list[tuple[Path, str]]) -> dict[str, Path]:
    """name → the first page (in reading order) whose code says `d2l.name`; else the page its docstring
    names with 见《标题》."""
    found: dict[str, Path] = {}
    for path, code in pages:
        for name in names:
            if name not in found and re.search(rf"\bd2l\.{re.escape(name)}\b", code):
                found[name] = path
    import d2lbook_utils

    by_title = {page_title(path): path for path, _ in pages}
    for name in names:
        if name not in found:
            for title in re.findall(r"《([^》]+)》", inspect.getdoc(getattr(d2lbook_utils, name)) or ""):
                if title in by_title:
                    found[name] = by_title[title]
                    break
    return found


def _directive(name: str, obj) -> str:
    if name in DATA_DOCS:
        return f"```{{py:data}} d2lbook_utils.{name}\n{DATA_DOCS[name]}\n```"
    # autodoc writes reStructuredText, so its directives must be read by the rst parser
    if inspect.isclass(obj):
        return f"```{{eval-rst}}\n.. autoclass:: d2lbook_utils.{name}\n   :members:\n```"
    return f"```{{eval-rst}}\n.. autofunction:: d2lbook_utils.{name}\n```"


def render() -> str:
    import d2lbook_utils

    names = list(d2lbook_utils.__all__)
    missing = [n for n in names if not inspect.isfunction(inspect.unwrap(getattr(d2lbook_utils, n)))
               and not inspect.isclass(getattr(d2lbook_utils, n)) and n not in DATA_DOCS]
    if missing:
        raise SystemExit(f"public names that are neither functions nor classes need an entry in DATA_DOCS: {missing}")
    pages = _pages()
    uses = first_use(names, pages)
    unlinked = [n for n in names if n not in uses]
    if unlinked:
        raise SystemExit(f"no section uses or names these public names: {unlinked}")
    order = {path: i for i, (path, _) in enumerate(pages)}
    modules: dict[str, list[str]] = {}
    for name in sorted(names, key=lambda n: (order[uses[n]], n.lower())):
        module = next(m.__name__ for m in d2lbook_utils.MODULES if name in m.__all__)
        modules.setdefault(module, []).append(name)
    parts = [HEADER]
    for module, members in modules.items():
        doc = (inspect.getdoc(sys.modules[module]) or "").splitlines()[0]
        parts.append(f"## `{module.split('.')[-1]}`：{doc}\n")
        for name in members:
            page = uses[name]
            link = Path("..", *page.relative_to(ROOT / "chapters").parts) if "chapters" in page.parts else \
                Path("..", "..", page.name)
            parts.append(f"{_directive(name, getattr(d2lbook_utils, name))}\n\n"
                         f"第一次出现：[{page_title(page)}]({link.as_posix()})\n")
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    args = parser.parse_args()
    return write_generated({PAGE: render()}, args.check, "python -m tools.api_reference")


if __name__ == "__main__":
    sys.exit(main())
