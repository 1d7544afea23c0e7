# Mutant: backward flattens grad_output with view(-1), which fails when grad_output is expanded (.sum(dim)) or transposed.
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
        flat_x = x.reshape(-1)
        s = torch.sigmoid(flat_x)
        g = grad_output.view(-1)           # fails on an expanded / transposed grad_output
        return (g * s * (1 + flat_x * (1 - s))).view(x.shape)


def swish(x):
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x):
        return swish(x)

