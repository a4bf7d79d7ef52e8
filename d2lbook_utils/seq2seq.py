"""序列到序列学习：GRU 编码器和解码器、掩蔽的损失、训练、贪心与束搜索预测。

《序列到序列学习》讲模型、损失、训练和贪心预测，《束搜索》讲 `beam_search`；数据在 `translation`，
接口在 `encoder_decoder`，评分在 `bleu`。
"""
from __future__ import annotations


import torch
from torch import nn
from torch.nn import functional as F

from ._checks import check_batches, check_fraction, check_int, check_number, check_sizes, check_text
from ._report import result_line
from ._loop import fit, update
from .encoder_decoder import Decoder, Encoder, EncoderDecoder
from .plot import epoch_curve
from .rnn import grad_clipping
from .text import Vocab
from .translation import truncate_pad
from .timing import Accumulator

__all__ = ["Seq2SeqEncoder", "Seq2SeqDecoder", "sequence_mask", "MaskedSoftmaxCELoss", "train_seq2seq", "predict_seq2seq",
           "decode_pair", "beam_search"]

class Seq2SeqEncoder(Encoder):
    """嵌入层 + 多层 GRU 的编码器：输出 (时间步数, 批量, 隐藏单元数) 的各步输出和最终隐状态。见《序列到序列学习》。"""

    def __init__(self, vocab_size: int, embed_size: int, num_hiddens: int, num_layers: int,
                 dropout: float = 0.0) -> None:
        super().__init__()
        check_sizes(vocab_size=vocab_size, embed_size=embed_size, num_hiddens=num_hiddens, num_layers=num_layers)
        dropout = check_fraction("dropout", dropout)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.GRU(embed_size, num_hiddens, num_layers, dropout=dropout)

    def forward(self, X, *args):
        return self.rnn(self.embedding(X).permute(1, 0, 2))  # time-major for the GRU


class Seq2SeqDecoder(Decoder):
    """嵌入层 + 多层 GRU + 全连接层的解码器。见《序列到序列学习》。

    每一步的输入是上一个词元的嵌入拼上**上下文变量**：编码器最后一层的最终隐状态，在整个解码过程中保持不变。
    （d2l 原书在预测时把它换成了解码器自己的隐状态，训练和预测因此不一致；这里把它单独放在状态里。）
    状态是 (隐状态, 上下文)。
    """

    def __init__(self, vocab_size: int, embed_size: int, num_hiddens: int, num_layers: int,
                 dropout: float = 0.0) -> None:
        super().__init__()
        check_sizes(vocab_size=vocab_size, embed_size=embed_size, num_hiddens=num_hiddens, num_layers=num_layers)
        dropout = check_fraction("dropout", dropout)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = nn.GRU(embed_size + num_hiddens, num_hiddens, num_layers, dropout=dropout)
        self.dense = nn.Linear(num_hiddens, vocab_size)

    def init_state(self, enc_outputs, *args):
        hidden = enc_outputs[1]
        return hidden, hidden[-1]

    def forward(self, X, state):
        hidden, context = state
        X = self.embedding(X).permute(1, 0, 2)
        X_and_context = torch.cat((X, context.expand(X.shape[0], -1, -1)), dim=2)
        output, hidden = self.rnn(X_and_context, hidden)
        return self.dense(output).permute(1, 0, 2), (hidden, context)

    def reorder_state(self, state, index):
        hidden, context = state
        return hidden.index_select(1, index), context.index_select(0, index)


def sequence_mask(X: torch.Tensor, valid_len: torch.Tensor, value: float = 0.0) -> torch.Tensor:
    """把每行第 valid_len 个位置之后的元素换成 ``value`` （返回新张量）。X 的前两维是 (批量, 时间步)。见《序列到序列学习》。"""
    if X.ndim < 2 or valid_len.shape != X.shape[:1]:
        raise ValueError(f"X 至少要有两维 (批量, 时间步, ...)，valid_len 的形状要是 ({X.shape[0] if X.ndim else '?'},)，"
                         f"收到 X {tuple(X.shape)}、valid_len {tuple(valid_len.shape)}")
    keep = torch.arange(X.shape[1], device=X.device)[None, :] < valid_len[:, None]
    keep = keep.reshape(*keep.shape, *([1] * (X.ndim - 2)))
    return torch.where(keep, X, torch.as_tensor(value, dtype=X.dtype, device=X.device))


