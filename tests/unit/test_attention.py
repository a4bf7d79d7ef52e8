"""Attention: masked softmax, the scoring functions, multi-head attention, positional encoding, the decoders."""
import math

import pytest
import torch
from torch import nn

import d2lbook_utils as d2l


def test_masked_softmax_zeroes_masked_keys_and_rows_sum_to_one():
    X = torch.randn(2, 3, 5)
    for valid_lens in (torch.tensor([2, 4]), torch.tensor([[1, 2, 5], [3, 4, 1]])):
        weights = d2l.masked_softmax(X, valid_lens)
        lens = valid_lens[:, None].expand(2, 3) if valid_lens.ndim == 1 else valid_lens
        for b in range(2):
            for q in range(3):
                n = int(lens[b, q])
                assert torch.all(weights[b, q, n:] == 0)
                assert torch.allclose(weights[b, q, :n], torch.softmax(X[b, q, :n], dim=0))
        assert torch.allclose(weights.sum(-1), torch.ones(2, 3))
    assert torch.allclose(d2l.masked_softmax(X), torch.softmax(X, dim=-1))


def test_masked_softmax_row_without_keys_is_zero_and_has_finite_gradient():
    X = torch.randn(2, 2, 4, requires_grad=True)
    weights = d2l.masked_softmax(X, torch.tensor([0, 3]))
    assert torch.all(weights[0] == 0)
    (weights * torch.randn(2, 2, 4)).sum().backward()
    assert torch.isfinite(X.grad).all() and torch.all(X.grad[0] == 0)


@pytest.mark.parametrize("X, valid_lens, message", [
    (torch.zeros(2, 3), None, "三维"),
    (torch.zeros(2, 3, 4), torch.tensor([1, 2, 3]), "valid_lens"),
])
def test_masked_softmax_rejects_bad_shapes(X, valid_lens, message):
    with pytest.raises(ValueError, match=message):
        d2l.masked_softmax(X, valid_lens)


def test_scoring_functions_shapes_and_weights():
    queries, keys, values = torch.randn(2, 1, 20), torch.ones(2, 10, 2), torch.randn(2, 10, 4)
    valid_lens = torch.tensor([2, 6])
    additive = d2l.AdditiveAttention(key_size=2, query_size=20, num_hiddens=8).eval()
    assert additive(queries, keys, values, valid_lens).shape == (2, 1, 4)
    # identical keys get identical weights: uniform over the valid ones
    assert torch.allclose(additive.attention_weights[1, 0, :6], torch.full((6,), 1 / 6))
    dot = d2l.DotProductAttention().eval()
    assert dot(torch.randn(2, 3, 2), keys, values, valid_lens).shape == (2, 3, 4)
    assert dot.attention_weights.shape == (2, 3, 10)
    with pytest.raises(ValueError, match="最后一维"):
        dot(queries, keys, values)


def test_multihead_attention_shapes_with_heads_and_valid_lens():
    attention = d2l.MultiHeadAttention(num_hiddens=12, num_heads=3).eval()
    X, Y = torch.randn(2, 4, 12), torch.randn(2, 6, 12)
    assert attention(X, Y, Y, torch.tensor([3, 2])).shape == (2, 4, 12)
    weights = attention.attention_weights
    assert weights.shape == (2, 3, 4, 6)
    assert torch.all(weights[0, :, :, 3:] == 0) and torch.all(weights[1, :, :, 2:] == 0)
    with pytest.raises(ValueError, match="整除"):
        d2l.MultiHeadAttention(num_hiddens=10, num_heads=3)


def test_split_and_merge_heads_are_inverse():
    attention = d2l.MultiHeadAttention(num_hiddens=12, num_heads=4)
    X = torch.randn(3, 5, 12)
    assert attention.split_heads(X).shape == (12, 5, 3)
    assert torch.equal(attention.merge_heads(attention.split_heads(X)), X)


