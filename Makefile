# 两个命令完成全部准备：`make book` 构建网站，`make test` 运行全部测试。
# Both targets create .venv when missing and install the pinned requirements first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider
# Notebooks re-run under a thread count other than the recorded one (two of them train).
.PHONY: book test unit checks kernels nbval nbval-foreign repro build-strict site execute pages vendor clean

# Web assets the site serves itself so that it reads offline (formulas, widgets): MathJax, require.js and
# the ipywidgets HTML manager released with ipywidgets 8.1.9. `npm pack` fetches these pinned tarballs
# (checked against the registry's hashes) without their dependencies; we unpack the prebuilt files into
# the git-ignored _vendor/static, which _config.yml lists in html_static_path.
MATHJAX_VERSION      := 3.2.2
REQUIREJS_VERSION    := 2.3.8
HTML_MANAGER_VERSION := 1.0.15
VENDOR := _vendor/static

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	touch $(STAMP)

vendor: _vendor/.stamp

_vendor/.stamp: Makefile
	rm -rf _vendor && mkdir -p _vendor/npm $(VENDOR)/mathjax $(VENDOR)/html-manager
	cd _vendor/npm && npm pack --silent --no-fund --no-audit mathjax@$(MATHJAX_VERSION) \
		requirejs@$(REQUIREJS_VERSION) @jupyter-widgets/html-manager@$(HTML_MANAGER_VERSION) >/dev/null
	tar -xzf _vendor/npm/mathjax-$(MATHJAX_VERSION).tgz -C $(VENDOR)/mathjax --strip-components=2 package/es5
	tar -xzf _vendor/npm/mathjax-$(MATHJAX_VERSION).tgz -C $(VENDOR)/mathjax --strip-components=1 package/LICENSE
	tar -xzf _vendor/npm/requirejs-$(REQUIREJS_VERSION).tgz -C $(VENDOR) --strip-components=1 package/require.js
	tar -xzf _vendor/npm/jupyter-widgets-html-manager-$(HTML_MANAGER_VERSION).tgz -C $(VENDOR)/html-manager \
		--strip-components=2 --exclude='*.map' --exclude='embed.js*' --exclude='libembed-amd.js' package/dist
	rm -rf _vendor/npm
	touch $@

book: $(STAMP) _vendor/.stamp
	$(BIN)/jupyter-book build -W -n --keep-going .
	@echo "网站已构建：用浏览器打开 $(CURDIR)/_build/html/index.html"

# The whole nbval suite runs twice: under the recorded settings and under foreign torch kernels, as on another
# CPU (tools/book.py: CONFIGS). A sample runs a third time under two threads per kernel: the whole suite that
# way runs one notebook at a time (two 2-thread kernels side by side on two cores crawl), which doubles its time.
test: unit checks kernels nbval nbval-foreign repro build-strict site
	@echo "make test: all checks passed"

# The figures and the appendix pages generated from figures/, the package and the stored notebooks (tests fail
# when they are stale).
pages: $(STAMP)
	$(BIN)/python -m tools.figures
	$(BIN)/python -m tools.results_page
	$(BIN)/python -m tools.api_reference

# The tests by kind, one folder each: the package's modules and the tools (seconds); the book's pages and notebooks
# as files (hygiene, prose numbers, citations, generated pages, Sphinx settings); widgets driven in live kernels.
unit: $(STAMP)
	$(PYTEST) tests/unit

checks: $(STAMP)
	$(PYTEST) tests/book

kernels: $(STAMP)
	$(PYTEST) tests/kernel

NBVAL := $(PYTEST) --nbval --nbval-current-env --nbval-cell-timeout 900 --nbval-sanitize-with tests/nbval_sanitize.cfg
# One worker per core, each notebook whole on one worker: xdist's default would deal a notebook's cells to both.
PARALLEL := -n auto --dist loadscope

nbval: $(STAMP)
	$(NBVAL) $(PARALLEL) chapters

nbval-foreign: $(STAMP)
	env $$($(BIN)/python -m tools.book env foreign) $(NBVAL) $(PARALLEL) chapters

repro: $(STAMP)
	env $$($(BIN)/python -m tools.book env threads-2) $(NBVAL) $$($(BIN)/python -m tools.book repro-sample)

build-strict: $(STAMP) _vendor/.stamp
	$(BIN)/jupyter-book build --all -W -n --keep-going .

site: $(STAMP)
	$(PYTEST) tests/site

# Re-record stored outputs (one notebook at a time, under the test settings).
execute: $(STAMP)
	$(BIN)/python -m tools.bootstrap
	$(BIN)/python -m tools.execute
	$(MAKE) pages

clean:
	rm -rf _build _vendor
