# Style: whole-module requires_grad_ calls (the model, then a slice of features), filter() over model.parameters().
from __future__ import annotations

import torch.nn as nn


def prepare_for_finetuning(model, num_classes, train_last_n_blocks=0):
    depth = len(model.features)
    if num_classes < 1 or train_last_n_blocks < 0 or train_last_n_blocks > depth:
        raise ValueError("bad num_classes or train_last_n_blocks")
    model.requires_grad_(False)
    model.features[depth - train_last_n_blocks:].requires_grad_(True)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return list(filter(lambda p: p.requires_grad, model.parameters()))
