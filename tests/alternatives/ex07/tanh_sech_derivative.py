# Style: sigmoid via tanh, derivative via sech^2 (1 / cosh^2, which falls to 0 when cosh overflows).
import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return 0.5 * x * (1 + torch.tanh(0.5 * x))

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        half = 0.5 * x
        sigmoid = 0.5 * (1 + torch.tanh(half))
        dsigmoid = 0.25 / torch.cosh(half) ** 2     # sigmoid' = sigmoid * (1 - sigmoid)
        return grad_output * (sigmoid + x * dsigmoid)


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
