"""Root pytest configuration: notebooks run under the recorded settings, with the nbval extensions."""
import os

from tools.book import NOTEBOOK_ENV
from tools import nbval_policy

# Kernels started by nbval inherit this environment. A value set by the caller wins, so the
# reproducibility check can re-run notebooks under another thread count.
for key, value in NOTEBOOK_ENV.items():
    os.environ.setdefault(key, value)

nbval_policy.install()