class MaskedSoftmaxCELoss(nn.Module):
    """只在有效位置上计算的交叉熵：pred (批量, 时间步, 词表)，label (批量, 时间步)，valid_len (批量,)。

    返回每个序列的损失 (批量,)：有效位置上的交叉熵之和除以时间步数；填充位置的损失和梯度都是 0。
    见《序列到序列学习》。
    """

    def forward(self, pred, label, valid_len):
        weights = sequence_mask(torch.ones_like(label, dtype=pred.dtype), valid_len)
        unweighted = F.cross_entropy(pred.permute(0, 2, 1), label, reduction="none")
        return (unweighted * weights).mean(dim=1)


def _xavier_init(module: nn.Module) -> None:
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
    if isinstance(module, nn.GRU):
        for name, param in module.named_parameters():
            if "weight" in name:
                nn.init.xavier_uniform_(param)


def train_seq2seq(net: EncoderDecoder, data_iter, lr: float, num_epochs: int, tgt_vocab: Vocab,
                  device: torch.device | None = None) -> dict[str, float]:
    """用强制教学（teacher forcing）训练序列到序列模型：Xavier 初始化、Adam、掩蔽的交叉熵、梯度裁剪 θ=1。

    画出每个有效词元的平均交叉熵，最后打印 `loss X, N tokens/sec on 设备`，返回 {"loss", "tokens_per_sec"}。
    反向传播用的仍是 `MaskedSoftmaxCELoss` 的和（与 d2l 相同的梯度尺度，裁剪阈值 θ=1 按它设定）。
    见《序列到序列学习》。
    """
    check_number("lr", lr, positive=True)
    check_int("num_epochs", num_epochs, minimum=1)
    net.apply(_xavier_init)
    net.to(device)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    loss = MaskedSoftmaxCELoss()
    net.train()
    animator, every = epoch_curve(num_epochs, "loss")
    bos = tgt_vocab["<bos>"]

    def run_epoch():
        metric = Accumulator(2)  # sum of losses, valid tokens
        for X, X_valid_len, Y, Y_valid_len in data_iter:
            X, X_valid_len, Y, Y_valid_len = (t.to(device) for t in (X, X_valid_len, Y, Y_valid_len))
            dec_input = torch.cat([torch.full((Y.shape[0], 1), bos, device=device), Y[:, :-1]], dim=1)
            Y_hat, _ = net(X, dec_input, X_valid_len)
            l = loss(Y_hat, Y, Y_valid_len)
            # zero_grad inside `update`: the notes' version forgot it, so gradients piled up across batches
            update(optimizer, l.sum(), Y.shape[0], clip=lambda: grad_clipping(net, 1.0))
            # The loss divides each sequence's sum by num_steps; undo that so the curve is per valid token.
            metric.add(float(l.detach().sum()) * Y.shape[1], float(Y_valid_len.sum()))
        check_batches(metric[1], "data_iter")
        return (metric[0] / metric[1],), metric[1]

    (mean_loss,), tokens, seconds = fit(num_epochs, run_epoch, lambda epoch, values: animator.add(epoch, [*values]),
                                        every=every)
    result = {"loss": mean_loss, "tokens_per_sec": tokens / seconds}
    print(result_line(("loss", result["loss"]), throughput=(result["tokens_per_sec"], "tokens", device or "cpu")))
    return result


def _encode_sentence(net, src_sentence: str, src_vocab: Vocab, num_steps: int, device):
    if not check_text("src_sentence", src_sentence, allow_empty=True).strip():
        raise ValueError(f"src_sentence 必须是非空字符串，收到 {src_sentence!r}")
    check_int("num_steps", num_steps, minimum=1)
    tokens = src_vocab[src_sentence.lower().split(" ")] + [src_vocab["<eos>"]]
    enc_valid_len = torch.tensor([min(len(tokens), num_steps)], device=device)
    enc_X = torch.tensor([truncate_pad(tokens, num_steps, src_vocab["<pad>"])], device=device)
    enc_outputs = net.encoder(enc_X, enc_valid_len)
    return net.decoder.init_state(enc_outputs, enc_valid_len)


