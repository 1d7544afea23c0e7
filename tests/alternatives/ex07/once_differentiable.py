# Style: backward decorated with once_differentiable, returns a 1-tuple; Swish defines extra_repr and __constants__.
import torch
from torch import Tensor, nn
from torch.autograd.function import once_differentiable


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return torch.mul(x, torch.sigmoid(x))

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output: Tensor):
        (x,) = ctx.saved_tensors
        sig = x.sigmoid()
        return (grad_output * (sig + x * sig * (1.0 - sig)),)


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    __constants__ = ["name"]

    def __init__(self, name: str = "swish") -> None:
        super().__init__()
        self.name = name

    def extra_repr(self) -> str:
        return f"name={self.name!r}"

    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
