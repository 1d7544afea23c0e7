# Style: one F.dropout helper with kaiming init; Keras Sequential built with model.build((None, 784)) and compiled.
"""torch.relu with a single F.dropout helper; Keras Sequential built with model.build, he_normal init, compiled."""
import keras
import torch
import torch.nn.functional as F
from torch import nn

DROPOUT = 0.3


class PyTorchModel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Linear(28 * 28, 256)
        self.layer2 = nn.Linear(256, 128)
        self.out = nn.Linear(128, 10)
        for layer in (self.layer1, self.layer2, self.out):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)

    def _hidden(self, layer: nn.Linear, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(torch.relu(layer(x)), p=DROPOUT, training=self.training)

    def forward(self, x):
        x = torch.flatten(x, start_dim=1)
        return self.out(self._hidden(self.layer2, self._hidden(self.layer1, x)))


def build_keras_model():
    model = keras.Sequential([
        keras.layers.Dense(256, activation=keras.activations.relu, kernel_initializer="he_normal"),
        keras.layers.Dropout(DROPOUT),
        keras.layers.Dense(128, activation=keras.activations.relu, kernel_initializer="he_normal"),
        keras.layers.Dropout(DROPOUT),
        keras.layers.Dense(10),
    ])
    model.build((None, 784))
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model