def predict_seq2seq(net: EncoderDecoder, src_sentence: str, src_vocab: Vocab, tgt_vocab: Vocab, num_steps: int,
                    device: torch.device | None = None) -> str:
    """贪心解码：每一步取概率最大的词元，直到 <eos> 或 `num_steps` 个词元。见《序列到序列学习》。"""
    net.eval()
    with torch.no_grad():
        state = _encode_sentence(net, src_sentence, src_vocab, num_steps, device)
        dec_X = torch.tensor([[tgt_vocab["<bos>"]]], device=device)
        output = []
        for _ in range(num_steps):
            Y, state = net.decoder(dec_X, state)
            dec_X = Y.argmax(dim=2)
            token = int(dec_X[0, 0])
            if token == tgt_vocab["<eos>"]:
                break
            output.append(token)
    return " ".join(tgt_vocab.to_tokens(output))


def decode_pair(net: EncoderDecoder, src_sentence: str, tgt_sentence: str, src_vocab: Vocab, tgt_vocab: Vocab,
                num_steps: int, device: torch.device | None = None) -> torch.Tensor:
    """强制教学地解码一对句子：把 <bos> + 译文一次送进解码器，返回 (1, 译文词元数 + 1, 词表) 的 logits。

    之后模型里各注意力模块的 `attention_weights` 描述的就是这一对句子，用来画翻译时的注意力热图。
    见《Bahdanau 注意力》。
    """
    check_text("tgt_sentence", tgt_sentence, allow_empty=True)
    net.eval()
    with torch.no_grad():
        state = _encode_sentence(net, src_sentence, src_vocab, num_steps, device)
        tokens = [tgt_vocab["<bos>"]] + tgt_vocab[tgt_sentence.split()]
        logits, _ = net.decoder(torch.tensor([tokens], device=device), state)
    return logits


def beam_search(net: EncoderDecoder, src_sentence: str, src_vocab: Vocab, tgt_vocab: Vocab, num_steps: int,
                beam_size: int, device: torch.device | None = None, alpha: float = 0.75
                ) -> list[tuple[str, float]]:
    """束搜索：每一步把所有存活的候选一起送进解码器（一个批量），保留累计对数概率最高的 `beam_size` 个。

    候选一旦生成 <eos> 就结束；结束的候选攒够 `beam_size` 个（或用完 `num_steps` 步）时停止，按长度归一化的
    分数 log P / L^alpha（L 含 <eos>）从高到低返回 [(译文, 分数), ...]。beam_size=1 时就是贪心解码。
    解码器要实现 `reorder_state`。见《束搜索》。
    """
    check_int("beam_size", beam_size, minimum=1)
    check_number("alpha", alpha)
    net.eval()
    eos = tgt_vocab["<eos>"]
    finished: list[tuple[list[int], float]] = []
    with torch.no_grad():
        state = _encode_sentence(net, src_sentence, src_vocab, num_steps, device)
        beams: list[list[int]] = [[]]
        scores = torch.zeros(1, device=device)
        last = torch.tensor([[tgt_vocab["<bos>"]]], device=device)
        for _ in range(num_steps):
            Y, state = net.decoder(last, state)
            candidates = (scores[:, None] + F.log_softmax(Y[:, -1].float(), dim=-1)).flatten()
            # 2k candidates: even if up to k of them end here, k candidates stay alive
            top_scores, top_index = candidates.topk(min(2 * beam_size, candidates.numel()))
            vocab_size = Y.shape[-1]
            keep, keep_scores, new_beams = [], [], []
            for rank, (score, index) in enumerate(zip(top_scores.tolist(), top_index.tolist())):
                beam, token = divmod(index, vocab_size)
                if token == eos:
                    if rank < beam_size:  # an ending ranked below the top k would not have been kept
                        finished.append((beams[beam] + [token], score))
                elif len(keep) < beam_size:
                    keep.append(index)
                    keep_scores.append(score)
                    new_beams.append(beams[beam] + [token])
            if len(finished) >= beam_size or not keep:
                break
            keep_t = torch.tensor(keep, device=device)
            beams, scores = new_beams, torch.tensor(keep_scores, device=device)
            state = net.decoder.reorder_state(state, keep_t // vocab_size)  # copies a parent's state per child
            last = (keep_t % vocab_size)[:, None]
        else:
            finished += list(zip(beams, scores.tolist()))  # ran out of steps: unfinished candidates count too
    ranked = sorted(((tokens, score / len(tokens) ** alpha) for tokens, score in finished),
                    key=lambda pair: pair[1], reverse=True)
    return [(" ".join(tgt_vocab.to_tokens([t for t in tokens if t != eos])), score) for tokens, score in ranked]
