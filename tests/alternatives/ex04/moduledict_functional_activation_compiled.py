# Style: nn.ModuleDict of layers and a typed forward with F.relu / nn.Dropout stored once per layer; Keras functional API with separate Activation layers, layer names, compiled with an optimizer and a from_logits loss.
from __future__ import annotations

import keras
import torch
import torch.nn.functional as F
from keras import layers
from torch import Tensor, nn


class PyTorchModel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.ModuleDict({
            "hidden1": nn.Linear(784, 256),
            "hidden2": nn.Linear(256, 128),
            "output": nn.Linear(128, 10),
        })
        self.drop = nn.ModuleDict({"hidden1": nn.Dropout(0.3), "hidden2": nn.Dropout(0.3)})

    def forward(self, x: Tensor) -> Tensor:
        for name in ("hidden1", "hidden2"):
            x = self.drop[name](F.relu(self.layers[name](x)))
        return self.layers["output"](x)


def build_keras_model() -> keras.Model:
    inputs = keras.Input(shape=(784,), dtype="float32", name="image")
    x = layers.Dense(256, name="hidden1")(inputs)
    x = layers.Activation("relu")(x)
    x = layers.Dropout(0.3)(x)
    x = layers.Dense(128, name="hidden2")(x)
    x = layers.Activation(keras.activations.relu)(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(10, activation=None, name="logits")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return model
