"""Parameter and FLOP counts, layer and cost tables."""
import pytest
from torch import nn

import d2lbook_utils as d2l


def test_counts_match_hand_arithmetic():
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 8 * 8, 10))
    assert d2l.count_parameters(net) == (4 * 9 + 4) + (256 * 10 + 10)
    # one multiply-add = 2 FLOPs: conv 8*8 positions * 4 out * 9 taps, linear 256 * 10
    assert d2l.count_flops(net, (1, 8, 8)) == 2 * (8 * 8 * 4 * 9) + 2 * (256 * 10)


def test_layer_table_and_cost_table():
    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Dropout(0.5), nn.Flatten()).train()
    table = d2l.layer_table(net, (1, 5, 5))
    assert list(table["输出形状"]) == [(1, 2, 3, 3)] * 3 + [(1, 18)]
    assert list(table["参数量"]) == [20, 4, 0, 0]
    assert net.training  # the mode is restored after the inference-mode pass
    costs = d2l.cost_table(small=(net, (1, 5, 5)), big=(net, (1, 9, 9)))
    assert list(costs.columns) == ["small", "big"] and costs.loc["输入", "big"] == "1×9×9"


def test_model_cost_errors():
    net = nn.Linear(2, 2)
    with pytest.raises(ValueError, match=r"input_shape 必须是 \(通道, 高, 宽\)"):
        d2l.count_flops(net, (2,))
    with pytest.raises(ValueError, match="input_shape 中的每一项 必须是正整数，收到 0"):
        d2l.layer_table(nn.Sequential(net), (1, 0, 2))
    with pytest.raises(TypeError, match="cpu 必须是 \\(nn.Module"):
        d2l.cost_table(cpu=net)
    with pytest.raises(ValueError, match="input_shape 必须是"):
        d2l.cost_table(cpu=(net, 28))
    with pytest.raises(ValueError, match="至少需要一个模型"):
        d2l.cost_table()
