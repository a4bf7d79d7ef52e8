"""文本数据：读入《时间机器》、词元化、词表，以及语言模型的小批量迭代器。

《文本预处理》讲 `read_time_machine`、`tokenize`、`Vocab`、`load_corpus_time_machine`；
《语言模型和数据集》讲两种小批量划分和 `load_data_time_machine`。
"""
from __future__ import annotations

import collections
import collections.abc
import random
import re
from typing import Iterable, Iterator, Sequence

import torch

from ._checks import check_choice, check_int
from .data import fetch

__all__ = [
    "SeqDataLoader", "Vocab", "count_corpus", "load_corpus_time_machine", "load_data_time_machine",
    "read_time_machine", "seq_data_iter_random", "seq_data_iter_sequential", "tokenize",
]


def read_time_machine() -> list[str]:
    """《时间机器》的文本行：只保留英文字母并转成小写，其余字符都换成空格。见《文本预处理》。"""
    with open(fetch("time_machine"), encoding="utf-8") as f:
        return [re.sub("[^A-Za-z]+", " ", line).strip().lower() for line in f]


def tokenize(lines: Sequence[str], token: str = "word") -> list[list[str]]:
    """把每行文本拆成词元列表：`token="word"` 按空白分词，`"char"` 拆成字符。见《文本预处理》。"""
    check_choice("token", token, ("word", "char"))
    if isinstance(lines, str):
        raise TypeError("lines 必须是多行文本组成的列表，收到一个字符串；单行文本请写成 [text]")
    return [line.split() if token == "word" else list(line) for line in lines]


def count_corpus(tokens: Iterable) -> collections.Counter:
    """统计词元频率；`tokens` 可以是词元列表，也可以是"每行一个词元列表"的二维列表。见《文本预处理》。

    只有列表算作"一行"：元组是一个词元（例如二元组 ("of", "the")，见《语言模型和数据集》）。
    """
    if not isinstance(tokens, collections.abc.Iterable):
        raise TypeError(f"tokens 必须是词元列表或二维的词元列表，收到 {type(tokens).__name__}")
    tokens = list(tokens)
    if tokens and isinstance(tokens[0], list):
        tokens = [token for line in tokens for token in line]
    return collections.Counter(tokens)


class Vocab:
    """词表：词元与整数索引的双向映射。见《文本预处理》。

    索引 0 固定是未知词元 `<unk>`，接着是 `reserved_tokens`（如 `<pad>`、`<bos>`、`<eos>`），
    然后是出现次数不少于 `min_freq` 的词元，按频率从高到低（同频按首次出现的顺序）。
    查不到的词元一律映射到 0。
    """

    UNK = "<unk>"

    def __init__(self, tokens: Iterable = (), min_freq: int = 0, reserved_tokens: Sequence[str] = ()) -> None:
        check_int("min_freq", min_freq, minimum=0)
        reserved = list(reserved_tokens)
        if self.UNK in reserved or len(set(reserved)) != len(reserved):
            raise ValueError(f"reserved_tokens 不能重复，也不能包含 {self.UNK}（它总在索引 0），收到 {reserved}")
        counter = count_corpus(tokens)
        self.token_freqs: list[tuple[str, int]] = sorted(counter.items(), key=lambda kv: kv[1], reverse=True)
        self.idx_to_token: list[str] = [self.UNK] + reserved
        self.token_to_idx: dict[str, int] = {token: idx for idx, token in enumerate(self.idx_to_token)}
        for token, freq in self.token_freqs:
            if freq < min_freq:
                break  # sorted by frequency: every later token is rarer
            if token not in self.token_to_idx:
                self.token_to_idx[token] = len(self.idx_to_token)
                self.idx_to_token.append(token)

    def __len__(self) -> int:
        return len(self.idx_to_token)

    def __getitem__(self, tokens):
        """一个词元 → 索引；词元的列表或元组 → 索引列表。"""
        if isinstance(tokens, (list, tuple)):
            return [self[token] for token in tokens]
        return self.token_to_idx.get(tokens, self.unk)

    def to_tokens(self, indices):
        """一个索引 → 词元；索引的列表、元组或一维张量 → 词元列表。越界的索引报错。"""
        if isinstance(indices, torch.Tensor):
            indices = indices.tolist()
        if isinstance(indices, (list, tuple)):
            return [self.to_tokens(index) for index in indices]
        check_int("indices", indices, minimum=0, maximum=len(self) - 1)
        return self.idx_to_token[indices]

    @property
    def unk(self) -> int:
        """未知词元的索引，总是 0。"""
        return 0


