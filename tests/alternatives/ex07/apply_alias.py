# Style: swish is the bound SwishFunction.apply itself; Swish stores the function in __init__; no_grad-free backward via torch.addcmul.
import torch
from torch import nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        sig = torch.sigmoid(x)
        ctx.save_for_backward(x, sig)
        return x * sig

    @staticmethod
    def backward(ctx, grad_output):
        x, sig = ctx.saved_tensors
        # s + x*s*(1-s) = s * (1 + x*(1-s))
        return grad_output * sig * torch.addcmul(torch.ones_like(x), x, 1 - sig)


swish = SwishFunction.apply


class Swish(nn.Module):
    def __init__(self):
        super().__init__()
        self.fn = swish

    def forward(self, x):
        return self.fn(x)
