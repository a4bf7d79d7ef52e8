"""Tokenization, the vocabulary and the language-model minibatch iterators."""
import os
import random

import pytest
import torch

import d2lbook_utils as d2l


def test_vocab_orders_by_frequency_with_unk_and_reserved_first():
    vocab = d2l.Vocab([["b", "a", "b"], ["c", "b", "a"]], reserved_tokens=["<pad>", "<eos>"])
    assert vocab.idx_to_token == ["<unk>", "<pad>", "<eos>", "b", "a", "c"]
    assert vocab.unk == 0 and vocab["zzz"] == 0 and vocab[["b", "zzz"]] == [3, 0]
    assert vocab.to_tokens([3, 4]) == ["b", "a"] and vocab.to_tokens(torch.tensor([5])) == ["c"]
    assert vocab.token_freqs[0] == ("b", 3)
    with pytest.raises(ValueError, match="indices 必须是 0 到 5 之间的整数"):
        vocab.to_tokens(6)


def test_vocab_edge_cases():
    empty = d2l.Vocab()
    assert len(empty) == 1 and empty["a"] == 0 and empty.to_tokens(0) == "<unk>"
    rare = d2l.Vocab(["a", "b", "a"], min_freq=5, reserved_tokens=["<bos>"])
    assert rare.idx_to_token == ["<unk>", "<bos>"] and rare["a"] == 0
    assert d2l.Vocab(["a", "b", "a"], min_freq=2).idx_to_token == ["<unk>", "a"]
    with pytest.raises(ValueError, match="reserved_tokens 不能重复"):
        d2l.Vocab(["a"], reserved_tokens=["<unk>"])
    with pytest.raises(ValueError, match="min_freq 必须是不小于 0 的整数"):
        d2l.Vocab(["a"], min_freq=-1)


def test_tokenize_words_and_chars():
    assert d2l.tokenize(["the time", ""], "word") == [["the", "time"], []]
    assert d2l.tokenize(["ab c"], "char") == [["a", "b", " ", "c"]]
    with pytest.raises(ValueError, match="token 必须是 'word'、'char' 之一"):
        d2l.tokenize(["a"], "letter")
    with pytest.raises(TypeError, match="lines 必须是多行文本组成的列表"):
        d2l.tokenize("a line", "word")


@pytest.mark.parametrize("make", [d2l.seq_data_iter_random, d2l.seq_data_iter_sequential])
def test_iterators_shift_labels_by_one(make):
    corpus = list(range(100))
    batches = list(make(corpus, 3, 5, random.Random(0)))
    assert batches and all(X.shape == (3, 5) and torch.equal(Y, X + 1) for X, Y in batches)
    with pytest.raises(ValueError, match="corpus 太短"):
        list(make(corpus[:15], 3, 5))
    with pytest.raises(ValueError, match="num_steps 必须是正整数"):
        list(make(corpus, 3, 0))


def test_random_iterator_cuts_disjoint_pieces_reproducibly():
    corpus = list(range(100))
    first = [X for X, _ in d2l.seq_data_iter_random(corpus, 2, 5, random.Random(1))]
    again = [X for X, _ in d2l.seq_data_iter_random(corpus, 2, 5, random.Random(1))]
    assert all(torch.equal(a, b) for a, b in zip(first, again))
    starts = torch.cat(first)[:, 0].tolist()
    assert len(set(starts)) == len(starts) and len({s % 5 for s in starts}) == 1  # one cut grid, no overlap


def test_sequential_iterator_continues_each_row():
    batches = list(d2l.seq_data_iter_sequential(list(range(100)), 2, 5, random.Random(0)))
    for (X0, _), (X1, _) in zip(batches, batches[1:]):
        assert torch.equal(X1[:, 0], X0[:, -1] + 1)


def test_seq_data_loader_is_reiterable():
    loader = d2l.SeqDataLoader(list(range(200)), 4, 6, use_random_iter=True, seed=3)
    assert len(list(loader)) == len(list(loader)) > 0


@pytest.mark.skipif(not os.environ.get("D2LBOOK_DATA"), reason="D2LBOOK_DATA is not set")
def test_time_machine_char_corpus():
    corpus, vocab = d2l.load_corpus_time_machine(max_tokens=1000)
    assert len(corpus) == 1000 and len(vocab) == 28 and vocab.to_tokens(1) == " "
    lines = d2l.read_time_machine()
    assert lines[0] == "the time machine by h g wells"
    train_iter, vocab = d2l.load_data_time_machine(32, 35)
    X, Y = next(iter(train_iter))
    assert X.shape == Y.shape == (32, 35) and len(vocab) == 28
