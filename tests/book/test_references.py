"""Each section that presents a published method cites its original work, and every entry of references.bib is cited."""
import re

import pytest

from tools.book import ROOT, read_notebook, toc_files

# The list of methods, by the section that presents each: the keys its prose must cite.
CITED_IN = {
    "convolutional-neural-networks/lenet": ["lecun1998gradient"],
    "convolutional-modern/alexnet": ["krizhevsky2012imagenet", "he2015delving"],
    "convolutional-modern/vgg": ["simonyan2015very"],
    "convolutional-modern/nin": ["lin2014network"],
    "convolutional-modern/googlenet": ["szegedy2015going"],
    "convolutional-modern/batch-norm": ["ioffe2015batch"],
    "convolutional-modern/resnet": ["he2016deep", "smith2019super"],
    "convolutional-modern/densenet": ["huang2017densely"],
    "recurrent-modern/lstm": ["hochreiter1997long"],
    "recurrent-modern/gru": ["cho2014learning"],
    "recurrent-modern/seq2seq": ["sutskever2014sequence", "papineni2002bleu"],
    "recurrent-modern/beam-search": ["sutskever2014sequence"],
    "attention-mechanisms/nadaraya-watson": ["nadaraya1964estimating", "watson1964smooth"],
    "attention-mechanisms/bahdanau-attention": ["bahdanau2015neural"],
    "attention-mechanisms/multihead-attention": ["vaswani2017attention"],
    "attention-mechanisms/transformer": ["vaswani2017attention"],
    "multilayer-perceptrons/dropout": ["srivastava2014dropout"],
    "multilayer-perceptrons/numerical-stability-and-init": ["glorot2010understanding"],
    "linear-networks/linear-regression-concise": ["kingma2015adam"],
}
BIB_KEYS = re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(encoding="utf-8"), re.M)


def cited(section: str) -> set[str]:
    nb = read_notebook(ROOT / "chapters" / f"{section}.ipynb")
    keys = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", cell.source):
                keys |= {k.strip() for k in group.split(",")}
    return keys


@pytest.mark.parametrize("section", sorted(CITED_IN))
def test_section_cites_the_original_work(section):
    missing = set(CITED_IN[section]) - cited(section)
    assert not missing, f"{section} does not cite {sorted(missing)}"


def test_every_citation_has_an_entry_and_every_entry_is_cited():
    used = set().union(*(cited(f"{p.parent.name}/{p.stem}") for p in (ROOT / "chapters").glob("*/*.ipynb")))
    assert used - set(BIB_KEYS) == set(), "cited keys missing from references.bib"
    assert set(BIB_KEYS) - used == set(), "entries of references.bib that no section cites"
    assert len(BIB_KEYS) == len(set(BIB_KEYS)), "duplicate keys"


def test_the_bibliography_page_is_in_the_book():
    assert "chapters/appendix/references" in toc_files()
    assert "```{bibliography}" in (ROOT / "chapters" / "appendix" / "references.md").read_text(encoding="utf-8")
