# Mutant: backward is torch.func.vjp of its own stable swish (exp(-|x|) and where): autograd differentiates a recomputation, with only plain ops (no *_backward kernel).
import torch
from torch import Tensor, nn
from torch.func import vjp


def _swish(t: Tensor) -> Tensor:
    e = torch.exp(-t.abs())
    return t * torch.where(t >= 0, 1 / (1 + e), e / (1 + e))


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return _swish(x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        _, pullback = vjp(_swish, x)
        return pullback(grad_output)[0]


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
