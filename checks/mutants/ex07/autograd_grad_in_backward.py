# Mutant: backward hands the work back to autograd (recomputes x * sigmoid(x) under enable_grad and calls autograd.grad).
import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        with torch.enable_grad():
            leaf = x.detach().requires_grad_()
            y = leaf * torch.sigmoid(leaf)
            (grad,) = torch.autograd.grad(y, leaf, grad_output)
        return grad


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
