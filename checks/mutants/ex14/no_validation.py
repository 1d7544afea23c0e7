# Mutant: does not validate the shapes: a (N, 1) broadcasts silently against b (M, D), and 1-D inputs give a result instead of ValueError.
import torch


def pairwise_sq_distances(a, b):
    return ((a.unsqueeze(1) - b.unsqueeze(0)) ** 2).sum(-1)
