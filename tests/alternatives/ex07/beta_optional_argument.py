# Style: Swish-beta generalisation: an optional non-tensor beta=1.0 in forward, backward returns (grad, None); Swish(beta=1.0).
import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor, beta: float = 1.0) -> Tensor:
        ctx.save_for_backward(x)
        ctx.beta = beta
        return x * torch.sigmoid(beta * x)

    @staticmethod
    def backward(ctx, grad_output: Tensor):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(ctx.beta * x)
        # d/dx x*s(bx) = s + b*x*s*(1 - s); beta is a constant: no gradient for it
        return grad_output * (s + ctx.beta * x * s * (1 - s)), None


def swish(x: Tensor, beta: float = 1.0) -> Tensor:
    return SwishFunction.apply(x, beta)


class Swish(nn.Module):
    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = beta

    def forward(self, x: Tensor) -> Tensor:
        return swish(x, self.beta)
