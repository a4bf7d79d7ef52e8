"""BLEU：用截断的 n 元语法精度和简短惩罚给译文打分，逐句或整个语料。见《序列到序列学习》。"""
from __future__ import annotations

import collections
import math
from typing import Sequence

from ._checks import check_int

__all__ = ["bleu", "corpus_bleu"]


def _clipped_matches(pred_tokens: list[str], label_tokens: list[str], n: int) -> int:
    """How many n-grams of the prediction appear in the label, each label n-gram used at most once."""
    label_counts = collections.Counter(tuple(label_tokens[i:i + n]) for i in range(len(label_tokens) - n + 1))
    pred_counts = collections.Counter(tuple(pred_tokens[i:i + n]) for i in range(len(pred_tokens) - n + 1))
    return sum(min(count, label_counts[gram]) for gram, count in pred_counts.items())


def _bleu_from_counts(len_pred: int, len_label: int, matches: list[int], totals: list[int]) -> float:
    if len_pred == 0:
        return 0.0
    score = math.exp(min(0.0, 1 - len_label / len_pred))
    for n, (m, total) in enumerate(zip(matches, totals), start=1):
        if total > 0:  # n-grams longer than the prediction are skipped: the brevity penalty covers them
            score *= math.pow(m / total, math.pow(0.5, n))
    return score


def bleu(pred_seq: str, label_seq: str, k: int) -> float:
    """BLEU：exp(min(0, 1 - len_label/len_pred)) × ∏_{n=1..k} p_n^(1/2^n)，p_n 是截断计数后的 n 元语法精度。

    预测和标签都是用空格分隔的词元串。预测为空时为 0；比预测还长的 n 元语法不计入（简短惩罚已经罚过短预测）。
    见《序列到序列学习》。
    """
    return corpus_bleu([pred_seq], [label_seq], k)


def corpus_bleu(pred_seqs: Sequence[str], label_seqs: Sequence[str], k: int) -> float:
    """语料级 BLEU：先把所有句子的 n 元语法匹配数、总数和长度加起来，再按 `bleu` 的公式算一次。

    这比逐句 BLEU 的平均更稳：短句偶然全对或全错不会左右结果。见《序列到序列学习》。
    """
    check_int("k", k, minimum=1)
    if isinstance(pred_seqs, str) or isinstance(label_seqs, str) or len(pred_seqs) != len(label_seqs):
        raise ValueError("pred_seqs 与 label_seqs 必须是等长的句子列表（每句是用空格分隔的词元串）")
    len_pred = len_label = 0
    matches, totals = [0] * k, [0] * k
    for pred_seq, label_seq in zip(pred_seqs, label_seqs):
        pred_tokens, label_tokens = pred_seq.split(), label_seq.split()
        len_pred, len_label = len_pred + len(pred_tokens), len_label + len(label_tokens)
        for n in range(1, k + 1):
            matches[n - 1] += _clipped_matches(pred_tokens, label_tokens, n)
            totals[n - 1] += max(0, len(pred_tokens) - n + 1)
    return _bleu_from_counts(len_pred, len_label, matches, totals)
