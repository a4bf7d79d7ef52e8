"""注意力机制：掩蔽 softmax、加性与缩放点积注意力、多头注意力、位置编码、Bahdanau 解码器和 Transformer。

《注意力评分函数》讲 `masked_softmax` 和两种注意力，《Bahdanau 注意力》讲 `Seq2SeqAttentionDecoder`，
《多头注意力》《自注意力和位置编码》《Transformer》讲其余部分。热图用 `plot.show_heatmaps`。
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from ._checks import check_fraction, check_int, check_sizes
from .encoder_decoder import Decoder, Encoder

__all__ = [
    "AddNorm", "AdditiveAttention", "DotProductAttention", "MultiHeadAttention", "PositionalEncoding",
    "PositionWiseFFN", "Seq2SeqAttentionDecoder", "TokenEmbedding", "TransformerDecoder",
    "TransformerDecoderBlock", "TransformerEncoder", "TransformerEncoderBlock", "masked_softmax",
]


def masked_softmax(X: torch.Tensor, valid_lens: torch.Tensor | None = None) -> torch.Tensor:
    """沿最后一维做 softmax，但每个查询只看前 valid_len 个键：其余位置的权重恰好为 0。

    X 的形状是 (批量, 查询数, 键数)；valid_lens 为 None（不掩蔽）、(批量,)（每个样本一个长度）或
    (批量, 查询数)（每个查询一个长度，例如解码器的因果掩码）。valid_len 为 0 的行没有可看的键，权重全为 0。
    见《注意力评分函数》。
    """
    if X.ndim != 3:
        raise ValueError(f"X 必须是三维 (批量, 查询数, 键数)，收到形状 {tuple(X.shape)}")
    if valid_lens is None:
        return F.softmax(X, dim=-1)
    if valid_lens.shape not in (X.shape[:1], X.shape[:2]):
        raise ValueError(f"valid_lens 的形状必须是 ({X.shape[0]},) 或 ({X.shape[0]}, {X.shape[1]})，"
                         f"收到 {tuple(valid_lens.shape)}")
    if valid_lens.ndim == 1:
        valid_lens = valid_lens[:, None]
    keep = torch.arange(X.shape[-1], device=X.device) < valid_lens[..., None]
    # the lowest finite value (not -inf) keeps rows without any valid key free of NaN; `* keep` zeroes them
    weights = F.softmax(X.masked_fill(~keep, torch.finfo(X.dtype).min), dim=-1)
    return weights * keep


class AdditiveAttention(nn.Module):
    """加性注意力：a(q, k) = w_v^T tanh(W_q q + W_k k)，查询和键的长度可以不同。见《注意力评分函数》。

    forward(queries (批量, 查询数, query_size), keys (批量, 键数, key_size), values (批量, 键数, 值维度),
    valid_lens) → (批量, 查询数, 值维度)；最近一次的权重在 `attention_weights` (批量, 查询数, 键数)。
    """

    def __init__(self, key_size: int, query_size: int, num_hiddens: int, dropout: float = 0.0) -> None:
        super().__init__()
        check_sizes(key_size=key_size, query_size=query_size, num_hiddens=num_hiddens)
        self.W_k = nn.Linear(key_size, num_hiddens, bias=False)
        self.W_q = nn.Linear(query_size, num_hiddens, bias=False)
        self.w_v = nn.Linear(num_hiddens, 1, bias=False)
        self.dropout = nn.Dropout(check_fraction("dropout", dropout))
        self.attention_weights: torch.Tensor | None = None

    def forward(self, queries, keys, values, valid_lens=None):
        # (批量, 查询数, 1, h) + (批量, 1, 键数, h): every query meets every key
        features = torch.tanh(self.W_q(queries).unsqueeze(2) + self.W_k(keys).unsqueeze(1))
        scores = self.w_v(features).squeeze(-1)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


class DotProductAttention(nn.Module):
    """缩放点积注意力：softmax(Q K^T / √d) V，要求查询和键的长度 d 相同。见《注意力评分函数》。

    形状同 `AdditiveAttention`；最近一次的权重在 `attention_weights`。
    """

    def __init__(self, dropout: float = 0.0) -> None:
        super().__init__()
        self.dropout = nn.Dropout(check_fraction("dropout", dropout))
        self.attention_weights: torch.Tensor | None = None

    def forward(self, queries, keys, values, valid_lens=None):
        if queries.shape[-1] != keys.shape[-1]:
            raise ValueError(f"查询和键的最后一维必须相同，收到 {queries.shape[-1]} 和 {keys.shape[-1]}")
        scores = torch.bmm(queries, keys.transpose(1, 2)) / math.sqrt(queries.shape[-1])
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


class MultiHeadAttention(nn.Module):
    """多头注意力：把 Q、K、V 各自线性变换到 num_hiddens 维，切成 num_heads 份并行做缩放点积注意力，
    拼接后再经过输出层 W_o。见《多头注意力》。

    forward(queries, keys, values, valid_lens) 的形状同 `DotProductAttention`，输出 (批量, 查询数, num_hiddens)；
    最近一次的权重在 `attention_weights`，形状 (批量, 头数, 查询数, 键数)。
    """

    def __init__(self, num_hiddens: int, num_heads: int, dropout: float = 0.0, bias: bool = False,
                 key_size: int | None = None, query_size: int | None = None, value_size: int | None = None) -> None:
        super().__init__()
        check_int("num_hiddens", num_hiddens, minimum=1)
        check_int("num_heads", num_heads, minimum=1)
        if num_hiddens % num_heads:
            raise ValueError(f"num_hiddens 必须能被 num_heads 整除，收到 {num_hiddens} 和 {num_heads}")
        self.num_heads = num_heads
        self.attention = DotProductAttention(dropout)
        self.W_q = nn.Linear(query_size or num_hiddens, num_hiddens, bias=bias)
        self.W_k = nn.Linear(key_size or num_hiddens, num_hiddens, bias=bias)
        self.W_v = nn.Linear(value_size or num_hiddens, num_hiddens, bias=bias)
        self.W_o = nn.Linear(num_hiddens, num_hiddens, bias=bias)

    def split_heads(self, X: torch.Tensor) -> torch.Tensor:
        """(批量, 个数, num_hiddens) → (批量×头数, 个数, num_hiddens/头数)：每个头当作一个独立的样本。"""
        batch, length, _ = X.shape
        return X.reshape(batch, length, self.num_heads, -1).transpose(1, 2).reshape(batch * self.num_heads, length, -1)

    def merge_heads(self, X: torch.Tensor) -> torch.Tensor:
        """`split_heads` 的逆：(批量×头数, 个数, d) → (批量, 个数, 头数×d)。"""
        length = X.shape[1]
        return X.reshape(-1, self.num_heads, length, X.shape[-1]).transpose(1, 2).reshape(-1, length,
                                                                                           self.num_heads * X.shape[-1])

    def forward(self, queries, keys, values, valid_lens=None):
        if valid_lens is not None:  # one copy per head, in the order split_heads puts the heads
            valid_lens = valid_lens.repeat_interleave(self.num_heads, dim=0)
        output = self.attention(self.split_heads(self.W_q(queries)), self.split_heads(self.W_k(keys)),
                                self.split_heads(self.W_v(values)), valid_lens)
        return self.W_o(self.merge_heads(output))

    @property
    def attention_weights(self) -> torch.Tensor | None:
        weights = self.attention.attention_weights
        if weights is None:
            return None
        return weights.reshape(-1, self.num_heads, *weights.shape[1:])


class PositionalEncoding(nn.Module):
    """正弦位置编码：P[i, 2j] = sin(i / 10000^(2j/d))，P[i, 2j+1] = cos(i / 10000^(2j/d))，加到输入上再 dropout。

    forward(X (批量, 步数, d), offset=0) 加的是第 offset 到 offset+步数-1 个位置的编码（逐步解码时 offset
    是已经生成的词元数）。`P` 的形状是 (max_len, d)。见《自注意力和位置编码》。
    """

    def __init__(self, num_hiddens: int, dropout: float = 0.0, max_len: int = 1000) -> None:
        super().__init__()
        check_int("num_hiddens", num_hiddens, minimum=2)
        check_int("max_len", max_len, minimum=1)
        self.dropout = nn.Dropout(check_fraction("dropout", dropout))
        positions = torch.arange(max_len, dtype=torch.float32)[:, None]
        frequencies = torch.pow(10000.0, -torch.arange(0, num_hiddens, 2, dtype=torch.float32) / num_hiddens)
        P = torch.zeros(max_len, num_hiddens)
        P[:, 0::2] = torch.sin(positions * frequencies)
        P[:, 1::2] = torch.cos(positions * frequencies[: num_hiddens // 2])
        self.register_buffer("P", P, persistent=False)

    def forward(self, X, offset: int = 0):
        if offset + X.shape[1] > self.P.shape[0]:
            raise ValueError(f"序列太长：位置 {offset + X.shape[1]} 超过了 max_len={self.P.shape[0]}")
        return self.dropout(X + self.P[offset:offset + X.shape[1]])


class Seq2SeqAttentionDecoder(Decoder):
    """带加性注意力的 GRU 解码器（Bahdanau 注意力）：每一步用上一步解码器顶层的隐状态做查询，
    对编码器各步的输出做注意力，得到的上下文拼上当前词元的嵌入送进 GRU。见《Bahdanau 注意力》。

    状态是 (编码器输出 (批量, 步数, h), 隐状态 (层数, 批量, h), 编码器有效长度)。
    `attention_weights` 是最近一次 forward 里每一步的权重，形状 (批量, 解码步数, 源序列步数)。
    """

    def __init__(self, vocab_size: int, embed_size: int, num_hiddens: int, num_layers: int,
                 dropout: float = 0.0) -> None:
        super().__init__()
        check_sizes(vocab_size=vocab_size, embed_size=embed_size, num_hiddens=num_hiddens, num_layers=num_layers)
        self.attention = AdditiveAttention(num_hiddens, num_hiddens, num_hiddens, dropout)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.GRU(embed_size + num_hiddens, num_hiddens, num_layers, dropout=dropout)
        self.dense = nn.Linear(num_hiddens, vocab_size)
        self.attention_weights: torch.Tensor | None = None

    def init_state(self, enc_outputs, enc_valid_lens=None, *args):
        outputs, hidden = enc_outputs
        return outputs.permute(1, 0, 2), hidden, enc_valid_lens

    def forward(self, X, state):
        enc_outputs, hidden, enc_valid_lens = state
        outputs, weights = [], []
        for x in self.embedding(X).permute(1, 0, 2):  # one time step at a time: the query is the last hidden state
            context = self.attention(hidden[-1].unsqueeze(1), enc_outputs, enc_outputs, enc_valid_lens)
            out, hidden = self.rnn(torch.cat((context, x.unsqueeze(1)), dim=-1).permute(1, 0, 2), hidden)
            outputs.append(out)
            weights.append(self.attention.attention_weights)
        self.attention_weights = torch.cat(weights, dim=1)
        return self.dense(torch.cat(outputs, dim=0)).permute(1, 0, 2), (enc_outputs, hidden, enc_valid_lens)

    def reorder_state(self, state, index):
        enc_outputs, hidden, enc_valid_lens = state
        return (enc_outputs.index_select(0, index), hidden.index_select(1, index),
                None if enc_valid_lens is None else enc_valid_lens.index_select(0, index))


class PositionWiseFFN(nn.Module):
    """逐位置的前馈网络：对每个位置独立地做 Linear → ReLU → Linear。见《Transformer》。"""

    def __init__(self, num_hiddens: int, ffn_num_hiddens: int) -> None:
        super().__init__()
        check_sizes(num_hiddens=num_hiddens, ffn_num_hiddens=ffn_num_hiddens)
        self.net = nn.Sequential(nn.Linear(num_hiddens, ffn_num_hiddens), nn.ReLU(),
                                 nn.Linear(ffn_num_hiddens, num_hiddens))

    def forward(self, X):
        return self.net(X)


class AddNorm(nn.Module):
    """残差连接后接层规范化：LayerNorm(X + Dropout(Y))。见《Transformer》。"""

    def __init__(self, num_hiddens: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.dropout = nn.Dropout(check_fraction("dropout", dropout))
        self.ln = nn.LayerNorm(num_hiddens)

    def forward(self, X, Y):
        return self.ln(X + self.dropout(Y))


class TransformerEncoderBlock(nn.Module):
    """Transformer 编码器块：多头自注意力 → AddNorm → 逐位置前馈网络 → AddNorm。形状不变。见《Transformer》。"""

    def __init__(self, num_hiddens: int, ffn_num_hiddens: int, num_heads: int, dropout: float = 0.0,
                 bias: bool = False) -> None:
        super().__init__()
        self.attention = MultiHeadAttention(num_hiddens, num_heads, dropout, bias)
        self.addnorm1 = AddNorm(num_hiddens, dropout)
        self.ffn = PositionWiseFFN(num_hiddens, ffn_num_hiddens)
        self.addnorm2 = AddNorm(num_hiddens, dropout)

    def forward(self, X, valid_lens=None):
        Y = self.addnorm1(X, self.attention(X, X, X, valid_lens))
        return self.addnorm2(Y, self.ffn(Y))


class TokenEmbedding(nn.Module):
    """词元嵌入乘 √d 再加位置编码：放大嵌入，免得它被取值在 [-1, 1] 的位置编码淹没。见《Transformer》。"""

    def __init__(self, vocab_size: int, num_hiddens: int, dropout: float = 0.0) -> None:
        super().__init__()
        check_sizes(vocab_size=vocab_size, num_hiddens=num_hiddens)
        self.scale = math.sqrt(num_hiddens)
        self.embedding = nn.Embedding(vocab_size, num_hiddens)
        self.pos_encoding = PositionalEncoding(num_hiddens, dropout)

    def forward(self, X, offset: int = 0):
        return self.pos_encoding(self.embedding(X) * self.scale, offset)


class TransformerEncoder(Encoder):
    """`TokenEmbedding` + num_layers 个编码器块。forward(X (批量, 步数), valid_lens) → (批量, 步数, d)。

    `attention_weights` 是每层自注意力的权重列表，每个形状 (批量, 头数, 步数, 步数)。见《Transformer》。
    """

    def __init__(self, vocab_size: int, num_hiddens: int, ffn_num_hiddens: int, num_heads: int, num_layers: int,
                 dropout: float = 0.0, bias: bool = False) -> None:
        super().__init__()
        check_int("num_layers", num_layers, minimum=1)
        self.embedding = TokenEmbedding(vocab_size, num_hiddens, dropout)
        self.blocks = nn.ModuleList(TransformerEncoderBlock(num_hiddens, ffn_num_hiddens, num_heads, dropout, bias)
                                    for _ in range(num_layers))

    def forward(self, X, valid_lens=None, *args):
        X = self.embedding(X)
        for block in self.blocks:
            X = block(X, valid_lens)
        return X

    @property
    def attention_weights(self) -> list[torch.Tensor | None]:
        return [block.attention.attention_weights for block in self.blocks]


class TransformerDecoderBlock(nn.Module):
    """Transformer 解码器块：带因果掩码的多头自注意力 → AddNorm → 对编码器输出的多头注意力 → AddNorm
    → 前馈网络 → AddNorm。见《Transformer》。

    forward(X, enc_outputs, enc_valid_lens, cache) → (输出, 新的 cache)。cache 是此前各步送进本块的输入
    （逐步解码时用；训练时为 None）。位置 i 的查询只看到位置 ≤ i 的键，无论一次送进一整句还是一个词元，
    所以训练和逐步预测算的是同一个函数。
    """

    def __init__(self, num_hiddens: int, ffn_num_hiddens: int, num_heads: int, dropout: float = 0.0,
                 bias: bool = False) -> None:
        super().__init__()
        self.self_attention = MultiHeadAttention(num_hiddens, num_heads, dropout, bias)
        self.addnorm1 = AddNorm(num_hiddens, dropout)
        self.cross_attention = MultiHeadAttention(num_hiddens, num_heads, dropout, bias)
        self.addnorm2 = AddNorm(num_hiddens, dropout)
        self.ffn = PositionWiseFFN(num_hiddens, ffn_num_hiddens)
        self.addnorm3 = AddNorm(num_hiddens, dropout)

    def forward(self, X, enc_outputs, enc_valid_lens=None, cache=None):
        keys = X if cache is None else torch.cat((cache, X), dim=1)
        past = keys.shape[1] - X.shape[1]
        # causal mask: the query at absolute position past + i sees keys 0 .. past + i
        causal_lens = (past + torch.arange(1, X.shape[1] + 1, device=X.device)).expand(X.shape[0], -1)
        Y = self.addnorm1(X, self.self_attention(X, keys, keys, causal_lens))
        Z = self.addnorm2(Y, self.cross_attention(Y, enc_outputs, enc_outputs, enc_valid_lens))
        return self.addnorm3(Z, self.ffn(Z)), keys


class TransformerDecoder(Decoder):
    """`TokenEmbedding` + num_layers 个解码器块 + 输出层。见《Transformer》。

    状态是 (编码器输出, 编码器有效长度, 每层的 cache 元组)；逐步解码时 cache 记住已生成的位置，位置编码
    也从已生成的词元数接着往下编。`self_attention_weights`、`cross_attention_weights` 是每层最近一次的权重，
    形状 (批量, 头数, 查询数, 键数)。
    """

    def __init__(self, vocab_size: int, num_hiddens: int, ffn_num_hiddens: int, num_heads: int, num_layers: int,
                 dropout: float = 0.0, bias: bool = False) -> None:
        super().__init__()
        check_int("num_layers", num_layers, minimum=1)
        self.embedding = TokenEmbedding(vocab_size, num_hiddens, dropout)
        self.blocks = nn.ModuleList(TransformerDecoderBlock(num_hiddens, ffn_num_hiddens, num_heads, dropout, bias)
                                    for _ in range(num_layers))
        self.dense = nn.Linear(num_hiddens, vocab_size)

    def init_state(self, enc_outputs, enc_valid_lens=None, *args):
        return enc_outputs, enc_valid_lens, (None,) * len(self.blocks)

    def forward(self, X, state):
        enc_outputs, enc_valid_lens, caches = state
        past = 0 if caches[0] is None else caches[0].shape[1]
        X = self.embedding(X, offset=past)
        new_caches = []
        for block, cache in zip(self.blocks, caches):
            X, cache = block(X, enc_outputs, enc_valid_lens, cache)
            new_caches.append(cache)
        return self.dense(X), (enc_outputs, enc_valid_lens, tuple(new_caches))

    def reorder_state(self, state, index):
        enc_outputs, enc_valid_lens, caches = state
        return (enc_outputs.index_select(0, index),
                None if enc_valid_lens is None else enc_valid_lens.index_select(0, index),
                tuple(None if c is None else c.index_select(0, index) for c in caches))

    @property
    def self_attention_weights(self) -> list[torch.Tensor | None]:
        return [block.self_attention.attention_weights for block in self.blocks]

    @property
    def cross_attention_weights(self) -> list[torch.Tensor | None]:
        return [block.cross_attention.attention_weights for block in self.blocks]
