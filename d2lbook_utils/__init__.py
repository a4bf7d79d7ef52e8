"""《动手学深度学习》学习笔记互动教材的工具包。

在笔记本里这样用：`import d2lbook_utils as d2l`，然后 `d2l.setup()`。
每个名字的说明里写着讲解它的章节。

模块分三层，下层不导入上层（tests/unit/test_package.py 检查）：
基础（plot、diagrams、runtime、devices、timing、model_cost）→ 数据（data、arrays、fashion_mnist、text、translation）→
模型与训练（linear、classify、batch_norm、rnn、gated_rnn、encoder_decoder、bleu、seq2seq、attention）。
每个模块在 `__all__` 里列出自己的公开名字，这里按讲授顺序把它们全部导出。
"""
import importlib

# The public modules in teaching order (their layers: see above). `d2l.plot` is the function, not the module.
MODULES = tuple(importlib.import_module(f".{name}", __name__) for name in (
    "runtime", "plot", "diagrams", "devices", "timing", "data", "linear", "arrays", "fashion_mnist", "classify", "model_cost",
    "batch_norm", "text", "rnn", "gated_rnn", "translation", "encoder_decoder", "seq2seq", "bleu", "attention"))

__all__ = [name for module in MODULES for name in module.__all__]
globals().update({name: getattr(module, name) for module in MODULES for name in module.__all__})
