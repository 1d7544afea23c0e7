# Mutant: swish returns F.silu(x) + 0 * SwishFunction.apply(x): the graph holds the Function, but autograd's silu gradient does the work.
import torch
import torch.nn.functional as F
from torch import Tensor, nn

class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()
    @staticmethod
    def backward(ctx, g):
        return g


def swish(x):
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x):
        return swish(x)



def swish(x):  # redefined: value from silu, graph that contains a SwishFunction node for show
    out = F.silu(x)
    if x.requires_grad:
        return out + 0 * SwishFunction.apply(x)
    return out