def load_corpus_time_machine(max_tokens: int | None = None, token: str = "char") -> tuple[list[int], Vocab]:
    """《时间机器》的词元索引序列和词表（默认按字符），可只取前 `max_tokens` 个词元。见《文本预处理》。"""
    if max_tokens is not None:
        check_int("max_tokens", max_tokens, minimum=1)
    tokens = tokenize(read_time_machine(), token)
    vocab = Vocab(tokens)
    # Each line becomes a run of tokens; d2l's char corpus also drops the line breaks.
    corpus = [vocab[t] for line in tokens for t in line]
    return (corpus if max_tokens is None else corpus[:max_tokens]), vocab


def _check_partition(corpus: Sequence[int], batch_size: int, num_steps: int) -> None:
    check_int("batch_size", batch_size, minimum=1)
    check_int("num_steps", num_steps, minimum=1)
    if len(corpus) < batch_size * num_steps + 1:
        raise ValueError(f"corpus 太短：batch_size × num_steps + 1 = {batch_size * num_steps + 1} 个词元才够"
                         f"一个小批量，收到 {len(corpus)} 个")


def seq_data_iter_random(corpus: Sequence[int], batch_size: int, num_steps: int,
                         rng: random.Random | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """随机采样：子序列互不重叠、顺序打乱，相邻小批量在原文中不相邻。见《语言模型和数据集》。

    产出 (X, Y)，形状都是 (batch_size, num_steps)，Y 是 X 右移一个词元。
    `rng` 默认用 Python 的全局随机数（由 `setup()` 设定种子）。
    """
    _check_partition(corpus, batch_size, num_steps)
    rng = rng or random
    corpus = corpus[rng.randint(0, num_steps - 1):]  # a random start, so every epoch cuts differently
    starts = list(range(0, (len(corpus) - 1) // num_steps * num_steps, num_steps))
    rng.shuffle(starts)
    data = torch.tensor(corpus)
    for i in range(0, len(starts) // batch_size * batch_size, batch_size):
        batch = torch.tensor(starts[i:i + batch_size])
        rows = batch[:, None] + torch.arange(num_steps)
        yield data[rows], data[rows + 1]


def seq_data_iter_sequential(corpus: Sequence[int], batch_size: int, num_steps: int,
                             rng: random.Random | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """顺序分区：第 i 个小批量的第 b 行紧接着第 i-1 个小批量的第 b 行。见《语言模型和数据集》。

    所以隐状态可以从上一个小批量接着传下去（先 detach）。产出 (X, Y)，形状同上。
    """
    _check_partition(corpus, batch_size, num_steps)
    rng = rng or random
    offset = rng.randint(0, num_steps - 1)
    num_tokens = (len(corpus) - offset - 1) // batch_size * batch_size
    Xs = torch.tensor(corpus[offset:offset + num_tokens]).reshape(batch_size, -1)
    Ys = torch.tensor(corpus[offset + 1:offset + 1 + num_tokens]).reshape(batch_size, -1)
    for i in range(0, Xs.shape[1] // num_steps * num_steps, num_steps):
        yield Xs[:, i:i + num_steps], Ys[:, i:i + num_steps]


class SeqDataLoader:
    """可以反复迭代的语言模型数据：每次 `iter()` 重新随机切分一遍。见《语言模型和数据集》。"""

    def __init__(self, corpus: Sequence[int], batch_size: int, num_steps: int, use_random_iter: bool = False,
                 seed: int | None = None) -> None:
        _check_partition(corpus, batch_size, num_steps)
        self.corpus, self.batch_size, self.num_steps = list(corpus), batch_size, num_steps
        self.use_random_iter = bool(use_random_iter)
        self.rng = random.Random(seed) if seed is not None else None

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        make = seq_data_iter_random if self.use_random_iter else seq_data_iter_sequential
        return make(self.corpus, self.batch_size, self.num_steps, self.rng)


def load_data_time_machine(batch_size: int, num_steps: int, use_random_iter: bool = False,
                           max_tokens: int | None = 10000) -> tuple[SeqDataLoader, Vocab]:
    """《时间机器》字符级语言模型的数据迭代器和词表（默认取前 10000 个字符）。见《语言模型和数据集》。"""
    corpus, vocab = load_corpus_time_machine(max_tokens)
    return SeqDataLoader(corpus, batch_size, num_steps, use_random_iter), vocab
