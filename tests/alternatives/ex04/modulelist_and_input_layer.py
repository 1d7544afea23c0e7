# Style: nn.ModuleList loop with nn.functional.relu and one shared nn.Dropout; Keras Sequential with InputLayer and add().
import keras
import torch
from keras import layers
from torch import nn
from torch.nn import functional as F


class PyTorchModel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in ((784, 256), (256, 128), (128, 10))])
        self.drop = nn.Dropout(p=0.3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        *hidden, head = self.layers
        for layer in hidden:
            x = self.drop(F.relu(layer(x), inplace=True))
        return head(x)


def build_keras_model() -> keras.Model:
    model = keras.Sequential(name="mnist_mlp")
    model.add(layers.InputLayer(shape=(784,)))
    for units in (256, 128):
        model.add(layers.Dense(units, activation="relu"))
        model.add(layers.Dropout(rate=0.3))
    model.add(layers.Dense(10, activation=None))
    return model
