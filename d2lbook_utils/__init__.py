"""《动手学深度学习》学习笔记互动教材的工具包。

在笔记本里这样用：`import d2lbook_utils as d2l`，然后 `d2l.setup()`。
每个名字的说明里写着第一次讲解它的章节。
"""
from .data import DATASETS, DataNotFoundError, HashMismatchError, cache_dir, data_dir, fetch
from .devices import cpu, gpu, num_gpus, try_all_gpus, try_gpu
from .plot import Animator, plot, plt, set_axes, set_figsize, show_images, use_png
from .runtime import by_profile, profile, profile_table, setup
from .timing import Accumulator, Timer

__all__ = [
    "Accumulator", "Animator", "DATASETS", "DataNotFoundError", "HashMismatchError", "Timer",
    "by_profile", "cache_dir", "cpu", "data_dir", "fetch", "gpu", "num_gpus", "plot", "plt", "profile",
    "profile_table", "set_axes", "set_figsize", "setup", "show_images", "try_all_gpus", "try_gpu", "use_png",
]
