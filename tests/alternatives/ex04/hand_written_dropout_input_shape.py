# Style: dropout written by hand (torch.rand_like mask scaled by 1/(1-p), only when self.training) with seeded construction (torch.manual_seed in __init__); Keras Sequential with input_shape on the first Dense (no Input layer) and keras.utils.set_random_seed.
import keras
import torch
from torch import nn


class PyTorchModel(nn.Module):
    P = 0.3

    def __init__(self):
        super().__init__()
        torch.manual_seed(42)  # reproducible initial weights
        self.l1 = nn.Linear(784, 256)
        self.l2 = nn.Linear(256, 128)
        self.l3 = nn.Linear(128, 10)

    def _dropout(self, x):
        if not self.training:
            return x
        mask = (torch.rand_like(x) >= self.P).to(x.dtype)
        return x * mask / (1.0 - self.P)

    def forward(self, x):
        x = self._dropout(torch.relu(self.l1(x)))
        x = self._dropout(torch.relu(self.l2(x)))
        return self.l3(x)


def build_keras_model():
    keras.utils.set_random_seed(42)
    return keras.Sequential([
        keras.layers.Dense(256, activation="relu", input_shape=(784,)),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(10),
    ])
