"""Machine-translation data, masking, the masked loss, BLEU and beam search."""
import math
import os

import pytest
import torch
from torch import nn

import d2lbook_utils as d2l


def test_preprocess_and_tokenize():
    text = d2l.preprocess_nmt("Go.\tVa !\nHi,\u202fyou!\tSalut\xa0!\n")
    assert text == "go .\tva !\nhi , you !\tsalut !\n"
    source, target = d2l.tokenize_nmt(text)
    assert source == [["go", "."], ["hi", ",", "you", "!"]] and target[0] == ["va", "!"]
    assert d2l.tokenize_nmt(text, num_examples=1) == ([["go", "."]], [["va", "!"]])


def test_truncate_pad_and_build_array():
    assert d2l.truncate_pad([5, 6], 4, 1) == [5, 6, 1, 1]
    assert d2l.truncate_pad([5, 6, 7, 8, 9], 4, 1) == [5, 6, 7, 8]
    assert d2l.truncate_pad([], 2, 0) == [0, 0]
    with pytest.raises(ValueError, match="num_steps 必须是正整数"):
        d2l.truncate_pad([1], 0, 0)
    vocab = d2l.Vocab([["a", "b"]], reserved_tokens=["<pad>", "<bos>", "<eos>"])
    array, valid_len = d2l.build_array_nmt([["a"], ["a", "b", "b", "a"]], vocab, 3)
    assert array.tolist() == [[vocab["a"], vocab["<eos>"], vocab["<pad>"]], vocab[["a", "b", "b"]]]
    assert valid_len.tolist() == [2, 3]


def test_sequence_mask_two_and_three_dimensions():
    X = torch.arange(6.0).reshape(2, 3)
    assert d2l.sequence_mask(X, torch.tensor([1, 2])).tolist() == [[0, 0, 0], [3, 4, 0]]
    Z = d2l.sequence_mask(torch.ones(2, 3, 2), torch.tensor([0, 3]), value=-1)
    assert Z[0].eq(-1).all() and Z[1].eq(1).all()
    with pytest.raises(ValueError, match="valid_len 的形状"):
        d2l.sequence_mask(X, torch.tensor([1, 2, 3]))


def test_masked_loss_ignores_padding_in_value_and_gradient():
    torch.manual_seed(0)
    pred = torch.randn(2, 4, 5, requires_grad=True)
    label = torch.randint(0, 5, (2, 4))
    valid_len = torch.tensor([4, 2])
    loss = d2l.MaskedSoftmaxCELoss()(pred, label, valid_len)
    full = nn.functional.cross_entropy(pred.permute(0, 2, 1), label, reduction="none")
    assert torch.allclose(loss, torch.stack([full[0].mean(), full[1, :2].sum() / 4]))
    loss.sum().backward()
    assert pred.grad[1, 2:].abs().max() == 0 and pred.grad[1, :2].abs().max() > 0
    changed = label.clone()
    changed[1, 2:] = (changed[1, 2:] + 1) % 5  # padding labels do not matter
    assert torch.allclose(d2l.MaskedSoftmaxCELoss()(pred, changed, valid_len), loss)


def test_bleu_hand_computed_cases():
    assert d2l.bleu("a b c d", "a b c d", k=2) == pytest.approx(1.0)
    assert d2l.bleu("a b", "a b c d", k=2) == pytest.approx(math.exp(1 - 4 / 2))  # brevity penalty only
    assert d2l.bleu("a", "a b c", k=4) == pytest.approx(math.exp(-2))  # short: only unigrams count
    assert d2l.bleu("a a a", "a b", k=1) == pytest.approx((1 / 3) ** 0.5)  # clipped unigram counts
    assert d2l.bleu("a a a", "a b", k=2) == 0.0  # no matching bigram
    assert d2l.bleu("", "a b", k=2) == 0.0
    with pytest.raises(ValueError, match="k 必须是正整数"):
        d2l.bleu("a", "a", k=0)


