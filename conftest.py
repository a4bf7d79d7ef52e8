"""Root pytest configuration: notebooks run under the recorded settings, with the nbval extensions."""
import os

from tools.book import NOTEBOOK_ENV
from tools import nbval_policy

# Kernels started by nbval inherit this environment. A value set by the caller wins, so the
# reproducibility check can re-run notebooks under another thread count.
for key, value in NOTEBOOK_ENV.items():
    os.environ.setdefault(key, value)

nbval_policy.install()


def pytest_collection_modifyitems(session, config, items):
    """Run the longest notebooks first: with two workers, a long notebook left for last keeps one core idle.

    The sort is stable and its key is per file, so the cells of a notebook keep their order.
    """
    from pathlib import Path

    from tools.book import Page, reference_seconds

    cost: dict[str, float] = {}

    def seconds(item) -> float:
        path = str(item.fspath)
        if path not in cost:
            record = {}
            if path.endswith(".ipynb"):
                record = Page(Path(path)).record
            cost[path] = reference_seconds(record) if "wall_time_s" in record else 0.0
        return cost[path]

    items.sort(key=lambda item: -seconds(item))
