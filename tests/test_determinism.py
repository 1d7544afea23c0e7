"""Seeding (grader/plugin/determinism.py): a check's model gets the same weights on every
run, whichever way it is seeded."""

import torch

from grader.plugin.determinism import seed_everything, seed_torch


def test_seed_torch_draws_what_manual_seed_draws() -> None:
    torch.manual_seed(123)
    expected = torch.nn.Linear(4, 3).weight.detach().clone(), torch.randn(5)
    seed_torch(123)
    got = torch.nn.Linear(4, 3).weight.detach().clone(), torch.randn(5)
    assert all(torch.equal(a, b) for a, b in zip(got, expected))


def test_seed_everything_repeats_every_generator() -> None:
    import random

    import numpy as np

    draws = []
    for _ in range(2):
        seed_everything()
        draws.append((random.random(), float(np.random.rand()), float(torch.rand(1))))
    assert draws[0] == draws[1]
