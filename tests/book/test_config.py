"""Guard the settings that matter: Jupyter Book ignores a misspelt key without a word."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tools.book import ROOT, config, toc

import jupyter_book

DEFAULTS = yaml.safe_load((Path(jupyter_book.__file__).parent / "default_config.yml").read_text(encoding="utf-8"))


def unknown_keys(ours: dict, known: dict, prefix: str = "") -> list[str]:
    found = []
    for key, value in ours.items():
        if key not in known:
            found.append(prefix + key)
        elif isinstance(value, dict) and isinstance(known[key], dict) and key != "config":
            found += unknown_keys(value, known[key], f"{prefix}{key}.")
    return found


# Top-level keys Jupyter Book reads although its default_config.yml does not list them (jupyter_book/config.py
# loads sphinxcontrib-bibtex when one is present).
EXTRA_KEYS = {"bibtex_bibfiles": [], "bibtex_reference_style": "label"}


def test_every_jupyter_book_key_is_known():
    assert unknown_keys(config(), {**DEFAULTS, **EXTRA_KEYS}) == []


def test_sphinx_overrides_are_real_sphinx_settings(tmp_path, monkeypatch):
    from jupyter_book.config import get_final_config
    from sphinx.application import Sphinx

    final, _ = get_final_config(user_yaml=config(), sourcedir=tmp_path, cli_config={"latex_individualpages": False})
    overrides = config()["sphinx"]["config"]
    for folder in config()["sphinx"].get("local_extensions", {}).values():
        monkeypatch.syspath_prepend(str(ROOT / folder))
    (tmp_path / "index.md").write_text("# x\n", encoding="utf-8")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    app = Sphinx(str(tmp_path), None, str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
                 confoverrides={"extensions": final["extensions"], "bibtex_bibfiles": final.get("bibtex_bibfiles", [])},
                 status=None, warning=None)
    assert [key for key in overrides if key not in app.config] == []


def test_the_settings_that_matter():
    cfg = config()
    assert cfg["execute"]["execute_notebooks"] == "off"
    assert cfg["sphinx"]["config"]["language"] == "zh_CN"
    assert cfg["sphinx"]["config"]["html_search_language"] == "zh"
    assert set(cfg["parse"]["myst_enable_extensions"]) >= {"dollarmath", "amsmath", "colon_fence", "deflist"}
    assert cfg["repository"]["url"].startswith("https://github.com/") and cfg["repository"]["branch"] == "main"
    assert cfg["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert cfg["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert all(cfg["html"][k] for k in ("use_repository_button", "use_issues_button", "use_edit_page_button"))
    assert cfg["only_build_toc_files"] is True


def test_toc_is_numbered():
    parts = toc()["parts"]
    assert parts and all(part.get("numbered") is (part["caption"] != "附录") for part in parts)


@pytest.mark.parametrize("module", ["jieba"])
def test_chinese_search_segmenter_is_installed(module):
    __import__(module)


def test_binder_pins_agree_with_requirements():
    def pins(path):
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        return dict(line.split("==") for line in lines if "==" in line and not line.startswith("#"))

    pinned, binder = pins("requirements.txt"), pins("binder/requirements.txt")
    for name, version in binder.items():
        assert pinned[name] == version.split("+")[0], name
