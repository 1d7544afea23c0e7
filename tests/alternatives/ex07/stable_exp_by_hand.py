# Style: hand-written stable sigmoid with exp(-|x|) and torch.where; derivative via 1 - s = exp(-x) s done safely.
import torch
from torch import Tensor, nn


def _sigmoid(x: Tensor) -> Tensor:
    z = torch.exp(-x.abs())                       # in (0, 1]: never overflows
    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        s = _sigmoid(x)
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        x, s = ctx.saved_tensors
        ds = s * (1 - s)                          # sigmoid'(x)
        return grad_output * (s + x * ds)


def swish(x: Tensor) -> Tensor:
    """Swish through the custom Function."""
    out = SwishFunction.apply(x)
    return out


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