@pytest.mark.parametrize("bias", [False, True])
def test_multihead_attention_equals_torch(bias):
    torch.manual_seed(0)
    num_hiddens, num_heads = 16, 4
    ours = d2l.MultiHeadAttention(num_hiddens, num_heads, bias=bias).eval()
    theirs = nn.MultiheadAttention(num_hiddens, num_heads, bias=bias, batch_first=True).eval()
    with torch.no_grad():
        theirs.in_proj_weight.copy_(torch.cat([ours.W_q.weight, ours.W_k.weight, ours.W_v.weight]))
        theirs.out_proj.weight.copy_(ours.W_o.weight)
        if bias:
            theirs.in_proj_bias.copy_(torch.cat([ours.W_q.bias, ours.W_k.bias, ours.W_v.bias]))
            theirs.out_proj.bias.copy_(ours.W_o.bias)
    queries, keys, values = torch.randn(3, 5, num_hiddens), torch.randn(3, 7, num_hiddens), torch.randn(3, 7, num_hiddens)
    valid_lens = torch.tensor([7, 3, 1])
    padding = torch.arange(7)[None, :] >= valid_lens[:, None]
    expected, expected_weights = theirs(queries, keys, values, key_padding_mask=padding,
                                        average_attn_weights=False)
    assert torch.allclose(ours(queries, keys, values, valid_lens), expected, atol=1e-5)
    assert torch.allclose(ours.attention_weights, expected_weights, atol=1e-5)


