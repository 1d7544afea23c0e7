# Mutant: every value is wrong (forward 2*x, backward 3*grad_output), yet it is wired as a custom Function and nothing ever raises.
import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        return 2 * x

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        return 3 * grad_output


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
