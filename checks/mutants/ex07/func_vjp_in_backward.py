# Mutant: backward is torch.func.vjp of F.silu: autograd's formula, not the learner's derivative.
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.func import vjp


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return F.silu(x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        _, pullback = vjp(F.silu, x)
        return pullback(grad_output)[0]


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
