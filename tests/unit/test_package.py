"""The package's shape: layered modules, one list of public names per module, each name documented with its section."""
from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import d2lbook_utils
from tools.api_reference import DATA_DOCS
from tools.book import ROOT, page_title, toc_files

PACKAGE = Path(d2lbook_utils.__file__).parent

# Each module may import only the modules before it: base → data → models and their training loops.
LAYERS = {
    "base": ["_checks", "_report", "plot", "diagrams", "runtime", "devices", "timing", "_loop", "model_cost"],
    "data": ["data", "arrays", "fashion_mnist", "text", "translation"],
    "models": ["linear", "classify", "batch_norm", "_recurrent_grads", "rnn", "gated_rnn", "encoder_decoder", "bleu",
               "seq2seq", "attention"],
}
ORDER = [module for modules in LAYERS.values() for module in modules]


def package_imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every relative import in a file, at any depth (function-level imports included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.append((node.module, [alias.name for alias in node.names]))
            else:  # from . import x
                found.extend((alias.name, []) for alias in node.names)
    return found


def test_every_module_has_a_layer():
    modules = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert sorted(ORDER) == modules


@pytest.mark.parametrize("module", ORDER)
def test_a_module_imports_only_modules_of_its_layer_or_below(module):
    earlier = ORDER[:ORDER.index(module)]
    for imported, names in package_imports(PACKAGE / f"{module}.py"):
        assert imported in earlier, f"{module} imports {imported}, which is not below it ({earlier})"
        private = [n for n in names if n.startswith("_")]
        assert not private or imported.startswith("_"), f"{module} imports private {private} from {imported}"


def test_the_package_exports_each_modules_names_once_in_teaching_order():
    assert [m.__name__.split(".")[-1] for m in d2lbook_utils.MODULES] == [
        "runtime", "plot", "diagrams", "devices", "timing", "data", "linear", "arrays", "fashion_mnist", "classify",
        "model_cost",
        "batch_norm", "text", "rnn", "gated_rnn", "translation", "encoder_decoder", "seq2seq", "bleu", "attention"]
    names = [name for module in d2lbook_utils.MODULES for name in module.__all__]
    assert d2lbook_utils.__all__ == names
    assert len(set(names)) == len(names)
    for module in d2lbook_utils.MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            assert getattr(d2lbook_utils, name) is obj
            if inspect.isfunction(obj) or inspect.isclass(obj):
                assert obj.__module__ == module.__name__, f"{name} is listed by {module.__name__}, defined elsewhere"


def test_every_public_name_names_the_section_that_teaches_it():
    titles = set()
    for entry in toc_files():
        for suffix in (".ipynb", ".md"):
            if (ROOT / f"{entry}{suffix}").exists():
                titles.add(page_title(ROOT / f"{entry}{suffix}"))
    for name in d2lbook_utils.__all__:
        if name in DATA_DOCS:
            continue  # data, not code (DATASETS, plt): the API page describes them
        named = re.findall(r"《([^》]+)》", inspect.getdoc(getattr(d2lbook_utils, name)) or "")
        assert named, f"{name}: the docstring names no section (见《标题》)"
        assert set(named) & titles, f"{name}: {named} names no page of the book"
