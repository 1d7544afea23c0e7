# Style: new-style Function (forward without ctx + setup_context); Swish takes an optional inplace flag and counts calls.
import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    """New-style Function: forward without ctx, setup_context saves what backward needs."""

    @staticmethod
    def forward(x: Tensor) -> Tensor:
        return torch.nn.functional.silu(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        return grad_output * s * (1 + x * (1 - s))


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    """Swish activation."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace  # accepted for nn.SiLU compatibility, ignored
        self.calls = 0

    def extra_repr(self) -> str:
        return "swish"

    def forward(self, x: Tensor) -> Tensor:
        self.calls += 1
        return swish(x)
