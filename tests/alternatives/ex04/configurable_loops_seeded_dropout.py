# Style: configurable constructors with defaults (sizes and rate as module constants), layers built in a loop; forward flattens with x.view(x.size(0), -1); Keras Sequential filled with add() in the same loop, seeded Dropout layers.
from __future__ import annotations

import keras
import torch
from torch import nn

IN_FEATURES = 784
HIDDEN: tuple[int, ...] = (256, 128)
N_CLASSES = 10
DROPOUT = 0.3


class PyTorchModel(nn.Module):
    def __init__(self, in_features: int = IN_FEATURES, hidden: tuple[int, ...] = HIDDEN,
                 n_classes: int = N_CLASSES, p: float = DROPOUT) -> None:
        super().__init__()
        blocks: list[nn.Module] = []
        width = in_features
        for h in hidden:
            blocks += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(p)]
            width = h
        self.features = nn.Sequential(*blocks)
        self.classifier = nn.Linear(width, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.view(x.size(0), -1)
        return self.classifier(self.features(x))


def build_keras_model(in_features: int = IN_FEATURES, hidden: tuple[int, ...] = HIDDEN,
                      n_classes: int = N_CLASSES, rate: float = DROPOUT) -> keras.Model:
    model = keras.Sequential(name="twin_mlp")
    model.add(keras.Input(shape=(in_features,)))
    for i, h in enumerate(hidden):
        model.add(keras.layers.Dense(h, activation="relu", name=f"dense_{i}"))
        model.add(keras.layers.Dropout(rate, seed=1234 + i, name=f"dropout_{i}"))
    model.add(keras.layers.Dense(n_classes, name="logits"))
    return model
