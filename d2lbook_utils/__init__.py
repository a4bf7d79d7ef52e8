"""《动手学深度学习》学习笔记互动教材的工具包。

在笔记本里这样用：`import d2lbook_utils as d2l`，然后 `d2l.setup()`。
每个名字的说明里写着第一次讲解它的章节。
"""
from .classify import (accuracy, evaluate_accuracy, evaluate_loss, predict_ch3, train_ch3, train_ch6,
                       train_epoch_ch3)
from .batch_norm import BatchNorm, batch_norm
from .data import DATASETS, DataNotFoundError, HashMismatchError, cache_dir, data_dir, fetch
from .fashion_mnist import get_fashion_mnist_labels, load_data_fashion_mnist
from .devices import cpu, gpu, num_gpus, try_all_gpus, try_gpu
from .plot import Animator, plot, plt, set_axes, set_figsize, show_heatmaps, show_images, use_png
from .runtime import by_profile, profile, profile_table, setup
from .linear import linreg, load_array, sgd, squared_loss, synthetic_data
from .model_cost import cost_table, count_flops, count_parameters, layer_table
from .text import (SeqDataLoader, Vocab, count_corpus, load_corpus_time_machine, load_data_time_machine,
                   read_time_machine, seq_data_iter_random, seq_data_iter_sequential, tokenize)
from .rnn import (RNNModel, RNNModelScratch, evaluate_perplexity, get_rnn_params, grad_clipping, init_rnn_state, predict_ch8, rnn_tanh,
                  train_ch8, train_epoch_ch8)
from .gated_rnn import get_gru_params, get_lstm_params, gru, init_lstm_state, lstm
from .seq2seq import (Decoder, Encoder, EncoderDecoder, MaskedSoftmaxCELoss, Seq2SeqDecoder, Seq2SeqEncoder,
                      beam_search, bleu, build_array_nmt, corpus_bleu, decode_pair, load_data_nmt, predict_seq2seq, preprocess_nmt,
                      read_data_nmt, sequence_mask, tokenize_nmt, train_seq2seq, truncate_pad)
from .attention import (AddNorm, AdditiveAttention, DotProductAttention, MultiHeadAttention, PositionalEncoding,
                        PositionWiseFFN, Seq2SeqAttentionDecoder, TokenEmbedding, TransformerDecoder, TransformerDecoderBlock,
                        TransformerEncoder, TransformerEncoderBlock, masked_softmax)
from .timing import Accumulator, Timer

__all__ = [
    "accuracy", "evaluate_accuracy", "evaluate_loss", "predict_ch3", "train_ch3", "train_ch6", "train_epoch_ch3",
    "get_fashion_mnist_labels", "load_data_fashion_mnist",
    "linreg", "load_array", "sgd", "squared_loss", "synthetic_data",
    "BatchNorm", "batch_norm", "cost_table", "count_flops", "count_parameters", "layer_table",
    "SeqDataLoader", "Vocab", "count_corpus", "load_corpus_time_machine", "load_data_time_machine",
    "read_time_machine", "seq_data_iter_random", "seq_data_iter_sequential", "tokenize",
    "RNNModel", "RNNModelScratch", "evaluate_perplexity", "get_rnn_params", "grad_clipping", "init_rnn_state", "predict_ch8", "rnn_tanh",
    "train_ch8", "train_epoch_ch8",
    "get_gru_params", "get_lstm_params", "gru", "init_lstm_state", "lstm",
    "Decoder", "Encoder", "EncoderDecoder", "MaskedSoftmaxCELoss", "Seq2SeqDecoder", "Seq2SeqEncoder",
    "beam_search", "bleu", "build_array_nmt", "corpus_bleu", "decode_pair", "load_data_nmt", "predict_seq2seq", "preprocess_nmt", "read_data_nmt",
    "sequence_mask", "tokenize_nmt", "train_seq2seq", "truncate_pad",
    "AddNorm", "AdditiveAttention", "DotProductAttention", "MultiHeadAttention", "PositionalEncoding",
    "PositionWiseFFN", "Seq2SeqAttentionDecoder", "TokenEmbedding", "TransformerDecoder", "TransformerDecoderBlock", "TransformerEncoder",
    "TransformerEncoderBlock", "masked_softmax",
    "Accumulator", "Animator", "DATASETS", "DataNotFoundError", "HashMismatchError", "Timer",
    "by_profile", "cache_dir", "cpu", "data_dir", "fetch", "gpu", "num_gpus", "plot", "plt", "profile",
    "profile_table", "set_axes", "set_figsize", "setup", "show_heatmaps", "show_images", "try_all_gpus", "try_gpu", "use_png",
]
