# Style: sigmoid and 1 - sigmoid both from F.logsigmoid (log-space, never 1 - s), no saved sigmoid.
import torch
import torch.nn.functional as F
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.exp(F.logsigmoid(x))

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        s = torch.exp(F.logsigmoid(x))
        one_minus_s = torch.exp(F.logsigmoid(-x))   # sigmoid(-x) == 1 - sigmoid(x)
        return grad_output * (s + x * s * one_minus_s)


def swish(x):
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, input):
        return swish(input)
