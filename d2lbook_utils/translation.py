"""英语-法语翻译数据：读入 fra-eng 句对、预处理、词元化、截断与填充，以及小批量迭代器。见《机器翻译与数据集》。"""
from __future__ import annotations

import functools
from typing import Sequence

import torch

from ._checks import check_int, check_text
from .arrays import load_array
from .data import fetch
from .text import Vocab

__all__ = ["read_data_nmt", "preprocess_nmt", "tokenize_nmt", "truncate_pad", "build_array_nmt", "load_data_nmt"]

RESERVED = ("<pad>", "<bos>", "<eos>")


def read_data_nmt() -> str:
    """英语-法语句对的原始文本（每行"英语\\t法语"），经数据层校验哈希。见《机器翻译与数据集》。"""
    with open(fetch("fra_eng"), encoding="utf-8") as f:
        return f.read()


def preprocess_nmt(text: str) -> str:
    """不间断空格换成普通空格、转小写、在紧贴单词的标点 , . ! ? 前加空格。见《机器翻译与数据集》。"""
    text = check_text("text", text, allow_empty=True).replace("\u202f", " ").replace("\xa0", " ").lower()
    out = [" " + ch if ch in ",.!?" and i > 0 and text[i - 1] != " " else ch for i, ch in enumerate(text)]
    return "".join(out)


def tokenize_nmt(text: str, num_examples: int | None = None) -> tuple[list[list[str]], list[list[str]]]:
    """按行拆成 (英语词元列表, 法语词元列表) 两个列表，可只取前 `num_examples` 对。见《机器翻译与数据集》。"""
    if num_examples is not None:
        check_int("num_examples", num_examples, minimum=1)
    source, target = [], []
    for line in text.split("\n"):
        if num_examples is not None and len(source) >= num_examples:
            break
        parts = line.split("\t")
        if len(parts) >= 2:
            source.append(parts[0].split(" "))
            target.append(parts[1].split(" "))
    return source, target


def truncate_pad(line: Sequence[int], num_steps: int, padding_token: int) -> list[int]:
    """截断或用 `padding_token` 填充到恰好 `num_steps` 个词元。见《机器翻译与数据集》。"""
    check_int("num_steps", num_steps, minimum=1)
    line = list(line)
    return line[:num_steps] + [padding_token] * (num_steps - len(line))


def build_array_nmt(lines: Sequence[Sequence[str]], vocab: Vocab, num_steps: int
                    ) -> tuple[torch.Tensor, torch.Tensor]:
    """词元行 → (样本数, num_steps) 的索引张量（每行末尾加 <eos> 再截断或填充）和每行的有效长度。见《机器翻译与数据集》。"""
    rows = [truncate_pad(vocab[list(line)] + [vocab["<eos>"]], num_steps, vocab["<pad>"]) for line in lines]
    array = torch.tensor(rows, dtype=torch.long).reshape(len(rows), num_steps)
    valid_len = (array != vocab["<pad>"]).sum(dim=1)
    return array, valid_len


@functools.lru_cache(maxsize=1)
def _preprocessed_nmt() -> str:
    """The whole preprocessed text, kept after the first call (preprocessing 11 MB takes seconds)."""
    return preprocess_nmt(read_data_nmt())


def load_data_nmt(batch_size: int, num_steps: int, num_examples: int = 600):
    """前 `num_examples` 个句对的小批量迭代器和两个词表（min_freq=2，保留 <pad> <bos> <eos>）。

    迭代器产出 (X, X 的有效长度, Y, Y 的有效长度)。见《机器翻译与数据集》。
    """
    check_int("batch_size", batch_size, minimum=1)
    source, target = tokenize_nmt(_preprocessed_nmt(), num_examples)
    src_vocab = Vocab(source, min_freq=2, reserved_tokens=RESERVED)
    tgt_vocab = Vocab(target, min_freq=2, reserved_tokens=RESERVED)
    src_array, src_valid_len = build_array_nmt(source, src_vocab, num_steps)
    tgt_array, tgt_valid_len = build_array_nmt(target, tgt_vocab, num_steps)
    data_iter = load_array((src_array, src_valid_len, tgt_array, tgt_valid_len), batch_size)
    return data_iter, src_vocab, tgt_vocab
