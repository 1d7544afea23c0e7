"""Correct alternative: build_model returns a subclassed keras.Model (called once on an
Input so it is built), the layer keeps its Dense layers in a list, from_config written out,
and a helper that validates the path and raises."""

import os

import keras


@keras.saving.register_keras_serializable(package="dlkit")
class ResidualDense(keras.layers.Layer):
    def __init__(self, units, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = activation
        self.pair = [keras.layers.Dense(units, activation=activation), keras.layers.Dense(units)]

    def build(self, input_shape):
        if int(input_shape[-1]) != self.units:
            raise ValueError("ResidualDense: input width must equal units")
        self.pair[0].build(input_shape)
        self.pair[1].build((*input_shape[:-1], self.units))

    def call(self, x):
        y = x
        for dense in self.pair:
            y = dense(y)
        return x + y

    def get_config(self):
        base = super().get_config()
        return dict(base, units=self.units, activation=self.activation)

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras.saving.register_keras_serializable(package="dlkit_alt")
class _Net(keras.Model):
    def __init__(self, input_dim, num_classes, depth, **kwargs):
        super().__init__(**kwargs)
        self.input_dim, self.num_classes, self.depth = input_dim, num_classes, depth
        self.stem = keras.layers.Dense(32)
        self.blocks = [ResidualDense(32) for _ in range(depth)]
        self.head = keras.layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.head(x)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim, "num_classes": self.num_classes,
                "depth": self.depth}


def build_model(input_dim, num_classes, depth):
    model = _Net(input_dim, num_classes, depth)
    model(keras.Input(shape=(input_dim,)))
    return model


def _require_keras_suffix(path):
    _, ext = os.path.splitext(path)
    if ext != ".keras":
        raise ValueError(f"use a .keras path (Keras 3 native format), not {path!r}: Keras 3 refuses "
                         "SavedModel folders and .h5 is legacy")


def save_and_reload(model, path):
    _require_keras_suffix(path)
    model.save(path)
    return keras.models.load_model(path)
