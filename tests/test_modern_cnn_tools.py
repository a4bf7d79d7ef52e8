import pytest
import torch
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


def test_scratch_batch_norm_matches_torch():
    torch.manual_seed(0)
    X = torch.randn(16, 3, 5, 5) * 2 + 1
    ours, ref = d2l.BatchNorm(3, 4), nn.BatchNorm2d(3)
    assert torch.allclose(ours(X), ref(X), atol=1e-5)
    assert torch.allclose(ours.moving_mean.flatten(), ref.running_mean)
    assert {name for name, _ in ours.named_buffers()} == {"moving_mean", "moving_var"}
    ours.eval()  # prediction uses the moving statistics, not the batch's
    expected = (X - ours.moving_mean) / torch.sqrt(ours.moving_var + 1e-5)
    assert torch.allclose(ours(X), expected, atol=1e-6)
    fc = d2l.BatchNorm(4, 2)
    assert torch.allclose(fc(torch.randn(8, 4) + 3).mean(dim=0), torch.zeros(4), atol=1e-5)


def test_batch_norm_errors():
    with pytest.raises(ValueError, match="num_dims 必须是 2、4 之一"):
        d2l.BatchNorm(3, 3)
    with pytest.raises(ValueError, match=r"momentum 必须在 \(0, 1\] 内"):
        d2l.BatchNorm(3, 4, momentum=5.0)
    assert d2l.BatchNorm(3, 4, momentum=1.0).momentum == 1.0  # keep only the latest batch: allowed
    with pytest.raises(ValueError, match=r"BatchNorm 期望形状 \(批量, 3, 高, 宽\)"):
        d2l.BatchNorm(3, 4)(torch.zeros(2, 4, 1, 1))
    with pytest.raises(ValueError, match="X 必须是 2 维"):
        d2l.batch_norm(torch.zeros(2, 3, 4), *[torch.zeros(1)] * 4, training=True)
