"""Batch normalisation from scratch against torch's, and its argument checks."""
import pytest
import torch
from torch import nn

import d2lbook_utils as d2l


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
