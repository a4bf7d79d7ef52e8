"""Every public name rejects bad arguments with a Chinese message naming the argument:
wrong type -> TypeError, bad value or shape -> ValueError (the messages come from d2lbook_utils/_checks.py)."""
import inspect
import re

import pytest
import torch
from torch import nn

import d2lbook_utils as d2l
from tools.api_reference import DATA_DOCS

VOCAB = d2l.Vocab(list("abcde"))
NET = d2l.EncoderDecoder(d2l.Seq2SeqEncoder(len(VOCAB), 4, 4, 1), d2l.Seq2SeqDecoder(len(VOCAB), 4, 4, 1))
PARAMS = d2l.get_rnn_params(5, 3)

# One bad call per public name: (the call, the error it must raise, a word the message must contain).
BAD = {
    "by_profile": (lambda: d2l.by_profile({"a": 1}, {"b": 2}), ValueError, "cpu"),
    "profile_table": (lambda: d2l.profile_table({"a": 1}, {"b": 2}), ValueError, "cpu"),
    "setup": (lambda: d2l.setup(seed=-1), ValueError, "seed"),
    "Animator": (lambda: d2l.Animator(xscale="squared"), ValueError, "xscale"),
    "plot": (lambda: d2l.plot([1, 2], [[1, 2], [3]]), ValueError, "x 与 y"),
    "set_axes": (lambda: d2l.set_axes(None, xscale="squared"), ValueError, "xscale"),
    "set_figsize": (lambda: d2l.set_figsize((0, 2)), ValueError, "figsize"),
    "show_heatmaps": (lambda: d2l.show_heatmaps(torch.zeros(2, 2), "k", "q"), ValueError, "matrices"),
    "show_images": (lambda: d2l.show_images(torch.zeros(5, 2, 2), 1, 2), ValueError, "imgs"),
    "show_correlation": (lambda: d2l.show_correlation(torch.ones(3, 3), torch.ones(2, 2), at=(2, 0)), ValueError, "at"),
    "show_pooling": (lambda: d2l.show_pooling(torch.ones(3, 3), mode="min"), ValueError, "mode"),
    "show_conv1x1": (lambda: d2l.show_conv1x1(torch.ones(3, 2, 2), torch.ones(2, 4)), ValueError, "输入通道数"),
    "show_partition": (lambda: d2l.show_partition(list("abcdef"), 3, 3), ValueError, "offset"),
    "show_beam_search": (lambda: d2l.show_beam_search({}, 2, 3), TypeError, "next_probs"),
    "gpu": (lambda: d2l.gpu(-1), ValueError, "i"),
    "try_gpu": (lambda: d2l.try_gpu("0"), TypeError, "i"),
    "Accumulator": (lambda: d2l.Accumulator(0), ValueError, "n"),
    "fetch": (lambda: d2l.fetch("no_such_dataset"), ValueError, "未知的数据集"),
    "synthetic_data": (lambda: d2l.synthetic_data(torch.ones(2), 1.0, 0), ValueError, "num_examples"),
    "linreg": (lambda: d2l.linreg(torch.ones(2, 3), torch.ones(2, 1), torch.zeros(1)), ValueError, "X"),
    "squared_loss": (lambda: d2l.squared_loss(torch.ones(3, 1), torch.ones(4)), ValueError, "y"),
    "sgd": (lambda: d2l.sgd([torch.ones(1, requires_grad=True)], -1.0, 1), ValueError, "lr"),
    "load_array": (lambda: d2l.load_array((torch.ones(3), torch.ones(2)), 2), ValueError, "data_arrays"),
    "load_fashion_mnist_tensors": (lambda: d2l.load_fashion_mnist_tensors("yes"), TypeError, "train"),
    "get_fashion_mnist_labels": (lambda: d2l.get_fashion_mnist_labels([10]), ValueError, "labels"),
    "load_data_fashion_mnist": (lambda: d2l.load_data_fashion_mnist(0), ValueError, "batch_size"),
    "accuracy": (lambda: d2l.accuracy(torch.ones(3, 2), torch.ones(4)), ValueError, "y_hat"),
    "evaluate_accuracy": (lambda: d2l.evaluate_accuracy(nn.Linear(2, 2), [], device="cpu"), ValueError, "data_iter"),
    "evaluate_loss": (lambda: d2l.evaluate_loss(nn.Linear(2, 2), [], nn.MSELoss()), ValueError, "data_iter"),
    "predict_ch3": (lambda: d2l.predict_ch3(nn.Linear(2, 2), [], n=0), ValueError, "n"),
    "train_ch3": (lambda: d2l.train_ch3(nn.Linear(2, 2), [], [], nn.MSELoss(), 0, None), ValueError, "num_epochs"),
    "train_ch6": (lambda: d2l.train_ch6(nn.Linear(2, 2), [], [], 1, 0.0, d2l.cpu()), ValueError, "lr"),
    "train_epoch_ch3": (lambda: d2l.train_epoch_ch3(nn.Linear(2, 2), [], nn.MSELoss(), "sgd"), TypeError, "updater"),
    "cost_table": (lambda: d2l.cost_table(), ValueError, "至少需要一个模型"),
    "count_flops": (lambda: d2l.count_flops(nn.Linear(2, 2), (2, 2)), ValueError, "input_shape"),
    "count_parameters": (lambda: d2l.count_parameters("net"), TypeError, "net"),
    "layer_table": (lambda: d2l.layer_table(nn.Sequential(nn.Linear(2, 2)), (0, 1, 1)), ValueError, "input_shape"),
    "BatchNorm": (lambda: d2l.BatchNorm(3, 4, momentum=5.0), ValueError, "momentum"),
    "batch_norm": (lambda: d2l.batch_norm(torch.zeros(2, 3, 4), *[torch.zeros(1)] * 4, training=True), ValueError, "X"),
    "SeqDataLoader": (lambda: d2l.SeqDataLoader([1, 2, 3], 0, 2), ValueError, "batch_size"),
    "Vocab": (lambda: d2l.Vocab(["a"], min_freq=-1), ValueError, "min_freq"),
    "count_corpus": (lambda: d2l.count_corpus(5), TypeError, "tokens"),
    "load_corpus_time_machine": (lambda: d2l.load_corpus_time_machine(token="byte"), ValueError, "token"),
    "load_data_time_machine": (lambda: d2l.load_data_time_machine(0, 5), ValueError, "batch_size"),
    "seq_data_iter_random": (lambda: list(d2l.seq_data_iter_random([1, 2, 3], 2, 5)), ValueError, "corpus 太短"),
    "seq_data_iter_sequential": (lambda: list(d2l.seq_data_iter_sequential([1, 2, 3], 2, 0)), ValueError, "num_steps"),
    "tokenize": (lambda: d2l.tokenize(["a b"], token="byte"), ValueError, "token"),
    "RNNModel": (lambda: d2l.RNNModel(nn.Linear(2, 2), 2), TypeError, "rnn_layer"),
    "RNNModelScratch": (lambda: d2l.RNNModelScratch(0, 4), ValueError, "vocab_size"),
    "evaluate_perplexity": (lambda: d2l.evaluate_perplexity(d2l.RNNModelScratch(5, 3), []), ValueError, "data_iter"),
    "get_rnn_params": (lambda: d2l.get_rnn_params(5, 0), ValueError, "num_hiddens"),
    "grad_clipping": (lambda: d2l.grad_clipping(nn.Linear(2, 2), 0), ValueError, "theta"),
    "init_rnn_state": (lambda: d2l.init_rnn_state(0, 3), ValueError, "batch_size"),
    "predict_ch8": (lambda: d2l.predict_ch8("", 3, d2l.RNNModelScratch(5, 3), VOCAB), ValueError, "prefix"),
    "rnn_tanh": (lambda: d2l.rnn_tanh(torch.zeros(2, 3), None, PARAMS), TypeError, "state"),
    "train_ch8": (lambda: d2l.train_ch8(d2l.RNNModelScratch(5, 3), [], VOCAB, 0, 1), ValueError, "lr"),
    "train_epoch_ch8": (lambda: d2l.train_epoch_ch8(d2l.RNNModelScratch(5, 3), [], nn.CrossEntropyLoss(), None, theta=0), TypeError, "updater"),
    "get_gru_params": (lambda: d2l.get_gru_params(0, 3), ValueError, "vocab_size"),
    "get_lstm_params": (lambda: d2l.get_lstm_params(5, 0), ValueError, "num_hiddens"),
    "gru": (lambda: d2l.gru(torch.zeros(2, 3), None, d2l.get_gru_params(5, 3)), TypeError, "state"),
    "init_lstm_state": (lambda: d2l.init_lstm_state(0, 3), ValueError, "batch_size"),
    "lstm": (lambda: d2l.lstm(torch.zeros(2, 3), None, d2l.get_lstm_params(5, 3)), TypeError, "state"),
    "preprocess_nmt": (lambda: d2l.preprocess_nmt(None), TypeError, "text"),
    "tokenize_nmt": (lambda: d2l.tokenize_nmt("go .\tva !", num_examples=0), ValueError, "num_examples"),
    "truncate_pad": (lambda: d2l.truncate_pad([1, 2], 0, 0), ValueError, "num_steps"),
    "build_array_nmt": (lambda: d2l.build_array_nmt([["a"]], VOCAB, 0), ValueError, "num_steps"),
    "load_data_nmt": (lambda: d2l.load_data_nmt(0, 5), ValueError, "batch_size"),
    "EncoderDecoder": (lambda: d2l.EncoderDecoder(nn.Linear(2, 2), nn.Linear(2, 2)), TypeError, "encoder"),
    "Seq2SeqEncoder": (lambda: d2l.Seq2SeqEncoder(5, 4, 4, 0), ValueError, "num_layers"),
    "Seq2SeqDecoder": (lambda: d2l.Seq2SeqDecoder(5, 4, 4, 1, dropout=1.0), ValueError, "dropout"),
    "sequence_mask": (lambda: d2l.sequence_mask(torch.zeros(2, 3), torch.tensor([1])), ValueError, "X"),
    "train_seq2seq": (lambda: d2l.train_seq2seq(NET, [], 0.0, 1, VOCAB), ValueError, "lr"),
    "predict_seq2seq": (lambda: d2l.predict_seq2seq(NET, 5, VOCAB, VOCAB, 3), TypeError, "src_sentence"),
    "decode_pair": (lambda: d2l.decode_pair(NET, "a", None, VOCAB, VOCAB, 3), TypeError, "tgt_sentence"),
    "beam_search": (lambda: d2l.beam_search(NET, "a", VOCAB, VOCAB, 3, beam_size=0), ValueError, "beam_size"),
    "bleu": (lambda: d2l.bleu("a b", "a b", 0), ValueError, "k"),
    "corpus_bleu": (lambda: d2l.corpus_bleu(["a"], ["a", "b"], 2), ValueError, "pred_seqs"),
    "AddNorm": (lambda: d2l.AddNorm(4, dropout=2.0), ValueError, "dropout"),
    "AdditiveAttention": (lambda: d2l.AdditiveAttention(0, 2, 2), ValueError, "key_size"),
    "DotProductAttention": (lambda: d2l.DotProductAttention(dropout=-0.1), ValueError, "dropout"),
    "MultiHeadAttention": (lambda: d2l.MultiHeadAttention(6, 4), ValueError, "num_hiddens"),
    "PositionalEncoding": (lambda: d2l.PositionalEncoding(1), ValueError, "num_hiddens"),
    "PositionWiseFFN": (lambda: d2l.PositionWiseFFN(8, "16"), TypeError, "ffn_num_hiddens"),
    "Seq2SeqAttentionDecoder": (lambda: d2l.Seq2SeqAttentionDecoder(5, 4, 4, 0), ValueError, "num_layers"),
    "TokenEmbedding": (lambda: d2l.TokenEmbedding(0, 8), ValueError, "vocab_size"),
    "TransformerDecoder": (lambda: d2l.TransformerDecoder(5, 8, 16, 2, 0), ValueError, "num_layers"),
    "TransformerDecoderBlock": (lambda: d2l.TransformerDecoderBlock(8, 16, 3), ValueError, "num_hiddens"),
    "TransformerEncoder": (lambda: d2l.TransformerEncoder(0, 8, 16, 2, 1), ValueError, "vocab_size"),
    "TransformerEncoderBlock": (lambda: d2l.TransformerEncoderBlock(8, 0, 2), ValueError, "ffn_num_hiddens"),
    "masked_softmax": (lambda: d2l.masked_softmax(torch.zeros(2, 3)), ValueError, "X"),
}

# Names with nothing to check: no required arguments (or data, or an exception class).
NOTHING_TO_CHECK = {"profile", "use_png", "cpu", "num_gpus", "try_all_gpus", "Timer", "cache_dir", "data_dir",
                    "read_time_machine", "read_data_nmt", "Encoder", "Decoder", "MaskedSoftmaxCELoss",
                    "DataNotFoundError", "HashMismatchError", *DATA_DOCS}


def test_every_public_name_has_a_bad_call_or_nothing_to_check():
    assert set(d2l.__all__) == set(BAD) | NOTHING_TO_CHECK
    for name in NOTHING_TO_CHECK - set(DATA_DOCS) - {"DataNotFoundError", "HashMismatchError"}:
        required = [p for p in inspect.signature(getattr(d2l, name)).parameters.values()
                    if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        assert not required, f"{name} takes {required}: give it a bad call in BAD"


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_arguments_raise_a_chinese_error_naming_the_argument(name):
    call, error, word = BAD[name]
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert type(raised.value) is error  # not a subclass such as KeyError
    assert re.search(r"[\u4e00-\u9fff]", message) and word in message, message
