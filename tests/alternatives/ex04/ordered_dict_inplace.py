# Style: nn.Sequential(OrderedDict) with in-place ReLU/Dropout and extra methods; Keras Sequential.add with ReLU layers, a print.
"""OrderedDict Sequential with in-place ReLU/Dropout; Keras Sequential with input_shape on the first Dense and ReLU layers."""
from collections import OrderedDict

import keras
from torch import nn


class PyTorchModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(OrderedDict([
            ("hidden1", nn.Linear(784, 256)),
            ("act1", nn.ReLU(inplace=True)),
            ("drop1", nn.Dropout(p=0.3, inplace=True)),
            ("hidden2", nn.Linear(256, 128)),
            ("act2", nn.ReLU(inplace=True)),
            ("drop2", nn.Dropout(p=0.3, inplace=True)),
            ("logits", nn.Linear(128, 10)),
        ]))
        self.num_classes = 10

    def forward(self, x):
        return self.net(x.view(x.size(0), -1))

    def predict(self, x):
        return self.forward(x).argmax(dim=1)


def build_keras_model():
    model = keras.Sequential(name="twin")
    model.add(keras.Input(shape=(784,)))
    model.add(keras.layers.Dense(256))
    model.add(keras.layers.ReLU())
    model.add(keras.layers.Dropout(rate=0.3))
    model.add(keras.layers.Dense(128))
    model.add(keras.layers.ReLU())
    model.add(keras.layers.Dropout(rate=0.3))
    model.add(keras.layers.Dense(10, activation=None))
    print(f"Keras model with {model.count_params()} parameters")
    return model