def test_corpus_bleu_pools_counts_over_sentences():
    assert d2l.corpus_bleu(["a b c d"], ["a b c d"], 2) == d2l.bleu("a b c d", "a b c d", 2) == 1.0
    # pooled: unigrams 3/4 and bigrams 1/2 over both sentences; lengths 4 vs 4, no brevity penalty
    pooled = d2l.corpus_bleu(["a b", "c x"], ["a b", "c d"], 2)
    assert pooled == pytest.approx((3 / 4) ** 0.5 * (1 / 2) ** 0.25)
    with pytest.raises(ValueError, match="等长的句子列表"):
        d2l.corpus_bleu(["a"], ["a", "b"], 2)


class TableDecoder(d2l.Decoder):
    """Next-token probabilities depend only on the previous token: a hand-checkable decoder."""

    def __init__(self, table):
        super().__init__()
        self.log_table = torch.log(torch.tensor(table))

    def init_state(self, enc_outputs, *args):
        return torch.zeros(1)

    def forward(self, X, state):
        return self.log_table[X], state

    def reorder_state(self, state, index):
        return state.index_select(0, index)


class NoEncoder(d2l.Encoder):
    def forward(self, X, *args):
        return X


def test_beam_search_beats_greedy_on_a_known_table():
    vocab = d2l.Vocab(["a", "b"], reserved_tokens=["<pad>", "<bos>", "<eos>"])  # a=4, b=5
    eps = 1e-6
    table = [[1 / 6] * 6 for _ in range(6)]
    table[vocab["<bos>"]] = [eps, eps, eps, eps, 0.6, 0.4]  # greedy takes a ...
    table[vocab["a"]] = [eps, eps, eps, 0.4, 0.3, 0.3]  # ... then ends: 0.6 * 0.4 = 0.24
    table[vocab["b"]] = [eps, eps, eps, 0.9, 0.05, 0.05]  # b then end: 0.4 * 0.9 = 0.36
    net = d2l.EncoderDecoder(NoEncoder(), TableDecoder(table))
    assert d2l.predict_seq2seq(net, "x", vocab, vocab, 5) == "a"
    results = d2l.beam_search(net, "x", vocab, vocab, 5, beam_size=2, alpha=0.0)
    assert results[0][0] == "b" and results[0][1] == pytest.approx(math.log(0.36), abs=1e-4)
    assert [score for _, score in results] == sorted((score for _, score in results), reverse=True)
    assert d2l.beam_search(net, "x", vocab, vocab, 5, beam_size=1)[0][0] == "a"


def test_beam_width_one_equals_greedy_on_a_random_seq2seq():
    torch.manual_seed(0)
    words = "the cat sat on a mat and ran off".split()
    vocab = d2l.Vocab([words, words], reserved_tokens=["<pad>", "<bos>", "<eos>"])
    net = d2l.EncoderDecoder(d2l.Seq2SeqEncoder(len(vocab), 8, 16, 2), d2l.Seq2SeqDecoder(len(vocab), 8, 16, 2))
    for sentence in ["the cat sat", "a mat", "ran off and on"]:
        greedy = d2l.predict_seq2seq(net, sentence, vocab, vocab, 7)
        assert d2l.beam_search(net, sentence, vocab, vocab, 7, beam_size=1)[0][0] == greedy
        assert len(d2l.beam_search(net, sentence, vocab, vocab, 7, beam_size=3)) >= 1
    with pytest.raises(ValueError, match="beam_size 必须是正整数"):
        d2l.beam_search(net, "the", vocab, vocab, 7, beam_size=0)
    with pytest.raises(ValueError, match="src_sentence 必须是非空字符串"):
        d2l.predict_seq2seq(net, " ", vocab, vocab, 7)
    with pytest.raises(TypeError, match="src_sentence 必须是字符串"):
        d2l.predict_seq2seq(net, ["the"], vocab, vocab, 7)


