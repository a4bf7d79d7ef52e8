"""The API reference page is generated from the package and the notebooks, and must not go stale."""
import subprocess
import sys

import d2lbook_utils as d2l
from tools import api_reference
from tools.book import ROOT


def test_api_page_is_up_to_date():
    result = subprocess.run([sys.executable, "-m", "tools.api_reference", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_public_name_is_on_the_page_with_a_link():
    text = api_reference.PAGE.read_text(encoding="utf-8")
    for name in d2l.__all__:
        entry = text.split(f" d2lbook_utils.{name}\n", 1)
        assert len(entry) == 2, name
        assert "第一次出现：[" in entry[1].split("```{", 1)[0], name
