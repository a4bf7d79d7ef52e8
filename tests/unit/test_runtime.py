"""setup(), profiles, devices, Timer and Accumulator."""
import random

import numpy as np
import pytest
import torch

import d2lbook_utils as d2l


def draws():
    return random.random(), float(np.random.rand()), float(torch.rand(1))


def test_setup_makes_every_generator_repeatable():
    d2l.setup(seed=3)
    first = draws()
    d2l.setup(seed=3)
    assert draws() == first
    d2l.setup(seed=4)
    assert draws() != first


def test_setup_enables_deterministic_algorithms():
    d2l.setup()
    assert torch.are_deterministic_algorithms_enabled()


def test_setup_thread_count_from_argument_and_environment(monkeypatch):
    before = torch.get_num_threads()
    try:
        d2l.setup(num_threads=1)
        assert torch.get_num_threads() == 1
        monkeypatch.setenv("D2LBOOK_NUM_THREADS", "2")
        d2l.setup()
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("kwargs, error, text", [
    ({"seed": -1}, ValueError, "seed 必须是不小于 0 的整数，收到 -1"),
    ({"seed": 1.5}, TypeError, "seed 必须是整数"),
    ({"seed": True}, TypeError, "seed 必须是整数"),
    ({"num_threads": 0}, ValueError, "num_threads 必须是正整数，收到 0"),
    ({"num_threads": "2"}, TypeError, "num_threads 必须是整数"),
])
def test_setup_rejects_bad_arguments(kwargs, error, text):
    with pytest.raises(error, match=text):
        d2l.setup(**kwargs)


def test_setup_rejects_a_bad_thread_variable(monkeypatch):
    monkeypatch.setenv("D2LBOOK_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="D2LBOOK_NUM_THREADS 必须是正整数"):
        d2l.setup()


def test_seed_offset_from_the_environment_shifts_the_seed(monkeypatch):
    d2l.setup(seed=4)
    seed_4 = draws()
    monkeypatch.setenv("D2LBOOK_SEED_OFFSET", "1")
    d2l.setup(seed=3)
    assert draws() == seed_4
    monkeypatch.setenv("D2LBOOK_SEED_OFFSET", "-1")
    with pytest.raises(ValueError, match="D2LBOOK_SEED_OFFSET 必须是非负整数，收到 '-1'"):
        d2l.setup()


def test_profile_selects_settings(monkeypatch):
    cpu, full = {"epochs": 2, "size": 28}, {"epochs": 10, "size": 224}
    monkeypatch.delenv("D2LBOOK_PROFILE", raising=False)
    assert d2l.profile() == "cpu" and d2l.by_profile(cpu, full) == cpu
    monkeypatch.setenv("D2LBOOK_PROFILE", "full")
    assert d2l.by_profile(cpu, full) == full
    table = d2l.profile_table(cpu, full)
    assert list(table.columns) == ["cpu", "full *"] and table.loc["size", "full *"] == 224
    mixed = d2l.profile_table({"n": 30000, "lr": 0.05}, {"n": 60000, "lr": 0.1}).to_string()
    assert "30000 " in mixed and "30000.0" not in mixed  # ints stay ints next to floats


def test_profile_errors(monkeypatch):
    monkeypatch.setenv("D2LBOOK_PROFILE", "gpu")
    with pytest.raises(ValueError, match="D2LBOOK_PROFILE 必须是 'cpu'、'full' 之一，收到 'gpu'"):
        d2l.profile()
    monkeypatch.delenv("D2LBOOK_PROFILE")
    with pytest.raises(ValueError, match="键必须相同.*lr"):
        d2l.by_profile({"epochs": 1}, {"epochs": 2, "lr": 0.1})
    with pytest.raises(TypeError, match="必须都是 dict"):
        d2l.by_profile([1], {"a": 1})


def test_devices_without_gpu_fall_back_to_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    assert d2l.num_gpus() == 0
    assert d2l.try_gpu() == d2l.cpu() == torch.device("cpu")
    assert d2l.try_all_gpus() == [torch.device("cpu")]
    assert d2l.gpu(1) == torch.device("cuda:1")


def test_devices_with_two_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert d2l.try_gpu(1) == torch.device("cuda:1")
    assert d2l.try_gpu(2) == torch.device("cpu")
    assert d2l.try_all_gpus() == [torch.device("cuda:0"), torch.device("cuda:1")]


@pytest.mark.parametrize("bad, error", [(-1, ValueError), ("0", TypeError), (0.0, TypeError)])
def test_device_index_is_checked(bad, error):
    with pytest.raises(error, match="i 必须是"):
        d2l.try_gpu(bad)
    with pytest.raises(error, match="i 必须是"):
        d2l.gpu(bad)


def test_timer_records_and_sums(monkeypatch):
    clock = iter([10.0, 10.5, 11.0, 12.0])
    monkeypatch.setattr("time.perf_counter", lambda: next(clock))
    timer = d2l.Timer()
    assert timer.stop() == 0.5
    timer.start()
    assert timer.stop() == 1.0
    assert timer.sum() == 1.5 and timer.avg() == 0.75 and timer.cumsum() == [0.5, 1.5]


def test_accumulator_adds_and_checks_arity():
    acc = d2l.Accumulator(3)
    acc.add(1, 2, 3)
    acc.add(torch.tensor(1.0), 0, 0.5)
    assert [acc[0], acc[1], acc[2]] == [2.0, 2.0, 3.5] and len(acc) == 3
    with pytest.raises(ValueError, match="add 需要 3 个数值，收到 2 个"):
        acc.add(1, 2)
    acc.reset()
    assert acc.data == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="n 必须是正整数，收到 0"):
        d2l.Accumulator(0)
