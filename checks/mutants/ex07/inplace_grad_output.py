# Mutant: backward multiplies grad_output in place (grad_output.mul_), corrupting a gradient autograd shares between nodes.
import torch
import torch.nn.functional as F
from torch import Tensor, nn

class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        return grad_output.mul_(s * (1 + x * (1 - s)))


def swish(x):
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x):
        return swish(x)

