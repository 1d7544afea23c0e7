# Mutant: backward pushes grad_output through its own stable swish as a forward-mode AD tangent (dual numbers): autograd computes the derivative.
import torch
from torch import Tensor, nn
from torch.autograd import forward_ad as fwAD


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
        with fwAD.dual_level():
            return fwAD.unpack_dual(_swish(fwAD.make_dual(x, grad_output))).tangent


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
