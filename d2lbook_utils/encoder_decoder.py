"""编码器-解码器的接口：`Encoder`、`Decoder` 和把两者接在一起的 `EncoderDecoder`。见《编码器-解码器架构》。

循环网络的 seq2seq 模型和注意力模型都实现这两个接口，训练、预测和束搜索只依赖它们。
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["Encoder", "Decoder", "EncoderDecoder"]


class Encoder(nn.Module):
    """编码器接口：把变长的输入序列变成某种状态。见《编码器-解码器架构》。"""

    def forward(self, X, *args):
        raise NotImplementedError(f"{type(self).__name__} 必须实现 forward(X, *args)")


class Decoder(nn.Module):
    """解码器接口：`init_state` 把编码器的输出变成解码器的初始状态，`forward` 一步或多步地解码。

    要用 `beam_search`，还要实现 `reorder_state(state, index)`：按 `index` 选出（并复制）批量中的若干行。
    见《编码器-解码器架构》。
    """

    def init_state(self, enc_outputs, *args):
        raise NotImplementedError(f"{type(self).__name__} 必须实现 init_state(enc_outputs, *args)")

    def forward(self, X, state):
        raise NotImplementedError(f"{type(self).__name__} 必须实现 forward(X, state)")

    def reorder_state(self, state, index: torch.Tensor):
        raise NotImplementedError(f"{type(self).__name__} 没有实现 reorder_state，不能用于束搜索")


class EncoderDecoder(nn.Module):
    """把编码器和解码器接在一起：``net(enc_X, dec_X, *args)`` → 解码器的输出和状态。见《编码器-解码器架构》。"""

    def __init__(self, encoder: Encoder, decoder: Decoder) -> None:
        super().__init__()
        if not isinstance(encoder, Encoder) or not isinstance(decoder, Decoder):
            raise TypeError(f"encoder 与 decoder 必须是 d2l.Encoder 与 d2l.Decoder 的子类实例，"
                            f"收到 {type(encoder).__name__} 与 {type(decoder).__name__}")
        self.encoder, self.decoder = encoder, decoder

    def forward(self, enc_X, dec_X, *args):
        enc_outputs = self.encoder(enc_X, *args)
        return self.decoder(dec_X, self.decoder.init_state(enc_outputs, *args))
