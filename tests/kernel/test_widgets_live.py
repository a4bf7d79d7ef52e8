"""Every widget reacts live, as it does for a reader in Jupyter or Colab: in a real kernel, moving each control
of each `interactive` re-runs its callback with the new value, and the callback draws a figure without error.

(The static pages show only the saved initial state; tests/site/test_site.py checks that state in Chromium.)
"""
import json

import nbformat
import pytest

from tools.book import NOTEBOOK_ENV, read_notebook, widget_notebooks
from tools.execute import SlicedPollingClient

# Runs in the notebook's kernel after all its cells: moves every control once and reports what happened.
PROBE = r'''
import json as _json
from IPython.utils.capture import capture_output as _capture
from ipywidgets import interactive as _interactive
from ipywidgets.widgets.widget import _instances as _widgets

_report = []
for _w in [w for w in list(_widgets.values()) if isinstance(w, _interactive)]:
    _calls = []

    def _spy(_f=_w.f, _calls=_calls, **kwargs):
        with _capture() as _out:
            try:
                _f(**kwargs)
                _error = None
            except Exception as _e:  # interactive would only print it into its output area
                _error = repr(_e)
        _images = sum("image/png" in o.data or "image/svg+xml" in o.data for o in _out.outputs)
        _calls.append({"kwargs": {k: repr(v) for k, v in kwargs.items()}, "error": _error, "images": _images})

    _w.f = _spy
    for _c in _w.kwargs_widgets:
        if hasattr(_c, "options") and len(_c.options) > 1:
            _c.index = (_c.index + 1) % len(_c.options)
        elif hasattr(_c, "max") and hasattr(_c, "min"):
            _c.value = _c.min if _c.value == _c.max else _c.max
        elif isinstance(_c.value, bool):
            _c.value = not _c.value
        else:
            continue
        _last = _calls[-1] if _calls else None
        _report.append({"control": _c.description or type(_c).__name__, "new": repr(_c.value),
                        "called_with": None if _last is None else _last["kwargs"].get(_c._kwarg),
                        "error": None if _last is None else _last["error"],
                        "images": 0 if _last is None else _last["images"]})
        _calls.clear()
print("PROBE" + _json.dumps(_report))
'''


@pytest.mark.parametrize("path", widget_notebooks(), ids=lambda p: p.stem)
def test_every_control_redraws_live(path, monkeypatch):
    for key, value in NOTEBOOK_ENV.items():
        monkeypatch.setenv(key, value)
    nb = read_notebook(path)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    SlicedPollingClient(nb, timeout=600, kernel_name="python3",
                        resources={"metadata": {"path": str(path.parent)}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    report = json.loads(text.split("PROBE", 1)[1])
    assert report, "no interactive controls found"
    for entry in report:
        assert entry["called_with"] == entry["new"], entry  # the callback re-ran with the moved value
        assert entry["error"] is None, entry
        assert entry["images"] >= 1, entry  # and drew a figure
