"""Reference solution for exercise 7: Swish as a custom autograd Function."""

from __future__ import annotations

import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    """swish(x) = x * sigmoid(x) with a hand-written backward."""

    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        # torch.sigmoid is stable for any |x|: no exp overflow, unlike 1 / (1 + exp(-x)) by hand.
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        # d/dx [x s(x)] = s + x s (1 - s) = s (1 + x (1 - s)); finite for any finite x.
        return grad_output * s * (1 + x * (1 - s))


def swish(x: Tensor) -> Tensor:
    """SwishFunction.apply(x)."""
    return SwishFunction.apply(x)


class Swish(nn.Module):
    """nn.Module wrapper: Swish()(x) == swish(x)."""

    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