def test_seq2seq_shapes_and_training_lowers_the_loss(capsys):
    torch.manual_seed(0)
    pairs = [("go .", "va !"), ("hi .", "salut !"), ("run !", "cours !"), ("who ?", "qui ?")] * 4
    src = [s.split() for s, _ in pairs]
    tgt = [t.split() for _, t in pairs]
    src_vocab = d2l.Vocab(src, reserved_tokens=["<pad>", "<bos>", "<eos>"])
    tgt_vocab = d2l.Vocab(tgt, reserved_tokens=["<pad>", "<bos>", "<eos>"])
    X, X_len = d2l.build_array_nmt(src, src_vocab, 5)
    Y, Y_len = d2l.build_array_nmt(tgt, tgt_vocab, 5)
    net = d2l.EncoderDecoder(d2l.Seq2SeqEncoder(len(src_vocab), 8, 16, 1),
                             d2l.Seq2SeqDecoder(len(tgt_vocab), 8, 16, 1))
    Y_hat, (hidden, context) = net(X, Y, X_len)
    assert Y_hat.shape == (16, 5, len(tgt_vocab)) and hidden.shape == (1, 16, 16) and context.shape == (16, 16)
    metrics = d2l.train_seq2seq(net, d2l.load_array((X, X_len, Y, Y_len), 4), 0.05, 30, tgt_vocab)
    assert metrics["loss"] < 0.2 and "tokens/sec" in capsys.readouterr().out
    assert d2l.predict_seq2seq(net, "go .", src_vocab, tgt_vocab, 5) == "va !"



def test_train_seq2seq_reports_cross_entropy_per_valid_token():
    # One batch, a learning rate too small to move the weights: the reported loss must be the mean cross-entropy
    # over the valid target tokens (not that divided again by num_steps, as the masked loss's value is).
    pairs = [("go .", "va !"), ("hi there .", "salut !"), ("run !", "cours vite !")]
    src_vocab = d2l.Vocab([s.split() for s, _ in pairs], reserved_tokens=["<pad>", "<bos>", "<eos>"])
    tgt_vocab = d2l.Vocab([t.split() for _, t in pairs], reserved_tokens=["<pad>", "<bos>", "<eos>"])
    X, X_len = d2l.build_array_nmt([s.split() for s, _ in pairs], src_vocab, 6)
    Y, Y_len = d2l.build_array_nmt([t.split() for _, t in pairs], tgt_vocab, 6)
    torch.manual_seed(0)
    net = d2l.EncoderDecoder(d2l.Seq2SeqEncoder(len(src_vocab), 8, 16, 1), d2l.Seq2SeqDecoder(len(tgt_vocab), 8, 16, 1))
    reported = d2l.train_seq2seq(net, [(X, X_len, Y, Y_len)], 1e-12, 1, tgt_vocab)["loss"]
    dec_input = torch.cat([torch.full((3, 1), tgt_vocab["<bos>"]), Y[:, :-1]], dim=1)
    with torch.no_grad():
        ce = nn.functional.cross_entropy(net(X, dec_input, X_len)[0].permute(0, 2, 1), Y, reduction="none")
    valid = torch.arange(6)[None, :] < Y_len[:, None]
    assert Y_len.tolist() == [3, 3, 4]  # with <eos>; padded to 6
    assert reported == pytest.approx(float(ce[valid].mean()), rel=1e-5)

@pytest.mark.skipif(not os.environ.get("D2LBOOK_DATA"), reason="D2LBOOK_DATA is not set")
def test_load_data_nmt_first_pairs():
    data_iter, src_vocab, tgt_vocab = d2l.load_data_nmt(batch_size=2, num_steps=8)
    X, X_len, Y, Y_len = next(iter(data_iter))
    assert X.shape == Y.shape == (2, 8) and X_len.shape == (2,)
    assert src_vocab.to_tokens([1, 2, 3]) == ["<pad>", "<bos>", "<eos>"]
    assert d2l.tokenize_nmt(d2l.preprocess_nmt(d2l.read_data_nmt()), 1) == ([["go", "."]], [["va", "!"]])


def test_encoder_and_decoders_check_their_sizes_and_dropout():
    for make in (d2l.Seq2SeqEncoder, d2l.Seq2SeqDecoder, d2l.Seq2SeqAttentionDecoder):
        with pytest.raises(ValueError, match="num_layers 必须是正整数"):
            make(10, 8, 8, 0)
        with pytest.raises(TypeError, match="embed_size 必须是整数"):
            make(10, 8.0, 8, 1)
        with pytest.raises(ValueError, match=r"dropout 必须在 \[0, 1\) 内"):
            make(10, 8, 8, 2, dropout=1.5)
    with pytest.raises(ValueError, match="vocab_size 必须是正整数"):
        d2l.TokenEmbedding(0, 8)
    with pytest.raises(TypeError, match="ffn_num_hiddens 必须是整数"):
        d2l.PositionWiseFFN(8, "16")