def test_positional_encoding_values_at_known_positions():
    d = 8
    encoding = d2l.PositionalEncoding(d, max_len=50)
    P = encoding.P
    assert torch.allclose(P[0], torch.tensor([0.0, 1.0] * (d // 2)))
    for i, j in [(1, 0), (7, 1), (33, 3)]:
        angle = i / 10000 ** (2 * j / d)
        assert math.isclose(float(P[i, 2 * j]), math.sin(angle), abs_tol=1e-5)
        assert math.isclose(float(P[i, 2 * j + 1]), math.cos(angle), abs_tol=1e-5)
    X = torch.zeros(1, 3, d)
    assert torch.equal(encoding(X, offset=5)[0], P[5:8])
    with pytest.raises(ValueError, match="max_len"):
        encoding(torch.zeros(1, 51, d))


def _transformer(vocab_size=11):
    torch.manual_seed(0)
    encoder = d2l.TransformerEncoder(vocab_size, 16, 32, num_heads=4, num_layers=2, dropout=0.1)
    decoder = d2l.TransformerDecoder(vocab_size, 16, 32, num_heads=4, num_layers=2, dropout=0.1)
    return d2l.EncoderDecoder(encoder, decoder).eval()


def test_transformer_causal_mask_later_tokens_never_change_earlier_outputs():
    net = _transformer()
    enc_X, valid_lens = torch.randint(0, 11, (2, 6)), torch.tensor([6, 4])
    dec_X = torch.randint(0, 11, (2, 5))
    with torch.no_grad():
        base, _ = net(enc_X, dec_X, valid_lens)
        for t in range(5):
            perturbed = dec_X.clone()
            perturbed[:, t] = (perturbed[:, t] + 1) % 11
            out, _ = net(enc_X, perturbed, valid_lens)
            assert torch.allclose(out[:, :t], base[:, :t], atol=1e-6), t
            assert not torch.allclose(out[:, t], base[:, t]), t  # the perturbation does reach position t


def test_transformer_encoder_padding_never_changes_valid_outputs():
    net = _transformer()
    enc_X = torch.randint(0, 11, (1, 6))
    perturbed = enc_X.clone()
    perturbed[0, 4:] = (perturbed[0, 4:] + 1) % 11
    with torch.no_grad():
        a, b = net.encoder(enc_X, torch.tensor([4])), net.encoder(perturbed, torch.tensor([4]))
    assert torch.allclose(a[:, :4], b[:, :4], atol=1e-6)


@pytest.mark.parametrize("make_decoder", ["transformer", "bahdanau"])
def test_stepwise_decoding_equals_one_pass(make_decoder):
    if make_decoder == "transformer":
        net = _transformer()
    else:
        torch.manual_seed(0)
        net = d2l.EncoderDecoder(d2l.Seq2SeqEncoder(11, 8, 16, 2),
                                 d2l.Seq2SeqAttentionDecoder(11, 8, 16, 2)).eval()
    enc_X, valid_lens, dec_X = torch.randint(0, 11, (2, 6)), torch.tensor([6, 3]), torch.randint(0, 11, (2, 5))
    with torch.no_grad():
        whole, _ = net(enc_X, dec_X, valid_lens)
        state, steps = net.decoder.init_state(net.encoder(enc_X, valid_lens), valid_lens), []
        for t in range(5):
            out, state = net.decoder(dec_X[:, t:t + 1], state)
            steps.append(out)
    assert torch.allclose(whole, torch.cat(steps, dim=1), atol=1e-5)


def test_bahdanau_attention_weights_cover_each_step_and_respect_valid_lens():
    torch.manual_seed(0)
    net = d2l.EncoderDecoder(d2l.Seq2SeqEncoder(11, 8, 16, 2), d2l.Seq2SeqAttentionDecoder(11, 8, 16, 2)).eval()
    with torch.no_grad():
        Y, state = net(torch.randint(0, 11, (2, 6)), torch.randint(0, 11, (2, 4)), torch.tensor([6, 2]))
    assert Y.shape == (2, 4, 11)
    weights = net.decoder.attention_weights
    assert weights.shape == (2, 4, 6)
    assert torch.all(weights[1, :, 2:] == 0)
    assert torch.allclose(weights.sum(-1), torch.ones(2, 4))


def _toy_vocabs():
    src = d2l.Vocab([["a", "b", "c", "d"]], reserved_tokens=["<pad>", "<bos>", "<eos>"])
    tgt = d2l.Vocab([["w", "x", "y", "z"]], reserved_tokens=["<pad>", "<bos>", "<eos>"])
    return src, tgt


def test_beam_width_one_equals_greedy_for_both_attention_models():
    src, tgt = _toy_vocabs()
    torch.manual_seed(1)
    bahdanau = d2l.EncoderDecoder(d2l.Seq2SeqEncoder(len(src), 8, 16, 2), d2l.Seq2SeqAttentionDecoder(len(tgt), 8, 16, 2))
    for net in (_transformer(len(src)), bahdanau):
        for sentence in ("a b", "c d a", "b"):
            greedy = d2l.predict_seq2seq(net, sentence, src, tgt, num_steps=6)
            assert d2l.beam_search(net, sentence, src, tgt, 6, beam_size=1)[0][0] == greedy
            scores = [score for _, score in d2l.beam_search(net, sentence, src, tgt, 6, beam_size=3)]
            assert scores == sorted(scores, reverse=True)


def test_decode_pair_leaves_the_pair_attention_in_the_model():
    src, tgt = _toy_vocabs()
    net = _transformer(len(src))
    logits = d2l.decode_pair(net, "a b", "w x y", src, tgt, num_steps=6)
    assert logits.shape == (1, 4, len(tgt))
    assert net.decoder.cross_attention_weights[-1].shape == (1, 4, 4, 6)  # (batch, heads, bos + 3 tokens, source steps)
    assert net.encoder.attention_weights[0].shape == (1, 4, 6, 6)


def test_show_heatmaps_checks_dimensions():
    axes = d2l.show_heatmaps(torch.rand(2, 3, 4, 5), xlabel="Keys", ylabel="Queries", titles=["a", "b", "c"])
    assert axes.shape == (2, 3)
    d2l.plt.close("all")
    with pytest.raises(ValueError, match="四维"):
        d2l.show_heatmaps(torch.rand(4, 5), xlabel="Keys", ylabel="Queries")
