# Style: raw nn.Parameter weights used as x @ W with F.dropout(training=self.training); a subclassed keras.Model built explicitly.
import math

import keras
import numpy as np
import torch
import torch.nn.functional as F
from keras import layers
from torch import nn

SIZES = [784, 256, 128, 10]


class PyTorchModel(nn.Module):
    def __init__(self, p: float = 0.3) -> None:
        super().__init__()
        self.p = p
        self.weights = nn.ParameterList()
        self.biases = nn.ParameterList()
        for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
            bound = 1 / math.sqrt(n_in)
            self.weights.append(nn.Parameter(torch.empty(n_in, n_out).uniform_(-bound, bound)))
            self.biases.append(nn.Parameter(torch.empty(n_out).uniform_(-bound, bound)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            x = x @ w + b
            if i < last:
                x = F.dropout(torch.relu(x), p=self.p, training=self.training)
        return x


class KerasTwin(keras.Model):
    def __init__(self) -> None:
        super().__init__()
        self.hidden1 = layers.Dense(256, activation="relu")
        self.drop1 = layers.Dropout(0.3)
        self.hidden2 = layers.Dense(128, activation="relu")
        self.drop2 = layers.Dropout(0.3)
        self.out = layers.Dense(10)

    def call(self, x, training=False):
        x = self.drop1(self.hidden1(x), training=training)
        x = self.drop2(self.hidden2(x), training=training)
        return self.out(x)


def build_keras_model() -> keras.Model:
    model = KerasTwin()
    model(np.zeros((1, 784), dtype="float32"))  # a subclassed model is built by a first call
    return model
