# Mutant: forward multiplies the input in place (x.mul_), changing the caller's tensor and the saved x.
import torch
import torch.nn.functional as F
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        s = torch.sigmoid(x)
        ctx.save_for_backward(x, s)
        return x.mul_(s)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        x, s = ctx.saved_tensors
        return grad_output * s * (1 + x * (1 - s))


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
